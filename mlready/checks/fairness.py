"""Fairness: accuracy and outcomes compared across the groups of each sensitive column."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, mannwhitneyu

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "fairness"
AGE_BANDS = 4


def _is_banded(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and values.nunique() > 10


def _band_edges(values: pd.Series) -> np.ndarray:
    edges = np.quantile(values.dropna(), np.linspace(0, 1, AGE_BANDS + 1)[1:-1])
    whole = bool(np.all(np.mod(values.dropna(), 1) == 0))
    return np.unique(np.round(edges) if whole else edges)  # ages in whole years get whole-year bands


def _band_order(values: pd.Series) -> list[str]:
    edges = _band_edges(values)
    return ([f"up to {edges[0]:g}"] + [f"{lo:g} to {hi:g}" for lo, hi in zip(edges[:-1], edges[1:])]
            + [f"over {edges[-1]:g}"])


def group_labels(values: pd.Series) -> pd.Series:
    """Groups of a sensitive column: its values, or bands of a many-valued number (like age)."""
    if _is_banded(values):
        bands = pd.cut(values, [-np.inf, *_band_edges(values), np.inf], labels=_band_order(values))
        return bands.astype(str).where(values.notna(), "missing")
    return values.astype(str).where(values.notna(), "missing")


def group_table(ctx, column: str) -> pd.DataFrame:
    """Per group (bands in order, other groups largest first): rows, share right (or mean error) and share
    predicted positive (or mean prediction)."""
    groups = group_labels(ctx.X_test[column]).to_numpy()
    truth, predicted = ctx.y_test.to_numpy(), ctx.test_predictions
    frame = pd.DataFrame({"group": groups, "truth": truth, "predicted": predicted})
    if ctx.task == "classification":
        frame["right"] = frame["truth"].astype(str) == frame["predicted"].astype(str)
        frame["positive"] = frame["predicted"].astype(str) == str(ctx.positive_class)
        table = frame.groupby("group").agg(rows=("right", "size"), accuracy=("right", "mean"),
                                           positive_rate=("positive", "mean"), positives=("positive", "sum"))
    else:
        frame["error"] = (frame["truth"].astype(float) - frame["predicted"].astype(float)).abs()
        table = frame.groupby("group").agg(rows=("error", "size"), mean_error=("error", "mean"),
                                           mean_prediction=("predicted", "mean"))
    if _is_banded(ctx.X_test[column]):
        order = [g for g in _band_order(ctx.X_test[column]) if g in table.index]
        return table.loc[order + [g for g in table.index if g not in order]]
    return table.sort_values("rows", ascending=False)


def _column_findings(ctx, column: str, table: pd.DataFrame) -> list:
    t = ctx.settings.thresholds
    findings = []
    small = table[table["rows"] < t.min_group_rows]
    if len(small):
        findings.append(narrative.finding(
            "fairness.underrepresented_group", PILLAR, Severity.INFO if len(small) < len(table) else Severity.WARNING,
            [column], {"small_groups": len(small), "smallest_group_rows": int(small["rows"].min())},
            groups=narrative.name_list(small.index), min_rows=t.min_group_rows,
            has_have_groups="has" if len(small) == 1 else "have", them_groups="it" if len(small) == 1 else "them"))
    judged = table[table["rows"] >= t.min_group_rows]
    if len(judged) < 2:
        return findings
    if ctx.task == "regression":
        return findings + _regression_findings(ctx, column, judged)
    best, worst = judged["accuracy"].idxmax(), judged["accuracy"].idxmin()
    gap = float(judged.loc[best, "accuracy"] - judged.loc[worst, "accuracy"])
    if gap >= t.accuracy_gap_warning:
        rights = (judged.loc[[best, worst], "accuracy"] * judged.loc[[best, worst], "rows"]).round().to_numpy()
        p_value = _p_value(rights, judged.loc[[best, worst], "rows"].to_numpy())
        severity = Severity.CRITICAL if gap >= t.accuracy_gap_critical and p_value < t.fairness_p_value else Severity.WARNING
        findings.append(narrative.finding(
            "fairness.performance_gap", PILLAR, severity, [column],
            {"accuracy_gap": gap, "best_accuracy": judged.loc[best, "accuracy"],
             "worst_accuracy": judged.loc[worst, "accuracy"], "p_value": p_value},
            best=best, worst=worst, best_rate=narrative.pct(judged.loc[best, "accuracy"]),
            worst_rate=narrative.pct(judged.loc[worst, "accuracy"]), chance=narrative.could_be_chance(p_value)))
    if ctx.positive_class is not None:
        high, low = judged["positive_rate"].idxmax(), judged["positive_rate"].idxmin()
        high_rate, low_rate = float(judged.loc[high, "positive_rate"]), float(judged.loc[low, "positive_rate"])
        ratio = low_rate / high_rate if high_rate > 0 else 1.0
        if ratio < t.outcome_ratio_warning:
            p_value = _p_value(judged.loc[[high, low], "positives"].to_numpy(), judged.loc[[high, low], "rows"].to_numpy())
            severity = Severity.CRITICAL if ratio < t.outcome_ratio_critical and p_value < t.fairness_p_value else Severity.WARNING
            findings.append(narrative.finding(
                "fairness.outcome_gap", PILLAR, severity, [column],
                {"outcome_ratio": ratio, "highest_rate": high_rate, "lowest_rate": low_rate, "p_value": p_value},
                positive=ctx.positive_class, high=high, low=low, high_rate=narrative.pct(high_rate),
                low_rate=narrative.pct(low_rate), ratio=narrative.num(ratio), line=narrative.num(t.outcome_ratio_warning),
                chance=narrative.could_be_chance(p_value)))
    return findings


def _regression_findings(ctx, column: str, judged: pd.DataFrame) -> list:
    """Regression: average error and average prediction compared across groups."""
    t = ctx.settings.thresholds
    findings = []
    groups = group_labels(ctx.X_test[column]).to_numpy()
    errors = np.abs(ctx.y_test.to_numpy(float) - ctx.test_predictions.astype(float))
    best, worst = judged["mean_error"].idxmin(), judged["mean_error"].idxmax()
    ratio = float(judged.loc[worst, "mean_error"] / max(judged.loc[best, "mean_error"], 1e-12))
    if ratio >= t.error_ratio_warning:
        p_value = float(mannwhitneyu(errors[groups == worst], errors[groups == best]).pvalue)
        severity = Severity.CRITICAL if ratio >= t.error_ratio_critical and p_value < t.fairness_p_value else Severity.WARNING
        findings.append(narrative.finding(
            "fairness.performance_gap", PILLAR, severity, [column],
            {"error_ratio": ratio, "best_mean_error": judged.loc[best, "mean_error"],
             "worst_mean_error": judged.loc[worst, "mean_error"], "p_value": p_value},
            variant="regression", best=best, worst=worst, ratio=narrative.num(ratio, 1),
            best_error=narrative.num(judged.loc[best, "mean_error"]), worst_error=narrative.num(judged.loc[worst, "mean_error"])))
    spread = float(np.std(ctx.test_predictions.astype(float))) or 1.0
    high, low = judged["mean_prediction"].idxmax(), judged["mean_prediction"].idxmin()
    gap = float(judged.loc[high, "mean_prediction"] - judged.loc[low, "mean_prediction"]) / spread
    if gap >= t.prediction_gap_sd:
        findings.append(narrative.finding(
            "fairness.outcome_gap", PILLAR, Severity.WARNING, [column],
            {"gap_in_standard_deviations": gap, "highest_mean_prediction": judged.loc[high, "mean_prediction"],
             "lowest_mean_prediction": judged.loc[low, "mean_prediction"]},
            variant="regression", high=high, low=low, target=narrative.readable(ctx.target),
            high_value=narrative.num(judged.loc[high, "mean_prediction"]),
            low_value=narrative.num(judged.loc[low, "mean_prediction"])))
    return findings


def _p_value(successes: np.ndarray, totals: np.ndarray) -> float:
    """Chance of a difference at least this large between two groups if there were none (chi-squared)."""
    table = np.array([successes, totals - successes], dtype=float)
    if (table.sum(axis=1) == 0).any() or (table.sum(axis=0) == 0).any():
        return 1.0
    return float(chi2_contingency(table)[1])


def check_group_gaps(ctx) -> CheckResult:
    """Per sensitive column: per-group accuracy and positive-outcome rate, and the gaps between groups."""
    findings, tables, metrics = [], {}, {}
    for column in ctx.sensitive:
        table = group_table(ctx, column)
        tables[column] = table.reset_index().to_dict(orient="list")
        findings.extend(_column_findings(ctx, column, table))
        if ctx.task == "classification":
            metrics[f"accuracy_gap[{column}]"] = float(table["accuracy"].max() - table["accuracy"].min())
        else:
            metrics[f"error_ratio[{column}]"] = float(table["mean_error"].max() / max(table["mean_error"].min(), 1e-12))
    notes = (narrative.note("fairness", rows=f"{len(ctx.X_test):,}", min_rows=ctx.settings.thresholds.min_group_rows),)
    findings.sort(key=_gravity)
    return CheckResult(tuple(findings), metrics=metrics, notes=notes,
                       data={"groups": tables, "positive_label": None if ctx.positive_class is None else str(ctx.positive_class)})


def _gravity(finding) -> tuple:
    """Most severe first; within a severity, the largest gap (lowest ratio, widest accuracy gap) first."""
    evidence = finding.evidence
    size = -evidence.get("accuracy_gap", 0) - evidence.get("error_ratio", 0) + evidence.get("outcome_ratio", 1)
    return (-finding.severity.rank, size)


CHECKS = (("groups compared", check_group_gaps),)
