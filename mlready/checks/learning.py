"""Learning curve: would more data help, and roughly how much?"""
from __future__ import annotations

import time
import warnings

import numpy as np

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"
MIN_ROWS = 20
MIN_POINTS = 3


def growing_fits(ctx) -> list[tuple[int, float, float]] | None:
    """Copies of the model retrained on growing shares of the (sampled) training rows: (rows, seconds to train,
    held-out score) each, computed once and shared by the learning curve and the training-cost check; None when
    the model cannot be retrained."""
    fitted = _growing(ctx)
    return None if fitted is None else fitted[0]


def _growing(ctx) -> tuple[list[tuple[int, float, float]], list[np.ndarray]] | None:
    """The fits of `growing_fits` and, for each, the held-out scores (as `ctx.scores_for` gives) behind its score."""
    def compute():
        sample = ctx.training_rows
        shuffled = sample.sample(frac=1.0, random_state=ctx.settings.seed)
        fits: list[tuple[int, float, float]] = []
        predictions: list[np.ndarray] = []
        for share in ctx.settings.learning_curve_sizes:
            rows = int(len(shuffled) * share)
            part = shuffled.head(rows)
            if rows < MIN_ROWS or any(rows == r for r, _, _ in fits) or \
                    (ctx.task == "classification" and part["__y"].nunique() < len(ctx.classes)):
                continue
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = ctx.refit_clone(part.drop(columns="__y"), part["__y"])
            except Exception:  # noqa: BLE001 - a model that cannot be retrained has no learning curve
                return None
            seconds = time.perf_counter() - start
            scores = ctx.scores_for(model, ctx.X_test)
            fits.append((rows, seconds, ctx.score(ctx.y_test, scores)))
            predictions.append(scores)
        return fits, predictions

    return ctx.shared("growing_fits", compute)


def doubling_gain(sizes: list[int], scores: list[float]) -> tuple[int, float, bool]:
    """Read the likely gain from doubling the data off a learning curve (sizes ascending, at least two points).

    Returns (index of the size nearest half the largest, expected gain from doubling the largest size, whether the
    curve still rises at its end). The gain per doubling is read off the last doubling only (score linear in
    log(rows) between those two points, since earlier, steeper steps would overstate it); it is 0 unless the last
    step rose as well (no rise the chart does not show), and never more than half the room left below a perfect 1.
    """
    half = min(range(len(sizes) - 1), key=lambda i: abs(np.log(sizes[i] / (sizes[-1] / 2))))
    per_doubling = (scores[-1] - scores[half]) * np.log(2) / np.log(sizes[-1] / sizes[half])
    rising = bool(scores[-1] >= scores[-2] and per_doubling > 0)
    room = max(1.0 - max(scores), 0.0)
    return half, float(min(per_doubling, room / 2)) if rising else 0.0, rising


def check_learning_curve(ctx) -> CheckResult:
    """Score copies retrained on growing shares of the training rows on the held-out rows (for mlready's own model,
    the model itself at its full size is the last point), and read the gain from doubling the data off the last
    doubling only; a rise counts only when the last step rose too and the gain is clear of held-out noise."""
    t = ctx.settings.thresholds
    fitted = _growing(ctx)
    if fitted is None:
        return CheckResult(notes=(narrative.note("learning_no_refit"),))
    fits, predictions = fitted
    sizes, scores = [r for r, _, _ in fits], [s for _, _, s in fits]
    if not all(np.isfinite(scores)):
        return CheckResult(notes=(narrative.note("learning_undefined"),))
    reference = ctx.model_source == "reference"
    sampled = len(ctx.training_rows) < len(ctx.X_train)
    if reference and np.isfinite(ctx.test_score):  # the real model at its real size (the rows it learned from)
        full = ctx.reference_fit_rows
        while sizes and sizes[-1] >= full:
            sizes, scores, predictions = sizes[:-1], scores[:-1], predictions[:-1]
        sizes, scores = [*sizes, full], [*scores, ctx.test_score]
        predictions = [*predictions, ctx.test_scores]
    if len(sizes) < MIN_POINTS:
        return CheckResult(notes=(narrative.note("learning_too_small"),))
    half, gain, rising = doubling_gain(sizes, scores)
    paired = ctx.bootstrap_scores(predictions[-1], predictions[half])
    p_value = float((1 + np.sum(paired[:, 0] - paired[:, 1] <= 0)) / (1 + len(paired))) if len(paired) else 1.0
    evidence = {"rows_used": sizes[-1], "score_at_half": scores[half], "score_at_full": scores[-1],
                "expected_gain_if_doubled": gain, "p_value": p_value}
    who = "mlready's reference model" if reference else "Copies of the model"
    findings = ()
    value = lambda v: narrative.metric_value(ctx.metric.name, v)  # noqa: E731
    judged = not (sampled and not reference)  # copies on a sample say nothing of the model trained on all rows
    if judged and rising and gain >= t.learning_gain_info and p_value < t.learning_p_value:
        severity = Severity.WARNING if gain >= t.learning_gain_warning else Severity.INFO
        findings = (narrative.finding("model.more_data_would_help", PILLAR, severity, (), evidence,
                                      who=who, small=f"{sizes[half]:,}", large=f"{sizes[-1]:,}",
                                      before=value(scores[half]), after=value(scores[-1]),
                                      expected=value(scores[-1] + gain), metric=ctx.metric.label,
                                      doubled=f"{2 * sizes[-1]:,}"),)
    notes = [narrative.note("learning", who=who if reference else "copies of the model", sizes=", ".join(f"{s:,}" for s in sizes))]
    if not judged:
        notes.append(narrative.note("learning_sampled", rows=f"{len(ctx.training_rows):,}",
                                    total=f"{len(ctx.X_train):,}"))
    return CheckResult(findings, metrics={"learning_gain_if_doubled": gain},
                       data={"learning_sizes": sizes, "learning_scores": [float(s) for s in scores]},
                       notes=tuple(notes))
