"""Generalization checks: will the model work on data it has not seen?"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import chi2, norm
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import confusion_matrix, mean_absolute_error

from .. import narrative
from ..findings import Severity
from ..modeling import is_linear, simple_model
from . import CheckResult
from .calibration import check_calibration
from .learning import check_learning_curve
from .segments import check_weak_segments

PILLAR = "generalization"


def check_model_readable(ctx) -> CheckResult:
    """An uploaded model that does not fit the data's columns or outcomes, or gives no probabilities."""
    notes = [narrative.model_note(ctx.model_source, ctx.model_kind, ctx.model_problem)]
    if ctx.model_source == "reference":
        left_out = [c for c in ctx.features if c not in ctx.reference_features]
        empty = [c for c in left_out if c in ctx.empty_training_columns and c not in ctx.sensitive]
        words = narrative.generalization.reference_columns(
            [c for c in left_out if c not in ctx.sensitive and c not in empty],
            [c for c in left_out if c in ctx.sensitive], empty)
        if words:
            notes.append(words)
    notes = tuple(notes)
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
        train_mae = float(mean_absolute_error(ctx.y_train_scored, ctx.train_scores))  # regression scores are the predictions
        test_mae = float(mean_absolute_error(ctx.y_test, ctx.test_predictions))
        return {"train_mae": train_mae, "test_mae": test_mae}, {
            "error_sentence": narrative.average_error(ctx.target, train_mae, test_mae)}
    if ctx.positive_class is None:
        return {}, {}
    truth = ctx.y_test.astype(str).to_numpy() == str(ctx.positive_class)
    flagged = ctx.test_predictions.astype(str) == str(ctx.positive_class)
    tn, fp, fn, tp = confusion_matrix(truth, flagged, labels=[False, True]).ravel()
    recall = tp / (tp + fn) if tp + fn else None
    false_alarm = fp / (fp + tn) if fp + tn else None
    negative = next(c for c in ctx.classes if c != ctx.positive_class)
    metrics = {"test_recall": recall, "test_false_positive_rate": false_alarm}
    return {k: float(v) for k, v in metrics.items() if v is not None}, {
        "confusion": {"true_positive": int(tp), "false_negative": int(fn), "false_positive": int(fp),
                      "true_negative": int(tn)},
        "confusion_sentence": narrative.confusion_in_words(ctx.positive_class, negative, recall, false_alarm),
        "outcome_names": [str(ctx.positive_class), str(negative)]}


def overfitting_severity(train: float, test: float, chance: float, test_sd: float, thresholds) -> Severity | None:
    """How much a training-vs-held-out gap matters.

    The gap is first reduced by what the held-out score could move by chance (`test_sd`, its standard deviation over
    resamples of the held-out rows, times the one-sided normal quantile for `overfit_p_value`), then judged both in
    metric points and as a share of the training score above chance: 0.62 vs 0.55 ROC AUC (more than half of the
    apparent skill lost) is a warning, 0.98 vs 0.92 R² (6% of it) is not.
    """
    margin = float(norm.ppf(1 - thresholds.overfit_p_value)) * max(float(test_sd), 0.0)
    gap = train - test - margin
    relative = gap / max(train - chance, 1e-9)
    if gap >= thresholds.overfit_gap_critical and relative >= thresholds.overfit_relative_critical:
        return Severity.CRITICAL
    if gap >= thresholds.overfit_gap_warning and relative >= thresholds.overfit_relative_warning:
        return Severity.WARNING
    return None


def _cap(severity: Severity | None, highest: Severity) -> Severity | None:
    return severity if severity is None or severity.rank <= highest.rank else highest


def _undefined_outcomes(ctx) -> str:
    present = [f"'{c}'" for c, n in ctx.held_out_class_counts.items() if n]
    return f"the outcome {present[0]}" if len(present) == 1 else "too few outcomes"


def check_overfitting(ctx) -> CheckResult:
    """Training score against held-out score, the gap judged against the room above chance and the noise of the
    held-out rows; for an uploaded model, first whether it has been trained on the held-out rows."""
    t = ctx.settings.thresholds
    train, test = ctx.train_score, ctx.test_score
    gap = train - test
    name = ctx.metric.name
    extra_metrics, extra_data = _task_details(ctx)
    metrics = {f"train_{name}": train, f"test_{name}": test, "overfit_gap": gap, **extra_metrics}
    data = {"train_score": train, "test_score": test, "metric_label": ctx.metric.label, "metric_name": name,
            "target": str(ctx.target), **extra_data}
    notes = [narrative.note("held_out", split=ctx.split_description, rows=f"{ctx.held_out_total_rows:,}",
                            meaning=narrative.metric_meaning(name)), *_sampling_notes(ctx)]
    if not np.isfinite(test):
        notes.append(narrative.note("score_undefined", metric=ctx.metric.label, outcomes=_undefined_outcomes(ctx)))
        data.pop("test_score")
        # the model's main score on new cases is unknown: that cannot pass as "no problems" (a warning, not a
        # critical: nothing says the model is bad, only that it has not been tested)
        present = {str(c): int(n) for c, n in ctx.held_out_class_counts.items()}
        evidence = {"held_out_rows": len(ctx.X_test), "outcomes_present": sum(n > 0 for n in present.values()),
                    "outcomes_expected": len(present)}
        finding = narrative.finding("model.held_out_unusable", PILLAR, Severity.WARNING, (), evidence,
                                    metric=ctx.metric.label, outcomes=_undefined_outcomes(ctx),
                                    split=ctx.split_description)
        return CheckResult((finding,), metrics=metrics, data=data, notes=tuple(notes))
    if ctx.thin_held_out:
        notes.append(ctx.thin_held_out_note)
    review = ctx.held_out_review
    if ctx.model_source == "uploaded" and review is None and not ctx.can_refit and ctx.test is None:
        notes.append(narrative.note("held_out_unverifiable", split=ctx.split_description))
    if review is not None and review.seen:
        return _seen(ctx, review, metrics, data, notes)
    if review is not None:
        notes.append(narrative.note("held_out_verified", copy=fmt(ctx, review.copy_score),
                                    model=fmt(ctx, review.model_score), metric=ctx.metric.label))
    if ctx.model_source == "reference":  # mlready's own training settings never decide the verdict
        notes.append(narrative.note("reference_gap", train=fmt(ctx, train), test=fmt(ctx, test), metric=ctx.metric.label))
        return CheckResult((), metrics=metrics, data=data, notes=tuple(notes))
    resamples = ctx.test_score_resamples
    test_sd = float(np.std(resamples)) if len(resamples) > 1 else 0.0
    severity = overfitting_severity(train, test, ctx.metric.chance, test_sd, t)
    if ctx.thin_held_out:
        severity = _cap(severity, Severity.WARNING)
    evidence = {"train_score": train, "test_score": test, "gap": gap,
                "relative_gap": gap / max(train - ctx.metric.chance, 1e-9), "test_score_sd": test_sd}
    findings = ()
    if severity is not None:
        findings = (narrative.finding("model.overfitting", PILLAR, severity, (), evidence, train=fmt(ctx, train),
                                      test=fmt(ctx, test), split=ctx.split_description, metric=ctx.metric.label,
                                      extra=extra_data.get("error_sentence", "")),)
    return CheckResult(findings, metrics=metrics, data=data, notes=tuple(notes))


def _seen(ctx, review, metrics: dict, data: dict, notes: list) -> CheckResult:
    """The finding for an uploaded model that has most likely been trained on the held-out rows: judged by how far
    its score on rows it learned from stands above what retrained copies score on rows they never saw."""
    t = ctx.settings.thresholds
    learned = max(review.train_score, review.model_score)
    severity = overfitting_severity(learned, review.copy_score, ctx.metric.chance, review.cv_std, t)
    severity = Severity.WARNING if severity is None else severity
    if ctx.thin_held_out:
        severity = _cap(severity, Severity.WARNING)
    cv = ctx.cross_validation()
    memorised = (f" (on the rows it learned from it scores {fmt(ctx, review.train_score)}: it has memorised them)"
                 if review.train_score >= t.near_perfect else "")
    evidence = {"train_score": review.train_score, "test_score": review.model_score, "copy_score": review.full_copy_score,
                "copies_mean_score": review.copy_score,
                "cv_mean": review.cv_mean, "cv_std": review.cv_std, "gap": review.gap, "allowance": review.allowance}
    finding = narrative.finding("model.overfitting", PILLAR, severity, (), evidence, variant="held_out_seen",
                                test=fmt(ctx, review.model_score), copy=fmt(ctx, review.full_copy_score),
                                low=fmt(ctx, min(cv.scores)), high=fmt(ctx, max(cv.scores)),
                                split=ctx.split_description, metric=ctx.metric.label, memorised=memorised)
    metrics.update({"held_out_seen": 1.0, f"copy_test_{ctx.metric.name}": review.full_copy_score})
    data.update({"held_out_seen": True, "copy_score": review.full_copy_score})
    data.pop("test_score")  # no "rows it never saw" chart: the model has most likely seen them
    notes.append(narrative.note("held_out_seen", problem=ctx.held_out_problem))
    return CheckResult((finding,), metrics=metrics, data=data, notes=tuple(notes))


def check_baseline(ctx) -> CheckResult:
    """The model against a trivial guess, and against a simple linear model (both scored on the held-out rows)."""
    t = ctx.settings.thresholds
    if not np.isfinite(ctx.test_score):
        return CheckResult(notes=(narrative.note("comparisons_undefined"),))
    seen = ctx.held_out_seen
    model_scores = ctx.copy_scores() if seen else ctx.test_scores
    dummy = DummyClassifier(strategy="prior") if ctx.task == "classification" else DummyRegressor(strategy="mean")
    dummy.fit(ctx.X_train, ctx.y_train)
    baseline = ctx.score(ctx.y_test, ctx.scores_for(dummy, ctx.X_test))
    test = ctx.score(ctx.y_test, model_scores)
    lift = (test - baseline) / max(1.0 - baseline, 1e-9)
    sample = ctx.training_rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the same columns as the model (never the identifiers or sensitive columns the reference model leaves out,
        # which would make "a simple model does better" a statement about columns, not about the model)
        columns = [c for c in ctx.model_features if c in sample.columns]
        linear = simple_model(ctx.X_train[columns], ctx.task).fit(sample[columns], sample["__y"])
    simple_scores = ctx.scores_for(linear, ctx.X_test[columns])
    simple = ctx.score(ctx.y_test, simple_scores)
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
        findings = _simple_comparison(ctx, model_scores, simple_scores, test, simple, evidence)
    metrics = {f"baseline_{ctx.metric.name}": baseline, "baseline_lift": lift, f"simple_model_{ctx.metric.name}": simple}
    return CheckResult(findings, metrics=metrics, data={"baseline_score": baseline, "simple_model_score": simple},
                       notes=(narrative.note("comparisons_seen" if seen else "comparisons"),))


def _simple_comparison(ctx, model_scores, simple_scores, test: float, simple: float, evidence: dict) -> tuple:
    """A simple linear model about as good as, or better than, the model: said according to who chose the model and
    whether it is itself linear; 'better' only when the lead holds on resamples of the held-out rows."""
    t = ctx.settings.thresholds
    lead = ctx.bootstrap_scores(simple_scores, model_scores)
    p_value = float((1 + np.sum(lead[:, 0] - lead[:, 1] <= 0)) / (1 + len(lead))) if len(lead) else 1.0
    better = simple >= test + t.simple_model_better and p_value < t.simple_model_p_value
    evidence = {**evidence, "simple_lead_p_value": p_value}
    facts = dict(test=fmt(ctx, test), simple=fmt(ctx, simple), metric=ctx.metric.label,
                 kind=narrative.model_words(ctx.model_kind))
    if ctx.model_source == "reference":
        return (narrative.finding("model.no_better_than_baseline", PILLAR, Severity.INFO, (), evidence,
                                  variant="simple_reference", **facts),)
    if is_linear(ctx.model_kind):  # the same kind as the simple model: only a clear lead says something
        if not better:
            return ()
        return (narrative.finding("model.no_better_than_baseline", PILLAR, Severity.WARNING, (), evidence,
                                  variant="simple_same_kind", **facts),)
    return (narrative.finding("model.no_better_than_baseline", PILLAR, Severity.WARNING if better else Severity.INFO,
                              (), evidence, variant="simple_better" if better else "simple", **facts),)


def model_spread(spread: float, sampling: float) -> float:
    """The part of a spread of scores (standard deviation) beyond what the rows they are scored on give alone
    (the two added as variances)."""
    return float(np.sqrt(max(spread ** 2 - sampling ** 2, 0.0)))


def stability_severity(spread: float, sampling: float, thresholds, scores: int = 0) -> Severity | None:
    """A spread of scores (standard deviation of `scores` values) from `cv_std_warning` on is a warning: any single
    score can move by that much. It blocks a launch only when the model itself changes that much with the rows it
    learns from, beyond what the few rows each score is computed on explain (`sampling`), and surely so: with a
    handful of scores the spread is taken at its one-sided 95% lower confidence bound (chi-squared on scores - 1
    degrees of freedom). A spread that thin evidence could explain is said, never critical."""
    if spread < thresholds.cv_std_warning:
        return None
    lower = spread
    if scores > 1:
        unbiased = spread * np.sqrt(scores / (scores - 1))
        lower = float(unbiased * np.sqrt((scores - 1) / chi2.ppf(0.95, scores - 1)))
    if lower >= thresholds.cv_std_critical and model_spread(lower, sampling) >= thresholds.cv_std_critical:
        return Severity.CRITICAL
    return Severity.WARNING


def check_stability(ctx) -> CheckResult:
    """How much the score moves with the sample: cross-validation of copies, or, for a model that cannot be
    retrained, the held-out score recomputed on resamples of the held-out rows (nothing is retrained then)."""
    t = ctx.settings.thresholds
    cv = ctx.cross_validation()
    if cv is not None:
        scores = list(cv.scores)
        low, high = min(scores), max(scores)
        note = narrative.note("cross_validation", folds=cv.folds, rows=narrative.rows_used(cv.rows, len(ctx.X_train)),
                              sampling=_at_least_one(fmt(ctx, cv.noise)), metric=ctx.metric.label)
        variant = "reference" if ctx.model_source == "reference" else None
    else:
        scores = [float(s) for s in ctx.test_score_resamples]
        if len(scores) < 2:
            return CheckResult(notes=(narrative.note("stability_undefined"),))
        low, high = (float(v) for v in np.percentile(scores, [5, 95]))
        note = narrative.note("bootstrap", rounds=len(scores))
        variant = "bootstrap"
    spread = float(np.std(scores))
    noise = cv.noise if cv is not None else spread
    evidence = {"cv_mean": float(np.mean(scores)), "cv_std": spread, "cv_min": float(low), "cv_max": float(high),
                "folds": len(scores) if cv is not None else 0, "bootstrap_rounds": 0 if cv is not None else len(scores),
                "sampling_spread": noise, "model_spread": model_spread(spread, noise)}
    findings = ()
    if spread >= t.cv_std_warning:
        severity = stability_severity(spread, noise, t, len(scores) if cv is not None else 0)
        findings = (narrative.finding("model.unstable", PILLAR, severity, (), evidence, variant=variant,
                                      low=fmt(ctx, low), high=fmt(ctx, high), metric=ctx.metric.label),)
    data = {"cv_scores": [float(s) for s in scores] if cv is not None else [],
            "bootstrap_range": [] if cv is not None else [low, high],
            "spread_sentence": narrative.spread_in_words(fmt(ctx, low), fmt(ctx, high), ctx.metric.label,
                                                         retrained=cv is not None)}
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


def _at_least_one(shown: str) -> str:
    """'less than 1' for a movement that rounds to 0 on the scale shown ('moves by about 0' reads as no movement)."""
    return "less than 1" if shown in ("0", "0.0", "0.00") else shown


def _sampling_notes(ctx) -> list[str]:
    """What large data was sampled for, in the notes (written even when the held-out score cannot be measured)."""
    how = ("a random sample that keeps each outcome's share" if ctx.task == "classification"
           else "a random sample")
    facts = dict(seed=ctx.settings.seed, how=how)
    notes = []
    if ctx.model_source == "reference" and ctx.model_rows is not None:
        notes.append(narrative.note("reference_sampled", rows=f"{ctx.reference_fit_rows:,}",
                                    total=f"{len(ctx.X_train):,}", **facts))
    if ctx.train_score_rows is not None and not (ctx.model_source == "reference"
                                                 and len(ctx.train_score_rows) == ctx.reference_fit_rows):
        reference = ctx.model_source == "reference"
        notes.append(narrative.note("train_score_sampled", rows=f"{len(ctx.train_score_rows):,}",
                                    total=f"{ctx.reference_fit_rows if reference else len(ctx.X_train):,}",
                                    which="rows the model learned from" if reference else "training rows", **facts))
    if ctx.held_out_sampled:
        rule = (f"; a sample is taken only when every outcome keeps at least {ctx.settings.sampled_min_class_rows:,} rows in it"
                if ctx.task == "classification" else "")
        notes.append(narrative.note("held_out_sampled", rows=f"{len(ctx.X_test):,}",
                                    total=f"{ctx.held_out_total_rows:,}", rule=rule, **facts))
    return notes
