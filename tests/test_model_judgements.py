"""Model judgements that hold up (issue 8, part A): each statistic against a known answer.

Null cases use a model that predicts the TRUE probability, so every finding against it is a false alarm; planted
cases must be found with numbers close to the planted ones; each test fails when its statistic is deliberately
broken (the breakage it guards against is named in the test's docstring). Loops over seeds call the statistics
directly on small synthetic data; full contexts are kept few and small.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from mlready import Settings, Thresholds, narrative, threads
from mlready.assessment import Assessment
from mlready.checks import generalization as gen
from mlready.checks.calibration import calibration_severity, calibration_test
from mlready.checks.learning import doubling_gain
from mlready.checks.segments import search_weak_segments
from mlready.context import balanced_accuracy, held_out_seen, r_squared, roc_auc
from mlready.findings import Severity
from mlready.runner import run_pillar

from conftest import FAST, codes, context, noisy_table

DATA = Path(__file__).parent / "data"
T = Thresholds()


def _logistic(z):
    return 1 / (1 + np.exp(-z))


class TrueChance:
    """A 'model' that gives each row its true probability (from the formula the data was drawn with): every finding
    against it is a false alarm. It cannot be cloned, so nothing retrains it."""

    def __init__(self, chance, classes=("no", "yes")):
        self.chance = chance
        self.classes_ = np.asarray(classes, dtype=object)

    def predict_proba(self, X):  # noqa: N803
        p = np.clip(self.chance(X), 1e-6, 1 - 1e-6)
        return np.column_stack([1 - p, p])

    def predict(self, X):  # noqa: N803
        return self.classes_[(self.chance(X) >= 0.5).astype(int)]


def _inputs(frame):
    return frame.drop(columns="label")


# ----- the metrics themselves -------------------------------------------------------------------------------
def test_fast_metrics_equal_scikit_learns():
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(50):
            n = int(rng.integers(5, 200))
            truth = rng.random(n) < 0.3
            truth[:2] = [True, False]
            scores = np.round(rng.random(n), 1)  # ties
            assert roc_auc(truth, scores) == pytest.approx(roc_auc_score(truth, scores), abs=1e-12)
            labels, guesses = rng.choice(list("abc"), n), rng.choice(list("abcd"), n)
            assert balanced_accuracy(labels, guesses) == pytest.approx(balanced_accuracy_score(labels, guesses))
            y, f = rng.normal(size=n), rng.normal(size=n)
            assert r_squared(y, f) == pytest.approx(r2_score(y, f))
    assert np.isnan(roc_auc(np.zeros(10, bool), np.arange(10)))  # one outcome only: undefined, never a warning


# ----- training vs held-out -----------------------------------------------------------------------------------
def test_overfitting_is_judged_against_the_room_above_chance_and_the_noise():
    """Breakage guarded against: overfitting judged on the absolute gap only; the held-out noise ignored."""
    judged = lambda *a: gen.overfitting_severity(*a, T)  # noqa: E731 - train, test, chance, sd of test
    assert judged(0.98, 0.92, 0.0, 0.0) is None              # R²: 6% of the skill lost is no warning
    assert judged(0.62, 0.55, 0.5, 0.0) is Severity.WARNING  # ROC AUC: more than half of the skill lost
    assert judged(1.00, 0.61, 0.5, 0.02) is Severity.CRITICAL
    assert judged(0.80, 0.72, 0.5, 0.0) is Severity.WARNING
    assert judged(0.80, 0.72, 0.5, 0.05) is None             # the same gap on a few noisy held-out rows


@pytest.fixture(scope="module")
def noisy_tree_contexts():
    """An unpruned tree on noisy data, trained on the training rows only, and one trained on every row."""
    frame = noisy_table(1000)
    honest = context(frame, "label")
    tree = DecisionTreeClassifier(random_state=0)
    on_training = tree.fit(honest.X_train, honest.y_train)
    on_all = DecisionTreeClassifier(random_state=0).fit(_inputs(frame), frame["label"])
    return context(frame, "label", model=on_training), context(frame, "label", model=on_all)


def test_cross_validation_scores_folds_on_rows_the_copy_never_saw(noisy_tree_contexts):
    """Breakage guarded against: cross-validation folds scored on their own training rows (a memorising tree
    would then score 1.0 in every fold)."""
    trained_on_train, _ = noisy_tree_contexts
    with threads.limited("small"):
        cv = trained_on_train.cross_validation()
        unseen = trained_on_train.test_score
    assert len(cv.scores) == 5 and max(cv.scores) < 0.75
    assert cv.mean == pytest.approx(unseen, abs=0.08)  # folds score like fresh rows do, far from 1.0


def test_a_model_trained_on_the_held_out_rows_is_caught_and_not_graded_there(noisy_tree_contexts):
    """The unpruned tree trained on every row scores 1.00 on the 'held-out' 20%; copies retrained without them
    score about 0.6. Breakage guarded against: grading it on rows it has seen (100/100)."""
    honest, seen = noisy_tree_contexts
    with threads.limited("small"):
        assert not honest.held_out_seen and honest.held_out_problem is None
        assert seen.held_out_seen
        result = run_pillar(seen, "generalization")
    review = seen.held_out_review
    assert review.model_score == 1.0 and review.copy_score == pytest.approx(honest.test_score, abs=0.05)
    assert review.full_copy_score == pytest.approx(honest.test_score, abs=1e-9)  # the same tree, retrained
    finding = next(f for f in result.findings if f.code == "model.overfitting")
    assert finding.severity is Severity.CRITICAL and "most likely been trained on the rows used to test it" in finding.title
    assert "Give mlready held-out data the model has never seen" in finding.action
    assert finding.evidence["copy_score"] < 0.7 and "scores 100 (ranking score out of 100, where 50 is a coin toss) on the held-out rows" in finding.message
    assert "most likely trained on them" in seen.held_out_problem
    assert not {"model.poorly_calibrated", "model.weak_segment"} & codes(result.findings)
    assert sum("not judged, because the model has most likely been trained on the held-out rows" in n
               for n in result.notes) == 2  # calibration and weak segments
    headline = narrative.pillar_headline("generalization", result)
    assert "most likely learned from the rows kept back to test it" in headline
    assert "copies retrained without them score only" in headline


def test_the_seen_rule_allows_for_the_spread_of_the_copies():
    """Breakage guarded against: a gap judged without the copies' spread, or without a size that matters."""
    cv_tight, cv_wide = [0.70, 0.71, 0.69, 0.70, 0.70], [0.60, 0.75, 0.66, 0.80, 0.70]
    assert held_out_seen(0.78, 0.80, 0.70, cv_tight, 0.0, T)      # 8 points above, spread 0.6 points
    assert not held_out_seen(0.78, 0.80, 0.70, cv_wide, 0.0, T)   # 8 points above, spread 6.8 points
    assert not held_out_seen(0.73, 0.80, 0.70, cv_tight, 0.0, T)  # significant but only 3 points
    assert not held_out_seen(0.78, 0.80, 0.70, cv_tight, 0.06, T)  # explained by learning from more rows
    assert not held_out_seen(0.78, 0.80, 0.70, cv_tight, 0.0, T, test_sd=0.04)  # a few noisy held-out rows
    assert held_out_seen(1.0, 1.0, 0.90, [0.9, 0.7, 0.95, 0.8, 0.85], 0.0, T)  # near-perfect where copies are not


def test_models_that_never_saw_the_held_out_rows_are_not_called_seen():
    """Null case over 20 seeds: unpruned trees trained on other rows from the same source (the uploaded table is
    new to them) vary a lot from sample to sample; none may be called 'trained on the held-out rows'. Planted:
    the same trees trained on the whole table are all caught."""
    from sklearn.base import clone

    called, caught = 0, 0
    with threads.limited("small"):
        for seed in range(20):
            frame, other = noisy_table(400, seed), noisy_table(400, 1000 + seed)
            tree = DecisionTreeClassifier(min_samples_leaf=2, random_state=seed)
            fresh = context(frame, "label", model=clone(tree).fit(_inputs(other), other["label"]))
            called += fresh.held_out_seen
            if seed < 5:
                seen = context(frame, "label", model=clone(tree).fit(_inputs(frame), frame["label"]))
                caught += seen.held_out_seen
    assert called == 0 and caught == 5


def test_copies_on_a_sample_allow_for_the_model_learning_from_more_rows():
    """Large data: the copies learn from a 300-row sample of the 2,400 training rows, so a forest trained on all of
    them is ahead of its copies without having seen the held-out rows; a forest trained on every row is caught."""
    from sklearn.ensemble import RandomForestClassifier

    settings = Settings(explain_rows=20, max_rows_checks=300)
    with threads.limited("small"):
        for seed in range(3):
            frame = noisy_table(3000, seed)
            split = context(frame, "label", settings=settings)
            forest = lambda: RandomForestClassifier(20, min_samples_leaf=3, random_state=seed)  # noqa: E731
            own = context(frame, "label", model=forest().fit(split.X_train, split.y_train), settings=settings)
            every = context(frame, "label", model=forest().fit(_inputs(frame), frame["label"]), settings=settings)
            assert not own.held_out_seen and every.held_out_seen
            assert len(own.cross_validation().held_out_scores) == 5


def test_a_model_that_cannot_be_retrained_is_said_to_be_unverifiable():
    frame = noisy_table(600)
    ctx = context(frame, "label", model=TrueChance(lambda X: _logistic(X["x0"] + 0.5 * X["x1"]), ("down", "up")))
    result = gen.check_overfitting(ctx)
    assert ctx.held_out_review is None and not ctx.held_out_seen
    assert any("could not check whether it was trained on the held-out rows" in n for n in result.notes)


# ----- spread: cross-validation or resampled held-out rows --------------------------------------------------
def test_resampled_held_out_spread_matches_the_real_sampling_spread():
    """A model that cannot be retrained: its held-out score's spread over resamples of the held-out rows must match
    how much the score really moves from one held-out sample to another (simulated from the true chances).
    Breakage guarded against: the spread replaced by a constant."""
    chance = lambda X: _logistic(1.2 * X["x0"])  # noqa: E731
    model = TrueChance(chance, ("down", "up"))
    spreads = {}
    rng = np.random.default_rng(5)
    for rows in (200, 1000):
        x = rng.normal(size=(5 * rows, 1))
        frame = pd.DataFrame({"x0": x[:, 0]})
        frame["label"] = np.where(rng.random(len(frame)) < chance(frame), "up", "down")
        ctx = context(frame, "label", model=model)
        bootstrap = float(np.std(ctx.test_score_resamples))
        fresh = []
        for _ in range(300):  # new held-out samples of the same size, scored directly
            z = rng.normal(size=len(ctx.y_test))
            truth = rng.random(len(z)) < _logistic(1.2 * z)
            fresh.append(roc_auc(truth, _logistic(1.2 * z)))
        spreads[rows] = bootstrap
        assert bootstrap == pytest.approx(float(np.std(fresh)), rel=0.3)
    assert spreads[200] > 1.8 * spreads[1000]  # about sqrt(5) times: a constant cannot do this


def test_a_spread_that_thin_folds_explain_is_never_critical():
    """Breakage guarded against: instability judged on the fold spread alone. A logistic regression on 120 rows
    (24-row folds) moves by 0.1 ROC AUC from fold to fold only because each fold is scored on a few rows: at most
    a warning, in 10 of 10 runs. A spread beyond what the rows explain still blocks a launch."""
    from sklearn.base import clone

    assert gen.stability_severity(0.15, 0.14, T) is Severity.WARNING
    assert gen.stability_severity(0.15, 0.03, T) is Severity.CRITICAL
    assert gen.stability_severity(0.15, 0.03, T, scores=5) is Severity.WARNING  # five folds cannot show it surely
    assert gen.stability_severity(0.25, 0.03, T, scores=5) is Severity.CRITICAL
    assert gen.stability_severity(0.03, 0.0, T) is None
    with threads.limited("small"):
        for seed in range(10):
            rng = np.random.default_rng(seed)
            frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=list("abc"))
            frame["label"] = np.where(rng.random(120) < _logistic(frame["a"]), "up", "down")
            split = context(frame, "label")
            ctx = context(frame, "label", model=clone(LogisticRegression()).fit(split.X_train, split.y_train))
            cv = ctx.cross_validation()
            assert 0.06 < cv.noise < 0.2  # what 24 rows allow
            assert gen.stability_severity(cv.std, cv.noise, T, len(cv.scores)) is not Severity.CRITICAL
            assert gen.stability_severity(cv.std, cv.noise, T) is not Severity.CRITICAL  # even without the bound


# ----- learning curve -----------------------------------------------------------------------------------------
def test_doubling_gain_reads_the_last_doubling_only():
    """Known answers on planted curves. Breakage guarded against: the gain tripled; a fit over every point (the
    steep early steps) instead of the last doubling; a rise claimed after the last point fell."""
    sizes = [100, 200, 400, 800]
    half, gain, rising = doubling_gain(sizes, [0.60, 0.70, 0.74, 0.76])
    assert sizes[half] == 400 and gain == pytest.approx(0.02) and rising
    _, gain, rising = doubling_gain([80, 200, 400, 600, 800], [0.6, 0.7, 0.8, 0.83, 0.82])
    assert gain == 0.0 and not rising  # the last step fell: no "still rising"
    _, gain, _ = doubling_gain([250, 500, 1000], [0.90, 0.95, 0.98])
    assert gain == pytest.approx(0.01)  # capped at half the room left below 1 (0.03 read off the curve)
    _, gain, _ = doubling_gain([100, 300, 600], [0.5, 0.6, 0.66])
    assert gain == pytest.approx(0.06)  # sizes 300 -> 600 are one doubling


def test_learning_curve_ends_with_the_real_model_and_speaks_of_the_sizes_used():
    """The reference model's curve is drawn on a 400-row sample of 800 training rows: its last point is the real
    model at 800 rows with its real held-out score, and any sentence speaks of 800 and 1,600 rows."""
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=1000, n_features=30, n_informative=20, n_redundant=0, class_sep=0.8,  # noqa: N806
                               random_state=0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(30)]).assign(label=np.where(y == 1, "a", "b"))
    ctx = context(frame, "label", settings=Settings(explain_rows=20, max_rows_checks=400))
    with threads.limited("small"):
        result = gen.check_learning_curve(ctx)
    sizes, scores = result.data["learning_sizes"], result.data["learning_scores"]
    assert sizes[-1] == len(ctx.X_train) == 800 and max(sizes[:-1]) <= 400
    assert scores[-1] == pytest.approx(ctx.test_score)
    for finding in result.findings:
        assert "on 800 rows" in finding.message and "about 1,600 rows" in finding.message
        assert "reference model" in finding.message


# ----- calibration ----------------------------------------------------------------------------------------------
def test_a_perfectly_calibrated_model_is_not_called_poorly_calibrated():
    """Null case: outcomes drawn from the stated chances, 200-500 rows, 40 seeds. The raw binned ECE crosses the
    old 5-point line in about half of these runs; judged against calibration noise, at most 2 in 40 may.
    Breakage guarded against: the ECE judged without the null comparison."""
    alarms, raw_alarms = 0, 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        rows = (200, 300, 500)[seed % 3]
        chance = _logistic(rng.normal(0, 1.5, rows))
        outcome = rng.random(rows) < chance
        test = calibration_test(chance, outcome, 300, seed)
        alarms += calibration_severity(test, T) is not None
        raw_alarms += test.ece >= T.ece_info
    assert alarms <= 2 and raw_alarms >= 10


def test_an_overconfident_model_is_caught_with_about_the_planted_error():
    """Planted: chances pushed towards 0 and 1 (logit tripled), 500 rows, 10 seeds: always a warning, and the error
    beyond noise close to the planted binned error."""
    for seed in range(10):
        rng = np.random.default_rng(100 + seed)
        logit = rng.normal(0, 1.2, 500)
        outcome = rng.random(500) < _logistic(logit)
        stated = _logistic(3 * logit)
        test = calibration_test(stated, outcome, 300, seed)
        truth = np.mean(np.abs(stated - _logistic(logit)))
        assert calibration_severity(test, T) is Severity.WARNING
        assert test.excess == pytest.approx(truth, abs=0.05)


def test_calibration_check_on_a_true_chance_model_finds_nothing():
    chance = lambda X: _logistic(X["x0"] + 0.5 * X["x1"])  # noqa: E731
    for seed in range(3):
        rng = np.random.default_rng(seed)
        frame = pd.DataFrame(rng.normal(size=(1500, 2)), columns=["x0", "x1"])
        frame["label"] = np.where(rng.random(1500) < chance(frame), "up", "down")
        result = gen.check_calibration(context(frame, "label", model=TrueChance(chance, ("down", "up"))))
        assert result.findings == () and result.metrics["ece_excess"] < T.ece_info


# ----- weak segments --------------------------------------------------------------------------------------------
def _segment_table(rows: int, seed: int, flip_in_phone: float = 0.0, coin_flip_in_branch: bool = False):
    """Held-out rows with slices (channel, region, two number columns), the true chance of 'yes' per row, and the
    outcome. `flip_in_phone`: share of phone cases whose outcome is flipped, a weakness the model does not know of;
    `coin_flip_in_branch`: the truth in branch cases is near 50%, and a true-chance model says so."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"channel": rng.choice(["web", "branch", "phone"], rows),
                          "region": rng.choice(["north", "south", "east", "west"], rows),
                          "x": rng.normal(size=rows), "age": rng.integers(18, 80, rows)})
    chance = _logistic(2.5 * frame["x"].to_numpy())
    if coin_flip_in_branch:
        chance = np.where(frame["channel"] == "branch", 0.45 + 0.1 * rng.random(rows), chance)
    outcome = rng.random(rows) < chance
    flipped = (frame["channel"] == "phone").to_numpy() & (rng.random(rows) < flip_in_phone)
    return frame, chance, outcome ^ flipped


def _slices(frame):
    found = {}
    for column in ("channel", "region"):
        for value in frame[column].unique():
            found[((column, value),)] = (frame[column] == value).to_numpy()
    for column in ("x", "age"):
        edges = np.quantile(frame[column], [0, 0.25, 0.5, 0.75, 1])
        for low, high in zip(edges[:-1], edges[1:]):
            found[((column, f"{low:.2f} to {high:.2f}"),)] = ((frame[column] >= low) & (frame[column] <= high)).to_numpy()
    return found


def _search(frame, chance, outcome, seed, **options):
    said_yes = chance >= 0.5
    errors = (said_yes != outcome).astype(float)
    expected = np.where(said_yes, 1 - chance, chance)
    return search_weak_segments(_slices(frame), errors, kind="error_rate", expected=expected, simulations=200,
                                seed=seed, **options)


def test_a_true_chance_model_has_no_weak_segments():
    """Null case over 30 seeds (600 held-out rows, 15 slices and the pairs of the top 8): at most 2 false alarms,
    including where the truth is a coin flip and the model says so. Breakage guarded against: weak segments
    without a correction for the search (a per-slice test flags noise in most runs)."""
    alarms = 0
    for seed in range(30):
        frame, chance, outcome = _segment_table(600, seed, coin_flip_in_branch=seed % 2 == 0)
        alarms += bool(_search(frame, chance, outcome, seed).weak)
    assert alarms <= 2


def test_a_coin_flip_slice_is_not_blamed_on_a_model_that_says_so():
    """Through the check: where the truth is near 50% (branch cases) a true-chance model says 50% and is right half
    the time there, against about 85% overall. Not its fault, so not a weak segment. Breakage guarded against: a
    slice's errors not compared with what the model's own chances expect there."""
    def chance(X):  # noqa: N803
        return np.where(X["channel"] == "branch", 0.5, _logistic(2.5 * X["x"].to_numpy()))

    for seed in range(3):
        frame, _, _ = _segment_table(3000, 300 + seed)
        frame["label"] = np.where(np.random.default_rng(seed).random(len(frame)) < chance(frame), "yes", "no")
        ctx = context(frame, "label", model=TrueChance(chance))
        branch = (ctx.X_test["channel"] == "branch").to_numpy()
        wrong = ctx.y_test.to_numpy() != ctx.test_predictions
        assert wrong[branch].mean() > wrong.mean() + 0.15  # much weaker there, by the raw error rate
        assert gen.check_weak_segments(ctx).findings == ()


def test_a_search_without_correction_would_cry_wolf():
    """The same null data judged slice by slice (p-value not adjusted for the search) flags noise often: the
    correction is what keeps the test above quiet."""
    alarms = 0
    for seed in range(30):
        frame, chance, outcome = _segment_table(600, seed)
        said_yes = chance >= 0.5
        errors = (said_yes != outcome).astype(float)
        expected = np.where(said_yes, 1 - chance, chance)
        alarms += bool(search_weak_segments(_slices(frame), errors, kind="error_rate", error_gap=0.0,
                                            expected=expected, simulations=200, seed=seed, p_value=1.0).weak)
    assert alarms >= 20


def test_a_weakness_the_model_does_not_know_of_is_found():
    """Planted: 40% of phone outcomes flipped while the model keeps its usual confidence; found in at least 9 of 10
    runs, with an error close to the planted one and the model's own expectation close to its usual error."""
    found = 0
    for seed in range(10):
        frame, chance, outcome = _segment_table(1200, 50 + seed, flip_in_phone=0.4)
        weak = _search(frame, chance, outcome, seed).weak
        phone = next((s for s in weak if s.key == (("channel", "phone"),)), None)
        if phone is not None:
            found += 1
            usual = np.mean(np.minimum(chance, 1 - chance)[frame["channel"] == "phone"])
            planted = usual + 0.4 * (1 - 2 * usual)  # 40% of the outcomes flipped
            assert phone.error == pytest.approx(planted, abs=0.06) and phone.p_value < 0.05
            assert phone.expected == pytest.approx(usual, abs=0.02)
            assert all(("channel", "phone") in s.key for s in weak)  # nothing else is called weak
    assert found >= 9


def test_regression_weak_segments_null_and_planted():
    """Without probabilities, errors are permuted across rows: equal noise everywhere is quiet in 10 of 10 runs;
    three times the noise in one channel is found in 10 of 10."""
    for seed in range(10):
        rng = np.random.default_rng(200 + seed)
        frame = pd.DataFrame({"channel": rng.choice(["web", "branch", "phone"], 600),
                              "region": rng.choice(["north", "south"], 600), "x": rng.normal(size=600),
                              "age": rng.integers(18, 80, 600)})
        even = np.abs(rng.normal(size=600))
        assert not search_weak_segments(_slices(frame), even, kind="mae", simulations=200, seed=seed).weak
        planted = even * np.where(frame["channel"] == "phone", 3.0, 1.0)
        weak = search_weak_segments(_slices(frame), planted, kind="mae", simulations=200, seed=seed).weak
        assert weak and any(("channel", "phone") in s.key for s in weak)


# ----- mlready's own reference model ------------------------------------------------------------------------------
def test_a_two_row_outcome_does_not_flip_the_generalization_verdict():
    """Case tiny-class-flips-verdict: two 'fraud' rows used to switch early stopping off, the reference model
    memorised its rows and generalization went from a warning to critical. The two files now get the same
    generalization findings, and mlready's own model's train/held-out gap is a note, never a finding."""
    results = {}
    with threads.limited("small"):
        for name in ("train", "control"):
            ctx = context(pd.read_csv(DATA / "tiny-class-flips-verdict" / f"{name}.csv"), "status")
            found = [*gen.check_overfitting(ctx).findings, *gen.check_stability(ctx).findings]
            results[name] = ({(f.code, f.severity) for f in found}, ctx.model[-1].n_iter_, ctx.train_score)
    assert results["train"][0] == results["control"][0]
    assert abs(results["train"][1] - results["control"][1]) <= 15  # boosting rounds decided alike
    assert results["train"][2] < 0.8  # no memorising (it scored 0.99 on its training rows)


def test_the_blank_flag_keeps_its_information_in_the_reference_model():
    """Case single-value-plus-blanks: 'has_guarantor' is 1 or blank, and the blank is the signal. The reference
    model no longer fills blanks with the median, so the flag gets real SHAP importance and the held-out ROC AUC
    is close to what the flag alone gives (0.85 on the whole file); the SHAP values still add up with blanks."""
    frame = pd.read_csv(DATA / "single-value-plus-blanks" / "train.csv")
    ctx = context(frame, "default")
    with threads.limited("small"):
        explanation = ctx.explanation
        assert ctx.test_score > 0.88
    importance = explanation.importance()
    assert explanation.method.startswith("SHAP TreeExplainer")  # exact tree SHAP kept: it adds up with NaN
    assert importance.index[0] == "has_guarantor" and importance["has_guarantor"] > 0.2 * importance.sum()


def test_the_reference_model_reads_neither_identifiers_nor_sensitive_columns_and_says_so():
    frame = noisy_table(300).assign(customer_id=[f"c{i:05d}" for i in range(300)], sex=np.random.default_rng(1).choice(["f", "m"], 300))
    ctx = context(frame, "label", sensitive=["sex"])
    notes = gen.check_model_readable(ctx).notes
    assert "customer_id" not in ctx.reference_features and "sex" not in ctx.reference_features
    assert any("does not read the identifier column 'customer_id'" in n and "sensitive column 'sex'" in n for n in notes)


def test_reference_results_speak_of_the_data_and_never_ask_to_justify_mlreadys_choices():
    for verdict in ("ready", "ready_with_caveats", "not_ready"):
        for critical in (True, False):
            sentence = narrative.verdict_sentence(verdict, critical, reference=True)
            assert sentence.startswith("These results are for a model mlready trained to test your data")
            assert "can go ahead" not in sentence
    assert "can go ahead" in narrative.verdict_sentence("ready_with_caveats", False)
    finding = gen.check_baseline(context(noisy_table(), "label")).findings[0]  # a linear model does as well here
    assert finding.code == "model.no_better_than_baseline" and finding.severity is Severity.INFO
    assert "Ask why" not in finding.action and "mlready trained as its reference" in finding.message


def test_an_uploaded_logistic_regression_is_not_the_more_complex_model():
    frame = noisy_table()
    honest = context(frame, "label")
    logistic = LogisticRegression().fit(honest.X_train, honest.y_train)
    result = gen.check_baseline(context(frame, "label", model=logistic))
    assert all("more complex" not in f.message for f in result.findings)
    assert result.findings == ()  # about as good as a plain refit of its own kind: nothing to say


def test_a_handful_of_held_out_rows_of_an_outcome_downgrades_the_judgements():
    """Five held-out rows of 'yes': a training-vs-held-out gap cannot be critical, calibration and weak segments are
    at most mentioned, and a note says why. (`held_out_class_counts` is what the leakage check reads.)"""
    train = noisy_table(800, 3).replace({"up": "yes", "down": "no"})
    test = noisy_table(400, 4).replace({"up": "yes", "down": "no"})
    test = pd.concat([test[test["label"] == "no"], test[test["label"] == "yes"].head(5)])
    tree = DecisionTreeClassifier(random_state=0).fit(_inputs(train), train["label"])
    ctx = context(train, "label", test=test, model=tree)
    assert ctx.held_out_class_counts == {"no": int((test["label"] == "no").sum()), "yes": 5}
    with threads.limited("small"):
        result = run_pillar(ctx, "generalization")
    for finding in result.findings:
        if finding.code == "model.overfitting":
            assert finding.severity is Severity.WARNING
        if finding.code in ("model.poorly_calibrated", "model.weak_segment"):
            assert finding.severity is Severity.INFO
    assert any(n.startswith("Only 5 of 'yes' among the") for n in result.notes)


def test_held_out_data_with_one_outcome_reports_what_can_be_measured():
    """Case test-set-one-class: every held-out row has default = 0. The ROC AUC cannot be measured; the pillar says
    so, reports the false-positive rate, writes JSON and PDF, and no library warning is raised."""
    case = DATA / "test-set-one-class"
    ctx = context(pd.read_csv(case / "train.csv"), "default", test=pd.read_csv(case / "test.csv"))
    with warnings.catch_warnings(), threads.limited("small"):
        warnings.simplefilter("error")
        result = run_pillar(ctx, "generalization")
    assert "model.check_failed" not in codes(result.findings)
    # an untested model cannot pass as "no problems": one warning that says so, never a critical
    unusable = [f for f in result.findings if f.code == "model.held_out_unusable"]
    assert len(unusable) == 1 and unusable[0].severity is Severity.WARNING
    assert unusable[0].evidence["outcomes_present"] == 1 and unusable[0].evidence["outcomes_expected"] == 2
    assert "the outcome '0'" in unusable[0].message
    assert not any(f.severity is Severity.CRITICAL for f in result.findings)
    assert "test_roc_auc" not in result.metrics and 0 <= result.metrics["test_false_positive_rate"] < 0.5
    assert any("ROC AUC on the held-out rows cannot be measured: they hold only the outcome '0'" in n
               for n in result.notes)
    assert "no '1' cases among the held-out rows" in result.data["confusion_sentence"]
    assert narrative.pillar_headline("generalization", result).startswith("The model's score on the held-out rows cannot be measured")
    assessment = Assessment(inputs={"data": {"name": "train.csv", "rows": 600, "columns": 8, "sha256": "0" * 64},
                                    "target": "default", "task": "classification", "seed": 0,
                                    "model": {"source": "reference", "kind": ctx.model_kind, "sha256": None}},
                            pillars={"generalization": result})
    assert '"test_roc_auc"' not in assessment.to_json()
    assert assessment.verdict == "ready_with_caveats"  # untested is not "ready", and not "not ready" either
    from io import BytesIO

    from pypdf import PdfReader

    cover = " ".join(PdfReader(BytesIO(assessment.to_pdf())).pages[0].extract_text().split())
    said = cover.find("these results describe a reference model mlready trained")
    assert 0 <= said < cover.find("Overall score")  # the reference model is named before the verdict
    assert "can go ahead" not in cover


def test_a_model_trained_without_the_identifier_column_is_the_model_assessed():
    """A new user's random forest, trained correctly without the table's row numbers ('rownames'), was set aside
    ("Feature names unseen at fit time: rownames") and mlready's reference model judged instead, with a critical
    finding and the advice to ask for another model. An identifier the model records it was not trained on is left
    out, as the model leaves it out, and the notes say so; a type the user chose for it is kept."""
    from sklearn.ensemble import RandomForestClassifier

    from mlready.modeling import LoadedModel

    rng = np.random.default_rng(0)
    rows = 600
    frame = pd.DataFrame({"rownames": rng.permutation(rows) + 1, "age": rng.integers(20, 70, rows),
                          "income": rng.normal(50, 10, rows).round(1)})
    frame["outwork"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-(frame["age"] - 45) / 8)), "yes", "no")
    fitted = RandomForestClassifier(n_estimators=20, random_state=0).fit(frame[["age", "income"]], frame["outwork"])
    model = LoadedModel(estimator=fitted, name="forest.skops", sha256="0", size_bytes=1)
    ctx = context(frame, "outwork", model=model)
    assert ctx.model_source == "uploaded" and ctx.model_problem is None
    assert "rownames" not in ctx.features and ctx.identifiers_the_model_leaves_out == ["rownames"]
    from mlready.checks.input_checks import check_reading

    assert any("The model file was not trained on 'rownames'" in n for n in check_reading(ctx).notes)
    chosen = context(frame, "outwork", model=model, column_types={"rownames": "number"})
    assert chosen.identifiers_the_model_leaves_out == [] and chosen.model_source == "reference"
