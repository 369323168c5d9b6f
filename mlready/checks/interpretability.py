"""Interpretability: which columns drive the model, said in words; how explainable and stable that is."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from .. import narrative
from ..explain import column_direction, explain_model
from ..findings import Severity
from . import CheckResult
from .fairness import group_labels

PILLAR = "interpretability"
# Model types whose single decisions cannot be read off directly.
OPAQUE_MODELS = ("HistGradientBoosting", "GradientBoosting", "RandomForest", "ExtraTrees", "Bagging", "AdaBoost",
                 "MLP", "SVC", "SVR", "KNeighbors", "Voting", "Stacking", "XGB", "LGBM", "CatBoost")
RESAMPLES = 3
TOP_FOR_AGREEMENT = 10
TOP_FEATURES = 5


def check_global_importance(ctx) -> CheckResult:
    """SHAP importance per input column with its direction; warn when one column dominates."""
    t = ctx.settings.thresholds
    explanation = ctx.explanation
    importance = explanation.importance()
    total = float(importance.sum()) or 1.0
    entries = []
    for column, value in importance.items():
        direction, category = column_direction(explanation, column, t.direction_correlation)
        entries.append({
            "feature": column, "importance": float(value), "share": float(value) / total, "direction": direction,
            "sentence": narrative.direction_sentence(column, direction, ctx.task, ctx.positive_class, category,
                                                     ctx.target),
        })
    top = entries[0]
    findings = ()
    if top["share"] >= t.dominant_share_warning:
        findings = (narrative.finding("explain.dominant_feature", PILLAR, Severity.WARNING, [top["feature"]],
                                      {"importance_share": top["share"]}, share=narrative.pct(top["share"])),)
    notes = (narrative.note("explanations", method=explanation.method, rows=f"{len(explanation.rows):,}"),)
    data = {"method": explanation.method, "sample_rows": len(explanation.rows), "global": entries}
    return CheckResult(findings, metrics={"top_feature_share": top["share"]}, data=data, notes=notes)


def check_opaque_model(ctx) -> CheckResult:
    """Ensembles, neural networks and kernel methods cannot be read directly; their explanations are estimates."""
    inner = ctx.model_kind.removeprefix("Pipeline(").removesuffix(")")
    if not inner.startswith(OPAQUE_MODELS):
        return CheckResult()
    finding = narrative.finding("explain.opaque_model", PILLAR, Severity.INFO, (), {},
                                kind_words=narrative.model_words(ctx.model_kind))
    return CheckResult((finding,))


def check_explanation_stability(ctx) -> CheckResult:
    """Retrain copies of the model on resamples of the training rows, explain each, and compare the ranking of
    the most important columns with the model's own (rank correlation); low agreement means the ranking
    should not be relied on."""
    t = ctx.settings.thresholds
    base = ctx.explanation.importance()
    if len(base) < 3:
        return CheckResult()
    top = base.index[:TOP_FOR_AGREEMENT]
    if np.ptp(base.loc[top].to_numpy()) == 0:  # the model uses no column more than another: no ranking to compare
        return CheckResult()
    sample = ctx.training_rows
    agreements = []
    for round_ in range(RESAMPLES):
        resample = sample.sample(frac=1.0, replace=True, random_state=ctx.settings.seed + round_ + 1)
        try:
            model = ctx.refit_clone(resample.drop(columns="__y"), resample["__y"])
        except Exception:  # noqa: BLE001 - a model that cannot be retrained here cannot be resampled
            return CheckResult(notes=(narrative.note("explanation_stability_skipped"),))
        other = explain_model(ctx, model).importance().reindex(top).fillna(0.0)
        same_everywhere = np.ptp(other.to_numpy()) == 0  # the copy uses no column more than another
        agreements.append(0.0 if same_everywhere else float(spearmanr(base.loc[top], other).statistic))
    agreement = float(np.median(agreements))
    findings = ()
    if agreement < t.explanation_agreement_warning:
        findings = (narrative.finding("explain.unstable_explanations", PILLAR, Severity.WARNING, (),
                                      {"rank_agreement": agreement, "resamples": RESAMPLES},
                                      agreement=narrative.num(agreement)),)
    notes = (narrative.note("explanation_stability", resamples=RESAMPLES, top=len(top)),)
    return CheckResult(findings, metrics={"explanation_rank_agreement": agreement}, notes=notes)


def _proxy_score(ctx, feature: str, groups: pd.Series) -> float:
    """How well one column alone tells the sensitive groups apart: 0 is chance, 1 is perfect.

    The column's values become levels (quantile bins for numbers, labels for categories, empty cells a level of
    their own; `mlready.encoding`), each level its share of every group learned out of fold (5 folds, so no row
    sees its own group), and each row is given the group most over-represented at its level (share over overall
    share, the rule that maximises balanced accuracy). Balanced accuracy, rescaled so that chance is 0."""
    from ..encoding import bin_columns, out_of_fold_rates, outcome_matrix
    from ..stats import score_rates

    frame = ctx.sample_rows(pd.concat([ctx.X_train[[feature]], groups.rename("__group")], axis=1),
                            ctx.settings.max_rows_checks)
    frame = frame[frame["__group"].notna()]
    frame = frame[frame["__group"].map(frame["__group"].value_counts()) >= 5]
    labels = sorted(frame["__group"].astype(str).unique())
    if len(labels) < 2:
        return 0.0
    levels = bin_columns(frame[[feature]])
    shares = outcome_matrix(frame["__group"], "classification", labels)
    rates = out_of_fold_rates(levels.train, levels.counts, shares, folds=5, seed=ctx.settings.seed)
    accuracy = float(score_rates("classification", shares, rates, shares.mean(axis=0))[0])
    chance = 1 / len(labels)
    return max(0.0, (accuracy - chance) / (1 - chance))


def check_proxy_features(ctx) -> CheckResult:
    """Influential columns that predict a sensitive attribute well on their own."""
    if not ctx.sensitive:
        return CheckResult()
    t = ctx.settings.thresholds
    read = set(ctx.model_features)
    ranked = [c for c in ctx.explanation.importance().index if c not in ctx.sensitive and c in read][:TOP_FEATURES]
    findings, scores = [], {}
    for sensitive in ctx.sensitive:
        groups = group_labels(ctx.X_train[sensitive])
        for feature in ranked:
            score = _proxy_score(ctx, feature, groups)
            scores[f"{feature} → {sensitive}"] = score
            if score >= t.proxy_score_warning:
                findings.append(narrative.finding(
                    "explain.proxy_feature", PILLAR, Severity.WARNING, [feature], {"proxy_score": score},
                    sensitive=sensitive, score=narrative.num(score), scale="0 is no better than chance, 1 is perfect"))
    notes = (narrative.note("proxies", count=len(ranked)),)
    return CheckResult(tuple(findings), metrics={"max_proxy_score": max(scores.values(), default=0.0)}, notes=notes)


CHECKS = (
    ("what drives the model", check_global_importance),
    ("model type", check_opaque_model),
    ("stability of explanations", check_explanation_stability),
    ("stand-ins for sensitive columns", check_proxy_features),
)
