"""Weak segments: slices of the held-out data where the model does much worse than overall."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu, norm

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"
MAX_VALUES = 20        # most common values of a label column that become slices
QUANTILE_BINS = 4
PAIRS_FROM_TOP = 8     # the weakest single slices are also combined in pairs


def _slices(ctx) -> dict[tuple[tuple[str, str], ...], np.ndarray]:
    """Single-column slices: each common label value, and quarter ranges of each number column."""
    found = {}
    for column in ctx.features:
        values = ctx.X_test[column]
        if pd.api.types.is_numeric_dtype(values) and values.nunique() > QUANTILE_BINS:
            edges = np.unique(np.nanquantile(values, np.linspace(0, 1, QUANTILE_BINS + 1)))
            for low, high in zip(edges[:-1], edges[1:]):
                mask = ((values >= low) & (values <= high)).to_numpy()
                found[((column, f"{narrative.num(low)} to {narrative.num(high)}"),)] = mask
        else:
            for value in values.astype(str).value_counts().head(MAX_VALUES).index:
                found[((column, value),)] = (values.astype(str) == value).to_numpy()
    return found


def _errors(ctx) -> tuple[np.ndarray, str]:
    if ctx.task == "regression":
        return np.abs(ctx.y_test.to_numpy(float) - ctx.test_predictions.astype(float)), "mae"
    return (ctx.y_test.astype(str).to_numpy() != ctx.test_predictions.astype(str)).astype(float), "error_rate"


def _p_value(errors: np.ndarray, mask: np.ndarray, kind: str) -> float:
    inside, outside = errors[mask], errors[~mask]
    if kind == "mae":
        return float(mannwhitneyu(inside, outside, alternative="greater").pvalue)
    pooled = errors.mean()
    se = np.sqrt(pooled * (1 - pooled) * (1 / len(inside) + 1 / len(outside)))
    return 1.0 if se == 0 else float(norm.sf((inside.mean() - outside.mean()) / se))


def check_weak_segments(ctx) -> CheckResult:
    """Search single slices and pairs of the weakest ones; keep those much worse than overall after a
    Bonferroni correction for the number of slices tried; name the three worst."""
    t = ctx.settings.thresholds
    errors, kind = _errors(ctx)
    overall = float(errors.mean())
    singles = {k: m for k, m in _slices(ctx).items() if m.sum() >= t.segment_min_rows and (~m).sum() > 0}
    ranked = sorted(singles, key=lambda k: -errors[singles[k]].mean())[:PAIRS_FROM_TOP]
    pairs = {a + b: singles[a] & singles[b] for a, b in combinations(ranked, 2) if a[0][0] != b[0][0]}
    candidates = {**singles, **{k: m for k, m in pairs.items() if m.sum() >= t.segment_min_rows}}
    tried = max(len(candidates), 1)
    weak = []
    for key, mask in candidates.items():
        rate = float(errors[mask].mean())
        bad_enough = (rate >= overall + t.segment_error_gap if kind == "error_rate"
                      else rate >= overall * t.segment_mae_ratio)
        if bad_enough:
            p_value = min(1.0, _p_value(errors, mask, kind) * tried)
            if p_value < t.segment_p_value:
                weak.append((rate, key, int(mask.sum()), p_value))
    weak.sort(key=lambda item: -item[0])
    top = _distinct(weak)[:3]
    data = {"segments": [{"segment": narrative.segment_name(k), "rows": n, "error": r} for r, k, n, _ in top],
            "overall_error": overall, "error_kind": kind}
    notes = (narrative.note("segments", tried=f"{tried:,}", min_rows=t.segment_min_rows),)
    if not top:
        return CheckResult(metrics={"weak_segments": 0}, data=data, notes=notes)
    columns = list(dict.fromkeys(column for _, key, _, _ in top for column, _ in key))
    described = "; ".join(narrative.segment_sentence(narrative.segment_name(k), n, r, overall, kind)
                          for r, k, n, _ in top)
    described = described[0].upper() + described[1:]
    evidence = {"segments_found": len(weak), "worst_error": top[0][0], "overall_error": overall,
                "worst_rows": top[0][2], "worst_corrected_p": top[0][3]}
    finding = narrative.finding("model.weak_segment", PILLAR, Severity.WARNING, columns, evidence,
                                described=described, count=len(weak))
    return CheckResult((finding,), metrics={"weak_segments": len(weak)}, data=data, notes=notes)


def _distinct(weak: list) -> list:
    """Drop a pair when one of its parts is already listed, so the three named slices differ."""
    chosen = []
    for item in weak:
        key = set(item[1])
        if not any(key >= set(other[1]) or key <= set(other[1]) for other in chosen):
            chosen.append(item)
    return chosen
