"""Scalability checks measure the assessed model and compare it with the user's targets."""
from __future__ import annotations

from dataclasses import replace

from mlready import Thresholds
from mlready.checks import scalability as sc
from mlready.findings import Severity

from conftest import FAST, context


def test_latency_against_target(clean_frame):
    quiet = sc.check_latency(context(clean_frame, "outcome", settings=replace(FAST, latency_target_ms=10_000)))
    assert quiet.findings == ()
    assert 0 < quiet.metrics["latency_ms_p50"] <= quiet.metrics["latency_ms_p95"]
    assert len(quiet.data["latency_ms"]) == FAST.latency_repeats
    strict = sc.check_latency(context(clean_frame, "outcome", settings=replace(FAST, latency_target_ms=0.001)))
    finding = strict.findings[0]
    assert finding.code == "scale.slow_prediction" and finding.severity is Severity.CRITICAL
    assert finding.evidence["latency_target_ms"] == 0.001


def test_throughput_against_daily_volume(clean_frame):
    quiet = sc.check_throughput(context(clean_frame, "outcome", settings=replace(FAST, daily_predictions=1000)))
    assert quiet.findings == () and quiet.metrics["throughput_rows_per_s"] > 100
    loaded = sc.check_throughput(context(clean_frame, "outcome", settings=replace(FAST, daily_predictions=10**13)))
    finding = loaded.findings[0]
    assert finding.code == "scale.low_throughput" and finding.severity is Severity.CRITICAL
    assert finding.evidence["capacity_per_day"] < 10**13


def test_model_size_and_memory(clean_frame):
    quiet_ctx = context(clean_frame, "outcome")
    assert sc.check_model_size(quiet_ctx).findings == ()
    assert sc.check_model_size(quiet_ctx).metrics["model_bytes"] > 1000
    assert sc.check_memory(quiet_ctx).findings == ()
    tiny = replace(FAST, thresholds=Thresholds(large_model_mb_warning=0.01, high_memory_mb_warning=0.001))
    ctx = context(clean_frame, "outcome", settings=tiny)
    assert sc.check_model_size(ctx).findings[0].code == "scale.large_model"
    memory = sc.check_memory(ctx).findings[0]
    assert memory.code == "scale.high_memory" and memory.evidence["peak_memory_mb"] > 0.001


def test_training_cost_growth(clean_frame):
    quiet = sc.check_training_cost(context(clean_frame, "outcome"))
    assert quiet.findings == () and len(quiet.data["training_sizes"]) >= 3
    assert quiet.data["training_sizes"] == sorted(quiet.data["training_sizes"])
    strict = replace(FAST, thresholds=Thresholds(training_exponent_warning=-5.0, training_seconds_noticeable=0.0))
    finding = sc.check_training_cost(context(clean_frame, "outcome", settings=strict)).findings[0]
    assert finding.code == "scale.training_cost_growth" and "time_exponent" in finding.evidence


def test_capacities_are_written_as_people_say_them():
    """Found by a new user: 'one core would handle about 35,763,347,970 predictions a day'."""
    from mlready import narrative

    assert narrative.count_words(35_763_347_970) == "36 billion"
    assert narrative.count_words(3_400_000) == "3.4 million" and narrative.count_words(1_000_000) == "1 million"
    assert narrative.count_words(999_999) == "999,999" and narrative.count_words(12_500_000) == "12 million"
