"""Generalization checks: will the model work on data it has not seen?"""
from __future__ import annotations

import numpy as np
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import confusion_matrix, mean_absolute_error
from sklearn.model_selection import KFold, StratifiedKFold

from .. import narrative
from ..findings import Severity
from ..modeling import simple_model
from . import CheckResult
from .calibration import check_calibration
from .learning import check_learning_curve
from .segments import check_weak_segments

PILLAR = "generalization"


def check_model_readable(ctx) -> CheckResult:
    """An uploaded model that does not fit the data's columns or outcomes, or gives no probabilities."""
    notes = (narrative.model_note(ctx.model_source, ctx.model_kind, ctx.model_problem),)
    if ctx.model_problem is not None:
        finding = narrative.finding("model.unreadable", PILLAR, Severity.CRITICAL, (), {},
                                    name=ctx.uploaded_model.name, problem=ctx.model_problem)
        return CheckResult((finding,), notes=notes)
    if ctx.task == "classification" and not ctx.has_probabilities:
        finding = narrative.finding("model.unreadable", PILLAR, Severity.WARNING, (), {}, variant="no_probabilities",
                                    name=ctx.uploaded_model.name if ctx.uploaded_model else ctx.model_kind)
        return CheckResult((finding,), notes=notes)
    return CheckResult(notes=notes)


def fmt(ctx, value: float) -> str:
    """A value of the context's metric for a sentence."""
    return narrative.metric_value(ctx.metric.name, value)


def _task_details(ctx) -> tuple[dict, dict]:
    """Extra numbers a manager asks about: average error (regression) or the confusion matrix in words."""
    if ctx.task == "regression":
        train_mae = float(mean_absolute_error(ctx.y_train, ctx.train_scores))  # regression scores are the predictions
        test_mae = float(mean_absolute_error(ctx.y_test, ctx.test_predictions))
        return {"train_mae": train_mae, "test_mae": test_mae}, {
            "error_sentence": narrative.average_error(ctx.target, train_mae, test_mae)}
    if ctx.positive_class is None:
        return {}, {}
    truth = ctx.y_test.astype(str).to_numpy() == str(ctx.positive_class)
    flagged = ctx.test_predictions.astype(str) == str(ctx.positive_class)
    tn, fp, fn, tp = confusion_matrix(truth, flagged, labels=[False, True]).ravel()
    recall = tp / max(tp + fn, 1)
    false_alarm = fp / max(fp + tn, 1)
    negative = next(c for c in ctx.classes if c != ctx.positive_class)
    return {"test_recall": float(recall), "test_false_positive_rate": float(false_alarm)}, {
        "confusion": {"true_positive": int(tp), "false_negative": int(fn), "false_positive": int(fp),
                      "true_negative": int(tn)},
        "confusion_sentence": narrative.confusion_in_words(ctx.positive_class, negative, recall, false_alarm)}


def check_overfitting(ctx) -> CheckResult:
    """Training score against held-out score, the gap judged against the room above chance."""
    t = ctx.settings.thresholds
    train = ctx.score(ctx.y_train, ctx.train_scores)
    test = ctx.score(ctx.y_test, ctx.test_scores)
    gap = train - test
    relative = gap / max(train - ctx.metric.chance, 1e-9)
    name = ctx.metric.name
    extra_metrics, extra_data = _task_details(ctx)
    metrics = {f"train_{name}": train, f"test_{name}": test, "overfit_gap": gap, **extra_metrics}
    evidence = {"train_score": train, "test_score": test, "gap": gap, "relative_gap": relative}
    severity = None
    if gap >= t.overfit_gap_critical and relative >= t.overfit_relative_critical:
        severity = Severity.CRITICAL
    elif gap >= t.overfit_gap_warning and relative >= t.overfit_relative_warning:
        severity = Severity.WARNING
    findings = ()
    if severity is not None:
        findings = (narrative.finding("model.overfitting", PILLAR, severity, (), evidence, train=fmt(ctx, train),
                                      test=fmt(ctx, test), split=ctx.split_description, metric=ctx.metric.label,
                                      extra=extra_data.get("error_sentence", "")),)
    notes = (narrative.note("held_out", split=ctx.split_description, rows=f"{len(ctx.X_test):,}",
                            meaning=narrative.metric_meaning(ctx.metric.name)),)
    data = {"train_score": train, "test_score": test, "metric_label": ctx.metric.label, **extra_data}
    return CheckResult(findings, metrics=metrics, data=data, notes=notes)


def check_baseline(ctx) -> CheckResult:
    """The model against a trivial guess, and against a simple linear model."""
    t = ctx.settings.thresholds
    dummy = DummyClassifier(strategy="prior") if ctx.task == "classification" else DummyRegressor(strategy="mean")
    dummy.fit(ctx.X_train, ctx.y_train)
    baseline = ctx.score(ctx.y_test, ctx.scores_for(dummy, ctx.X_test))
    test = ctx.score(ctx.y_test, ctx.test_scores)
    lift = (test - baseline) / max(1.0 - baseline, 1e-9)
    sample = ctx.training_rows
    linear = simple_model(ctx.X_train, ctx.task).fit(sample.drop(columns="__y"), sample["__y"])
    simple = ctx.score(ctx.y_test, ctx.scores_for(linear, ctx.X_test))
    evidence = {"test_score": test, "baseline_score": baseline, "relative_lift": lift, "simple_model_score": simple}
    findings = ()
    if lift < t.baseline_lift_warning:
        severity = Severity.CRITICAL if lift < t.baseline_lift_critical else Severity.WARNING
        guess = ("always guessing the most common answer" if ctx.task == "classification"
                 else "always predicting the average")
        findings = (narrative.finding("model.no_better_than_baseline", PILLAR, severity, (), evidence,
                                      test=fmt(ctx, test), baseline=fmt(ctx, baseline), metric=ctx.metric.label,
                                      lift=narrative.pct(max(lift, 0.0)), guess=guess),)
    elif simple >= test - t.simple_model_margin:
        better = simple >= test + t.simple_model_better
        findings = (narrative.finding("model.no_better_than_baseline", PILLAR,
                                      Severity.WARNING if better else Severity.INFO, (), evidence,
                                      variant="simple_better" if better else "simple", test=fmt(ctx, test),
                                      simple=fmt(ctx, simple), metric=ctx.metric.label,
                                      kind=narrative.model_words(ctx.model_kind)),)
    metrics = {f"baseline_{ctx.metric.name}": baseline, "baseline_lift": lift, f"simple_model_{ctx.metric.name}": simple}
    return CheckResult(findings, metrics=metrics, data={"baseline_score": baseline, "simple_model_score": simple},
                       notes=(narrative.note("comparisons"),))


def _can_refit(ctx) -> bool:
    try:
        ctx.refit_clone(ctx.X_train.head(50), ctx.y_train.head(50))
    except Exception:  # noqa: BLE001 - any failure means this model cannot be retrained here
        return False
    return True


def _cross_validated(ctx) -> tuple[list[float], str]:
    t = ctx.settings.thresholds
    sample = ctx.training_rows
    X, y = sample.drop(columns="__y"), sample["__y"]  # noqa: N806
    if ctx.task == "classification" and y.value_counts().min() >= t.cv_folds:
        splitter = StratifiedKFold(t.cv_folds, shuffle=True, random_state=ctx.settings.seed)
    else:
        splitter = KFold(t.cv_folds, shuffle=True, random_state=ctx.settings.seed)
    scores = []
    for train_index, test_index in splitter.split(X, y):
        model = ctx.refit_clone(X.iloc[train_index], y.iloc[train_index])
        scores.append(ctx.score(y.iloc[test_index], ctx.scores_for(model, X.iloc[test_index])))
    return scores, narrative.note("cross_validation", folds=t.cv_folds, rows=narrative.rows_used(len(X), len(ctx.X_train)))


def _bootstrapped(ctx) -> tuple[list[float], str]:
    rng = np.random.default_rng(ctx.settings.seed)
    y, scores_all = ctx.y_test.to_numpy(), ctx.test_scores
    scores = []
    for _ in range(ctx.settings.bootstrap_rounds):
        index = rng.integers(0, len(y), len(y))
        if ctx.task == "classification" and len(set(y[index])) < 2:
            continue
        scores.append(ctx.score(y[index], scores_all[index]))
    return scores, narrative.note("bootstrap", rounds=len(scores))


def check_stability(ctx) -> CheckResult:
    """How much the score moves with the sample: cross-validation of a copy, or a bootstrap of the held-out rows."""
    t = ctx.settings.thresholds
    refit = _can_refit(ctx)
    scores, note = _cross_validated(ctx) if refit else _bootstrapped(ctx)
    spread = float(np.std(scores))
    low, high = (min(scores), max(scores)) if refit else tuple(np.percentile(scores, [5, 95]))
    evidence = {"cv_mean": float(np.mean(scores)), "cv_std": spread, "cv_min": float(low), "cv_max": float(high),
                "folds": len(scores) if refit else 0, "bootstrap_rounds": 0 if refit else len(scores)}
    findings = ()
    if spread >= t.cv_std_warning:
        severity = Severity.CRITICAL if spread >= t.cv_std_critical else Severity.WARNING
        findings = (narrative.finding("model.unstable", PILLAR, severity, (), evidence, low=fmt(ctx, low),
                                      high=fmt(ctx, high), metric=ctx.metric.label),)
    data = {"cv_scores": [float(s) for s in scores] if refit else [], "bootstrap_range": [] if refit else [low, high],
            "spread_sentence": narrative.spread_in_words(fmt(ctx, low), fmt(ctx, high), ctx.metric.label)}
    return CheckResult(findings, metrics={"cv_mean": evidence["cv_mean"], "cv_std": spread}, data=data, notes=(note,))


CHECKS = (
    ("model fits the data", check_model_readable),
    ("training vs held-out", check_overfitting),
    ("trivial and simple baselines", check_baseline),
    ("stability across samples", check_stability),
    ("learning curve", check_learning_curve),
    ("calibration", check_calibration),
    ("weak segments", check_weak_segments),
)
