"""Data-quality checks on the training data."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from .. import narrative
from ..findings import Finding, Severity
from ..profiling import ALERT_CODES
from . import CheckResult

PILLAR = "data_quality"


def _finding(code: str, severity: Severity, columns=(), evidence=None, **facts) -> Finding:
    return narrative.finding(code, PILLAR, severity, columns, evidence, **facts)


def check_missing_values(ctx) -> CheckResult:
    """Columns with many empty cells, and rows with no outcome."""
    t = ctx.settings.thresholds
    frame = ctx.data.frame
    shares = frame.drop(columns=[ctx.target]).isna().mean()
    findings = []
    target_share = ctx.rows_without_target / len(frame)
    if target_share > 0:
        severity = Severity.CRITICAL if target_share >= t.target_missing_critical else Severity.WARNING
        findings.append(narrative.finding(
            "data.missing_values", PILLAR, severity, [ctx.target],
            {"missing_share": target_share, "rows_missing": ctx.rows_without_target}, variant="target",
            share=narrative.pct(target_share), target=ctx.target, count=ctx.rows_without_target))
    for severity, low, high in ((Severity.WARNING, t.missing_warning, 1.01), (Severity.INFO, t.missing_info, t.missing_warning)):
        hit = shares[(shares >= low) & (shares < high)].sort_values(ascending=False)
        if len(hit):
            evidence = {"columns_affected": len(hit), "worst_missing_share": float(hit.iloc[0])}
            findings.append(_finding("data.missing_values", severity, hit.index, evidence,
                                     worst=narrative.pct(hit.iloc[0])))
    return CheckResult(tuple(findings), metrics={"missing_cell_share": float(frame.isna().mean().mean())},
                       data={"missing_share": {str(k): float(v) for k, v in frame.isna().mean().items()}})


def check_duplicate_rows(ctx) -> CheckResult:
    """Rows that appear more than once."""
    t = ctx.settings.thresholds
    frame = ctx.data.frame
    try:
        repeated = int(frame.duplicated().sum())
    except TypeError:  # unhashable cells (lists from JSON)
        repeated = int(frame.astype(str).duplicated().sum())
    share = repeated / len(frame)
    findings = ()
    if repeated > 0 and share > t.duplicate_info:
        severity = Severity.WARNING if share >= t.duplicate_warning else Severity.INFO
        findings = (_finding("data.duplicate_rows", severity, (), {"duplicate_rows": repeated, "duplicate_share": share},
                             count=repeated, share=narrative.pct(share, 1)),)
    return CheckResult(findings, metrics={"duplicate_share": share})


def check_constant_columns(ctx) -> CheckResult:
    """Columns with a single value."""
    frame = ctx.data.frame.drop(columns=[ctx.target])
    constant = [c for c in frame.columns if frame[c].nunique(dropna=True) <= 1]
    if not constant:
        return CheckResult()
    return CheckResult((_finding("data.constant_column", Severity.WARNING, constant, {"constant_columns": len(constant)}),))


def check_class_imbalance(ctx) -> CheckResult:
    """A rare outcome class."""
    if ctx.task != "classification":
        return CheckResult()
    t = ctx.settings.thresholds
    counts = ctx.train_frame[ctx.target].value_counts()
    shares = counts / counts.sum()
    label, share = shares.index[-1], float(shares.iloc[-1])
    data = {"class_counts": {str(k): int(v) for k, v in counts.items()}}
    if share >= t.minority_info:
        return CheckResult(metrics={"minority_class_share": share}, data=data)
    severity = Severity.WARNING if share < t.minority_warning else Severity.INFO
    finding = _finding("data.class_imbalance", severity, [ctx.target],
                       {"minority_share": share, "minority_rows": int(counts.iloc[-1]), "classes": len(counts)},
                       label=label, share=narrative.pct(share, 1), count=int(counts.iloc[-1]))
    return CheckResult((finding,), metrics={"minority_class_share": share}, data=data)


def check_small_sample(ctx) -> CheckResult:
    """Too few rows for the number of columns or classes."""
    t = ctx.settings.thresholds
    rows, features = len(ctx.X_train), len(ctx.features)
    smallest_class = int(ctx.y_train.value_counts().min()) if ctx.task == "classification" else None
    too_few_rows = rows < t.rows_per_feature * features
    too_few_class = smallest_class is not None and smallest_class < t.min_rows_per_class
    if not (too_few_rows or too_few_class):
        return CheckResult()
    class_part = f", and the rarest outcome has only {smallest_class} rows" if too_few_class else ""
    evidence = {"training_rows": rows, "features": features}
    if smallest_class is not None:
        evidence["smallest_class_rows"] = smallest_class
    return CheckResult((_finding("data.small_sample", Severity.WARNING, (), evidence, rows=f"{rows:,}",
                                 features=features, class_part=class_part),))


def _single_column_codes(train: pd.Series, other: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if pd.api.types.is_numeric_dtype(train):
        return train.to_numpy(float).reshape(-1, 1), other.to_numpy(float).reshape(-1, 1)
    categories = pd.Categorical(train.astype(str)).categories
    encode = lambda s: pd.Categorical(s.astype(str), categories=categories).codes.astype(float)  # noqa: E731
    return encode(train).reshape(-1, 1), encode(other).reshape(-1, 1)


def _sampled(used: int, total: int) -> str:
    """'1,000 rows', or '20,000 of 200,000 rows (a random sample)'."""
    return f"{used:,} rows" if used >= total else f"{used:,} of {total:,} rows (a random sample)"


def _single_column_metric(ctx) -> str:
    if ctx.task == "regression":
        return "R²"
    return "ROC AUC" if len(ctx.classes) == 2 else "balanced accuracy"


def single_column_score(ctx, column: str) -> float:
    """How well one column alone predicts the target on held-out rows (the task's metric scale)."""
    train = ctx.sample_rows(pd.concat([ctx.X_train[[column]], ctx.y_train.rename("__y")], axis=1),
                            ctx.settings.max_rows_checks)
    x_train, x_test = _single_column_codes(train[column], ctx.X_test[column])
    if ctx.task == "regression":
        tree = DecisionTreeRegressor(max_depth=6, min_samples_leaf=5, random_state=ctx.settings.seed)
        return float(r2_score(ctx.y_test, tree.fit(x_train, train["__y"]).predict(x_test)))
    tree = DecisionTreeClassifier(max_depth=6, min_samples_leaf=5, random_state=ctx.settings.seed)
    tree.fit(x_train, train["__y"].astype(str))
    if len(ctx.classes) == 2:
        column_index = list(tree.classes_).index(str(ctx.positive_class))
        return float(roc_auc_score(ctx.y_test.astype(str) == str(ctx.positive_class),
                                   tree.predict_proba(x_test)[:, column_index]))
    return float(balanced_accuracy_score(ctx.y_test.astype(str), tree.predict(x_test)))


def check_target_leakage(ctx) -> CheckResult:
    """A single column that alone predicts the target almost perfectly on held-out rows."""
    t = ctx.settings.thresholds
    scores = {column: single_column_score(ctx, column) for column in ctx.features}
    findings = []
    for column, score in sorted(scores.items(), key=lambda item: -item[1]):
        if score >= t.leakage_score_critical:
            findings.append(_finding("data.target_leakage", Severity.CRITICAL, [column],
                                     {"single_column_score": score}, score=narrative.num(score)))
        elif score >= t.leakage_score_info:
            findings.append(narrative.finding("data.target_leakage", PILLAR, Severity.INFO, [column],
                                              {"single_column_score": score}, variant="strong",
                                              score=narrative.num(score)))
    best = max(scores.values()) if scores else 0.0
    used = min(len(ctx.X_train), ctx.settings.max_rows_checks)
    notes = (f"Target leakage: each column alone, a small decision tree trained on "
             f"{_sampled(used, len(ctx.X_train))} and scored on the held-out rows.",)
    return CheckResult(tuple(findings), metrics={"best_single_column_score": best}, notes=notes,
                       data={"single_column_scores": dict(sorted(scores.items(), key=lambda kv: -kv[1])),
                             "leakage_line": t.leakage_score_critical, "metric_label": _single_column_metric(ctx)})


# Problems our own checks measure; the profiler's alerts for these are not reported again.
COVERED_BY_OWN_CHECKS = {"data.missing_values", "data.duplicate_rows", "data.constant_column"}
ID_NAME_PARTS = ("id", "key", "number", "no", "code", "uuid", "ref")


def looks_like_identifier(values: pd.Series) -> bool:
    """Unique per row and not a measurement: text, or whole numbers that count up or are named like an id."""
    if pd.api.types.is_float_dtype(values):
        return False
    if not pd.api.types.is_integer_dtype(values):
        return True
    words = set(str(values.name).lower().replace("-", "_").replace(" ", "_").split("_"))
    return bool(words & set(ID_NAME_PARTS)) or values.is_monotonic_increasing or values.is_monotonic_decreasing


def check_profile(ctx) -> CheckResult:
    """The data profile's alerts, as findings for the problems our other checks do not measure."""
    profile = ctx.profile
    grouped: dict[str, list[str]] = {}
    for alert, column in profile.alerts:
        code = ALERT_CODES.get(alert)
        if code is None or code in COVERED_BY_OWN_CHECKS or column not in ctx.features:
            continue
        if code == "data.id_like_column" and not looks_like_identifier(ctx.data.frame[column]):
            continue
        grouped.setdefault(code, []).append(column)
    findings = []
    for code, columns in grouped.items():
        severity = Severity.WARNING if code == "data.id_like_column" else Severity.INFO
        findings.append(_finding(code, severity, columns, {"columns_affected": len(columns)}))
    return CheckResult(tuple(findings), metrics={"profile_alerts": len(profile.alerts)},
                       data={"profile_columns": list(profile.columns), "profile_rows": profile.rows_profiled},
                       notes=(f"Data profile by fg-data-profiling (minimal mode) on "
                              f"{_sampled(profile.rows_profiled, len(ctx.data.frame))}.",))


CHECKS = (
    ("missing values", check_missing_values),
    ("repeated rows", check_duplicate_rows),
    ("constant columns", check_constant_columns),
    ("class balance", check_class_imbalance),
    ("sample size", check_small_sample),
    ("target leakage", check_target_leakage),
    ("data profile", check_profile),
)
