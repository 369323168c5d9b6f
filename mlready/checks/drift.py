"""Drift: does the recent production data look like the data the model learned from? And labels the training data
never had, in the held-out file or the new data.

Per column, empty cells are a bin of their own and get their own test, so a column that goes empty in production is
seen; labels the training data never had are named with their share, never pooled into a made-up value.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import kolmogorov
from scipy.stats import chi2_contingency, fisher_exact, ks_2samp, kstwo

from .. import narrative
from ..encoding import is_number_column
from ..findings import Severity
from ..narrative.data_quality import UNSEEN_HANDLING, missing_shift, numeric_shift, unseen_values
from . import CheckResult

PILLAR = "data_quality"
BINS = 10
EPSILON = 1e-4
MIN_EXPECTED = 5          # labels expected fewer times than this are pooled for the test (never reported as a value)
UNSEEN_MENTION = 0.01     # share of rows with labels the training data never had from which they are named


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two share vectors (0: same; above 0.25: a large shift)."""
    e = np.clip(expected, EPSILON, None)
    a = np.clip(actual, EPSILON, None)
    return float(np.sum((a - e) * np.log(a / e)))


@dataclass(frozen=True)
class ColumnDrift:
    """One column's change: population stability index, its p-value (uncorrected, Bonferroni within the column's
    own tests), the words, the share of empty cells before and after."""

    psi: float
    p_value: float
    words: str
    missing_before: float
    missing_after: float
    mean_shift_in_spreads: float | None = None


def _missing_test(before_missing: int, before_rows: int, after_missing: int, after_rows: int) -> float:
    if before_missing + after_missing == 0 or before_missing + after_missing == before_rows + after_rows:
        return 1.0
    table = [[before_missing, before_rows - before_missing], [after_missing, after_rows - after_missing]]
    return float(fisher_exact(table).pvalue)


EXACT_KS_PAIRS = 10_000   # below this many pairs of rows, scipy's exact Kolmogorov-Smirnov p-value


def ks_test(old: np.ndarray, new: np.ndarray) -> float:
    """Two-sided two-sample Kolmogorov-Smirnov p-value: scipy's exact computation for small samples, else
    Smirnov's asymptotic distribution as scipy computes it (`kstwo.sf(D, round(n·m/(n+m)))`), without scipy's
    per-call overhead (a table of thousands of columns is tested in a second)."""
    if len(old) * len(new) <= EXACT_KS_PAIRS:
        return float(ks_2samp(old, new).pvalue)
    old, new = np.sort(old), np.sort(new)
    points = np.concatenate([old, new])
    distance = np.max(np.abs(np.searchsorted(old, points, side="right") / len(old)
                             - np.searchsorted(new, points, side="right") / len(new)))
    pairs = np.round(len(old) * len(new) / (len(old) + len(new)))
    rough = float(kolmogorov(np.sqrt(pairs) * distance))     # the limit distribution: cheap
    if rough > 0.2:   # far from any line a decision uses: the limit is close enough
        return rough
    return float(np.clip(kstwo.sf(distance, pairs), 0.0, 1.0))


def numeric_drift(before: pd.Series, after: pd.Series, name: str | None = None) -> ColumnDrift:
    """A number column: ten quantile bins of the training values plus one for empty cells (stability index);
    Kolmogorov-Smirnov on the filled values and Fisher's exact test on the share of empty cells, the smaller
    p-value doubled (Bonferroni for the two tests)."""
    name = before.name if name is None else name
    b, a = before.to_numpy(float), after.to_numpy(float)
    b_missing, a_missing = np.isnan(b), np.isnan(a)
    old, new = b[~b_missing], a[~a_missing]
    distinct = np.unique(old)
    edges = ((distinct[1:] + distinct[:-1]) / 2 if len(distinct) <= BINS
             else np.unique(np.quantile(old, np.linspace(0, 1, BINS + 1))[1:-1]))
    levels = len(edges) + 2

    def shares(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
        codes = np.where(missing, levels - 1, np.searchsorted(edges, np.nan_to_num(values), side="right"))
        return np.bincount(codes, minlength=levels) / max(len(values), 1)

    index = psi(shares(b, b_missing), shares(a, a_missing))
    p_missing = _missing_test(int(b_missing.sum()), len(b), int(a_missing.sum()), len(a))
    p_values = [p_missing]
    shift = None
    parts = []
    miss_b, miss_a = float(b_missing.mean()), float(a_missing.mean())
    if len(old) >= 2 and len(new) >= 2:
        p_values.append(ks_test(old, new))
        spread = float(np.std(old, ddof=1))
        shift = (float(new.mean()) - float(old.mean())) / spread if spread else None
        if p_values[-1] < 0.05 or p_missing >= 0.05:   # the values themselves moved, or nothing else did
            parts.append(numeric_shift(name, float(old.mean()), float(new.mean()), spread,
                                       float(np.std(new, ddof=1))))
    if p_missing < 0.05 or abs(miss_a - miss_b) >= 0.05:
        parts.insert(0 if p_missing <= min(p_values) else len(parts), missing_shift(name, miss_b, miss_a))
    return ColumnDrift(index, min(1.0, min(p_values) * len(p_values)), "; ".join(parts[:2]), miss_b, miss_a, shift)


def _labels(series: pd.Series) -> pd.Series:
    return series.astype(str).where(series.notna(), None)


def categorical_drift(before: pd.Series, after: pd.Series, name: str | None = None) -> ColumnDrift:
    """A label column: shares of each training label, of empty cells, and of labels the training data never had
    (pooled only for the statistics, and named in the words); labels expected fewer than 5 times are pooled for
    the chi-squared test and the stability index."""
    name = before.name if name is None else name
    old, new = _labels(before), _labels(after)
    known = old.dropna().value_counts()
    counts_new = new.dropna().value_counts()
    unseen = counts_new[~counts_new.index.isin(known.index)]
    expected_new = known / max(len(old), 1) * len(new)
    separate = known.index[(expected_new >= MIN_EXPECTED) & (known >= MIN_EXPECTED)]
    pooled = known.index.difference(separate)
    rows_b = [known.reindex(separate).to_numpy(), [known.reindex(pooled).sum()], [old.isna().sum()], [0]]
    rows_a = [counts_new.reindex(separate, fill_value=0).to_numpy(),
              [counts_new.reindex(pooled, fill_value=0).sum()], [new.isna().sum()], [unseen.sum()]]
    table = np.vstack([np.concatenate(rows_b), np.concatenate(rows_a)]).astype(float)
    table = table[:, table.sum(axis=0) > 0]
    shares = table / np.clip(table.sum(axis=1, keepdims=True), 1, None)
    index = psi(shares[0], shares[1])
    p_value = float(chi2_contingency(table)[1]) if table.shape[1] >= 2 else 1.0
    parts = []
    if len(unseen) and unseen.sum() / max(len(new), 1) >= UNSEEN_MENTION:
        parts.append(unseen_values(name, list(zip(unseen.index.astype(str), unseen.astype(int))),
                                   len(new), "new"))
    miss_b, miss_a = float(old.isna().mean()), float(new.isna().mean())
    if abs(miss_a - miss_b) >= 0.05:
        parts.append(missing_shift(name, miss_b, miss_a))
    if len(known):
        share_old = known / max(len(old), 1)
        share_new = counts_new.reindex(known.index, fill_value=0) / max(len(new), 1)
        moved = (share_new - share_old).abs().idxmax()
        if abs(share_new[moved] - share_old[moved]) >= 0.02:
            parts.append(narrative.category_shift(name, moved, float(share_old[moved]), float(share_new[moved])))
    words = "; ".join(parts[:2]) or f"'{name}' is spread differently over its labels"
    return ColumnDrift(index, p_value, words, miss_b, miss_a)


def column_drift(before: pd.Series, after: pd.Series, name: str | None = None) -> ColumnDrift:
    """The change of one column from `before` (training) to `after` (new data), named `name` (default: before's)."""
    name = before.name if name is None else name
    if is_number_column(before) and is_number_column(after):
        return numeric_drift(before, after, name)
    return categorical_drift(before, after, name)


def check_drift(ctx) -> CheckResult:
    """Per column: population stability index and statistical tests (Bonferroni-corrected for the number of
    columns) against the training data; a column the model reads that goes empty in production is critical."""
    if ctx.X_new is None:
        return CheckResult(notes=(narrative.note("drift_skipped"),))
    t = ctx.settings.thresholds
    before_frame = ctx.sample_rows(pd.concat([ctx.X_train, ctx.X_test], ignore_index=True), ctx.settings.max_rows_checks)
    after_frame = ctx.sample_rows(ctx.X_new, ctx.settings.max_rows_checks)
    filled = before_frame.notna().any()
    pairs = {c: (before_frame[c], after_frame[c]) for c in ctx.features
             if ctx.column_types.get(c) != "identifier" and filled[c]}
    if ctx.target in ctx.new_data.frame.columns:
        new_target = ctx.typed(ctx.new_data)[ctx.target].dropna()
        if len(new_target):
            pairs[ctx.target] = (ctx.train_frame[ctx.target], new_target)
    results = {column: column_drift(before, after, column) for column, (before, after) in pairs.items()}
    corrected = {c: min(1.0, r.p_value * len(pairs)) for c, r in results.items()}
    moved = {c: r for c, r in results.items() if r.psi >= t.psi_info and corrected[c] < t.drift_p_value}
    read = set(ctx.model_features)
    empty = [c for c, r in moved.items() if c in read and r.missing_after >= t.empty_column_share
             and r.missing_before < 0.5]
    findings = []
    if empty:
        findings.append(narrative.finding(
            "data.drift", PILLAR, Severity.CRITICAL, empty,
            {"columns_moved": len(empty), "largest_empty_share": max(moved[c].missing_after for c in empty),
             "smallest_corrected_p": min(corrected[c] for c in empty)},
            variant="empty", described="; ".join(moved[c].words for c in empty[:3])))
    rest = {c: r for c, r in moved.items() if c not in empty}
    for severity, low, high in ((Severity.WARNING, t.psi_warning, np.inf), (Severity.INFO, t.psi_info, t.psi_warning)):
        hit = sorted((c for c, r in rest.items() if low <= r.psi < high), key=lambda c: -rest[c].psi)
        if hit:
            findings.append(narrative.finding(
                "data.drift", PILLAR, severity, hit,
                {"columns_moved": len(hit), "largest_psi": rest[hit[0]].psi,
                 "smallest_corrected_p": min(corrected[c] for c in hit)},
                described="; ".join(rest[c].words for c in hit[:3])))
    notes = (narrative.note("drift", rows=f"{len(ctx.X_new):,}", columns=len(pairs)),)
    data = {"psi": {c: r.psi for c, r in sorted(results.items(), key=lambda kv: -kv[1].psi)},
            "psi_warning": t.psi_warning,
            "drift_p_values": {c: corrected[c] for c in results},
            "mean_shift_in_spreads": {c: r.mean_shift_in_spreads for c, r in results.items()
                                      if r.mean_shift_in_spreads is not None}}
    metrics = {"max_psi": max((r.psi for r in results.values()), default=0.0), "columns_drifted": len(moved)}
    return CheckResult(tuple(findings), metrics=metrics, data=data, notes=notes)


# ----- a held-out file with columns gone empty ------------------------------------------------------------------
HELD_OUT_EMPTY_SHARE = 0.5  # a column the model reads, empty in at least this share of the held-out rows ...
HELD_OUT_EMPTY_GAP = 0.3    # ... and in this much more of them than of the training rows


def check_held_out_empty_columns(ctx) -> CheckResult:
    """Columns the model reads that are mostly empty in the held-out file but filled in training: the held-out
    scores and explanations then describe the model without those inputs, not the model as it will run."""
    if ctx.test is None:
        return CheckResult()
    read = [c for c in ctx.model_features if c in ctx.X_test.columns]
    before, after = ctx.X_train[read].isna().mean(), ctx.X_test[read].isna().mean()
    empty = [c for c in read if after[c] >= HELD_OUT_EMPTY_SHARE and after[c] - before[c] >= HELD_OUT_EMPTY_GAP]
    if not empty:
        return CheckResult()
    empty.sort(key=lambda c: -after[c])
    described = "; ".join(f"'{c}' is empty in {narrative.pct(after[c])} of the held-out rows "
                          f"(in {narrative.pct(before[c])} of the training rows)" for c in empty[:3])
    finding = narrative.finding("data.missing_values", PILLAR, Severity.WARNING, empty,
                                {"columns_empty": len(empty), "held_out_empty_share": float(after[empty[0]]),
                                 "training_empty_share": float(before[empty[0]]), "held_out_rows": len(ctx.X_test)},
                                variant="held_out_empty", described=described)
    return CheckResult((finding,), metrics={"held_out_empty_columns": len(empty)})


# ----- labels the training data never had ------------------------------------------------------------------------
def unseen_labels(train: pd.Series, other: pd.Series) -> list[tuple[str, int]]:
    """Labels of `other` that `train` never has, with how many rows of `other` hold each, most frequent first."""
    known = set(_labels(train).dropna())
    counts = _labels(other).dropna().value_counts()
    return [(str(label), int(count)) for label, count in counts.items() if label not in known]


def check_unseen_categories(ctx) -> CheckResult:
    """Category columns whose held-out file or new data hold labels the training rows never had: named, with the
    share of rows affected and what the model does with them."""
    t = ctx.settings.thresholds
    files = []
    if ctx.test is not None:
        files.append(("held-out", ctx.X_test))
    if ctx.X_new is not None:
        files.append(("new", ctx.X_new))
    if not files:
        return CheckResult()
    columns = [c for c in ctx.features if ctx.column_types.get(c) in ("category", "boolean")
               and not is_number_column(ctx.X_train[c])]
    hits, sentences, worst = [], [], 0.0
    evidence = {}
    for column in columns:
        for where, frame in files:
            values = unseen_labels(ctx.X_train[column], frame[column])
            rows = sum(count for _, count in values)
            share = rows / max(len(frame), 1)
            if not values or share < UNSEEN_MENTION:
                continue
            hits.append(column)
            worst = max(worst, share)
            sentences.append(unseen_values(column, values, len(frame), where))
            evidence[f"{where}_rows_affected"] = evidence.get(f"{where}_rows_affected", 0) + rows
            evidence[f"{where}_worst_share"] = max(evidence.get(f"{where}_worst_share", 0.0), share)
    notes = (narrative.note("unseen", files=" and ".join(f"the {w} data" for w, _ in files)),)
    if not hits:
        return CheckResult(notes=notes)
    hits = list(dict.fromkeys(hits))
    read = set(ctx.model_features)
    handling = (UNSEEN_HANDLING["unused"] if not read & set(hits)
                else UNSEEN_HANDLING["reference" if ctx.model_source == "reference" else "uploaded"])
    severity = Severity.WARNING if worst >= t.unseen_warning and read & set(hits) else Severity.INFO
    finding = narrative.finding("data.unseen_categories", PILLAR, severity, hits,
                                {"worst_share_of_rows": worst, **evidence},
                                described="; ".join(sentences[:3]), handling=handling)
    return CheckResult((finding,), metrics={"unseen_label_share": worst}, notes=notes)
