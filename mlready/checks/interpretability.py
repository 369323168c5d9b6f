"""Interpretability: which columns drive the model, said in words; how explainable and stable that is."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from .. import narrative
from .. import explain
from ..findings import Severity
from . import CheckResult
from .fairness import group_labels

PILLAR = "interpretability"
# Model types whose single decisions cannot be read off directly.
OPAQUE_MODELS = ("HistGradientBoosting", "GradientBoosting", "RandomForest", "ExtraTrees", "Bagging", "AdaBoost",
                 "MLP", "SVC", "SVR", "KNeighbors", "Voting", "Stacking", "XGB", "LGBM", "CatBoost")
RESAMPLES = explain.RESAMPLES
TOP_FOR_AGREEMENT = 10
TOP_FEATURES = 5


def check_global_importance(ctx) -> CheckResult:
    """SHAP importance per column the model reads, with its direction; warn when one column dominates.

    A direction is claimed only for a column with a real share of the influence (`influence_share_min`) whose
    direction the copies retrained on resamples agree on (`explain.resampled_explanations`); otherwise the column
    is said to have little or no effect, or an effect whose direction is not stable."""
    t = ctx.settings.thresholds
    explanation = ctx.explanation
    importance, shares = explanation.importance(), explanation.shares()
    resamples = explain.resampled_explanations(ctx) if explanation.signed else None
    entries = []
    for column, value in importance.items():
        direction, category, effect = explain.direction_effect(explanation, column, t.direction_correlation,
                                                               t.influence_share_min, resamples, t.direction_confidence)
        if not explanation.signed:
            effect = "sizes" if shares[column] >= t.influence_share_min else "little"
        entries.append({
            "feature": column, "importance": float(value), "share": float(shares[column]), "direction": direction,
            "effect": effect,
            "sentence": narrative.direction_sentence(column, direction, ctx.task, ctx.positive_class, category,
                                                     ctx.target, effect=effect),
        })
    top = entries[0]
    findings = ()
    if top["share"] >= t.dominant_share_warning:
        findings = (narrative.finding("explain.dominant_feature", PILLAR, Severity.WARNING, [top["feature"]],
                                      {"importance_share": top["share"]}, share=narrative.pct(top["share"])),)
    notes = [narrative.note("explanations", method=explanation.method, rows=f"{len(explanation.rows):,}",
                            columns=len(explanation.columns))]
    if explanation.signed:
        notes.append(narrative.note("directions", share=narrative.pct(t.influence_share_min), resamples=RESAMPLES,
                                    sample=narrative.pct(explain.RESAMPLE_SHARE))
                     if resamples else narrative.note("directions_unchecked", share=narrative.pct(t.influence_share_min)))
    data = {"method": explanation.method, "sample_rows": len(explanation.rows), "global": entries}
    return CheckResult(findings, metrics={"top_feature_share": top["share"]}, data=data, notes=tuple(notes))


def check_opaque_model(ctx) -> CheckResult:
    """Ensembles, neural networks and kernel methods cannot be read directly; their explanations are estimates."""
    inner = ctx.model_kind.removeprefix("Pipeline(").removesuffix(")")
    if ctx.model_source != "uploaded" or not inner.startswith(OPAQUE_MODELS):
        # mlready's own reference model is a yardstick, not the model that would ship: its kind says nothing about
        # whether the team's model can be explained
        return CheckResult()
    finding = narrative.finding("explain.opaque_model", PILLAR, Severity.INFO, (), {},
                                kind_words=narrative.model_words(ctx.model_kind))
    return CheckResult((finding,))


def influential_columns(explanation, min_share: float, limit: int = TOP_FOR_AGREEMENT) -> list[str]:
    """The columns with at least `min_share` of the influence, most influential first (at most `limit`)."""
    shares = explanation.shares()
    return [c for c in shares.index if shares[c] >= min_share][:limit]


def agreement(base, other, columns: list[str]) -> float:
    """How far another explanation agrees with the model's own on the influential `columns` (1 is identical):
    with three or more, the correlation (Pearson) of their shares of the influence, so that two columns of about
    the same weight trading places count for little and a reshuffle of what matters counts fully; with one or two,
    the share of them that are also the other explanation's most influential columns."""
    theirs_all = other.shares()
    if len(columns) >= 3:
        ours, theirs = base.shares().loc[columns].to_numpy(), theirs_all.reindex(columns).fillna(0.0).to_numpy()
        if np.ptp(theirs) == 0 or np.ptp(ours) == 0:  # the copy uses none of them more than another
            return 0.0
        return float(np.corrcoef(ours, theirs)[0, 1])
    top = set(theirs_all.index[:len(columns)]) if float(theirs_all.sum()) > 0 else set()
    return len(top & set(columns)) / len(columns)


def rank_agreement(base, other, columns: list[str]) -> float:
    """Spearman's rank correlation of the influential `columns`' importances (reported; 1.0 with fewer than 3)."""
    if len(columns) < 3:
        return 1.0
    theirs = other.importance().reindex(columns).fillna(0.0)
    if np.ptp(theirs.to_numpy()) == 0:
        return 0.0
    return float(spearmanr(base.importance().loc[columns], theirs).statistic)


def check_explanation_stability(ctx) -> CheckResult:
    """Retrain copies of the model on resamples of the training rows, explain each on the same held-out rows, and
    compare the shares of influence of the columns with a real share (`influence_share_min`) with the model's own
    (`agreement`); low agreement means the ranking should not be relied on. Columns with almost no influence are
    left out: their order is noise and says nothing."""
    t = ctx.settings.thresholds
    base = ctx.explanation
    if len(base.columns) < 2 or float(base.importance().sum()) == 0:
        return CheckResult()
    columns = influential_columns(base, t.influence_share_min)
    if not columns:
        return CheckResult(notes=(narrative.note("explanation_stability_none", share=narrative.pct(t.influence_share_min)),))
    resamples = explain.resampled_explanations(ctx)
    if resamples is None:
        return CheckResult(notes=(narrative.note("explanation_stability_skipped"),))
    value = float(np.median([agreement(base, other, columns) for other in resamples]))
    ranks = float(np.median([rank_agreement(base, other, columns) for other in resamples]))
    findings = ()
    if value < t.explanation_agreement_warning:
        findings = (narrative.finding("explain.unstable_explanations", PILLAR, Severity.WARNING, (),
                                      {"agreement": value, "rank_agreement": ranks, "resamples": RESAMPLES,
                                       "columns_compared": len(columns)},
                                      agreement=narrative.num(value)),)
    notes = (narrative.note("explanation_stability", resamples=RESAMPLES, top=len(columns),
                            sample=narrative.pct(explain.RESAMPLE_SHARE),
                            share=narrative.pct(t.influence_share_min)),)
    return CheckResult(findings, metrics={"explanation_agreement": value, "explanation_rank_agreement": ranks},
                       notes=notes)


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
    # only columns with a real share of the model's reasoning: a column with 1% of it drives nothing
    shares = ctx.explanation.shares()
    ranked = [c for c in shares.index if c not in ctx.sensitive and c in read
              and shares[c] >= t.influence_share_min][:TOP_FEATURES]
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
