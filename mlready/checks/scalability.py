"""Scalability checks, measured on the model being assessed."""
from __future__ import annotations

import gc
import threading
import time
import tracemalloc

import numpy as np
import pandas as pd

from .. import narrative, threads
from ..findings import Severity
from ..modeling import serialized_size
from . import CheckResult
from .learning import growing_fits

PILLAR = "scalability"
SECONDS_PER_DAY = 86_400
LATENCY_ROUNDS = 3
# tracemalloc is process-wide: one measurement at a time (the app shares a process between users)
_MEMORY_LOCK = threading.Lock()


def _rows_for_batch(ctx, rows: int) -> pd.DataFrame:
    frame = ctx.X_test if len(ctx.X_test) >= 50 else pd.concat([ctx.X_test, ctx.X_train])
    repeats = int(np.ceil(rows / len(frame)))
    return pd.concat([frame] * repeats, ignore_index=True).head(rows)


def _timed_round(model, rows) -> list[float]:
    timings = []
    collecting = gc.isenabled()
    gc.disable()  # a garbage-collection pause is not the model's latency
    try:
        for row in rows:
            start = time.perf_counter()
            model.predict(row)
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        if collecting:
            gc.enable()
    return timings


def check_latency(ctx) -> CheckResult:
    """Time single-row predictions in three rounds and keep the calmest round (a busy machine is not the
    model's fault); compare its slow end (95th percentile) with the target."""
    rows = [ctx.X_test.iloc[[i % len(ctx.X_test)]] for i in range(ctx.settings.latency_repeats)]
    with threads.limited("serve", ctx.settings.threads):  # as one serving worker runs
        for row in rows[:5]:
            ctx.model.predict(row)  # warm-up
        rounds = [_timed_round(ctx.model, rows) for _ in range(LATENCY_ROUNDS)]
    timings = min(rounds, key=lambda r: float(np.percentile(r, 95)))
    p50, p95 = float(np.percentile(timings, 50)), float(np.percentile(timings, 95))
    target = ctx.settings.latency_target_ms
    evidence = {"latency_ms_p50": p50, "latency_ms_p95": p95, "latency_target_ms": target}
    findings = ()
    if p95 > target:
        severity = Severity.CRITICAL if p50 > 10 * target else Severity.WARNING
        findings = (narrative.finding("scale.slow_prediction", PILLAR, severity, (), evidence, p50=narrative.num(p50, 1),
                                      p95=narrative.num(p95, 1), target=narrative.num(target, 1)),)
    notes = (narrative.note("latency", rounds=LATENCY_ROUNDS, repeats=len(timings)),)
    return CheckResult(findings, metrics={"latency_ms_p50": p50, "latency_ms_p95": p95},
                       data={"latency_ms": timings, "latency_target_ms": target}, notes=notes)


def check_throughput(ctx) -> CheckResult:
    """Rows per second when predicting a batch, against the expected daily volume."""
    t = ctx.settings.thresholds
    batch = _rows_for_batch(ctx, ctx.settings.throughput_rows)
    ctx.model.predict(batch.head(10))
    start = time.perf_counter()
    ctx.model.predict(batch)
    seconds = max(time.perf_counter() - start, 1e-9)
    throughput = len(batch) / seconds
    per_day = throughput * SECONDS_PER_DAY
    findings = ()
    daily = ctx.settings.daily_predictions
    if daily and per_day < daily * t.capacity_headroom:
        severity = Severity.CRITICAL if per_day < daily else Severity.WARNING
        evidence = {"throughput_rows_per_s": throughput, "capacity_per_day": per_day, "daily_predictions": daily}
        findings = (narrative.finding("scale.low_throughput", PILLAR, severity, (), evidence,
                                      per_day=f"{per_day:,.0f}", daily=f"{daily:,}",
                                      headroom=narrative.num(t.capacity_headroom)),)
    notes = (narrative.note("throughput", rows=f"{len(batch):,}"),)
    return CheckResult(findings, metrics={"throughput_rows_per_s": throughput}, notes=notes)


def check_model_size(ctx) -> CheckResult:
    """The saved model's size."""
    t = ctx.settings.thresholds
    size = ctx.uploaded_model.size_bytes if ctx.model_source == "uploaded" else serialized_size(ctx.model)
    size_mb = size / 2**20
    findings = ()
    if size_mb >= t.large_model_mb_warning:
        severity = Severity.CRITICAL if size_mb >= t.large_model_mb_critical else Severity.WARNING
        findings = (narrative.finding("scale.large_model", PILLAR, severity, (), {"model_bytes": size},
                                      size_mb=narrative.num(size_mb, 1)),)
    return CheckResult(findings, metrics={"model_bytes": size})


def check_memory(ctx) -> CheckResult:
    """Peak memory Python allocates while predicting a batch."""
    t = ctx.settings.thresholds
    batch = _rows_for_batch(ctx, min(ctx.settings.throughput_rows, 1000))
    with _MEMORY_LOCK:
        tracemalloc.start()
        try:
            ctx.model.predict(batch)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    findings = ()
    if peak >= t.high_memory_mb_warning:
        findings = (narrative.finding("scale.high_memory", PILLAR, Severity.WARNING, (), {"peak_memory_mb": peak},
                                      memory_mb=narrative.num(peak, 0), rows=f"{len(batch):,}"),)
    notes = (narrative.note("memory", rows=f"{len(batch):,}"),)
    return CheckResult(findings, metrics={"peak_memory_mb": peak}, notes=notes)




def check_training_cost(ctx) -> CheckResult:
    """How training time grows with the rows (time ~ rows^exponent), from the learning curve's retrained copies
    at a quarter of the rows and more."""
    t = ctx.settings.thresholds
    fits = growing_fits(ctx)
    if fits is None:
        return CheckResult(notes=(narrative.note("training_no_refit"),))
    largest = fits[-1][0] if fits else 0
    timed = [(rows, seconds) for rows, seconds, _ in fits if rows >= largest / 4]
    if len(timed) < 2:
        return CheckResult(notes=(narrative.note("training_no_refit"),))
    sizes, seconds = [r for r, _ in timed], [s for _, s in timed]
    exponent = float(np.polyfit(np.log(sizes), np.log(np.maximum(seconds, 1e-4)), 1)[0])
    evidence = {"training_seconds": seconds[-1], "training_rows": sizes[-1], "time_exponent": exponent}
    findings = ()
    if exponent >= t.training_exponent_warning and seconds[-1] >= t.training_seconds_noticeable:
        findings = (narrative.finding("scale.training_cost_growth", PILLAR, Severity.WARNING, (), evidence,
                                      small=f"{sizes[0]:,}", large=f"{sizes[-1]:,}",
                                      small_seconds=narrative.num(seconds[0], 1), large_seconds=narrative.num(seconds[-1], 1),
                                      exponent=narrative.num(exponent, 1), tenfold=narrative.num(10 ** exponent, 0)),)
    notes = (narrative.note("training", sizes=", ".join(f"{s:,}" for s in sizes),
                            seconds=", ".join(f"{s:.2f}" for s in seconds)),)
    return CheckResult(findings, metrics={"training_seconds": seconds[-1], "training_time_exponent": exponent},
                       data={"training_sizes": sizes, "training_seconds": seconds}, notes=notes)


CHECKS = (
    ("single-prediction speed", check_latency),
    ("batch throughput", check_throughput),
    ("model size", check_model_size),
    ("memory", check_memory),
    ("training cost", check_training_cost),
)
