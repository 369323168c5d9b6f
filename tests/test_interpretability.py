"""Explanations: SHAP importance per input column, directions in words, and a dominant column."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from mlready.checks.interpretability import check_global_importance
from mlready.explain import case_contributions

from conftest import context


def _directional(n: int = 1500) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"debt": rng.normal(size=n), "savings": rng.normal(size=n), "noise": rng.normal(size=n),
                          "segment": rng.choice(["retail", "business"], n)})
    logit = 1.5 * frame["debt"] - 1.2 * frame["savings"] + (frame["segment"] == "business") * 1.0
    frame["default"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def test_directions_and_sentences_follow_the_data():
    result = check_global_importance(context(_directional(), "default", positive_class="yes"))
    entries = {e["feature"]: e for e in result.data["global"]}
    assert list(entries)[:2] == ["debt", "savings"] or set(list(entries)[:2]) == {"debt", "savings"}
    assert entries["debt"]["direction"] == "raises"
    assert entries["savings"]["direction"] == "lowers"
    assert entries["debt"]["sentence"] == "Higher 'debt' pushes predictions towards 'yes'."
    assert entries["segment"]["direction"] == "raises" and "'business'" in entries["segment"]["sentence"]
    assert set(entries) == {"debt", "savings", "noise", "segment"}  # one entry per input column
    assert result.data["method"].startswith("SHAP TreeExplainer")
    assert result.findings == ()


def test_dominant_feature_is_flagged():
    frame = _directional()
    frame["default"] = np.where(frame["debt"] > 0.3, "yes", "no")
    result = check_global_importance(context(frame, "default", positive_class="yes"))
    finding = result.findings[0]
    assert finding.code == "explain.dominant_feature" and finding.columns == ("debt",)
    assert finding.evidence["importance_share"] >= 0.5


def test_model_agnostic_explanations_for_other_models():
    frame = _directional().drop(columns="segment")
    ctx = context(frame, "default", positive_class="yes")
    ctx_model = LogisticRegression().fit(ctx.X_train, ctx.y_train)
    result = check_global_importance(context(frame, "default", positive_class="yes", model=ctx_model))
    entries = {e["feature"]: e for e in result.data["global"]}
    assert result.data["method"].startswith("SHAP PermutationExplainer")
    assert entries["debt"]["direction"] == "raises" and entries["savings"]["direction"] == "lowers"


def test_single_case_contributions():
    ctx = context(_directional(), "default", positive_class="yes")
    top = case_contributions(ctx.explanation, 0, count=2)
    assert len(top) == 2 and abs(top[0][2]) >= abs(top[1][2])
    assert top[0][0] in ctx.features
