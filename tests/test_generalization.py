"""Generalization checks on planted overfitting, useless models, unstable models and unusable model files."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from mlready import Settings, Thresholds
from mlready.checks import generalization as gen
from mlready.findings import Severity
from mlready.runner import run_pillar

from conftest import FAST, codes, context, noisy_table


def _nonlinear(n: int = 2000, seed: int = 1) -> pd.DataFrame:
    """An interaction (the sign of x0 times x1) that a linear model cannot see."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.uniform(-1, 1, size=(n, 4)), columns=[f"x{i}" for i in range(4)])
    frame["label"] = np.where(frame["x0"] * frame["x1"] > 0, "same", "opposite")
    return frame


def _fitted_on_training_rows(frame, target, estimator):
    ctx = context(frame, target)
    return estimator.fit(ctx.X_train, ctx.y_train)


def test_unpruned_tree_on_noisy_data_overfits():
    frame = noisy_table()
    tree = _fitted_on_training_rows(frame, "label", DecisionTreeClassifier(random_state=0))
    ctx = context(frame, "label", model=tree)
    result = gen.check_overfitting(ctx)
    finding = result.findings[0]
    assert finding.code == "model.overfitting" and finding.severity is Severity.CRITICAL
    assert result.metrics["train_roc_auc"] == 1.0 and result.metrics["test_roc_auc"] < 0.8
    assert "random 20% of the training data" in finding.message


def test_regularised_model_on_ample_data_does_not_overfit():
    frame = noisy_table(20000)
    logistic = _fitted_on_training_rows(frame, "label", LogisticRegression(C=0.5))
    result = gen.check_overfitting(context(frame, "label", model=logistic))
    assert result.findings == ()
    assert result.metrics["overfit_gap"] < 0.03


def test_model_no_better_than_a_guess():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(800, 4)), columns=list("abcd"))
    frame["label"] = rng.choice(["p", "q"], 800)
    finding = gen.check_baseline(context(frame, "label")).findings[0]
    assert finding.code == "model.no_better_than_baseline"
    assert finding.evidence["baseline_score"] == 0.5
    quiet = gen.check_baseline(context(_nonlinear(), "label"))
    assert quiet.findings == () and quiet.metrics["baseline_lift"] > 0.3


def test_a_simple_model_that_does_as_well_is_mentioned():
    finding = gen.check_baseline(context(noisy_table(), "label")).findings[0]
    assert finding.severity is Severity.INFO and "simpler model" in finding.title
    assert finding.evidence["simple_model_score"] >= finding.evidence["test_score"] - 0.01
    nonlinear = gen.check_baseline(context(_nonlinear(), "label")).metrics
    assert nonlinear["simple_model_roc_auc"] < nonlinear["baseline_roc_auc"] + 0.2


def test_unstable_scores_across_folds():
    strict = Settings(thresholds=Thresholds(cv_std_warning=0.001, cv_std_critical=0.5), explain_rows=20)
    finding = gen.check_stability(context(noisy_table(300), "label", settings=strict)).findings[0]
    assert finding.code == "model.unstable" and finding.evidence["folds"] == 5
    assert finding.evidence["cv_min"] < finding.evidence["cv_max"]
    assert gen.check_stability(context(noisy_table(3000), "label")).findings == ()


def test_model_trained_on_other_columns_is_unreadable_and_the_rest_goes_on():
    frame = noisy_table()
    other = frame.rename(columns={"x0": "age"})
    model = _fitted_on_training_rows(other, "label", LogisticRegression())
    ctx = context(frame, "label", model=model)
    result = run_pillar(ctx, "generalization")
    unreadable = [f for f in result.findings if f.code == "model.unreadable"]
    assert len(unreadable) == 1 and unreadable[0].severity is Severity.CRITICAL
    assert "'age'" in unreadable[0].message
    assert ctx.model_source == "reference"
    assert "test_roc_auc" in result.metrics  # the reference model was assessed instead


def test_model_with_other_classes_is_unreadable():
    frame = noisy_table()
    numeric_labels = frame.assign(label=(frame["label"] == "up").astype(int))
    model = _fitted_on_training_rows(numeric_labels, "label", LogisticRegression())
    ctx = context(frame, "label", model=model)
    assert "predicts the outcomes" in ctx.model_problem


def test_regression_and_multiclass_run_end_to_end():
    from sklearn.datasets import load_diabetes, load_wine

    diabetes = load_diabetes(as_frame=True).frame
    result = run_pillar(context(diabetes, "target"), "generalization")
    assert {"test_r2", "train_r2", "cv_std"} <= set(result.metrics)
    wine = load_wine(as_frame=True).frame
    wine["target"] = wine["target"].map({0: "barolo", 1: "grignolino", 2: "barbera"})
    result = run_pillar(context(wine, "target"), "generalization")
    assert result.metrics["test_balanced_accuracy"] > 0.8
    assert not [f for f in result.findings if f.severity is not Severity.INFO]
    assert "model.check_failed" not in codes(result.findings)


class _Frozen:
    """A fitted model wrapped so that scikit-learn cannot clone and retrain it."""

    def __init__(self, model):
        self._model = model
        self.classes_ = model.classes_

    def predict(self, X):  # noqa: N803
        return self._model.predict(X)

    def predict_proba(self, X):  # noqa: N803
        return self._model.predict_proba(X)


class _LabelsOnly:
    """A fitted classifier that gives labels but no probabilities."""

    def __init__(self, model):
        self._model = model
        self.classes_ = model.classes_

    def predict(self, X):  # noqa: N803
        return self._model.predict(X)


def test_models_that_cannot_be_retrained_are_bootstrapped():
    frame = noisy_table()
    fitted = _fitted_on_training_rows(frame, "label", LogisticRegression())
    ctx = context(frame, "label", model=_Frozen(fitted))
    result = gen.check_stability(ctx)
    assert "random resamples of the held-out rows" in result.notes[0]
    assert result.data["bootstrap_range"][0] < result.data["bootstrap_range"][1]
    # nothing is retrained on this path, so the sentence must not say so (issue 8)
    assert result.data["spread_sentence"].startswith("Tested on other random picks of the held-out rows")
    assert "retrained" not in result.data["spread_sentence"]
    assert run_pillar(ctx, "generalization").metrics["cv_std"] > 0


def test_a_model_without_probabilities_is_said_and_judged_on_accuracy():
    frame = noisy_table()
    fitted = _fitted_on_training_rows(frame, "label", LogisticRegression())
    ctx = context(frame, "label", model=_LabelsOnly(fitted))
    finding = gen.check_model_readable(ctx).findings[0]
    assert finding.code == "model.unreadable" and finding.severity is Severity.WARNING
    assert "does not say how sure it is" in finding.title
    assert ctx.metric.name == "balanced_accuracy"
    assert "balanced_accuracy" in "".join(run_pillar(ctx, "generalization").metrics)


def test_learning_curve_rising_and_flat():
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=800, n_features=30, n_informative=20, n_redundant=0, class_sep=0.8,  # noqa: N806
                               random_state=0)
    many_weak_signals = pd.DataFrame(X, columns=[f"f{i}" for i in range(30)]).assign(label=np.where(y == 1, "a", "b"))
    rising = gen.check_learning_curve(context(many_weak_signals, "label"))
    finding = rising.findings[0]
    assert finding.code == "model.more_data_would_help"
    assert finding.evidence["expected_gain_if_doubled"] >= 0.01
    assert len(rising.data["learning_sizes"]) == 5
    assert rising.data["learning_sizes"] == sorted(rising.data["learning_sizes"])
    flat = gen.check_learning_curve(context(noisy_table(20000), "label"))
    assert flat.findings == ()


def test_calibration_planted_and_clean():
    frame = noisy_table(6000)
    fitted = _fitted_on_training_rows(frame, "label", LogisticRegression())
    assert gen.check_calibration(context(frame, "label", model=fitted)).findings == ()

    class _Overconfident(_Frozen):
        def predict_proba(self, X):  # noqa: N803
            p = self._model.predict_proba(X)
            return np.clip((p - 0.5) * 3 + 0.5, 0.01, 0.99)  # pushes every chance towards 0 or 1

    result = gen.check_calibration(context(frame, "label", model=_Overconfident(fitted)))
    finding = result.findings[0]
    assert finding.code == "model.poorly_calibrated" and finding.severity is Severity.WARNING
    assert re.search(r"gives '(up|down)' a chance of \d+%, '(up|down)' actually happens \d+% of the time", finding.message)
    assert finding.evidence["expected_calibration_error"] >= 0.1
    assert len(result.data["reliability_predicted"]) == 10


def test_weak_segment_is_found_and_named():
    rng = np.random.default_rng(8)
    n = 4000
    frame = pd.DataFrame({"x": rng.normal(size=n), "channel": rng.choice(["web", "branch", "phone"], n),
                          "age": rng.integers(18, 80, n)})
    clear = frame["x"] > 0
    frame["label"] = np.where((frame["channel"] == "phone") & (rng.random(n) < 0.45), ~clear, clear)
    frame["label"] = frame["label"].map({True: "yes", False: "no"})
    # a model that does not know phone cases are a coin flip (it reads only 'x') is wrong there far more often than
    # its own chances say; a model that knows it (and says 55%) is not to blame (issue 8), so the reference model,
    # which reads 'channel', is not the one tested here
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    only_x = Pipeline([("x", ColumnTransformer([("keep", "passthrough", ["x"])])), ("lr", LogisticRegression())])
    result = gen.check_weak_segments(context(frame, "label",
                                             model=_fitted_on_training_rows(frame, "label", only_x)))
    finding = result.findings[0]
    assert finding.code == "model.weak_segment" and "channel" in finding.columns
    assert "'channel' is 'phone'" in finding.message and "of the time, against" in finding.message
    assert result.data["segments"][0]["segment"].startswith("'channel' is 'phone'") or \
        "'channel' is 'phone'" in result.data["segments"][0]["segment"]
    rng = np.random.default_rng(9)
    uniform_noise = pd.DataFrame({"x": rng.normal(size=n), "channel": rng.choice(["web", "branch", "phone"], n)})
    uniform_noise["label"] = np.where((uniform_noise["x"] > 0) ^ (rng.random(n) < 0.15), "yes", "no")
    assert gen.check_weak_segments(context(uniform_noise, "label")).findings == ()


def test_confusion_matrix_and_regression_error_in_words(german):
    result = gen.check_overfitting(context(german, "creditability", positive_class="bad"))
    assert re.match(r"Out of 100 'bad' cases, the model catches \d+ and misses \d+; it wrongly flags \d+ of 100 "
                    r"'good' ones\.", result.data["confusion_sentence"])
    from sklearn.datasets import load_diabetes

    diabetes = load_diabetes(as_frame=True).frame
    regression = gen.check_overfitting(context(diabetes, "target"))
    assert regression.metrics["test_mae"] > 0 and "are off by" in regression.data["error_sentence"]
