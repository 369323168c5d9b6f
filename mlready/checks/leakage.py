"""Leakage: columns that give the answer away, and held-out rows the model already saw."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from .. import narrative
from ..findings import Severity
from ..suggest import words
from . import CheckResult

PILLAR = "data_quality"
# Words in a column name that suggest it is recorded after the outcome is known.
AFTER_OUTCOME_WORDS = {"outcome", "result", "paid", "repaid", "repayment", "closed", "churned", "cancelled",
                       "canceled", "chargeoff", "collection", "collections", "recovery", "recovered", "settled",
                       "writeoff", "refund", "refunded", "returned", "final", "overdue", "delinquent", "arrears",
                       "late", "default", "defaulted", "diagnosis", "discharge", "survived"}


def single_column_metric(ctx) -> str:
    """The scale single-column scores are on."""
    if ctx.task == "regression":
        return "R²"
    return "ROC AUC" if len(ctx.classes) == 2 else "balanced accuracy"


def _codes(train: pd.Series, other: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if pd.api.types.is_numeric_dtype(train):
        return train.to_numpy(float).reshape(-1, 1), other.to_numpy(float).reshape(-1, 1)
    categories = pd.Categorical(train.astype(str)).categories
    encode = lambda s: pd.Categorical(s.astype(str), categories=categories).codes.astype(float)  # noqa: E731
    return encode(train).reshape(-1, 1), encode(other).reshape(-1, 1)


def single_column_score(ctx, column: str) -> float:
    """How well one column alone predicts the target on held-out rows (a small tree on a training sample)."""
    train = ctx.training_rows[[column, "__y"]]
    x_train, x_test = _codes(train[column], ctx.X_test[column])
    seed = ctx.settings.seed
    if ctx.task == "regression":
        tree = DecisionTreeRegressor(max_depth=6, min_samples_leaf=5, random_state=seed)
        return float(r2_score(ctx.y_test, tree.fit(x_train, train["__y"]).predict(x_test)))
    tree = DecisionTreeClassifier(max_depth=6, min_samples_leaf=5, random_state=seed)
    tree.fit(x_train, train["__y"].astype(str))
    if len(ctx.classes) == 2:
        column_index = list(tree.classes_).index(str(ctx.positive_class))
        return float(roc_auc_score(ctx.y_test.astype(str) == str(ctx.positive_class),
                                   tree.predict_proba(x_test)[:, column_index]))
    return float(balanced_accuracy_score(ctx.y_test.astype(str), tree.predict(x_test)))


def check_target_leakage(ctx) -> CheckResult:
    """Columns that alone predict the target (almost) perfectly on held-out rows, or are named like an
    after-the-fact record and predict it well."""
    t = ctx.settings.thresholds
    scores = {column: single_column_score(ctx, column) for column in ctx.features}
    findings = []
    scale = narrative.scale(single_column_metric(ctx))
    for column, score in sorted(scores.items(), key=lambda item: -item[1]):
        evidence = {"single_column_score": score}
        after = sorted(words(column) & AFTER_OUTCOME_WORDS)
        if score >= t.leakage_score_critical:
            findings.append(narrative.finding("data.target_leakage", PILLAR, Severity.CRITICAL, [column], evidence,
                                              score=narrative.num(score), scale=scale))
        elif after and score >= t.leakage_name_score:
            findings.append(narrative.finding("data.target_leakage", PILLAR, Severity.WARNING, [column], evidence,
                                              variant="after_outcome", score=narrative.num(score), word=after[0],
                                              scale=scale))
        elif score >= t.leakage_score_info:
            findings.append(narrative.finding("data.target_leakage", PILLAR, Severity.INFO, [column], evidence,
                                              variant="strong", score=narrative.num(score), scale=scale))
    used = min(len(ctx.X_train), ctx.settings.max_rows_checks)
    notes = (narrative.note("leakage", rows=narrative.rows_used(used, len(ctx.X_train))),)
    best = max(scores.values()) if scores else 0.0
    return CheckResult(tuple(findings), metrics={"best_single_column_score": best}, notes=notes,
                       data={"single_column_scores": dict(sorted(scores.items(), key=lambda kv: -kv[1])),
                             "leakage_line": t.leakage_score_critical, "metric_label": single_column_metric(ctx)})


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    return pd.util.hash_pandas_object(frame.astype(str), index=False)


def check_train_test_overlap(ctx) -> CheckResult:
    """Held-out rows that also appear, identical, in the training rows."""
    t = ctx.settings.thresholds
    columns = [*ctx.features, ctx.target]
    train_keys = set(_row_keys(pd.concat([ctx.X_train, ctx.y_train], axis=1)[columns]))
    test_keys = _row_keys(pd.concat([ctx.X_test, ctx.y_test], axis=1)[columns])
    overlapping = int(test_keys.isin(train_keys).sum())
    share = overlapping / len(test_keys)
    if not overlapping:
        return CheckResult(metrics={"train_test_overlap_share": 0.0})
    severity = Severity.CRITICAL if share >= t.overlap_critical else Severity.WARNING
    finding = narrative.finding("data.train_test_overlap", PILLAR, severity, (),
                                {"overlapping_rows": overlapping, "overlap_share": share},
                                variant="file" if ctx.test is not None else "split",
                                count=f"{overlapping:,}", share=narrative.pct(share, 1), split=ctx.split_description)
    return CheckResult((finding,), metrics={"train_test_overlap_share": share})
