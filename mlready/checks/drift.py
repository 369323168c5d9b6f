"""Drift: does the recent production data look like the data the model learned from?"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, ks_2samp

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "data_quality"
BINS = 10
TOP_CATEGORIES = 20
EPSILON = 1e-4


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two share vectors (0: same; above 0.25: a large shift)."""
    e = np.clip(expected, EPSILON, None)
    a = np.clip(actual, EPSILON, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _numeric(before: pd.Series, after: pd.Series) -> tuple[float, float, str]:
    old, new = before.dropna().astype(float), after.dropna().astype(float)
    edges = np.unique(np.quantile(old, np.linspace(0, 1, BINS + 1)))
    if len(edges) < 3:
        edges = np.unique(np.concatenate([edges, [old.min() - 1, old.max() + 1]]))
    edges[0], edges[-1] = -np.inf, np.inf
    share_old = np.histogram(old, edges)[0] / len(old)
    share_new = np.histogram(new, edges)[0] / len(new)
    p_value = float(ks_2samp(old, new).pvalue)
    centre_old, centre_new = float(np.median(old)), float(np.median(new))
    if centre_old == 0 or centre_old == centre_new:
        centre_old, centre_new = float(old.mean()), float(new.mean())
    return psi(share_old, share_new), p_value, narrative.numeric_shift(before.name, centre_old, centre_new)


def _categorical(before: pd.Series, after: pd.Series) -> tuple[float, float, str]:
    old, new = before.astype(str).fillna("missing"), after.astype(str).fillna("missing")
    keep = old.value_counts().head(TOP_CATEGORIES).index
    old = old.where(old.isin(keep), "other")
    new = new.where(new.isin(keep), "other")
    labels = sorted(set(old) | set(new))
    counts_old = old.value_counts().reindex(labels, fill_value=0).to_numpy()
    counts_new = new.value_counts().reindex(labels, fill_value=0).to_numpy()
    share_old, share_new = counts_old / counts_old.sum(), counts_new / counts_new.sum()
    p_value = float(chi2_contingency(np.vstack([counts_old, counts_new]) + 0.5)[1])
    moved = int(np.argmax(np.abs(share_new - share_old)))
    return psi(share_old, share_new), p_value, narrative.category_shift(before.name, labels[moved], share_old[moved],
                                                                         share_new[moved])


def check_drift(ctx) -> CheckResult:
    """Per column: population stability index and a statistical test (Bonferroni-corrected) against the training data."""
    if ctx.X_new is None:
        return CheckResult(notes=(narrative.note("drift_skipped"),))
    t = ctx.settings.thresholds
    before_frame = ctx.sample_rows(pd.concat([ctx.X_train, ctx.X_test], ignore_index=True), ctx.settings.max_rows_checks)
    after_frame = ctx.sample_rows(ctx.X_new, ctx.settings.max_rows_checks)
    pairs = {c: (before_frame[c], after_frame[c]) for c in ctx.features
             if after_frame[c].notna().any() and before_frame[c].notna().any()}
    if ctx.target in ctx.new_data.frame.columns:
        new_target = ctx.typed(ctx.new_data)[ctx.target].dropna()
        if len(new_target):
            pairs[ctx.target] = (ctx.train_frame[ctx.target], new_target)
    results = {}
    for column, (before, after) in pairs.items():
        measure = _numeric if pd.api.types.is_numeric_dtype(before) else _categorical
        value, p_value, words = measure(before.rename(column), after)
        results[column] = (value, min(1.0, p_value * len(pairs)), words)
    moved = {c: r for c, r in results.items() if r[0] >= t.psi_info and r[1] < t.drift_p_value}
    findings = []
    for severity, low, high in ((Severity.WARNING, t.psi_warning, np.inf), (Severity.INFO, t.psi_info, t.psi_warning)):
        hit = sorted((c for c, r in moved.items() if low <= r[0] < high), key=lambda c: -moved[c][0])
        if hit:
            findings.append(narrative.finding(
                "data.drift", PILLAR, severity, hit,
                {"columns_moved": len(hit), "largest_psi": moved[hit[0]][0], "smallest_corrected_p": min(moved[c][1] for c in hit)},
                described="; ".join(moved[c][2] for c in hit[:3])))
    notes = (narrative.note("drift", rows=f"{len(ctx.X_new):,}", columns=len(pairs)),)
    data = {"psi": {c: r[0] for c, r in sorted(results.items(), key=lambda kv: -kv[1][0])},
            "psi_warning": t.psi_warning}
    metrics = {"max_psi": max((r[0] for r in results.values()), default=0.0), "columns_drifted": len(moved)}
    return CheckResult(tuple(findings), metrics=metrics, data=data, notes=notes)
