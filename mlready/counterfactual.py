"""What-if questions about single decisions: the principal reasons behind one decision, the smallest realistic change
that would turn it around (a counterfactual), and how the prediction responds as one input sweeps its range.

Counterfactual search (`find_counterfactual`): a documented nearest-unlike-neighbour method, in the manner of NICE
(Brughmans, Leyman & Martens, "NICE: an algorithm for nearest instance counterfactual explanations", 2021):

1. among real rows the model decides the other way, those whose changeable values, put into the case, turn its
   decision are ranked by distance to the case over the columns that may change (numbers scaled by their
   interquartile range, labels counting 1 when different);
2. for each of the nearest `NEIGHBOURS`, their values are copied into the case one column at a time, always the
   column that moves the model most towards the other outcome, until the decision turns;
3. for the best `SHRINK` of these (fewest changed columns, then nearest), each changed number is moved back towards
   the case's own value as far as the decision allows (bisection), and any change the decision does not need is
   dropped;
4. the result with the fewest changed columns (then the smallest distance) is kept.

Sensitive columns, identifiers, columns the model does not read and any column marked immutable are never changed,
and every new value lies between the case's value and a value seen in a real row (realistic by construction).
dice-ml was considered; it pulls in full XGBoost and LightGBM builds and generates synthetic values, so this smaller,
deterministic search over real rows is used instead.

Response curves (`response_curves`): partial dependence (Friedman 2001) and individual conditional expectation
(Goldstein et al. 2015) over the 5th to 95th percentiles of a number column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from .errors import InputError
from .narrative.robustness import COUNTERFACTUAL_METHOD as COUNTERFACTUAL_METHOD_NOTE

__all__ = ["COUNTERFACTUAL_METHOD_NOTE", "Counterfactual", "Curve", "Decision", "case_labels", "explain_decision",
           "find_counterfactual", "fixed_columns", "identifier_column", "response_curves"]
from .suggest import suggest_sensitive

NEIGHBOURS = 10
SHRINK = 3              # the best few (fewest changes, then nearest) are shrunk towards the case
POOL_ROWS = 2000
BISECTIONS = 7
GRID_POINTS = 15
REVERSAL_SHARE = 0.25   # the smaller move of a curve is at least this share of the larger: it reverses
CLEAR_MOVE = 0.10       # ... and at least this share of the spread of the predictions: not a wiggle
FLAT_MOVE = 0.05        # a curve moving less than this share of the spread of predictions is flat


# ----- response curves ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Curve:
    """The average prediction (partial dependence) along `grid`, its direction ('raises', 'lowers', 'flat',
    'reverses_up_down', 'reverses_down_up'), where it turns, and the share of cases whose own curve goes against
    the main direction by a clear amount."""

    column: str
    grid: list[float]
    average: list[float]
    direction: str
    turn: float | None
    against_share: float


def _moves(values: np.ndarray) -> tuple[float, float]:
    """The largest rise and the largest fall from any point to a later one, along the last axis."""
    running_min = np.minimum.accumulate(values, axis=-1)
    running_max = np.maximum.accumulate(values, axis=-1)
    return float(np.max(values - running_min)), float(np.max(running_max - values))


def curve_direction(average: np.ndarray, spread: float) -> str:
    """'raises', 'lowers', 'flat', or a reversal, for one curve (see the module's thresholds)."""
    rise, fall = _moves(average)
    if max(rise, fall) < FLAT_MOVE * spread:
        return "flat"
    if min(rise, fall) >= REVERSAL_SHARE * max(rise, fall) and min(rise, fall) >= CLEAR_MOVE * spread:
        return "reverses_up_down" if int(np.argmax(average)) < int(np.argmin(average)) else "reverses_down_up"
    return "raises" if rise >= fall else "lowers"


def response_curves(predict: Callable[[pd.DataFrame], np.ndarray], rows: pd.DataFrame, train: pd.DataFrame,
                    columns: Iterable[str], points: int = GRID_POINTS) -> list[Curve]:
    """Partial dependence and individual curves of `predict` (one number per row) for each number column."""
    rows = rows.reset_index(drop=True)
    spread = float(np.std(predict(rows))) or 1e-9
    curves = []
    for column in columns:
        known = train[column].dropna().astype(float)
        grid = np.unique(np.quantile(known, np.linspace(0.05, 0.95, points)))
        if np.all(np.mod(known, 1) == 0):
            grid = np.unique(np.round(grid))
        if len(grid) < 3:
            continue
        stacked = pd.concat([rows.assign(**{column: value}) for value in grid], ignore_index=True)
        values = np.asarray(predict(stacked), dtype=float).reshape(len(grid), len(rows)).T  # rows x grid
        average = values.mean(axis=0)
        direction = curve_direction(average, spread)
        turn = None
        if direction.startswith("reverses"):
            turn = float(grid[int(np.argmax(average) if direction == "reverses_up_down" else np.argmin(average))])
        main_up = direction in ("raises", "reverses_up_down")
        rises = np.max(values - np.minimum.accumulate(values, axis=1), axis=1)
        falls = np.max(np.maximum.accumulate(values, axis=1) - values, axis=1)
        against = (falls if main_up else rises) >= np.maximum(CLEAR_MOVE * spread,
                                                               REVERSAL_SHARE * np.maximum(rises, falls))
        curves.append(Curve(column, [float(g) for g in grid], [float(a) for a in average], direction, turn,
                            float(against.mean()) if direction != "flat" else 0.0))
    return curves


# ----- counterfactuals -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Counterfactual:
    """The smallest realistic change found: (column, the case's value, the new value) per changed column."""

    outcome_before: Any
    outcome_after: Any
    chance_before: float | None
    chance_after: float | None
    changes: tuple[tuple[str, Any, Any], ...]
    neighbours_tried: int


def fixed_columns(features: Iterable[str], sensitive: Iterable[str], column_types: dict[str, str],
                  immutable: Iterable[str] = ()) -> list[str]:
    """Columns a counterfactual never changes: sensitive ones, those named like a protected attribute (age, sex,
    nationality…), identifiers, and any the user marks immutable."""
    features = list(features)
    fixed = set(sensitive) | set(immutable) | set(suggest_sensitive(features))
    fixed |= {c for c in features if column_types.get(c) == "identifier"}
    return [c for c in features if c in fixed]


def _scales(pool: pd.DataFrame, columns: list[str]) -> dict[str, float]:
    scales = {}
    for column in columns:
        values = pool[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            known = values.dropna().astype(float)
            iqr = float(known.quantile(0.75) - known.quantile(0.25)) if len(known) else 0.0
            scales[column] = iqr or float(known.std() or 1.0)
    return scales


def _distance(case: pd.Series, pool: pd.DataFrame, columns: list[str], scales: dict[str, float]) -> np.ndarray:
    total = np.zeros(len(pool))
    for column in columns:
        theirs = pool[column]
        mine = case[column]
        if column in scales:
            gap = np.abs(theirs.to_numpy(dtype=float) - float(mine if mine is not None else np.nan)) / scales[column]
            total += np.where(np.isnan(gap), 1.0, np.minimum(gap, 10.0))
        else:
            total += (theirs.astype(str).to_numpy() != str(mine)).astype(float)
    return total


def _different(a: Any, b: Any) -> bool:
    a_missing = a is None or (isinstance(a, float) and np.isnan(a))
    b_missing = b is None or (isinstance(b, float) and np.isnan(b))
    if a_missing or b_missing:
        return a_missing != b_missing
    return a != b


def find_counterfactual(model, case: pd.DataFrame, pool: pd.DataFrame, actionable: list[str], desired: Any,
                        neighbours: int = NEIGHBOURS) -> Counterfactual | None:
    """The smallest realistic change to `actionable` columns that makes `model` predict `desired` for the one-row
    frame `case`, searched over the real rows in `pool` (see the module's description); None when none is found."""
    case = case.reset_index(drop=True)
    row = case.iloc[0]
    labels = list(getattr(model, "classes_", []))
    desired_index = next((i for i, c in enumerate(labels) if str(c) == str(desired)), None)
    has_chance = hasattr(model, "predict_proba") and desired_index is not None

    def score(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        answers = np.asarray(model.predict(frame)).astype(str) == str(desired)
        chance = np.asarray(model.predict_proba(frame))[:, desired_index] if has_chance else answers.astype(float)
        return answers, chance

    before = str(np.asarray(model.predict(case))[0])
    chance_before = float(score(case)[1][0]) if has_chance else None
    pool = pool.reset_index(drop=True)
    unlike = pool[np.asarray(model.predict(pool)).astype(str) == str(desired)]
    if unlike.empty or not actionable:
        return None
    scales = _scales(pool, actionable)
    # each unlike row's changeable values on this case's fixed values: only those that turn the decision are used
    hybrids = unlike.reset_index(drop=True).copy()
    for column in case.columns:
        if column not in actionable:
            hybrids[column] = [row[column]] * len(hybrids)
    turns = score(hybrids)[0]
    candidates = unlike.reset_index(drop=True)[turns]
    order = np.argsort(_distance(row, candidates, actionable, scales), kind="stable")[:neighbours]
    found, tried = [], 0
    for index in order:
        neighbour = candidates.iloc[index]
        differing = [c for c in actionable if _different(row[c], neighbour[c])]
        if not differing:
            continue
        tried += 1
        changes = _greedy(case, neighbour, differing, score)
        if changes is not None:
            found.append(changes)
    size = lambda changes: (len(changes), sum(_step(c, row[c], v, scales) for c, v in changes.items()))  # noqa: E731
    shrunk = [_shrink(case, changes, scales, score, pool) for changes in sorted(found, key=size)[:SHRINK]]
    best = min(((size(changes), changes) for changes in shrunk), key=lambda pair: pair[0], default=None)
    if best is None:
        return None
    final = _apply(case, best[1])
    answers, chance = score(final)
    after = str(np.asarray(model.predict(final))[0])
    return Counterfactual(before, after, chance_before, float(chance[0]) if has_chance else None,
                          tuple((c, row[c], v) for c, v in best[1].items()), tried)


def _apply(case: pd.DataFrame, changes: dict) -> pd.DataFrame:
    out = case.copy()
    for column, value in changes.items():
        if pd.api.types.is_integer_dtype(out[column]) and isinstance(value, float):
            out[column] = out[column].astype(float)
        out.at[0, column] = value
    return out


def _step(column: str, before: Any, after: Any, scales: dict[str, float]) -> float:
    if column in scales and before is not None and after is not None:
        try:
            return abs(float(after) - float(before)) / scales[column]
        except (TypeError, ValueError):
            return 1.0
    return 1.0


def _greedy(case: pd.DataFrame, neighbour: pd.Series, differing: list[str], score) -> dict | None:
    """Copy the neighbour's values one column at a time, the most helpful first, until the decision turns."""
    changes: dict = {}
    remaining = list(differing)
    while remaining:
        trials = pd.concat([_apply(case, {**changes, c: neighbour[c]}) for c in remaining], ignore_index=True)
        answers, chance = score(trials)
        pick = int(np.argmax(chance + answers))  # a column that turns the decision wins
        column = remaining.pop(pick)
        changes[column] = neighbour[column]
        if answers[pick]:
            return changes
    return None


def _shrink(case: pd.DataFrame, changes: dict, scales: dict[str, float], score, pool: pd.DataFrame) -> dict:
    """Move each number back towards the case's value as far as the decision allows; drop changes not needed."""
    row = case.iloc[0]
    for column in list(changes):
        without = {c: v for c, v in changes.items() if c != column}
        if without and score(_apply(case, without))[0][0]:
            changes = without
    for column in [c for c in changes if c in scales]:
        start, end = row[column], changes[column]
        if start is None or (isinstance(start, float) and np.isnan(start)):
            continue
        whole = bool(np.all(np.mod(pool[column].dropna().astype(float), 1) == 0))
        low, high = 0.0, 1.0  # share of the way from the case's value to the neighbour's that still turns it
        for _ in range(BISECTIONS):
            middle = (low + high) / 2
            value = float(start) + middle * (float(end) - float(start))
            value = float(np.round(value)) if whole else value
            if score(_apply(case, {**changes, column: value}))[0][0]:
                high = middle
            else:
                low = middle
        value = _tidy(float(start) + high * (float(end) - float(start)), float(start), float(end))
        changes[column] = float(np.round(value)) if whole else value
        if not score(_apply(case, changes))[0][0]:
            changes[column] = end
    return changes


def _tidy(value: float, start: float, end: float) -> float:
    """A round number just past `value` on the way to `end`: 1,500 rather than 1,487.3."""
    gap = abs(end - start)
    if gap == 0:
        return value
    unit = 10 ** np.floor(np.log10(gap / 20)) if gap / 20 > 0 else 1.0
    rounded = (np.ceil if end > start else np.floor)(value / unit) * unit
    return float(min(max(rounded, min(start, end)), max(start, end)))


# ----- one decision, with reasons and what would change it --------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """One case explained: its label, the model's answer, the principal reasons and a counterfactual."""

    case: str
    prediction: str
    reasons: list[str] = field(default_factory=list)
    counterfactual: str = ""
    changes: tuple = ()
    fixed: list[str] = field(default_factory=list)


def identifier_column(ctx) -> str | None:
    """The first input column typed as an identifier, by which cases are picked."""
    return next((c for c in ctx.features if ctx.column_types.get(c) == "identifier"), None)


def case_labels(ctx) -> list[str]:
    """How each explained held-out case is named: by its identifier when the data has one."""
    rows = ctx.explanation.rows
    column = identifier_column(ctx)
    if column is None:
        return [f"held-out case {i + 1}" for i in range(len(rows))]
    return [str(v) for v in rows[column]]


def explain_decision(ctx, case: Any = None, immutable: Iterable[str] = (), reasons: int = 4) -> Decision:
    """Reasons and a counterfactual for one explained held-out case, picked by its identifier value (or its label
    from `case_labels`); the first case when `case` is None. Raises InputError for an unknown case or column."""
    from .narrative import robustness as words

    labels = case_labels(ctx)
    position = 0 if case is None else next((i for i, label in enumerate(labels) if label == str(case)), None)
    if position is None:
        raise InputError(f"There is no explained held-out case '{case}'; choose one of: {', '.join(labels[:5])}.")
    unknown = [c for c in immutable if c not in ctx.features]
    if unknown:
        raise InputError(f"The column '{unknown[0]}' marked as fixed is not an input column; check its spelling.")
    explanation = ctx.explanation
    row = explanation.rows.iloc[[position]].reset_index(drop=True)
    model = ctx.model
    answer = np.asarray(model.predict(row))[0]
    if ctx.task == "regression":
        prediction = f"The model predicts {words.num(float(answer))} for '{ctx.target}'."
    elif ctx.positive_class is not None and hasattr(model, "predict_proba"):
        chance = float(ctx.predict_outcome(model, row)[0])
        prediction = f"The model predicts '{answer}' ({words.pct(chance)} chance of '{ctx.positive_class}')."
    else:
        prediction = f"The model predicts '{answer}'."
    values = explanation.values[position]
    if ctx.task == "classification" and explanation.signed and ctx.positive_class is not None:
        sign = 1.0 if str(answer) == str(ctx.positive_class) else -1.0
    elif ctx.task == "regression":
        sign = 1.0 if float(answer) >= float(np.mean(ctx.y_train)) else -1.0
    else:
        sign = 1.0
    towards = (f"'{answer}'" if ctx.task == "classification" else
               ("a higher prediction" if sign > 0 else "a lower prediction"))
    ranked = [j for j in np.argsort(-(values * sign)) if values[j] * sign > 0][:reasons]
    # by name: the row holds every column (identifiers and sensitive columns too), the explanation only the
    # columns the model reads, so a position in one is not a position in the other
    reason_lines = [words.reason_sentence(k + 1, explanation.columns[j], row[explanation.columns[j]].iloc[0], towards)
                    for k, j in enumerate(ranked)]
    fixed = fixed_columns(ctx.features, ctx.sensitive, ctx.column_types, immutable)
    counterfactual, changes = "", ()
    if ctx.task == "classification":
        actionable = [c for c in ctx.model_features if c not in fixed]
        desired = _other_outcome(ctx, model, row, answer)
        pool = ctx.sample_rows(ctx.X_train, POOL_ROWS)
        found = find_counterfactual(model, row, pool, actionable, desired)
        if found is None:
            counterfactual = words.NO_COUNTERFACTUAL
        else:
            changes = found.changes
            counterfactual = words.counterfactual_sentence(
                found.outcome_after, [words.change_phrase(c, _plain(b), _plain(a)) for c, b, a in found.changes])
    return Decision(labels[position], prediction, reason_lines, counterfactual, changes, fixed)


def _other_outcome(ctx, model, row: pd.DataFrame, answer: Any) -> Any:
    """The outcome a counterfactual aims for: the other one, or (several outcomes) the next most likely."""
    classes = list(getattr(model, "classes_", ctx.classes))
    if len(classes) == 2:
        return next(c for c in classes if str(c) != str(answer))
    if hasattr(model, "predict_proba"):
        chances = np.asarray(model.predict_proba(row))[0]
        order = [classes[i] for i in np.argsort(-chances)]
        return next(c for c in order if str(c) != str(answer))
    return next(c for c in classes if str(c) != str(answer))


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value
