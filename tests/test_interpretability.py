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
    from sklearn.naive_bayes import GaussianNB

    # a model neither tree-based nor linear (a logistic regression now gets exact linear SHAP)
    frame = _directional().drop(columns="segment")
    ctx = context(frame, "default", positive_class="yes")
    ctx_model = GaussianNB().fit(ctx.X_train, ctx.y_train)
    result = check_global_importance(context(frame, "default", positive_class="yes", model=ctx_model))
    entries = {e["feature"]: e for e in result.data["global"]}
    assert result.data["method"].startswith("SHAP PermutationExplainer")
    assert entries["debt"]["direction"] == "raises" and entries["savings"]["direction"] == "lowers"


def test_single_case_contributions():
    ctx = context(_directional(), "default", positive_class="yes")
    top = case_contributions(ctx.explanation, 0, count=2)
    assert len(top) == 2 and abs(top[0][2]) >= abs(top[1][2])
    assert top[0][0] in ctx.features


def test_opaque_model_types():
    from mlready.checks.interpretability import check_opaque_model

    frame = _directional().drop(columns="segment")
    reference = context(frame, "default")
    # mlready's own yardstick model is not what would ship: its kind is no finding about the team's model
    assert reference.model_source == "reference" and check_opaque_model(reference).findings == ()
    from sklearn.ensemble import HistGradientBoostingClassifier
    boosted = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(reference.X_train, reference.y_train)
    finding = check_opaque_model(context(frame, "default", model=boosted)).findings[0]
    assert finding.code == "explain.opaque_model" and "gradient-boosted trees" in finding.message
    logistic = LogisticRegression().fit(reference.X_train, reference.y_train)
    assert check_opaque_model(context(frame, "default", model=logistic)).findings == ()


def test_unstable_explanations_on_pure_noise():
    from mlready.checks.interpretability import check_explanation_stability

    rng = np.random.default_rng(16)
    noise = pd.DataFrame(rng.normal(size=(1500, 25)), columns=[f"n{i}" for i in range(25)])
    noise["label"] = rng.choice(["a", "b"], 1500)
    finding = check_explanation_stability(context(noise, "label")).findings[0]
    assert finding.code == "explain.unstable_explanations" and finding.evidence["rank_agreement"] < 0.7
    steady = check_explanation_stability(context(_directional(), "default"))
    assert steady.findings == () and steady.metrics["explanation_rank_agreement"] > 0.9


def test_proxy_for_a_sensitive_column():
    from mlready.checks.interpretability import check_proxy_features

    rng = np.random.default_rng(17)
    n = 2000
    group = rng.choice(["group a", "group b"], n)
    frame = pd.DataFrame({"district": np.where(rng.random(n) < 0.9, group, rng.choice(["group a", "group b"], n)),
                          "income": rng.normal(size=n), "ethnicity": group})
    frame["district"] = frame["district"].map({"group a": "north side", "group b": "south side"})
    logit = frame["income"] + np.where(frame["district"] == "south side", 1.5, -1.5)
    frame["refused"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    finding = check_proxy_features(context(frame, "refused", sensitive=["ethnicity"])).findings[0]
    assert finding.code == "explain.proxy_feature" and finding.columns == ("district",)
    assert "'ethnicity'" in finding.title and finding.evidence["proxy_score"] > 0.6
    independent = _directional().assign(sex=rng.choice(["f", "m"], 1500))
    assert check_proxy_features(context(independent, "default", sensitive=["sex"])).findings == ()


def test_shaps_masking_functions_are_compiled_once_per_installation():
    """shap compiles its masking functions with numba in every process (8 s before the first explanation of a model
    that is not a tree or linear model); those that can be are kept in numba's file cache. The two that take the
    link function as an argument are not: numba keys them by an address in memory, and each process would add
    another copy to the cache."""
    from numba.core.caching import NullCache
    from shap.maskers import _tabular
    from shap.utils import _masked_model

    from mlready.explain import import_shap

    import_shap()
    from mlready import explain

    explain._cache_compiled_maskers()  # noqa: SLF001 - idempotent: shap may have been imported by an earlier test
    assert not isinstance(_tabular._delta_masking._cache, NullCache)  # noqa: SLF001
    assert not isinstance(_tabular._single_delta_mask._cache, NullCache)  # noqa: SLF001
    assert isinstance(_masked_model._build_fixed_single_output._cache, NullCache)  # noqa: SLF001
