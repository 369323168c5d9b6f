"""Speed on a busy machine: thread limits, timings that mean something, and progress that moves.

Timing judgements are checked twice: as statistics, on synthetic timings with a known answer (a fast model on a
machine whose clock is inflated by other work must never be called slow; a slow model must always be, and the
reported number must be close to the planted one), and end to end on models whose cost is planted: processor time
burned on purpose, or waiting (sleeping) that stands for a busy machine.
"""
from __future__ import annotations

import io
import re
import threading
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from threadpoolctl import threadpool_info

from mlready import InputError, Settings, Thresholds, runner, threads
from mlready.checks import scalability as sc
from mlready.cli import _Progress, main
from mlready.findings import PILLARS
from mlready.loading import table_from_frame

from conftest import FAST, context


# ----- models whose cost is planted --------------------------------------------------------------------------------
def burn(seconds: float) -> None:
    """Spend `seconds` of this thread's processor time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


class PlantedCost(BaseEstimator, RegressorMixin):
    """Predicts the training mean; each single prediction burns `predict_ms` of processor time and then waits
    `wait_ms` (a stand-in for a busy machine: time passes, no computing is done); fitting burns
    `fit_seconds_per_row * rows ** fit_power` seconds and then waits `fit_wait_seconds * (rows / 1000) ** 2`."""

    def __init__(self, predict_ms=0.0, wait_ms=0.0, fit_seconds_per_row=0.0, fit_power=1.0, fit_wait_seconds=0.0):
        self.predict_ms, self.wait_ms = predict_ms, wait_ms
        self.fit_seconds_per_row, self.fit_power = fit_seconds_per_row, fit_power
        self.fit_wait_seconds = fit_wait_seconds

    def fit(self, X, y):  # noqa: N803
        burn(self.fit_seconds_per_row * len(X) ** self.fit_power)
        time.sleep(self.fit_wait_seconds * (len(X) / 1000) ** 2)
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):  # noqa: N803
        if len(X) == 1:
            burn(self.predict_ms / 1000)
            time.sleep(self.wait_ms / 1000)
        return np.full(len(X), getattr(self, "mean_", 0.0))


@pytest.fixture(scope="module")
def numbers() -> pd.DataFrame:
    """A small regression table: nothing in it is slow."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(1200, 4)), columns=["a", "b", "c", "d"])
    frame["y"] = frame["a"] * 2 + rng.normal(size=len(frame))
    return frame


def planted_context(frame, model, **settings):
    fitted = model.fit(frame.drop(columns="y").head(50), frame["y"].head(50))
    return context(frame, "y", model=fitted, task="regression", settings=replace(FAST, **settings))


# ----- thread control ----------------------------------------------------------------------------------------------
def _openmp_threads() -> int:
    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")


def _blas_threads() -> int:
    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_threads_follow_the_usable_cores_and_overrides(monkeypatch):
    monkeypatch.delenv(threads.ENVIRONMENT_VARIABLE, raising=False)
    assert 1 <= threads.usable_cores() <= (threads.os.cpu_count() or 1)
    assert threads.threads_for("serve") == threads.threads_for("small") == 1
    assert threads.threads_for("large") == max(1, min(threads.LARGE_MAX, threads.usable_cores() - 1))
    monkeypatch.setattr(threads, "usable_cores", lambda: 8)
    assert threads.threads_for("large") == threads.LARGE_MAX and threads.threads_for("small") == 1
    assert threads.threads_for("serve", override=3) == 3  # Settings.threads wins for every kind
    monkeypatch.setenv(threads.ENVIRONMENT_VARIABLE, "2")
    assert threads.threads_for("small") == 2 and threads.threads_for("large", override=1) == 1
    monkeypatch.setenv(threads.ENVIRONMENT_VARIABLE, "many")
    with pytest.raises(InputError, match="MLREADY_THREADS"):
        threads.threads_for("small")
    with pytest.raises(ValueError):
        threads.threads_for("huge")


def test_limits_apply_to_openmp_and_joblib_in_this_thread_and_blas_while_any_block_runs(monkeypatch):
    from joblib.parallel import get_active_backend

    monkeypatch.delenv(threads.ENVIRONMENT_VARIABLE, raising=False)
    original = _blas_threads()
    with threads.limited("small"):
        assert _openmp_threads() == 1 and _blas_threads() == 1 and get_active_backend()[1] == 1
    with threads.limited("small", override=2):
        assert _openmp_threads() == 2 and get_active_backend()[1] == 2
    assert _blas_threads() == original
    # two blocks in two threads that end in the "wrong" order: the process-wide BLAS limit is lifted only when the
    # last one ends (OpenBLAS reports its thread count differently from one thread to another, so the bookkeeping
    # is what is checked across threads)
    entered, release_first, seen = threading.Event(), threading.Event(), {}

    def first():
        with threads.limited("small"):
            entered.set()
            release_first.wait(5)

    worker = threading.Thread(target=first)
    worker.start()
    entered.wait(5)
    with threads.limited("small"):
        release_first.set()
        worker.join(5)
        seen["inside"] = (threads._blas_users, threads._blas_limiter is not None)  # noqa: SLF001
    assert seen["inside"] == (1, True)
    assert threads._blas_users == 0 and threads._blas_limiter is None  # noqa: SLF001
    assert _blas_threads() == original


def test_thread_pools_are_found_once_and_again_after_new_imports(monkeypatch):
    """The scan for thread pools is done once, not on every limited block, and again when a module was imported
    since (a model's library loads its own OpenMP when it is imported)."""
    import sys
    import types

    scans = []
    real = threads.ThreadpoolController

    def counting():
        scans.append(len(sys.modules))
        return real()

    monkeypatch.setattr(threads, "ThreadpoolController", counting)
    monkeypatch.setattr(threads, "_pools", None)
    for _ in range(20):
        with threads.limited("small"):
            assert _openmp_threads() == 1
    assert len(scans) == 1
    monkeypatch.setitem(sys.modules, "mlready_test_newly_imported", types.ModuleType("mlready_test_newly_imported"))
    with threads.limited("small"):
        assert _openmp_threads() == 1
    assert len(scans) == 2


def test_serving_runs_an_uploaded_model_on_one_thread_and_restores_its_settings():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), RandomForestClassifier(n_jobs=-1))
    assert threads.jobs_parameters(model) == {"randomforestclassifier__n_jobs": -1}
    with threads.serving(model):
        assert model.get_params()["randomforestclassifier__n_jobs"] == 1 and _openmp_threads() == 1
        assert threads.serving_busy()
    assert model.get_params()["randomforestclassifier__n_jobs"] == -1 and not threads.serving_busy()


def test_runner_runs_every_check_with_the_configured_threads(monkeypatch, numbers):
    seen = []

    def probe(ctx):
        seen.append(_openmp_threads())
        return sc.CheckResult()

    monkeypatch.setitem(runner.PILLAR_CHECKS, "data_quality", (("probe", probe),))
    monkeypatch.delenv(threads.ENVIRONMENT_VARIABLE, raising=False)
    runner.run_pillar(context(numbers, "y"), "data_quality")
    runner.run_pillar(context(numbers, "y", settings=replace(FAST, threads=2)), "data_quality")
    assert seen == [1, 2]


def test_same_seed_gives_the_same_results_with_one_and_two_threads(german, monkeypatch):
    """Copies of the reference model trained with one and with two threads make the same predictions and have the
    same SHAP explanations. (The booster is capped at 25 rounds: on a busy machine two threads waiting for each
    other make every round slow, which is the very reason mlready runs small work on one thread.)"""
    import mlready.context
    from mlready.explain import explain_model

    def few_rounds(*args, **kwargs):
        return reference_model(*args, **kwargs).set_params(model__max_iter=25)

    reference_model = mlready.context.reference_model
    monkeypatch.setattr(mlready.context, "reference_model", few_rounds)
    frame = german.sample(300, random_state=1)
    ctx = context(frame, "creditability")
    rows = ctx.training_rows
    results = {}
    for count in (1, 2):
        with threads.limited("small", count):
            assert _openmp_threads() == count
            copy = ctx.refit_clone(rows.drop(columns="__y"), rows["__y"])
            results[count] = {"probabilities": copy.predict_proba(ctx.X_test),
                              "shap": explain_model(ctx, copy).values, "rounds": copy[-1].n_iter_}
    assert results[1]["rounds"] >= 10
    for part in ("probabilities", "shap", "rounds"):
        assert np.array_equal(results[1][part], results[2][part]), part


# ----- timing judgements as statistics ----------------------------------------------------------------------------
def _rounds(rng, own_ms: float, inflation: str, rounds: int = sc.LATENCY_ROUNDS, repeats: int = 100):
    """Synthetic (wall, processor) milliseconds per prediction: the model's own time varies by 10%; on a busy
    machine the wall clock is inflated by waiting for the processor (a random share of predictions wait 1-20 times
    their own time, and how many wait changes from round to round)."""
    out = []
    for _ in range(rounds):
        cpu = own_ms * rng.lognormal(0, 0.1, repeats)
        if inflation == "quiet":
            wall = cpu * 1.02 + rng.exponential(0.01 * own_ms, repeats)
        else:
            waiting = rng.random(repeats) < rng.uniform(0.2, 0.9)
            wall = cpu * (1 + waiting * rng.uniform(1, 20, repeats))
        out.append((wall.tolist(), cpu.tolist()))
    return out


@pytest.mark.parametrize("inflation", ["quiet", "busy"])
def test_latency_judgement_known_answers(inflation):
    target = 20.0
    false_alarms = planted_missed = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        fast = sc.judge_latency(_rounds(rng, 8.0, inflation), target)  # the model needs 8 ms: fast enough
        false_alarms += fast.slow
        slow = sc.judge_latency(_rounds(rng, 30.0, inflation), target)  # planted: 30 ms against 20
        planted_missed += not slow.slow
        p50, p95 = slow.p50, slow.p95
        planted_p95 = 30.0 * np.exp(1.645 * 0.1)
        assert 0.85 * planted_p95 <= p95 <= 1.3 * planted_p95, (seed, p95)
        assert 0.85 * 30.0 <= p50 <= 1.3 * 30.0
        assert fast.reliable is (inflation == "quiet")
    assert false_alarms == 0 and planted_missed == 0


def test_latency_judgement_believes_a_steady_clock_on_a_quiet_machine():
    rng = np.random.default_rng(0)
    # just over the target on a quiet machine: reported on the wall clock, with its own numbers
    judged = sc.judge_latency(_rounds(rng, 21.0, "quiet"), 20.0)
    assert judged.reliable and judged.slow and (judged.p50, judged.p95) == (judged.wall_p50, judged.wall_p95)
    assert judged.spread < 0.1 and judged.cpu_share > 0.9


def test_latency_judgement_says_nothing_when_no_clock_is_steady():
    """A busy machine whose processor time itself jumps from round to round (here, doubling): not judged, even for
    a model that may be slow."""
    rng = np.random.default_rng(1)
    rounds = [(list(np.asarray(cpu) * 5), list(np.asarray(cpu) * scale))
              for scale, (_, cpu) in zip([1, 2, 2, 2, 1], _rounds(rng, 30.0, "quiet"))]
    judged = sc.judge_latency(rounds, 20.0)
    assert not judged.reliable and not judged.measured and not judged.slow


def test_throughput_judgement_known_answers():
    headroom, rows = 10.0, 5000
    for seed in range(200):
        rng = np.random.default_rng(seed)
        own = 0.05 * rng.lognormal(0, 0.05, 3)  # 100,000 rows a second of the model's own work
        busy = own * rng.uniform(1.5, 8, 3)
        enough = sc.judge_throughput(busy.tolist(), own.tolist(), rows, daily=500_000_000, headroom=headroom)
        assert not enough.short and not enough.reliable  # 8.6 billion a day of own capacity: enough
        short = sc.judge_throughput(busy.tolist(), own.tolist(), rows, daily=2_000_000_000, headroom=headroom)
        assert short.short and 0.85 * 8.64e9 <= short.per_day <= 1.2 * 8.64e9
    quiet = sc.judge_throughput([0.05, 0.051, 0.052], [0.049, 0.05, 0.05], rows, daily=None, headroom=headroom)
    assert quiet.reliable and not quiet.short and quiet.rows_per_s == pytest.approx(100_000)


def test_training_judgement_known_answers():
    sizes = [5000, 20000]
    for seed in range(200):
        rng = np.random.default_rng(seed)
        noise = lambda: rng.lognormal(0, 0.08, sc.TRAINING_REPEATS)  # noqa: E731
        linear = [list(0.5 * noise()), list(2.0 * noise())]  # time grows like the rows
        judged = sc.judge_training_growth(sizes, linear, 1.5, 1.0)
        assert not judged.grows and abs(judged.exponent - 1.0) < 0.25
        quadratic = [list(0.5 * noise()), list(8.0 * noise())]  # planted: like the rows squared
        judged = sc.judge_training_growth(sizes, quadratic, 1.5, 1.0)
        assert judged.grows and abs(judged.exponent - 2.0) < 0.25
        short = [list(0.01 * noise()), list(0.16 * noise())]  # fast growth, but sub-second: not noticeable
        assert not sc.judge_training_growth(sizes, short, 1.5, 1.0).grows
        unsteady = [[0.5, 0.5, 0.5], [8.0, 20.0, 30.0]]  # the repeats disagree: nothing is said
        judged = sc.judge_training_growth(sizes, unsteady, 1.5, 1.0)
        assert not judged.reliable and not judged.grows


# ----- timing checks end to end, with planted costs ----------------------------------------------------------------
def test_waiting_is_not_blamed_on_a_fast_model(numbers):
    """Predictions that compute for 0.5 ms and then wait 12 ms (the machine is busy) against a 5 ms target: not
    slow; the latency reported is the model's own computing time, and the report says why, with the load."""
    result = sc.check_latency(planted_context(numbers, PlantedCost(predict_ms=0.5, wait_ms=12), latency_target_ms=5))
    assert result.findings == ()
    assert result.metrics["latency_wall_ms_p95"] > 12 and result.metrics["latency_reliable"] == 0.0
    assert result.metrics["latency_ms_p95"] == result.metrics["latency_cpu_ms_p95"] < 5  # what is reported
    assert result.metrics["latency_cpu_share"] < 0.5
    assert any("The machine was busy" in note for note in result.notes)
    assert "latency_machine_load" in result.metrics and "load" in result.notes[0]


def test_a_slow_model_is_slow_even_when_measured_on_a_busy_machine(numbers):
    """8 ms of computing per prediction against a 4 ms target: slow, whatever else the machine does, and the
    reported 95th percentile is close to the planted 8 ms."""
    result = sc.check_latency(planted_context(numbers, PlantedCost(predict_ms=8), latency_target_ms=4))
    finding = result.findings[0]
    assert finding.code == "scale.slow_prediction"
    assert 7.5 <= result.metrics["latency_cpu_ms_p95"] <= 12
    assert 7.5 <= finding.evidence["latency_ms_p95"]
    assert "ms" in finding.message and "4" in finding.message


def test_sub_second_fits_on_480_rows_do_not_warn_even_when_the_clock_says_otherwise(german, monkeypatch):
    """The learning curve's fits of a 600-row table (480 training rows), timed on a machine so busy that their wall
    clock grows like the rows squared and passes a second: the repeats, timed by processor time, show sub-second
    fits, so no training-cost warning (the default thresholds)."""
    frame = german.sample(600, random_state=0)
    ctx = context(frame, "creditability", settings=Settings())
    busy_clock = [(48, 0.02, 0.6), (120, 0.1, 0.65), (240, 0.4, 0.7), (360, 0.9, 0.7), (480, 1.6, 0.7)]
    monkeypatch.setattr(sc, "growing_fits", lambda ctx: busy_clock)
    monkeypatch.setattr(sc, "TRAINING_REPEATS", 2)
    result = sc.check_training_cost(ctx)
    assert result.findings == ()
    assert result.data["training_seconds"][-1] == 1.6  # the wall clock said: slow and growing fast
    assert result.metrics["training_seconds"] < 1.0  # the repeats: sub-second
    assert set(result.data["training_repeats"]) == {"120", "480"}


def test_training_cost_growth_is_found_when_planted(numbers):
    """A model whose training work grows with the rows squared: found, with an exponent close to 2."""
    ctx = planted_context(numbers, PlantedCost(fit_seconds_per_row=0.45 / 960**2, fit_power=2),
                          thresholds=Thresholds(training_seconds_noticeable=0.3))
    result = sc.check_training_cost(ctx)
    finding = result.findings[0]
    assert finding.code == "scale.training_cost_growth"
    assert 1.7 <= finding.evidence["time_exponent"] <= 2.3
    assert result.metrics["training_reliable"] == 1.0


# ----- progress ------------------------------------------------------------------------------------------------------
def test_the_latency_step_reports_progress_that_advances(numbers):
    ctx = planted_context(numbers, PlantedCost())
    seen: list[tuple[str, float]] = []
    runner.run_pillar(ctx, "scalability", lambda step, fraction: seen.append((step, fraction)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    latency = [f for s, f in seen if s.startswith("Scalability: single-prediction speed")]
    assert len(set(latency)) >= sc.LATENCY_MIN_ROUNDS + 1  # it moves within the step, not only between steps
    assert any("round 3 of" in s for s, _ in seen)


def test_overall_progress_moves_from_zero_to_one_in_order(numbers, monkeypatch):
    seen = []
    for pillar in PILLARS:
        monkeypatch.setitem(runner.PILLAR_CHECKS, pillar, (("quick", lambda ctx: sc.CheckResult()),))
    runner.run_all(context(numbers, "y"), lambda step, fraction: seen.append(fraction))
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0


def test_cli_progress_in_a_log_one_line_per_step_and_a_line_while_a_long_step_moves():
    clock = [0.0]
    out = io.StringIO()
    progress = _Progress(out, live=False, log_every=10, clock=lambda: clock[0])
    progress("Scalability: single-prediction speed", 0.0)
    for round_ in range(5):
        clock[0] += 4
        progress(f"Scalability: single-prediction speed (round {round_ + 1} of 5)", 0.04 * round_)
    clock[0] += 1
    progress("Scalability: batch throughput", 0.2)
    progress.close()
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("Scalability: single-prediction speed")
    assert any("(round 3 of 5)" in line and line.endswith(" s") for line in lines[1:-1])
    assert len(lines) <= 4 and "batch throughput" in lines[-1]


def test_cli_progress_on_a_terminal_is_redrawn_and_its_clock_ticks():
    out = io.StringIO()
    progress = _Progress(out, live=True)
    progress("Generalization: learning curve", 0.4)
    time.sleep(2.5)  # the timer redraws the line with the step's elapsed seconds
    progress.close()
    text = out.getvalue()
    assert text.count("\r") >= 2 and re.search(r"learning curve  [12] s", text) and text.endswith("\n")


def test_cli_threads_option(monkeypatch, capsys):
    captured = {}

    def stop(*args, settings=None, **kwargs):
        captured["threads"] = settings.threads
        raise InputError("stopped here")

    monkeypatch.setattr("mlready.cli.build_context", stop)
    assert main(["assess", "data.csv", "--target", "y", "--threads", "2"]) == 2
    assert captured["threads"] == 2
    assert main(["assess", "data.csv", "--target", "y", "--threads", "0"]) == 2
    assert "--threads must be a whole number" in capsys.readouterr().err


# ----- large tables: the reference model learns from a capped, stratified sample, and the report says so -----------
def _imbalanced(rows: int = 1500, seed: int = 5) -> pd.DataFrame:
    """A classification table with a 20% outcome and a learnable signal (nothing planted)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(rows, 4)), columns=["a", "b", "c", "d"])
    frame["kind"] = rng.choice(["x", "y", "z"], rows)
    logit = 1.5 * frame["a"] - frame["b"] - 1.8
    frame["label"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


@pytest.fixture(scope="module")
def imbalanced() -> pd.DataFrame:
    return _imbalanced()


CAPPED = replace(FAST, max_rows_model=400, max_rows_scored=400, sampled_min_class_rows=20, model_min_class_rows=20)


def test_the_reference_model_learns_from_a_capped_stratified_sample_the_same_for_a_seed(imbalanced):
    ctx = context(imbalanced, "label", settings=CAPPED)
    rows = ctx.model_rows
    assert rows is not None and len(rows) == 400 == ctx.reference_fit_rows
    assert len(np.unique(rows)) == 400 and rows.max() < len(ctx.X_train)
    # stratified: each outcome keeps its share of the training rows (to within one row)
    shares = ctx.y_train.value_counts(normalize=True)
    kept = ctx.y_train.iloc[rows].value_counts()
    for outcome, share in shares.items():
        assert abs(kept[outcome] - share * 400) <= 1
    # the training score is measured on exactly the rows the model learned from
    assert len(ctx.train_scores) == 400
    assert ctx.y_train_scored.tolist() == ctx.y_train.iloc[rows].tolist()
    assert ctx.y_train_scored.index.tolist() == list(range(400))
    # the model really learned from those rows only: refitting the same settings on them gives the same predictions
    again = ctx.new_reference_model().fit(ctx.X_train.iloc[rows], ctx.y_train.iloc[rows])
    np.testing.assert_allclose(again.predict_proba(ctx.X_test), ctx.model.predict_proba(ctx.X_test))
    # the same seed: the same rows and scores; another seed: other rows
    twin = context(imbalanced, "label", settings=CAPPED)
    assert np.array_equal(twin.model_rows, rows) and twin.test_score == ctx.test_score
    other = context(imbalanced, "label", settings=replace(CAPPED, seed=1))
    assert not np.array_equal(other.model_rows, rows)


def test_tables_under_the_cap_are_not_sampled(imbalanced):
    ctx = context(imbalanced, "label")
    assert ctx.model_rows is None and ctx.train_score_rows is None
    assert ctx.reference_fit_rows == len(ctx.X_train)
    assert len(ctx.train_scores) == len(ctx.X_train)
    assert ctx.y_train_scored is ctx.y_train


def test_a_sampled_reference_model_is_stated_in_the_notes_and_its_learning_curve_ends_at_its_rows(imbalanced):
    from mlready.checks import generalization, learning

    ctx = context(imbalanced, "label", settings=CAPPED)
    notes = generalization.check_overfitting(ctx).notes
    sampled = [n for n in notes if "400 of the 1,200 training rows" in n]
    assert sampled and "seed 0" in sampled[0] and "reference model" in sampled[0]
    sizes = learning.check_learning_curve(ctx).data["learning_sizes"]
    assert sizes[-1] == 400 and all(a < b for a, b in zip(sizes, sizes[1:]))
    plain = context(imbalanced, "label")
    assert not any("training rows (a random sample that keeps" in n for n in generalization.check_overfitting(plain).notes)
    assert learning.check_learning_curve(plain).data["learning_sizes"][-1] == 1200


def test_an_uploaded_models_training_score_on_a_sample_is_its_training_score(imbalanced):
    """Known answer: a tree that memorised all its training rows scores 1.0 on any sample of them (and far less on
    rows it never saw), so the gap - and its severity - are the same with and without the cap."""
    from sklearn.tree import DecisionTreeClassifier

    from mlready.checks import generalization

    split = context(imbalanced[["a", "b", "c", "d", "label"]], "label")
    tree = DecisionTreeClassifier(random_state=0).fit(split.X_train, split.y_train)
    frame = imbalanced[["a", "b", "c", "d", "label"]]
    full = context(frame, "label", model=tree)
    capped = context(frame, "label", model=tree, settings=CAPPED)
    assert full.model_source == capped.model_source == "uploaded"
    assert capped.train_score_rows is not None and len(capped.train_score_rows) == 400
    assert capped.train_score == pytest.approx(1.0) == full.train_score
    assert capped.test_score == full.test_score < 0.9
    severity = {ctx.settings.max_rows_model: [f.severity for f in generalization.check_overfitting(ctx).findings
                                              if f.code == "model.overfitting"] for ctx in (full, capped)}
    assert severity[400] == severity[FAST.max_rows_model] and severity[400]
    notes = generalization.check_overfitting(capped).notes
    assert any("the training score is measured on 400 of the 1,200 training rows" in n for n in notes)


def test_large_held_out_sets_and_training_scores_use_a_stated_stratified_sample(imbalanced):
    """Beyond `max_rows_scored`, held-out judgements use a stratified sample (each outcome keeps its share, the same
    rows for a seed), the training score a sample of the rows the model learned from, and the notes say so; the
    score is close to the one on every row."""
    from mlready.checks import generalization

    settings = replace(CAPPED, max_rows_scored=200)
    ctx = context(imbalanced, "label", settings=settings)
    full = context(imbalanced, "label", settings=CAPPED)
    assert len(full.X_test) == 300 and not full.held_out_sampled
    assert len(ctx.X_test) == len(ctx.y_test) == 200 and ctx.held_out_sampled and ctx.held_out_total_rows == 300
    assert list(ctx.X_test.index) == list(range(200))
    shares = full.y_test.value_counts(normalize=True)
    for outcome, kept in ctx.y_test.value_counts().items():
        assert abs(kept - shares[outcome] * 200) <= 1
    # the sampled rows are held-out rows, outcome and inputs together
    merged = ctx.X_test.assign(label=ctx.y_test).merge(full.X_test.assign(label=full.y_test), how="left",
                                                        indicator=True)
    assert (merged["_merge"] == "both").all()
    # the training score: 200 of the 400 rows the reference model learned from
    assert set(ctx.train_score_rows) <= set(ctx.model_rows) and len(ctx.train_score_rows) == 200
    assert len(ctx.train_scores) == 200
    assert abs(ctx.test_score - full.test_score) < 0.1
    twin = context(imbalanced, "label", settings=settings)
    assert twin.X_test.equals(ctx.X_test) and twin.test_score == ctx.test_score
    notes = " ".join(generalization.check_overfitting(ctx).notes)
    assert "200 of the 300 held-out rows" in notes and "learned from 400 of the 1,200 training rows" in notes
    assert "(300 rows)" in notes and "(200 rows)" not in notes  # the held-out rows as set aside, then the sample
    assert "measured on 200 of the 400 rows the model learned from" in notes


# ----- weak segments on large held-out sets: the null search, organised for speed, is the same search ---------------
@pytest.mark.parametrize("with_expected, kind", [(True, "error_rate"), (False, "error_rate"), (False, "mae")])
def test_the_batched_null_search_gives_the_maxima_of_the_one_at_a_time_search(with_expected, kind, monkeypatch):
    """`_null_maxima` must give, simulation by simulation, the maximum z of `_search` run on that simulation's errors
    (singles, then pairs of the top singles chosen afresh), in blocks or all at once, for the same seed."""
    from mlready.checks import segments as seg

    rng = np.random.default_rng(11)
    n = 900
    groups = {f"c{i}": rng.integers(0, 2 + i, n) for i in range(4)}
    slices = [((c, str(v)),) for c, x in groups.items() for v in np.unique(x)]
    singles = np.asarray([groups[k[0][0]] == int(k[0][1]) for k in slices], dtype=float)
    columns = [tuple(c for c, _ in k) for k in slices]
    expected = rng.uniform(0.05, 0.5, n) if with_expected else None
    errors = ((rng.random(n) < 0.3).astype(float) if kind == "error_rate" else np.abs(rng.normal(size=n)))
    simulations = 60

    def reference(generator):
        if expected is not None:
            simulated = (generator.random((simulations, n)) < expected).astype(float)
        else:
            simulated = np.asarray([generator.permutation(errors) for _ in range(simulations)])
        out = []
        for row in simulated:
            z_single, z_pairs, _ = seg._search(singles, columns, 30, row, expected)
            out.append(max(z_single.max(), z_pairs.max() if len(z_pairs) else -np.inf))
        return np.asarray(out)

    expected_maxima = reference(np.random.default_rng(5))
    at_once = seg._null_maxima(singles, columns, 30, errors, expected, simulations, np.random.default_rng(5))
    monkeypatch.setattr(seg, "SIMULATION_CELLS", n * 7)  # blocks of 7 simulations
    in_blocks = seg._null_maxima(singles, columns, 30, errors, expected, simulations, np.random.default_rng(5))
    np.testing.assert_allclose(at_once, expected_maxima, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(in_blocks, expected_maxima, rtol=1e-9, atol=1e-9)
    assert np.std(expected_maxima) > 0  # a real null distribution, not a constant


# ----- resampled ROC AUC: sorted once, the same numbers -----------------------------------------------------------
def test_resampled_auc_equals_the_auc_of_the_resampled_rows_exactly():
    from mlready.context import ResampledAUC, roc_auc

    for seed in range(12):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(5, 800))
        truth = rng.random(n) < rng.uniform(0.02, 0.6)
        scores = np.round(rng.random(n) + truth * rng.uniform(0, 1), int(rng.integers(1, 4)))  # many ties
        resampled = ResampledAUC(truth, scores)
        assert resampled.score(np.ones(n)) == roc_auc(truth, scores) or not truth.any() or truth.all()
        for _ in range(10):
            rows = rng.integers(0, n, n)
            fast = resampled.score(np.bincount(rows, minlength=n).astype(float))
            slow = roc_auc(truth[rows], scores[rows])
            assert fast == slow or (np.isnan(fast) and np.isnan(slow))


def test_bootstrap_scores_of_the_held_out_auc_are_the_resamples_scores(imbalanced):
    ctx = context(imbalanced, "label", settings=replace(FAST, bootstrap_rounds=30))
    assert ctx.metric.name == "roc_auc"
    got = ctx.bootstrap_scores(ctx.test_scores, ctx.test_scores[::-1].copy())
    rng = np.random.default_rng(ctx.settings.seed)
    y = ctx.y_test.to_numpy()
    want = []
    for _ in range(30):
        rows = rng.integers(0, len(y), len(y))
        want.append([ctx.score(y[rows], ctx.test_scores[rows]), ctx.score(y[rows], ctx.test_scores[::-1][rows])])
    assert got.shape == (30, 2) and np.array_equal(got, np.asarray(want))


# ----- reading: repeated date texts are read once each, with the same result as reading every cell ---------------
def test_dates_read_once_per_distinct_text_give_the_reading_of_every_cell():
    """Known answer: the per-cell reading (`_parse_date_text`) and the once-per-text reading `parse_dates` uses on
    columns whose texts repeat agree on every value, the counts, the first unreadable cell and the offsets, for
    ISO dates, zones and offsets, day-first dates, blanks, padding and text that is not a date."""
    from mlready import column_types

    rng = np.random.default_rng(3)
    days = (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 400, 3000), unit="D")).astype(str)
    mixed = ["2024-03-30T10:00:00+01:00", "2024-04-02T10:00:00+02:00", "not a date", "", "n/a", None,
             "10:00 PDT 2024-01-02", "2024-01-02 10:00 CST", " 2024-05-01 "]
    columns = {"iso days": pd.Series(days), "zones and text": pd.Series(rng.choice(np.array(mixed, dtype=object), 4000)),
               "day first": pd.Series(rng.choice(np.array(["13/04/2021", "03/04/2021", None, "31/12/2020"],
                                                          dtype=object), 2000), index=np.arange(2000) * 3)}
    for name, series in columns.items():
        once, each = column_types.parse_dates(series), column_types._parse_date_text(series)
        assert series.nunique() <= len(series) // 2  # the once-per-text path is the one taken
        assert once.values.equals(each.values), name
        assert once.values.index.equals(series.index)
        assert (once.unreadable, once.filled, once.example, once.converted_to_utc, once.offsets) == \
               (each.unreadable, each.filled, each.example, each.converted_to_utc, each.offsets), name
    zoned = column_types.parse_dates(columns["zones and text"])
    cells = columns["zones and text"]
    unreadable = cells.isin(["not a date", "2024-01-02 10:00 CST"])  # no date; a zone name with several meanings
    assert zoned.unreadable == unreadable.sum() and zoned.example == cells[unreadable].iloc[0]
    assert zoned.filled == cells.notna().sum() - cells.isin(["", "n/a"]).sum()
    assert zoned.converted_to_utc and zoned.offsets >= 2


# ----- samples never thin a rare outcome (found by a breaker) -----------------------------------------------------
def _rare(rows: int, rare: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(rows, 4)), columns=list("abcd"))
    frame["y"] = "no"
    frame.loc[rng.choice(rows, rare, replace=False), "y"] = "yes"
    return frame


def test_a_rare_outcome_keeps_all_its_held_out_rows_and_the_verdict_does_not_change():
    """18 'default' rows among 14,018 held-out rows: a sample keeping their share kept 8, and an unpruned tree's
    critical gap became a warning. A sample is taken only when every outcome keeps at least
    `sampled_min_class_rows`; here none is."""
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(3)

    def make(n):
        X = rng.normal(size=(n, 4))  # noqa: N806
        frame = pd.DataFrame(X, columns=list("abcd"))
        frame["y"] = np.where(rng.random(n) < 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 1] - 2))), "default", "repaid")
        return frame
    train, test = make(5000), make(14000)
    defaults = np.flatnonzero(test.y == "default")
    test = test.drop(index=defaults[18:]).reset_index(drop=True)
    model = DecisionTreeClassifier(random_state=0).fit(train[list("abcd")], train.y)
    capped = context(train, "y", test=table_from_frame(test), model=model, settings=replace(FAST, max_rows_scored=5000))
    assert not capped.held_out_sampled and len(capped.X_test) == len(test)
    assert capped.held_out_class_counts["default"] == 18


def test_a_sample_never_leaves_an_outcome_out_of_the_held_out_rows_or_the_checks_rows():
    frame = _rare(5000, 3)
    ctx = context(frame, "y", settings=replace(FAST, seed=2, max_rows_scored=500, max_rows_checks=500))
    assert not ctx.held_out_sampled                              # 'yes' would keep no row of its own in 500
    assert (ctx.y_test == "yes").sum() == (frame.y == "yes").sum() - (ctx.y_train == "yes").sum()
    checks = ctx.training_rows
    assert (checks["__y"] == "yes").sum() == (ctx.y_train == "yes").sum() >= 1   # all of them (fewer than folds)
    assert len(checks) <= 510 and (checks["__y"] == "no").sum() >= 490


def test_a_regression_sample_is_not_said_to_keep_outcome_shares():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.normal(size=(1500, 3)), columns=list("abc"))
    frame["price"] = frame.a * 3 + rng.normal(size=1500)
    from mlready.checks import generalization

    ctx = context(frame, "price", settings=replace(FAST, max_rows_scored=200, max_rows_model=600))
    notes = " ".join(generalization.check_overfitting(ctx).notes)
    assert "200 of the 300 held-out rows (a random sample, seed 0)" in notes
    assert "outcome's share" not in notes
