"""Robustness: realistic noise judged against the close calls, unexpected inputs, and directions of effect.

Known answers: a hard step on one standard-normal column flips a decision with probability arctan(s)/pi under noise of
s standard deviations; an unpruned tree on noisy labels is fragile; a logistic regression and a small forest are not
(their changed decisions are close calls), over several seeds.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlready import threads
from mlready.checks import robustness
from mlready.checks.robustness import noise_effect, noise_plan, noise_severity, similar_labels
from mlready.config import Thresholds
from mlready.counterfactual import curve_direction, response_curves
from mlready.findings import Severity

from conftest import context

T = Thresholds()
SEEDS = range(5)


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    with threads.limited("small"):
        yield


def noisy_table(seed: int, n: int, label_noise: float = 0.25) -> tuple[pd.DataFrame, pd.Series]:
    """Five numbers and a whole-number column; the outcome follows three of them, with some labels flipped."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(5)})  # noqa: N806
    X["count"] = rng.integers(0, 20, n)
    logit = 1.5 * X.x0 - X.x1 + 0.5 * X.x2
    outcome = rng.random(n) < 1 / (1 + np.exp(-logit))
    outcome ^= rng.random(n) < label_noise
    return X, pd.Series(np.where(outcome, "yes", "no"))


def effect(model, seed: int, multiple: float = 1.0, n_train: int = 600, n_rows: int = 300):
    X, y = noisy_table(seed, n_train)  # noqa: N806
    rows, _ = noisy_table(seed + 1000, n_rows)
    model.fit(X, y)
    plan = noise_plan(X, y, list(X.columns), "classification", T.noise_level)
    return noise_effect(model, rows, plan, "classification", multiple, T.noise_level, T.noise_margin, 0.0, 3, seed)


def test_an_unpruned_tree_on_noisy_labels_is_sensitive_to_noise():
    for seed in SEEDS:
        found = effect(DecisionTreeClassifier(random_state=seed), seed)
        assert found.close_calls == 0  # its chances are 0 or 1: every change is a confident one
        assert found.unexpected >= T.noise_unexpected_warning, (seed, found)
        assert noise_severity(found, T) is Severity.WARNING


@pytest.mark.parametrize("make", [
    lambda seed: make_pipeline(StandardScaler(), LogisticRegression()),
    lambda seed: RandomForestClassifier(n_estimators=60, min_samples_leaf=10, random_state=seed, n_jobs=1),
], ids=["logistic", "forest"])
def test_well_behaved_models_are_not_flagged(make):
    for seed in SEEDS:
        found = effect(make(seed), seed)
        assert noise_severity(found, T) is None, (seed, found)
        assert found.unexpected < T.noise_unexpected_info


def test_changes_of_close_calls_do_not_count_against_the_model():
    """At eight times the realistic noise a logistic regression changes many decisions, all of them close calls:
    judging every change alike would flag it."""
    for seed in SEEDS:
        found = effect(make_pipeline(StandardScaler(), LogisticRegression()), seed, multiple=8.0)
        assert found.changed >= T.noise_unexpected_warning, found
        assert found.unexpected < T.noise_unexpected_info, found
        assert found.close_calls > found.changed


class Step:
    """Decides 'yes' exactly when x > 0, with certainty (a hard step, like a single tree split)."""

    classes_ = np.array(["no", "yes"])

    def predict_proba(self, X):  # noqa: N803
        yes = (X["x"].to_numpy() > 0).astype(float)
        return np.column_stack([1 - yes, yes])

    def predict(self, X):  # noqa: N803
        return self.classes_[(X["x"].to_numpy() > 0).astype(int)]


@pytest.mark.parametrize("multiple", [1.0, 4.0])
def test_share_of_flipped_decisions_matches_the_known_answer(multiple):
    rng = np.random.default_rng(7)
    train = pd.DataFrame({"x": rng.normal(size=20_000)})
    rows = pd.DataFrame({"x": rng.normal(size=4_000)})
    plan = noise_plan(train, pd.Series(np.where(train.x > 0, "yes", "no")), ["x"], "classification", T.noise_level)
    found = noise_effect(Step(), rows, plan, "classification", multiple, T.noise_level, T.noise_margin, 0.0, 2, 1)
    s = T.noise_level * multiple  # noise in standard deviations of x
    expected = math.atan(s) / math.pi
    assert found.changed == pytest.approx(expected, rel=0.25, abs=0.004)
    assert found.unexpected == found.changed


def test_labels_are_swapped_only_for_a_similar_frequent_label():
    rng = np.random.default_rng(0)
    n = 20_000
    label = pd.Series(rng.choice(["A", "B", "C", "rare"], n, p=[0.4, 0.3, 0.28, 0.02]))
    rate = label.map({"A": 0.30, "B": 0.32, "C": 0.70, "rare": 0.31})
    outcome = pd.Series(np.where(rng.random(n) < rate, "yes", "no"))
    pairs = similar_labels(label, outcome, "classification")
    assert pairs["A"] == "B" and pairs["B"] == "A"
    assert "C" not in pairs  # no frequent label with a similar outcome rate
    assert pairs["rare"] in ("A", "B") and "rare" not in pairs.values()


def test_regression_tree_is_fragile_and_ridge_is_not():
    for seed in range(3):
        rng = np.random.default_rng(seed)
        X = pd.DataFrame({f"x{i}": rng.normal(size=500) for i in range(4)})  # noqa: N806
        y = pd.Series(2 * X.x0 + X.x1 + rng.normal(scale=1.5, size=500))
        rows = pd.DataFrame({f"x{i}": rng.normal(size=300) for i in range(4)})
        plan = noise_plan(X, y, list(X.columns), "regression", T.noise_level)
        results = {}
        for name, model in (("tree", DecisionTreeRegressor(random_state=seed)), ("ridge", Ridge())):
            model.fit(X, y)
            tolerance = T.noise_regression_move * float(np.std(model.predict(rows)))
            results[name] = noise_effect(model, rows, plan, "regression", 1.0, T.noise_level, T.noise_margin,
                                         tolerance, 3, seed)
        assert noise_severity(results["tree"], T) is not None, results
        assert results["ridge"].changed == 0 and noise_severity(results["ridge"], T) is None


@pytest.fixture(scope="module")
def mixed_table() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 500
    frame = pd.DataFrame({"income": rng.normal(50, 10, n).round(1), "tenure": rng.integers(0, 30, n),
                          "region": rng.choice(["north", "south", "east"], n)})
    logit = 0.15 * (frame.income - 50) + (frame.region == "south") * 1.0
    frame["outcome"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def _context_with(frame: pd.DataFrame, model):
    X, y = frame.drop(columns="outcome"), frame["outcome"]  # noqa: N806
    return context(frame, "outcome", model=model.fit(X, y))


def test_fragile_uploaded_tree_gets_a_warning_naming_the_most_sensitive_column(mixed_table):
    noisy = mixed_table.copy()
    flip = np.random.default_rng(1).random(len(noisy)) < 0.25
    noisy.loc[flip, "outcome"] = np.where(noisy.loc[flip, "outcome"] == "yes", "no", "yes")
    prepare = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), ["region"])], remainder="passthrough")
    ctx = _context_with(noisy, make_pipeline(prepare, DecisionTreeClassifier(random_state=0)))
    result = robustness.check_noise(ctx)
    (finding,) = result.findings
    assert finding.code == "model.sensitive_to_noise" and finding.severity is Severity.WARNING
    assert finding.columns == ("income",)  # the tree splits finely on income
    assert finding.evidence["unexpected_share"] >= T.noise_unexpected_warning
    assert "decisions change" in finding.message and "close calls" in finding.message
    data = result.data
    assert data["noise_levels"] == sorted(data["noise_levels"]) and len(data["noise_changed"]) == 5
    assert data["noise_changed"][-1] >= data["noise_changed"][0]  # more noise, more changes


def test_unexpected_inputs_name_the_column_and_what_happened(mixed_table):
    strict = ColumnTransformer([("num", StandardScaler(), ["income", "tenure"]),
                                ("cat", OneHotEncoder(handle_unknown="error"), ["region"])])
    ctx = _context_with(mixed_table, make_pipeline(strict, LogisticRegression()))
    result = robustness.check_unexpected_inputs(ctx)
    (finding,) = result.findings
    assert finding.code == "model.breaks_on_unexpected_input" and finding.severity is Severity.WARNING
    assert set(finding.columns) == {"income", "tenure", "region"}
    assert "'region' with a label never seen in training: the model stopped with an error" in finding.message
    assert "'income' empty: the model stopped with an error" in finding.message
    outcomes = {(p["column"], p["input"]): p["outcome"] for p in result.data["probes"]}
    assert outcomes[(None, "order")] in ("fine", "refused")  # it reads columns by name


def test_far_off_values_swing_a_linear_regression_but_not_trees():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"size": rng.uniform(50, 150, 400), "rooms": rng.integers(1, 6, 400)})
    frame["price"] = 2 * frame["size"] + 10 * frame["rooms"] + rng.normal(0, 10, 400)
    X, y = frame[["size", "rooms"]], frame["price"]  # noqa: N806
    linear = _probe_outcomes(Ridge().fit(X, y), X, "regression")
    assert linear[("size", "far")] == "swings" and linear[("rooms", "far")] == "swings"
    tree = _probe_outcomes(DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, y), X, "regression")
    assert tree[("size", "far")] == "fine"  # a tree stays at its edge
    assert tree[("size", "missing")] == "fine"  # trees in scikit-learn send missing values down a learned branch


def _probe_outcomes(model, X, task):  # noqa: N803
    tolerance = T.noise_regression_move * float(np.std(model.predict(X))) if task == "regression" else 0.0
    probes = robustness.probe_inputs(model, X.head(60), X, list(X.columns), task, tolerance, T.swing_share)
    return {(p.column, p.kind): p.outcome for p in probes}


def test_a_model_that_reads_columns_by_position_is_critical(mixed_table):
    numbers = mixed_table[["income", "tenure", "outcome"]]

    class ByPosition(LogisticRegression):
        """Trained on bare numbers: it reads whatever comes first as 'income'."""

        def fit(self, X, y):  # noqa: N803
            return super().fit(np.asarray(X, float), y)

        def predict_proba(self, X):  # noqa: N803
            return super().predict_proba(np.asarray(X, float))

        def predict(self, X):  # noqa: N803
            return super().predict(np.asarray(X, float))

    ctx = _context_with(numbers, ByPosition())
    findings = robustness.check_unexpected_inputs(ctx).findings
    order = next(f for f in findings if "position" in f.title)
    assert order.severity is Severity.CRITICAL and order.evidence["share_changed"] > 0.2


def test_a_careful_pipeline_handles_unexpected_inputs(mixed_table):
    ctx = context(mixed_table, "outcome")  # the reference model: imputes, encodes unknown labels, trees saturate
    result = robustness.check_unexpected_inputs(ctx)
    assert result.findings == ()
    assert all(p["outcome"] == "fine" for p in result.data["probes"]), result.data["probes"]


def test_response_curves_find_a_reversal_and_a_consistent_direction():
    rng = np.random.default_rng(0)
    n = 2000
    frame = pd.DataFrame({"age": rng.uniform(18, 80, n), "income": rng.normal(50, 10, n)})
    logit = ((frame.age - 45) / 12) ** 2 - 1 + 0.2 * (frame.income - 50)
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=80, random_state=0).fit(frame, y)
    curves = {c.column: c for c in response_curves(lambda X: model.predict_proba(X)[:, 1], frame.head(150), frame,
                                                   ["age", "income"])}
    assert curves["age"].direction == "reverses_down_up"
    assert 35 <= curves["age"].turn <= 55  # planted at 45
    assert curves["income"].direction == "raises"
    assert curve_direction(np.array([0.1, 0.1, 0.1]), 0.2) == "flat"
    assert curve_direction(np.array([0.1, 0.2, 0.3, 0.29]), 0.2) == "raises"  # a small wiggle is no reversal


def test_real_tables_with_well_behaved_models_get_no_robustness_finding(german, breast_cancer):
    """An expert's view: the sample's regularised gradient-boosted model on the German credit data, and mlready's
    reference model on the breast-cancer measurements, are not fragile to realistic measurement noise (their changed
    decisions are mostly close calls), and as pipelines that impute and encode unknown labels they take empty fields,
    new labels and far-off values without failing."""
    from mlready.sample import SAMPLE_MODEL

    for ctx in (context(german, "creditability", model=str(SAMPLE_MODEL), positive_class="bad"),
                context(breast_cancer, "diagnosis")):
        noise = robustness.check_noise(ctx)
        assert noise.findings == ()
        assert noise.metrics["noise_unexpected_share"] < T.noise_unexpected_info
        assert 0 < noise.metrics["noise_changed_share"] < 0.1  # some close calls do change
        assert robustness.check_unexpected_inputs(ctx).findings == ()


# ----- wide tables: column-by-column tries stay bounded in time and memory -----------------------------------------
def test_decide_many_in_bounded_calls_gives_the_answers_of_one_call(monkeypatch):
    """Known answer: frames decided in calls of a few cells each (from a generator, consumed lazily) get exactly the
    answers and margins of one call on all of them; no call holds more than the bound plus one frame."""
    X, y = noisy_table(0, 400)  # noqa: N806
    model = LogisticRegression().fit(X, y)
    frames = [X.iloc[i * 40:(i + 1) * 40] for i in range(10)]
    whole = robustness.decide(model, pd.concat(frames, ignore_index=True), "classification")
    sizes = []
    real = robustness.decide

    def counting(m, frame, task):
        sizes.append(frame.size)
        return real(m, frame, task)

    monkeypatch.setattr(robustness, "decide", counting)
    monkeypatch.setattr(robustness, "PREDICT_CELLS", 3 * 40 * X.shape[1])
    parts = robustness.decide_many(model, (f for f in frames), "classification")
    assert len(sizes) == 4 and max(sizes) <= 3 * 40 * X.shape[1]
    assert np.array_equal(np.concatenate([p.answers for p in parts]), whole.answers)
    np.testing.assert_allclose(np.concatenate([p.margins for p in parts]), whole.margins)


def test_on_a_wide_table_column_by_column_tries_go_to_the_columns_that_matter(monkeypatch):
    """Planted: the outcome follows x0 and x1 among 40 columns; with a bound of 6 columns, both are among those tried
    one at a time (unexpected inputs and noise), and the notes say how many of how many were tried."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(600, 40)), columns=[f"c{i:02d}" for i in range(38)] + ["x0", "x1"])
    frame["y"] = np.where(2 * frame.x0 - 2 * frame.x1 + rng.normal(size=600) > 0, "yes", "no")
    model = HistGradientBoostingClassifier(max_iter=50, random_state=0).fit(frame.drop(columns="y"), frame.y)
    monkeypatch.setattr(robustness, "MAX_COLUMNS_ONE_AT_A_TIME", 6)
    ctx = context(frame, "y", model=model)
    chosen = robustness.one_at_a_time_columns(ctx, ctx.model_features)
    assert len(chosen) == 6 and {"x0", "x1"} <= set(chosen)
    probes = robustness.check_unexpected_inputs(ctx)
    assert {p["column"] for p in probes.data["probes"] if p["column"]} == set(chosen)
    assert any("the 6 that matter most" in n and "40 input columns" in n for n in probes.notes)
    noise = robustness.check_noise(ctx)
    assert set(noise.data["noise_by_column"]) == set(chosen)
    assert any("the 6 that matter most" in n for n in noise.notes)
    small = context(frame[["x0", "x1", "c00", "y"]], "y")
    assert robustness.one_at_a_time_columns(small, small.model_features) == small.model_features


def test_the_same_error_is_quoted_once_and_the_rest_are_counted_as_tries():
    """Found by a new user: '(ValueError: Input X contains NaN.)' five times in one finding, and 'and 5 more' in the
    text beside '(and 2 more)' columns in the title."""
    from mlready.checks.robustness import Probe
    from mlready.narrative.robustness import probe_list

    probes = [Probe(f"c{i}", "missing", "crashed", "ValueError: Input X contains NaN.") for i in range(7)]
    text = probe_list(probes, "classification")
    assert text.count("ValueError: Input X contains NaN.") == 1
    assert text.count("the model stopped with the same error") == 4 and text.endswith("and 2 more tries like these")
