"""Learning curve: would more data help, and roughly how much?"""
from __future__ import annotations

import time

import numpy as np

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"
MIN_ROWS = 20


def growing_fits(ctx) -> list[tuple[int, float, float]] | None:
    """Copies of the model retrained on growing shares of the training rows: (rows, seconds to train, held-out
    score) each, computed once and shared by the learning curve and the training-cost check; None when the
    model cannot be retrained."""
    def compute():
        sample = ctx.training_rows
        shuffled = sample.sample(frac=1.0, random_state=ctx.settings.seed)
        fits: list[tuple[int, float, float]] = []
        for share in ctx.settings.learning_curve_sizes:
            rows = int(len(shuffled) * share)
            part = shuffled.head(rows)
            if rows < MIN_ROWS or any(rows == r for r, _, _ in fits) or \
                    (ctx.task == "classification" and part["__y"].nunique() < len(ctx.classes)):
                continue
            start = time.perf_counter()
            try:
                model = ctx.refit_clone(part.drop(columns="__y"), part["__y"])
            except Exception:  # noqa: BLE001 - a model that cannot be retrained has no learning curve
                return None
            seconds = time.perf_counter() - start
            fits.append((rows, seconds, ctx.score(ctx.y_test, ctx.scores_for(model, ctx.X_test))))
        return fits

    return ctx.shared("growing_fits", compute)


def check_learning_curve(ctx) -> CheckResult:
    """Score copies retrained on growing shares of the training rows on the held-out rows, and extrapolate the
    gain from doubling the data (score ~ a + b·log(rows) over the four largest sizes)."""
    t = ctx.settings.thresholds
    fits = growing_fits(ctx)
    if fits is None:
        return CheckResult(notes=(narrative.note("learning_no_refit"),))
    sizes, scores = [r for r, _, _ in fits], [s for _, _, s in fits]
    if len(sizes) < 4:
        return CheckResult(notes=(narrative.note("learning_too_small"),))
    slope = float(np.polyfit(np.log(sizes[-4:]), scores[-4:], 1)[0])
    room = max(1.0 - max(scores), 0.0)  # every metric here tops out at 1: never promise more than half the room left
    gain = min(max(slope * np.log(2), 0.0), room / 2)
    evidence = {"rows_used": sizes[-1], "score_at_half": _score_at(sizes, scores, 0.5), "score_at_full": scores[-1],
                "expected_gain_if_doubled": gain}
    findings = ()
    value = lambda v: narrative.metric_value(ctx.metric.name, v)  # noqa: E731
    if gain >= t.learning_gain_info:
        severity = Severity.WARNING if gain >= t.learning_gain_warning else Severity.INFO
        findings = (narrative.finding("model.more_data_would_help", PILLAR, severity, (), evidence,
                                      small=f"{_size_at(sizes, 0.5):,}", large=f"{sizes[-1]:,}",
                                      before=value(_score_at(sizes, scores, 0.5)), after=value(scores[-1]),
                                      expected=value(scores[-1] + gain), metric=ctx.metric.label,
                                      doubled=f"{2 * len(ctx.X_train):,}"),)
    notes = (narrative.note("learning", sizes=", ".join(f"{s:,}" for s in sizes)),)
    return CheckResult(findings, metrics={"learning_gain_if_doubled": gain},
                       data={"learning_sizes": sizes, "learning_scores": [float(s) for s in scores]}, notes=notes)


def _size_at(sizes: list[int], share: float) -> int:
    target = sizes[-1] * share
    return min(sizes, key=lambda s: abs(s - target))


def _score_at(sizes: list[int], scores: list[float], share: float) -> float:
    return float(scores[sizes.index(_size_at(sizes, share))])
