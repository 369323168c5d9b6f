"""Generalization checks on planted overfitting, useless models, unstable models and unusable model files."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from mlready import Settings, Thresholds
from mlready.checks import generalization as gen
from mlready.findings import Severity
from mlready.runner import run_pillar

from conftest import FAST, codes, context


def _noisy(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, 6)), columns=[f"x{i}" for i in range(6)])
    signal = frame["x0"] + 0.5 * frame["x1"] + rng.normal(scale=1.5, size=n)
    frame["label"] = np.where(signal > 0, "up", "down")
    return frame


def _fitted_on_training_rows(frame, target, estimator):
    ctx = context(frame, target)
    return estimator.fit(ctx.X_train, ctx.y_train)


def test_unpruned_tree_on_noisy_data_overfits():
    frame = _noisy()
    tree = _fitted_on_training_rows(frame, "label", DecisionTreeClassifier(random_state=0))
    ctx = context(frame, "label", model=tree)
    result = gen.check_overfitting(ctx)
    finding = result.findings[0]
    assert finding.code == "model.overfitting" and finding.severity is Severity.CRITICAL
    assert result.metrics["train_roc_auc"] == 1.0 and result.metrics["test_roc_auc"] < 0.8
    assert "random 20% of the training data" in finding.message


def test_regularised_model_on_ample_data_does_not_overfit():
    frame = _noisy(20000)
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
    quiet = gen.check_baseline(context(_noisy(), "label"))
    assert quiet.findings == () and quiet.metrics["baseline_lift"] > 0.3


def test_unstable_scores_across_folds():
    strict = Settings(thresholds=Thresholds(cv_std_warning=0.001, cv_std_critical=0.5), explain_rows=20)
    finding = gen.check_stability(context(_noisy(300), "label", settings=strict)).findings[0]
    assert finding.code == "model.unstable" and finding.evidence["folds"] == 5
    assert finding.evidence["cv_min"] < finding.evidence["cv_max"]
    assert gen.check_stability(context(_noisy(3000), "label")).findings == ()


def test_model_trained_on_other_columns_is_unreadable_and_the_rest_goes_on():
    frame = _noisy()
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
    frame = _noisy()
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
    assert not codes(result.findings) & {"model.no_better_than_baseline", "generalization.check_failed"}
