"""Generalization checks: will the model work on data it has not seen?"""
from __future__ import annotations

import numpy as np
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.model_selection import KFold, StratifiedKFold

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"


def check_model_readable(ctx) -> CheckResult:
    """An uploaded model that does not fit the data's columns or outcomes."""
    notes = (narrative.model_note(ctx.model_source, ctx.model_kind, ctx.model_problem),)
    if ctx.model_problem is None:
        return CheckResult(notes=notes)
    finding = narrative.finding("model.unreadable", PILLAR, Severity.CRITICAL, (), {},
                                name=ctx.uploaded_model.name, problem=ctx.model_problem)
    return CheckResult((finding,), notes=notes)


def _fmt(ctx, value: float) -> str:
    return narrative.pct(value) if ctx.metric.name == "balanced_accuracy" else narrative.num(value)


def check_overfitting(ctx) -> CheckResult:
    """Training score against held-out score, the gap judged against the room above chance."""
    t = ctx.settings.thresholds
    train = ctx.score(ctx.y_train, ctx.train_scores)
    test = ctx.score(ctx.y_test, ctx.test_scores)
    gap = train - test
    relative = gap / max(train - ctx.metric.chance, 1e-9)
    name = ctx.metric.name
    metrics = {f"train_{name}": train, f"test_{name}": test, "overfit_gap": gap}
    evidence = {"train_score": train, "test_score": test, "gap": gap, "relative_gap": relative}
    severity = None
    if gap >= t.overfit_gap_critical and relative >= t.overfit_relative_critical:
        severity = Severity.CRITICAL
    elif gap >= t.overfit_gap_warning and relative >= t.overfit_relative_warning:
        severity = Severity.WARNING
    findings = ()
    if severity is not None:
        findings = (narrative.finding("model.overfitting", PILLAR, severity, (), evidence, train=_fmt(ctx, train),
                                      test=_fmt(ctx, test), split=ctx.split_description, metric=ctx.metric.label),)
    notes = (f"Held-out rows: {ctx.split_description} ({len(ctx.X_test):,} rows); metric: {ctx.metric.label}.",)
    return CheckResult(findings, metrics=metrics, data={"train_score": train, "test_score": test, "metric_label": ctx.metric.label},
                       notes=notes)


def check_baseline(ctx) -> CheckResult:
    """The model against always guessing the most common answer (or the average)."""
    t = ctx.settings.thresholds
    dummy = (DummyClassifier(strategy="prior") if ctx.task == "classification" else DummyRegressor(strategy="mean"))
    dummy.fit(ctx.X_train, ctx.y_train)
    baseline = ctx.score(ctx.y_test, ctx.scores_for(dummy, ctx.X_test))
    test = ctx.score(ctx.y_test, ctx.test_scores)
    lift = (test - baseline) / max(1.0 - baseline, 1e-9)
    evidence = {"test_score": test, "baseline_score": baseline, "relative_lift": lift}
    findings = ()
    if lift < t.baseline_lift_warning:
        severity = Severity.CRITICAL if lift < t.baseline_lift_critical else Severity.WARNING
        findings = (narrative.finding("model.no_better_than_baseline", PILLAR, severity, (), evidence,
                                      test=_fmt(ctx, test), baseline=_fmt(ctx, baseline), metric=ctx.metric.label,
                                      lift=narrative.pct(max(lift, 0.0))),)
    return CheckResult(findings, metrics={f"baseline_{ctx.metric.name}": baseline, "baseline_lift": lift},
                       data={"baseline_score": baseline})


def check_stability(ctx) -> CheckResult:
    """k-fold cross-validation of a copy of the model: how much the score moves between folds."""
    t = ctx.settings.thresholds
    sample = ctx.sample_rows(ctx.X_train.assign(__y=ctx.y_train.to_numpy()), ctx.settings.max_rows_checks)
    X, y = sample.drop(columns="__y"), sample["__y"]  # noqa: N806
    folds = t.cv_folds
    if ctx.task == "classification" and y.value_counts().min() >= folds:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=ctx.settings.seed)
    else:
        splitter = KFold(folds, shuffle=True, random_state=ctx.settings.seed)
    scores = []
    for train_index, test_index in splitter.split(X, y):
        model = ctx.refit_clone(X.iloc[train_index], y.iloc[train_index])
        scores.append(ctx.score(y.iloc[test_index], ctx.scores_for(model, X.iloc[test_index])))
    spread = float(np.std(scores))
    evidence = {"cv_mean": float(np.mean(scores)), "cv_std": spread, "cv_min": min(scores), "cv_max": max(scores),
                "folds": folds}
    findings = ()
    if spread >= t.cv_std_warning:
        severity = Severity.CRITICAL if spread >= t.cv_std_critical else Severity.WARNING
        findings = (narrative.finding("model.unstable", PILLAR, severity, (), evidence, low=_fmt(ctx, min(scores)),
                                      high=_fmt(ctx, max(scores)), metric=ctx.metric.label),)
    sampled = "" if len(X) == len(ctx.X_train) else f" (a random sample of the {len(ctx.X_train):,})"
    notes = (f"{folds}-fold cross-validation of a fresh copy of the model on {len(X):,} training rows{sampled}.",)
    return CheckResult(findings, metrics={"cv_mean": evidence["cv_mean"], "cv_std": spread},
                       data={"cv_scores": [float(s) for s in scores]}, notes=notes)


CHECKS = (
    ("model fits the data", check_model_readable),
    ("training vs held-out", check_overfitting),
    ("trivial baseline", check_baseline),
    ("cross-validation", check_stability),
)
