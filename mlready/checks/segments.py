"""Weak segments: slices of the held-out data where the model does much worse than overall, and worse than it
says it will.

The search tries every common label value and number quarter of each column, then pairs of the eight slices that
stand out most. Because the pairs are chosen after looking, a per-slice test (even Bonferroni-corrected for the
slices tried) flags pure noise; here the whole search is repeated on outcomes simulated under "nothing to find",
and a slice counts only when it stands out more than the most extreme slice of such a search usually does (the
single-step max-T adjustment of Westfall & Young 1993, "Resampling-based multiple testing").

"Nothing to find" means, for a model that gives probabilities, that it is right exactly as often as its own chances
say, row by row (errors drawn from 1 - the chance of its answer): a slice where the truth is a coin flip is not the
model's fault if the model says 50% there. For a regression model, or one without probabilities, it means that
errors do not depend on the slice (errors permuted across rows).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Hashable

import numpy as np
import pandas as pd

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"
MAX_VALUES = 20        # most common values of a label column that become slices
QUANTILE_BINS = 4
PAIRS_FROM_TOP = 8     # the eight slices that stand out most are also combined in pairs
MOST_NAMED = 3         # slices named at most


def _slices(ctx) -> dict[tuple[tuple[str, str], ...], np.ndarray]:
    """Single-column slices: each common label value, and quarter ranges of each number column."""
    found = {}
    for column in ctx.features:
        if ctx.column_types.get(column) == "identifier":
            continue
        values = ctx.X_test[column]
        if pd.api.types.is_numeric_dtype(values) and values.nunique() > QUANTILE_BINS:
            edges = np.unique(np.nanquantile(values, np.linspace(0, 1, QUANTILE_BINS + 1)))
            for low, high in zip(edges[:-1], edges[1:]):
                mask = ((values >= low) & (values <= high)).to_numpy()
                found[((column, f"{narrative.num(low)} to {narrative.num(high)}"),)] = mask
        else:
            labels = values.astype(str)
            for value in labels.value_counts().head(MAX_VALUES).index:
                found[((column, value),)] = (labels == value).to_numpy()
    return found


@dataclass(frozen=True)
class Segment:
    """A slice judged weak: its rows, error (rate or mean absolute error), the error the model's own chances
    expect there (None without probabilities), and the p-value adjusted for the whole search."""

    key: tuple
    rows: int
    error: float
    expected: float | None
    p_value: float


@dataclass(frozen=True)
class SegmentSearch:
    """The outcome of a search: slices tried, overall error, the weak ones (worst first)."""

    tried: int
    overall: float
    weak: tuple[Segment, ...]


def _stat(masks: np.ndarray, sizes: np.ndarray, errors: np.ndarray, expected: np.ndarray | None) -> np.ndarray:
    """How much each slice stands out, as a z-like score; `errors` may be (rows,) or (simulations, rows).

    With expected errors (probabilistic model): (errors - expected) summed over the slice, over its standard
    deviation under the model's own chances. Without: the slice's mean error against the overall mean, in standard
    errors of a slice of that size drawn from these rows.
    """
    if expected is not None:
        variance = masks @ (expected * (1 - expected))
        return (errors @ masks.T - masks @ expected) / np.sqrt(np.maximum(variance, 1e-12))
    n = errors.shape[-1]
    mean = errors.mean(axis=-1, keepdims=True)
    sd = errors.std(axis=-1, keepdims=True)
    slice_mean = (errors @ masks.T) / sizes
    return (slice_mean - mean) / np.maximum(sd * np.sqrt((n - sizes) / (n * sizes)), 1e-12)


def _search(singles: np.ndarray, single_columns: list, min_rows: int, errors: np.ndarray,
            expected: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """One run of the search on one error vector: z of every single slice, z of the pairs built from the top
    singles, and those pairs (indices into `singles`)."""
    sizes = singles.sum(axis=1)
    z_single = _stat(singles, sizes, errors, expected)
    top = np.argsort(-z_single, kind="stable")[:PAIRS_FROM_TOP]
    pairs = [(a, b) for a, b in combinations(sorted(top), 2) if single_columns[a] != single_columns[b]]
    if not pairs:
        return z_single, np.empty(0), []
    masks = singles[[a for a, _ in pairs]] * singles[[b for _, b in pairs]]
    keep = masks.sum(axis=1) >= min_rows
    pairs = [p for p, k in zip(pairs, keep) if k]
    masks = masks[keep]
    if not len(pairs):
        return z_single, np.empty(0), []
    return z_single, _stat(masks, masks.sum(axis=1), errors, expected), pairs


def overall_shift(expected: np.ndarray, errors: np.ndarray) -> np.ndarray:
    """Expected errors moved by one shift on the log-odds scale so that they add up to the errors observed: what the
    model's chances say once its overall over- or under-confidence (the calibration check's business) is allowed
    for, so that only a slice worse than the rest counts as weak."""
    expected = np.clip(np.asarray(expected, float), 1e-6, 1 - 1e-6)
    target = float(np.sum(errors))
    if target <= 0 or target >= len(errors):
        return expected
    logit = np.log(expected / (1 - expected))
    low, high = -20.0, 20.0
    for _ in range(60):  # bisection: the total is increasing in the shift
        middle = (low + high) / 2
        if np.sum(1 / (1 + np.exp(-(logit + middle)))) < target:
            low = middle
        else:
            high = middle
    return 1 / (1 + np.exp(-(logit + (low + high) / 2)))


def search_weak_segments(slices: dict[Hashable, np.ndarray], errors: np.ndarray, *, kind: str,
                         expected: np.ndarray | None = None, min_rows: int = 30, error_gap: float = 0.10,
                         mae_ratio: float = 1.5, p_value: float = 0.05, simulations: int = 500, seed: int = 0,
                         most: int = MOST_NAMED) -> SegmentSearch:
    """Find slices where the model is much weaker, allowing for the whole search.

    `slices` maps a key (a tuple of (column, value) pairs) to a boolean mask over the n held-out rows; `errors` (n,)
    holds 0/1 mistakes (`kind` 'error_rate') or absolute errors (`kind` 'mae'); `expected` (n,), optional, the
    chance of a mistake the model's own probabilities give each row, first shifted together so that they add up to
    the errors observed (see `overall_shift`). A slice is weak when (1) its error is at least
    `error_gap` above the overall rate (or `mae_ratio` times the overall mean error), (2) with `expected`, also
    `error_gap` above the error its chances expect there, and (3) its max-T adjusted p-value is below `p_value`.

    Slices are taken one at a time, the one with the most errors beyond expectation first (at most `most`); each taken slice's excess
    is then counted as explained (its expected errors raised to what was observed there, or its errors scaled to
    the overall level) and the search is run again, so that slices which only overlap a weak one are not named too.
    """
    errors = np.asarray(errors, float)
    n = len(errors)
    keys = [k for k, m in slices.items() if min_rows <= int(np.sum(m)) < n]
    overall = float(errors.mean()) if n else 0.0
    if not keys:
        return SegmentSearch(0, overall, ())
    singles = np.asarray([slices[k] for k in keys], dtype=float)
    columns = [tuple(c for c, _ in k) for k in keys]
    rng = np.random.default_rng(seed)
    working_errors = errors.copy()
    working_expected = None if expected is None else overall_shift(expected, errors)
    chosen: list[Segment] = []
    tried = 0
    while len(chosen) < most:
        found, tried_now = _strongest(singles, columns, keys, min_rows, working_errors, working_expected, kind,
                                      error_gap, mae_ratio, p_value, simulations, rng, {s.key for s in chosen})
        tried = tried or tried_now
        if found is None:
            break
        key, mask, adjusted = found
        chosen.append(Segment(key, int(mask.sum()), float(errors[mask].mean()),
                              None if expected is None else float(np.mean(expected[mask])), adjusted))
        if working_expected is not None:  # the excess of this slice is explained from now on
            excess = working_errors[mask].mean() - working_expected[mask].mean()
            working_expected[mask] = np.clip(working_expected[mask] + excess, 0.0, 1.0)
        else:
            working_errors[mask] *= working_errors.mean() / max(working_errors[mask].mean(), 1e-12)
    chosen.sort(key=lambda s: -s.error)
    return SegmentSearch(tried, overall, tuple(chosen))


def _strongest(singles, columns, keys, min_rows, errors, expected, kind, error_gap, mae_ratio, p_value, simulations,
               rng, taken) -> tuple[tuple | None, int]:
    """The slice that stands out most among those weak enough and significant after the whole search (None if
    none), as (key, mask, adjusted p-value), and the number of slices tried."""
    z_single, z_pairs, pairs = _search(singles, columns, min_rows, errors, expected)
    maxima = _null_maxima(singles, columns, min_rows, errors, expected, simulations, rng)
    overall = float(errors.mean())
    candidates = [(keys[i], singles[i].astype(bool), z_single[i]) for i in range(len(keys))]
    candidates += [(keys[a] + keys[b], (singles[a] * singles[b]).astype(bool), z) for (a, b), z in zip(pairs, z_pairs)]
    best = None
    for key, mask, z in candidates:
        if key in taken:
            continue
        error = float(errors[mask].mean())
        if kind == "mae":
            bad_enough = error >= overall * mae_ratio
        else:
            bad_enough = error >= overall + error_gap and (
                expected is None or error >= float(expected[mask].mean()) + error_gap)
        if not bad_enough:
            continue
        adjusted = float((1 + np.sum(maxima >= z - 1e-12)) / (1 + simulations))
        # of the slices that pass, name first the one with the most errors beyond expectation (the broad slice that
        # explains its sub-slices, rather than the narrow one where the excess is least likely)
        unexplained = float(errors[mask].sum() - (expected[mask].sum() if expected is not None else overall * mask.sum()))
        if adjusted < p_value and (best is None or unexplained > best[3]):
            best = (key, mask, adjusted, unexplained)
    return (None if best is None else best[:3]), len(candidates)


SIMULATION_CELLS = 10_000_000  # simulated errors held at once (rows x simulations): about 80 MB


def _null_maxima(singles: np.ndarray, columns: list, min_rows: int, errors: np.ndarray, expected: np.ndarray | None,
                 simulations: int, rng: np.random.Generator) -> np.ndarray:
    """The largest z of the whole search (single slices, then pairs of the top singles chosen afresh) on each of
    `simulations` runs under "nothing to find": errors drawn from `expected`, or `errors` permuted.

    The same search as `_search` on each simulated error vector, organised for large held-out sets: the single
    slices of a block of simulations in one matrix product; the parts of the statistic that do not depend on the
    simulated errors (slice and pair sizes, expected errors and their variances) computed once for every pair of
    slices; each simulation's pair sums in one small product over its top slices. Simulations are drawn in blocks
    of at most `SIMULATION_CELLS` cells, in the same order (the same seed gives the same draws).
    """
    n = len(errors)
    sizes = singles.sum(axis=1)
    pair_sizes = singles @ singles.T
    if expected is not None:
        single_expected = singles @ expected
        single_scale = np.sqrt(np.maximum(singles @ (expected * (1 - expected)), 1e-12))
        pair_expected = singles @ (singles * expected).T
        pair_scale = np.sqrt(np.maximum(singles @ (singles * (expected * (1 - expected))).T, 1e-12))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            pair_scale = np.sqrt((n - pair_sizes) / (n * pair_sizes))
    same_column = np.asarray([[a == b for b in columns] for a in columns])
    usable = (pair_sizes >= min_rows) & ~same_column

    maxima = np.empty(simulations)
    block = max(1, min(simulations, SIMULATION_CELLS // max(n, 1)))
    done = 0
    while done < simulations:
        count = min(block, simulations - done)
        if expected is not None:
            simulated = (rng.random((count, n)) < expected).astype(float)
            z = (simulated @ singles.T - single_expected) / single_scale
        else:
            simulated = np.asarray([rng.permutation(errors) for _ in range(count)])
            mean = simulated.mean(axis=1, keepdims=True)
            sd = simulated.std(axis=1, keepdims=True)
            z = ((simulated @ singles.T) / sizes - mean) / np.maximum(sd * np.sqrt((n - sizes) / (n * sizes)), 1e-12)
        for j in range(count):
            best = z[j].max()
            top = np.sort(np.argsort(-z[j], kind="stable")[:PAIRS_FROM_TOP])
            inside = usable[np.ix_(top, top)] & np.triu(np.ones((len(top), len(top)), bool), 1)
            if inside.any():
                chosen = singles[top]
                totals = (chosen * simulated[j]) @ chosen.T  # errors in each pair of the top slices
                cells = np.ix_(top, top)
                with np.errstate(divide="ignore", invalid="ignore"):  # empty pairs are not `inside`
                    if expected is not None:
                        values = (totals - pair_expected[cells]) / pair_scale[cells]
                    else:
                        values = ((totals / pair_sizes[cells] - mean[j, 0])
                                  / np.maximum(sd[j, 0] * pair_scale[cells], 1e-12))
                best = max(best, values[inside].max())
            maxima[done + j] = best
        done += count
    return maxima


def _errors(ctx) -> tuple[np.ndarray, np.ndarray | None, str]:
    """Per held-out row: the error, the error the model's own chances expect (None without them), and the kind."""
    if ctx.task == "regression":
        return np.abs(ctx.y_test.to_numpy(float) - ctx.test_predictions.astype(float)), None, "mae"
    wrong = (ctx.y_test.astype(str).to_numpy() != ctx.test_predictions.astype(str)).astype(float)
    if not ctx.has_probabilities:
        return wrong, None, "error_rate"
    classes = [str(c) for c in ctx.model.classes_]
    probabilities = ctx.test_probabilities
    answer = np.asarray([classes.index(str(p)) for p in ctx.test_predictions])
    expected = 1.0 - probabilities[np.arange(len(answer)), answer]
    return wrong, np.clip(expected, 0.0, 1.0), "error_rate"


def check_weak_segments(ctx) -> CheckResult:
    """Search single slices and pairs of those that stand out most; keep the slices much worse than overall (and
    than the model's own chances expect), allowing for the whole search; name the three worst."""
    if ctx.held_out_seen:
        return CheckResult(notes=(narrative.note("not_graded_seen", what="Weak segments"),))
    t = ctx.settings.thresholds
    errors, expected, kind = _errors(ctx)
    search = search_weak_segments(_slices(ctx), errors, kind=kind, expected=expected, min_rows=t.segment_min_rows,
                                  error_gap=t.segment_error_gap, mae_ratio=t.segment_mae_ratio,
                                  p_value=t.segment_p_value, simulations=ctx.settings.null_simulations,
                                  seed=ctx.settings.seed)
    overall = search.overall
    top = list(search.weak)
    data = {"segments": [{"segment": narrative.segment_name(s.key), "rows": s.rows, "error": s.error} for s in top],
            "overall_error": overall, "error_kind": kind}
    notes = [narrative.note("segments", tried=f"{search.tried:,}", min_rows=t.segment_min_rows,
                            simulations=f"{ctx.settings.null_simulations:,}",
                            null=("the model is right as often as its own chances say" if expected is not None
                                  else "errors do not depend on the slice"))]
    if ctx.thin_held_out:
        notes.append(ctx.thin_held_out_note)
    if not top:
        return CheckResult(metrics={"weak_segments": 0}, data=data, notes=tuple(notes))
    columns = list(dict.fromkeys(column for s in top for column, _ in s.key))
    described = "; ".join(narrative.segment_sentence(narrative.segment_name(s.key), s.rows, s.error, overall, kind,
                                                     s.expected) for s in top)
    described = described[0].upper() + described[1:]
    evidence = {"segments_found": len(search.weak), "worst_error": top[0].error, "overall_error": overall,
                "worst_rows": top[0].rows, "worst_adjusted_p": top[0].p_value, "slices_tried": search.tried}
    if top[0].expected is not None:
        evidence["worst_expected_error"] = top[0].expected
    severity = Severity.INFO if ctx.thin_held_out else Severity.WARNING
    finding = narrative.finding("model.weak_segment", PILLAR, severity, columns, evidence,
                                described=described, count=len(search.weak), tried=f"{search.tried:,}")
    return CheckResult((finding,), metrics={"weak_segments": len(search.weak)}, data=data, notes=tuple(notes))

