"""Robustness: does the model hold up when production inputs are a little different, or plainly unexpected?

Noise (`check_noise`). Held-out rows are perturbed the way real inputs are: every number the model reads moves by
Gaussian noise with a standard deviation of `noise_level` (5%) of the column's spread (of each value, for amounts: a
non-negative column with a long right tail, whose spread the tail inflates), or of the measurement error
the user gives for it (`Settings.measurement_error`), rounded for whole-number columns and kept within the range seen
in training; every label is swapped, with probability `noise_level`, for a *similar* frequent label (the frequent
label whose outcome rate in the training data is closest, within 5 points; labels with no similar one are left
alone). The share of decisions that change is then judged against what a well-behaved model does: a case whose
chance lies within `noise_margin` of the decision line is a close call that any noise may flip, so only changes of
*confident* decisions count against the model (for regression: predictions moving by more than
`noise_regression_move` of the predictions' spread). The same is measured at several sizes for the chart.

Unexpected inputs (`check_unexpected_inputs`). On a few held-out rows, each input column in turn is emptied, given
a label never seen in training, or given a value far outside the training range (the maximum plus ten times the
range: an extra digit), and the columns are handed over in reverse order. A crash, an answer that is not a number,
answers that change when only the column order changes, or a swing (the decisions change for many more cases than
when the same column holds an ordinary value: the median or the most common label, and for a far-off value the
largest value seen) is reported, naming the column
and what happened.

Directions (`check_effect_directions`, interpretability pillar). Partial dependence (the average prediction as one
number column sweeps its range, others as they are) and individual conditional expectation curves for the most
influential number columns; a column whose average effect reverses by a clear amount is described in words. Whether
a reversal is wrong only the business can say (an effect of age may rightly be U-shaped), so it is a note, not a
finding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import pandas as pd

from .. import narrative
from ..findings import Severity
from ..narrative import robustness as words
from . import CheckResult

PILLAR = "generalization"
LEVEL_MULTIPLES = (0.2, 0.4, 1.0, 2.0, 4.0)   # chart: noise sizes as multiples of the realistic amount
MIN_EVALUATIONS = 1200                          # rows x repeated draws at the realistic amount
MIN_FREQUENT_SHARE = 0.05                       # a label used at least this often can stand in for another
SKEWED = 2.0                                    # a non-negative number column this skewed is an amount
SIMILAR_RATE = 0.05                             # ... if its outcome rate is this close (regression: 0.1 spread)
MIN_ROWS_TO_JUDGE = 8                           # fewer rows than this changing confidently is too few to judge
PROBE_ROWS = 60
# columns tried one at a time (unexpected inputs, and which column's noise matters most): beyond this many, the ones
# that matter most to the model. Every try is a copy of the probed rows, so all 3,000 columns of a wide table would
# be 12,000 copies of 3,000 columns (tens of seconds, and gigabytes when made at once)
MAX_COLUMNS_ONE_AT_A_TIME = 300
FAR_FACTOR = 10.0


# ----- the model's decisions -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decisions:
    """What the model says about some rows: the answer, and how far each is from the decision line (None when the
    model gives no chances); for regression the predicted values."""

    answers: np.ndarray
    margins: np.ndarray | None


def decide(model, X: pd.DataFrame, task: str) -> Decisions:  # noqa: N803
    """The model's answers for X, with each case's margin: half the gap between its two highest chances."""
    if task == "regression":
        return Decisions(np.asarray(model.predict(X), dtype=float), None)
    if hasattr(model, "predict_proba"):
        probabilities = np.asarray(model.predict_proba(X), dtype=float)
        top = np.sort(probabilities, axis=1)[:, ::-1]
        margins = (top[:, 0] - top[:, 1]) / 2 if top.shape[1] > 1 else np.full(len(X), 0.5)
        classes = getattr(model, "classes_", None)
        if classes is not None and len(classes) == probabilities.shape[1]:  # what predict() gives, without a 2nd call
            return Decisions(np.asarray(classes)[probabilities.argmax(axis=1)].astype(str), margins)
        return Decisions(np.asarray(model.predict(X)).astype(str), margins)
    return Decisions(np.asarray(model.predict(X)).astype(str), None)


PREDICT_CELLS = 4_000_000  # cells (rows x columns) per call to the model when many frames are decided


def decide_many(model, frames: Iterable[pd.DataFrame], task: str) -> list[Decisions]:
    """`decide` for several frames, each answer as the model gives it. The frames (any iterable, consumed lazily)
    go to the model together, in calls of up to `PREDICT_CELLS` cells: one call is much faster than many small ones,
    and a bound keeps memory flat on a wide table (3,000 columns probed one at a time are 12,000 frames)."""
    out: list[Decisions] = []
    batch: list[pd.DataFrame] = []

    def flush() -> None:
        both = decide(model, pd.concat(batch, ignore_index=True), task)
        start = 0
        for frame in batch:
            end = start + len(frame)
            out.append(Decisions(both.answers[start:end], None if both.margins is None else both.margins[start:end]))
            start = end
        batch.clear()

    cells = 0
    for frame in frames:
        batch.append(frame)
        cells += frame.size
        if cells >= PREDICT_CELLS:
            flush()
            cells = 0
    if batch:
        flush()
    return out


def changed(before: Decisions, after: Decisions, tolerance: float) -> np.ndarray:
    """Which rows' answers changed (regression: moved by more than `tolerance`)."""
    if before.margins is None and before.answers.dtype.kind == "f":
        return np.abs(after.answers - before.answers) > tolerance
    return before.answers != after.answers


# ----- realistic noise -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoisePlan:
    """How each column is perturbed: number columns by `scale` (noise standard deviation at the realistic amount),
    within [low, high], rounded when whole; label columns swapped for `similar[label]`."""

    scale: dict
    low: dict
    high: dict
    whole: dict
    similar: dict
    relative: dict = field(default_factory=dict)  # column -> True: noise in proportion to each value (amounts)

    @property
    def columns(self) -> list[str]:
        return [*self.scale, *self.similar]


def noise_plan(train: pd.DataFrame, outcome: pd.Series, columns: list[str], task: str, level: float,
               errors: dict | None = None) -> NoisePlan:
    """The realistic perturbation of `columns`, learned from the training rows and their outcomes."""
    errors = errors or {}
    scale, low, high, whole, similar, relative = {}, {}, {}, {}, {}, {}
    for column in columns:
        values = train[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            known = values.dropna().astype(float)
            if known.nunique() < 2:
                continue
            if column in errors:
                scale[column] = float(errors[column])
            elif known.min() >= 0 and float(known.skew()) > SKEWED:
                # an amount with a long right tail (spending, crime rates): its error is a share of each value, not
                # of a spread the tail inflates (5% of the spread turned a spending of 0 into 13.6)
                scale[column], relative[column] = level, True
            else:
                scale[column] = level * float(known.std())
            low[column], high[column] = float(known.min()), float(known.max())
            whole[column] = bool(np.all(np.mod(known, 1) == 0))
        else:
            pairs = similar_labels(values, outcome, task)
            if pairs:
                similar[column] = pairs
    return NoisePlan(scale, low, high, whole, similar, relative)


def similar_labels(values: pd.Series, outcome: pd.Series, task: str) -> dict:
    """label -> the frequent label whose outcome (rate of each class, or mean) is closest, when close enough."""
    text = values.astype(object).where(values.notna(), None)
    counts = text.value_counts()
    frequent = [label for label, n in counts.items() if n >= max(10, MIN_FREQUENT_SHARE * len(text))]
    if len(frequent) < 2:
        return {}
    if task == "regression":
        y = pd.to_numeric(outcome, errors="coerce")
        profile = y.groupby(text.to_numpy()).mean()
        spread = float(y.std()) or 1.0
        distance = lambda a, b: abs(profile[a] - profile[b]) / spread  # noqa: E731
        limit = 2 * SIMILAR_RATE
    else:
        profile = pd.crosstab(text.to_numpy(), outcome.astype(str).to_numpy(), normalize="index")
        distance = lambda a, b: 0.5 * float(np.abs(profile.loc[a] - profile.loc[b]).sum())  # noqa: E731
        limit = SIMILAR_RATE
    pairs = {}
    for label in counts.index:
        if label not in profile.index:
            continue
        options = [(distance(label, other), other) for other in frequent if other != label and other in profile.index]
        if options:
            gap, best = min(options, key=lambda pair: (pair[0], str(pair[1])))
            if gap <= limit:
                pairs[label] = best
    return pairs


def perturb(rows: pd.DataFrame, plan: NoisePlan, multiple: float, rng: np.random.Generator,
            level: float, only: str | None = None) -> pd.DataFrame:
    """A copy of `rows` with realistic noise `multiple` times the realistic amount (one column only with `only`)."""
    out = rows.copy()
    for column, scale in plan.scale.items():
        if only is not None and column != only:
            continue
        values = out[column].to_numpy(dtype=float)
        noise = rng.normal(0.0, scale * multiple, len(values))
        moved = values * (1.0 + noise) if plan.relative.get(column) else values + noise
        if plan.whole[column]:
            moved = np.round(moved)
        # kept within the training range (a value already outside it is not pulled back in)
        moved = np.clip(moved, np.fmin(plan.low[column], values), np.fmax(plan.high[column], values))
        out[column] = np.where(np.isnan(values), np.nan, moved)
    swap_share = min(1.0, level * multiple)
    for column, pairs in plan.similar.items():
        if only is not None and column != only:
            continue
        values = out[column].astype(object)
        swap = rng.random(len(values)) < swap_share
        out[column] = [pairs.get(v, v) if s and v is not None else v for v, s in zip(values, swap)]
    return out


@dataclass(frozen=True)
class NoiseEffect:
    """Shares of all perturbed cases (rows x draws): decisions that changed, changed although the model was
    confident, and cases that were close calls to begin with; `rows_unexpected` counts distinct rows."""

    changed: float
    unexpected: float
    close_calls: float
    rows_unexpected: int
    evaluations: int


def noise_effect(model, rows: pd.DataFrame, plan: NoisePlan, task: str, multiple: float, level: float,
                 margin: float, tolerance: float, draws: int, seed: int, only: str | None = None,
                 before: Decisions | None = None) -> NoiseEffect:
    """How many of the model's decisions on `rows` change under realistic noise (see the module's description)."""
    rng = np.random.default_rng(seed)
    before = before or decide(model, rows, task)
    confident = np.ones(len(rows), bool) if before.margins is None else before.margins >= margin
    flips, surprises = [], []
    frames = [perturb(rows, plan, multiple, rng, level, only) for _ in range(draws)]
    for after in decide_many(model, frames, task):
        moved = changed(before, after, tolerance)
        flips.append(moved)
        surprises.append(moved & confident)
    flips, surprises = np.array(flips), np.array(surprises)
    return NoiseEffect(changed=float(flips.mean()), unexpected=float(surprises.mean()),
                       close_calls=float(1 - confident.mean()), rows_unexpected=int(surprises.any(axis=0).sum()),
                       evaluations=int(flips.size))


def noise_severity(effect: NoiseEffect, t) -> Severity | None:
    """Warning or mention when enough confident decisions change; never on a handful of rows."""
    if effect.rows_unexpected < MIN_ROWS_TO_JUDGE:
        return None
    if effect.unexpected >= t.noise_unexpected_warning:
        return Severity.WARNING
    if effect.unexpected >= t.noise_unexpected_info:
        return Severity.INFO
    return None


def _outcome_for_similarity(train: pd.DataFrame) -> pd.Series:
    return train["__y"].reset_index(drop=True)


def one_at_a_time_columns(ctx, columns: list[str]) -> list[str]:
    """`columns` (in their order) when there are at most `MAX_COLUMNS_ONE_AT_A_TIME`; otherwise that many of them,
    those that matter most to the model (its explanation's mean absolute contribution, ties in column order), or the
    first ones when the model cannot be explained."""
    if len(columns) <= MAX_COLUMNS_ONE_AT_A_TIME:
        return list(columns)
    try:
        importance = ctx.explanation.importance()
        ranked = sorted(columns, key=lambda c: -float(importance.get(c, 0.0)))  # sorted is stable: ties keep order
    except Exception:  # noqa: BLE001 - a model that cannot be explained: the first columns
        ranked = list(columns)
    chosen = set(ranked[:MAX_COLUMNS_ONE_AT_A_TIME])
    return [c for c in columns if c in chosen]


def _rows(ctx) -> pd.DataFrame:
    return ctx.sample_rows(ctx.X_test, ctx.settings.robustness_rows).reset_index(drop=True)


def check_noise(ctx) -> CheckResult:
    """Share of decisions that change under small, realistic changes to the inputs, beyond the close calls."""
    t = ctx.settings.thresholds
    columns = [c for c in ctx.model_features if c in ctx.X_train.columns]
    errors = {str(k): float(v) for k, v in dict(ctx.settings.measurement_error).items() if k in columns}
    train = ctx.training_rows  # the sampled training rows: spreads, ranges and similar labels need no more
    plan = noise_plan(train.drop(columns="__y").reset_index(drop=True), _outcome_for_similarity(train), columns,
                      ctx.task, t.noise_level, errors)
    if not plan.columns:
        return CheckResult(notes=(narrative.note("noise_skipped"),))
    rows = _rows(ctx)
    before = decide(ctx.model, rows, ctx.task)
    tolerance = t.noise_regression_move * float(np.std(before.answers)) if ctx.task == "regression" else 0.0
    draws = max(1, min(8, -(-MIN_EVALUATIONS // len(rows))))
    seed = ctx.settings.seed
    common = dict(plan=plan, task=ctx.task, level=t.noise_level, margin=t.noise_margin, tolerance=tolerance,
                  before=before)
    effects = [noise_effect(ctx.model, rows, multiple=m, draws=draws if m == 1.0 else 1, seed=seed + i, **common)
               for i, m in enumerate(LEVEL_MULTIPLES)]
    main = effects[LEVEL_MULTIPLES.index(1.0)]
    rng = np.random.default_rng(seed)
    singles = one_at_a_time_columns(ctx, plan.columns)
    one_at_a_time = decide_many(ctx.model, (perturb(rows, plan, 1.0, rng, t.noise_level, only=c) for c in singles),
                                ctx.task)
    by_column = {c: float(changed(before, after, tolerance).mean()) for c, after in zip(singles, one_at_a_time)}
    worst = max(by_column, key=by_column.get)
    evidence = {"noise_level": t.noise_level, "changed_share": main.changed, "unexpected_share": main.unexpected,
                "close_call_share": main.close_calls, "rows_changed_confidently": main.rows_unexpected,
                "evaluations": main.evaluations, "worst_column_share": by_column[worst]}
    findings = ()
    severity = noise_severity(main, t)
    phrases = _noise_words(ctx, plan, worst, errors)
    if severity is not None:
        variant = "regression" if ctx.task == "regression" else None
        findings = (narrative.finding(
            "model.sensitive_to_noise", PILLAR, severity, [worst] if by_column[worst] > 0 else [], evidence,
            variant=variant, changed=words.one_in(main.changed), unexpected=words.one_in(main.unexpected),
            close=narrative.pct(main.close_calls), margin=narrative.pct(t.noise_margin),
            column_change=words.one_in(by_column[worst]), **phrases),)
    levels = [t.noise_level * m for m in LEVEL_MULTIPLES]
    data = {"noise_levels": levels, "noise_changed": [e.changed for e in effects],
            "noise_unexpected": [e.unexpected for e in effects], "noise_close_calls": main.close_calls,
            "noise_by_column": dict(sorted(by_column.items(), key=lambda kv: -kv[1])),
            "noise_measured_errors": bool(errors), "noise_task": ctx.task}
    notes = (narrative.note("noise", rows=f"{len(rows):,}", draws=draws, level=narrative.pct(t.noise_level),
                            margin=narrative.pct(t.noise_margin), errors=phrases["errors"]),
             words.noise_result(main.changed, main.unexpected, main.close_calls, t.noise_margin, ctx.task))
    if len(singles) < len(plan.columns):
        notes += (narrative.note("probed_top_columns", what="Small changes, one column at a time",
                                 total=f"{len(plan.columns):,}", count=f"{len(singles):,}"),)
    metrics = {"noise_changed_share": main.changed, "noise_unexpected_share": main.unexpected}
    return CheckResult(findings, metrics=metrics, data=data, notes=notes)


def _noise_words(ctx, plan: NoisePlan, worst: str, errors: dict) -> dict:
    level = ctx.settings.thresholds.noise_level
    if worst in plan.relative:
        amount = f"a change of about {narrative.pct(level)} in each value of '{worst}'"
    elif worst in plan.scale:
        size = narrative.num(plan.scale[worst])
        why = "its measurement error" if worst in errors else f"{narrative.pct(level)} of its spread"
        amount = f"a change of about {size} in '{worst}' ({why})"
    else:
        amount = (f"swapping {narrative.pct(level)} of the values of '{worst}' for a similar "
                  "common one")
    given = ", ".join(f"'{c}' ±{narrative.num(v)}" for c, v in errors.items())
    return {"amount": amount, "column": worst,
            "errors": f"; measurement errors given: {given}" if given else ""}


# ----- unexpected inputs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Probe:
    """One unexpected input and what the model did with it."""

    column: str | None
    kind: str           # 'missing' | 'unseen' | 'far' | 'order'
    outcome: str        # 'fine' | 'refused' | 'crashed' | 'not_a_number' | 'swings' | 'silently_different'
    detail: str = ""
    share: float = 0.0  # decisions changed beyond the ordinary-value comparison (or by the reordering)


def _try(model, X: pd.DataFrame, task: str) -> tuple[Decisions | None, str]:  # noqa: N803
    try:
        decisions = decide(model, X, task)
    except Exception as error:  # noqa: BLE001 - what the model does with bad input is the finding
        text = str(error).splitlines()[0][:140] if str(error) else ""
        return None, f"{type(error).__name__}: {text}" if text else type(error).__name__
    if len(decisions.answers) != len(X):
        return None, f"it gave {len(decisions.answers)} answers for {len(X)} rows"
    if decisions.answers.dtype.kind == "f" and not np.all(np.isfinite(decisions.answers)):
        return decisions, "not_a_number"
    return decisions, ""


def probe_inputs(model, rows: pd.DataFrame, train: pd.DataFrame, columns: list[str], task: str,
                 tolerance: float, swing_share: float) -> list[Probe]:
    """Every unexpected input tried on `rows`, with its outcome (see the module's description)."""
    base, problem = _try(model, rows, task)
    if base is None:
        return [Probe(None, "order", "crashed", problem)]
    probes = []
    reordered, problem = _try(model, rows[rows.columns[::-1]], task)
    if reordered is None:
        probes.append(Probe(None, "order", "refused", problem))
    else:
        moved = float(changed(base, reordered, tolerance).mean())
        probes.append(Probe(None, "order", "silently_different" if moved > 0 else "fine", share=moved))
    planned = []  # (column, kind, the unexpected value, the ordinary value it is compared to)
    for column in columns:
        values = train[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        known = values.dropna()
        if known.empty:
            continue
        if numeric:
            low, high = float(known.min()), float(known.max())
            planned.append((column, "missing", np.nan, float(known.median())))
            far = high + FAR_FACTOR * max(high - low, abs(high), 1.0)  # compared with the largest value seen
            planned.append((column, "far", far, high))
        else:
            common = str(known.astype(str).mode().iloc[0])
            planned.append((column, "missing", None, common))
            planned.append((column, "unseen", _unseen_label(known), common))
    # the rows with each value in place, made as the model needs them (never all at once: see decide_many)
    frames = (_with(rows, column, value) for column, _, tried, ordinary in planned for value in (tried, ordinary))
    try:  # together; when anything fails, each input is tried on its own to see which
        decided = decide_many(model, frames, task) if planned else []
        batch_ok = all(np.all(np.isfinite(d.answers)) for d in decided if d.answers.dtype.kind == "f")
    except Exception:  # noqa: BLE001
        decided, batch_ok = [], False
    for index, (column, kind, tried, ordinary) in enumerate(planned):
        if batch_ok:
            after, problem, reference = decided[2 * index], "", decided[2 * index + 1]
        else:
            (after, problem) = _try(model, _with(rows, column, tried), task)
            reference = _try(model, _with(rows, column, ordinary), task)[0]
        probes.append(_judge(column, kind, after, problem, base, reference, task, tolerance, swing_share))
    return probes


def _with(rows: pd.DataFrame, column: str, value) -> pd.DataFrame:
    frame = rows.copy()
    frame[column] = pd.Series([value] * len(frame), dtype=object if value is None or isinstance(value, str) else float)
    return frame


def _unseen_label(known: pd.Series) -> str:
    label, existing = "new value", set(known.astype(str))
    while label in existing:
        label += "+"
    return label


def _judge(column, kind, after, problem, base, reference, task, tolerance, swing_share) -> Probe:
    if after is None:
        return Probe(column, kind, "crashed", problem)
    if problem == "not_a_number":
        return Probe(column, kind, "not_a_number")
    moved = float(changed(base, after, tolerance).mean())
    usual = float(changed(base, reference, tolerance).mean()) if reference is not None else 0.0
    excess = moved - usual
    if task == "regression" and kind == "far":
        low, high = float(np.min(base.answers)), float(np.max(base.answers))
        width = max(high - low, 1e-9)
        outside = float(np.mean((after.answers < low - width) | (after.answers > high + width)))
        if outside > 0:
            return Probe(column, kind, "swings", share=outside)
        return Probe(column, kind, "fine", share=excess)
    return Probe(column, kind, "swings" if excess >= swing_share else "fine", share=excess)


def check_unexpected_inputs(ctx) -> CheckResult:
    """Empty fields, new labels, far-off values and another column order: crash, refuse, or swing?"""
    t = ctx.settings.thresholds
    rows = ctx.sample_rows(ctx.X_test, PROBE_ROWS).reset_index(drop=True)
    readable = [c for c in ctx.model_features if c in ctx.X_train.columns]
    columns = one_at_a_time_columns(ctx, readable)
    base = decide(ctx.model, rows, ctx.task)
    tolerance = t.noise_regression_move * float(np.std(base.answers)) if ctx.task == "regression" else 0.0
    probes = probe_inputs(ctx.model, rows, ctx.X_train, columns, ctx.task, tolerance, t.swing_share)
    findings = []
    order = next((p for p in probes if p.kind == "order"), None)
    if order is not None and order.outcome in ("silently_different", "crashed"):
        findings.append(narrative.finding(
            "model.breaks_on_unexpected_input", PILLAR,
            Severity.CRITICAL if order.outcome == "silently_different" else Severity.WARNING, (),
            {"share_changed": order.share, "rows": len(rows)}, variant=f"order_{order.outcome}",
            share=words.one_in(order.share), detail=order.detail))
    bad = [p for p in probes if p.kind != "order" and p.outcome in ("crashed", "not_a_number", "swings")]
    if bad:
        serious = [p for p in bad
                   if p.outcome in ("crashed", "not_a_number") or p.kind != "far" or ctx.task == "regression"]
        severity = Severity.WARNING if serious else Severity.INFO
        columns_hit = list(dict.fromkeys(p.column for p in bad))
        evidence = {"inputs_tried": sum(p.kind != "order" for p in probes), "problems": len(bad),
                    "crashes": sum(p.outcome == "crashed" for p in bad),
                    "swings": sum(p.outcome == "swings" for p in bad),
                    "largest_swing_share": max((p.share for p in bad if p.outcome == "swings"), default=0.0)}
        findings.append(narrative.finding(
            "model.breaks_on_unexpected_input", PILLAR, severity, columns_hit, evidence,
            variant=None if serious else "far_only", happened=words.probe_list(bad, ctx.task)))
    data = {"probes": [{"column": p.column, "input": p.kind, "outcome": p.outcome, "share": p.share,
                        "detail": p.detail} for p in probes]}
    notes = (narrative.note("unexpected_inputs", rows=len(rows), factor=narrative.num(FAR_FACTOR),
                            swing=narrative.pct(t.swing_share)), *getattr(ctx.model, "notes", ()))
    if len(columns) < len(readable):
        notes += (narrative.note("probed_top_columns", what="Unexpected inputs", total=f"{len(readable):,}",
                                 count=f"{len(columns):,}"),)
    return CheckResult(tuple(findings), metrics={"unexpected_input_problems": float(len(bad))}, data=data,
                       notes=tuple(notes))


CHECKS = (
    ("small changes to the inputs", check_noise),
    ("unexpected inputs", check_unexpected_inputs),
)


# ----- directions of effect (interpretability) -----------------------------------------------------------------
def check_effect_directions(ctx) -> CheckResult:
    """Number columns whose average effect on the prediction reverses over their range (a note, with chart data)."""
    from ..counterfactual import response_curves

    if ctx.task == "classification" and ctx.positive_class is None:
        return CheckResult(notes=(narrative.note("directions_skipped"),))
    top = [c for c in ctx.explanation.importance().index if c in ctx.model_features][:6]
    numeric = [c for c in top if pd.api.types.is_numeric_dtype(ctx.X_train[c])
               and ctx.X_train[c].nunique() > 3][:4]
    if not numeric:
        return CheckResult(notes=(narrative.note("directions_none"),))
    rows = ctx.sample_rows(ctx.X_test, 100).reset_index(drop=True)
    curves = response_curves(lambda X: ctx.predict_outcome(ctx.model, X), rows, ctx.X_train, numeric)  # noqa: N803
    sentences = [words.direction_curve_sentence(c.column, c.direction, c.turn, ctx.positive_class, ctx.target)
                 for c in curves]
    reversing = [c.column for c in curves if c.direction.startswith("reverses")]
    data = {"response_curves": [{"column": c.column, "grid": c.grid, "average": c.average,
                                 "direction": c.direction, "against_share": c.against_share} for c in curves],
            "direction_sentences": sentences}
    notes = (narrative.note("effect_directions", count=len(curves), rows=len(rows),
                            reversing=narrative.name_list(reversing) if reversing else "none"),)
    return CheckResult(metrics={"reversing_inputs": float(len(reversing))}, data=data, notes=notes)


INTERPRETABILITY_CHECKS = (("direction of effects", check_effect_directions),)
