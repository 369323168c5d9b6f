"""Scalability checks, measured on the model being assessed.

Timings depend on the machine and on what else it is doing, so every timing here is repeated and judged only
when it means something:

- each measurement records both the time that passed (wall clock) and the processor time this thread spent
  (`time.thread_time`: the model's own work, which other programs on the machine do not inflate);
- it is repeated in rounds; the calmest round counts and the spread between rounds is reported;
- a finding is raised only when the measurement is stable (the rounds agree and the predictions were not held
  up by other work), or when the model's own processor time alone already misses the target. Otherwise the
  report says, in a note, that it could not be measured reliably and why, and raises nothing;
- the machine's load (`os.getloadavg`) and the time of measurement are recorded next to the timings.

References: the `timeit` module's advice to take the minimum of repeated timings; Linux
`CLOCK_THREAD_CPUTIME_ID` for the thread's processor time.
"""
from __future__ import annotations

import gc
import os
import threading
import time
import tracemalloc
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from .. import narrative, threads
from ..findings import Severity
from ..modeling import serialized_size
from ..narrative.scalability import machine_conditions
from ..progress import report_progress
from . import CheckResult
from .learning import growing_fits

PILLAR = "scalability"
SECONDS_PER_DAY = 86_400
LATENCY_ROUNDS = 5
# ... but once this many rounds are timed and one of them already meets the target, no further round can make the
# model slow (the calmest round counts), so the measurement stops there
LATENCY_MIN_ROUNDS = 3
# A round times `Settings.latency_repeats` predictions, or fewer for a slow model: it stops after this many seconds
# once it holds this many predictions (a 95th percentile needs some twenty values)
ROUND_SECONDS = 1.5
ROUND_MIN_PREDICTIONS = 20
THROUGHPUT_ROUNDS = 3
TRAINING_REPEATS = 3          # fits per size when training cost is about to be called out
# A measurement is stable when its repeats agree: the typical (median) repeat within this share of the calmest one.
FAR_BEYOND = 3.0  # processor time this many times the target is slow however unsteady the rounds
STABLE_SPREAD = 0.5
# Predictions that got at least this share of a processor's time (processor time / wall time) were not held up by
# other work on the machine.
UNDISTURBED_CPU_SHARE = 0.8
# tracemalloc is process-wide: one measurement at a time (the app shares a process between users)
_MEMORY_LOCK = threading.Lock()


@dataclass(frozen=True)
class Conditions:
    """When and on how busy a machine a timing was taken."""

    measured_at: str        # ISO-8601, UTC
    load: float             # the machine's load average over the last minute (runnable processes)
    cores: int              # cores this process may use

    @classmethod
    def now(cls) -> "Conditions":
        try:
            load = float(os.getloadavg()[0])
        except (AttributeError, OSError):  # not available on this system
            load = float("nan")
        return cls(datetime.now(timezone.utc).isoformat(timespec="seconds"), load, threads.usable_cores())

    def words(self) -> str:
        return machine_conditions(self.measured_at, self.load, self.cores)


def _spread(values: list[float]) -> float:
    """How far the typical (median) repeat is from the calmest (smallest) one, as a share of the calmest."""
    best = min(values)
    return float((np.median(values) - best) / best) if best > 0 else 0.0


def _processor_clock(override: int | None):
    """The clock of the work's own processor time: this thread's when it runs single-threaded (it then does all the
    work itself), else the whole process's."""
    return time.thread_time if threads.threads_for("small", override) == 1 else time.process_time


def _rows_for_batch(ctx, rows: int) -> pd.DataFrame:
    frame = ctx.X_test if len(ctx.X_test) >= 50 else pd.concat([ctx.X_test, ctx.X_train])
    repeats = int(np.ceil(rows / len(frame)))
    return pd.concat([frame] * repeats, ignore_index=True).head(rows)


def _timed_round(model, rows, clock) -> tuple[list[float], list[float]]:
    """Milliseconds of wall time and of processor time (`clock`) for each single-row prediction; a round of a slow
    model stops after ROUND_SECONDS once it has ROUND_MIN_PREDICTIONS."""
    wall, cpu = [], []
    collecting = gc.isenabled()
    gc.disable()  # a garbage-collection pause is not the model's latency
    began = time.perf_counter()
    try:
        for row in rows:
            start, start_cpu = time.perf_counter(), clock()
            model.predict(row)
            cpu.append((clock() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
            if len(wall) >= ROUND_MIN_PREDICTIONS and time.perf_counter() - began >= ROUND_SECONDS:
                break
    finally:
        if collecting:
            gc.enable()
    return wall, cpu


@dataclass(frozen=True)
class LatencyJudgement:
    """What rounds of single-prediction timings say (milliseconds)."""

    wall_p50: float         # wall clock, calmest round (the one with the lowest 95th percentile)
    wall_p95: float
    cpu_p50: float          # processor time, calmest round by processor time
    cpu_p95: float
    spread: float           # wall clock: the typical round's 95th percentile over the calmest's, minus 1
    cpu_spread: float       # the same for processor time
    cpu_share: float        # processor time / wall time in the calmest round (1: nothing else held it up)
    reliable: bool          # the rounds agree and were not held up: the wall clock can be believed
    measured: bool          # the wall clock can be believed, or else the processor time is steady
    slow: bool              # a finding

    @property
    def p50(self) -> float:
        """The typical latency reported: the wall clock when reliable, else the model's own processor time."""
        return self.wall_p50 if self.reliable else self.cpu_p50

    @property
    def p95(self) -> float:
        """The slow end (95th percentile) reported, on the same basis as `p50`."""
        return self.wall_p95 if self.reliable else self.cpu_p95


def judge_latency(rounds: list[tuple[list[float], list[float]]], target_ms: float) -> LatencyJudgement:
    """Judge rounds of (wall ms, processor ms) per prediction against the target.

    The wall clock is believed when the rounds' 95th percentiles are within STABLE_SPREAD of each other and at least
    UNDISTURBED_CPU_SHARE of the calmest round was spent computing. Otherwise other work on the machine held the
    predictions up, and the model's own processor time (which that does not inflate; on a serving machine that is
    not busy, one prediction takes that long) is reported instead, if it is steady from round to round. Slow when
    the reported 95th percentile is above the target; when neither clock is steady, nothing is judged."""
    wall_p95s = [float(np.percentile(wall, 95)) for wall, _ in rounds]
    cpu_p95s = [float(np.percentile(cpu, 95)) for _, cpu in rounds]
    calmest = int(np.argmin(wall_p95s))
    wall, cpu = rounds[calmest]
    own = np.asarray(rounds[int(np.argmin(cpu_p95s))][1], float)  # the calmest round by processor time
    spread, cpu_spread = _spread(wall_p95s), _spread(cpu_p95s)
    cpu_share = float(np.sum(cpu) / max(np.sum(wall), 1e-12))
    reliable = spread <= STABLE_SPREAD and cpu_share >= UNDISTURBED_CPU_SHARE
    # processor time is never inflated by waiting: when even the quickest round's is far beyond the target, no
    # unsteadiness can change the verdict
    certain = min(cpu_p95s) > FAR_BEYOND * target_ms
    measured = reliable or cpu_spread <= STABLE_SPREAD or certain
    judged = LatencyJudgement(wall_p50=float(np.percentile(wall, 50)), wall_p95=wall_p95s[calmest],
                              cpu_p50=float(np.percentile(own, 50)), cpu_p95=float(np.percentile(own, 95)),
                              spread=spread, cpu_spread=cpu_spread, cpu_share=cpu_share, reliable=reliable,
                              measured=measured, slow=False)
    return replace(judged, slow=measured and judged.p95 > target_ms)


def check_latency(ctx) -> CheckResult:
    """Single-row predictions, one at a time as one serving worker makes them, in rounds (at least
    LATENCY_MIN_ROUNDS, up to LATENCY_ROUNDS while none meets the target), judged by `judge_latency`."""
    rows = [ctx.X_test.iloc[[i % len(ctx.X_test)]] for i in range(ctx.settings.latency_repeats)]
    target = ctx.settings.latency_target_ms
    clock = time.thread_time if threads.threads_for("serve", ctx.settings.threads) == 1 else time.process_time
    report_progress(0.0, "waiting for another measurement to finish" if threads.serving_busy() else None)
    with threads.serving(ctx.model, ctx.settings.threads):  # as one serving worker runs
        conditions = Conditions.now()
        for row in rows[:5]:
            ctx.model.predict(row)  # warm-up
        rounds = []
        for number in range(LATENCY_ROUNDS):
            report_progress(number / LATENCY_ROUNDS, f"round {number + 1} of up to {LATENCY_ROUNDS}")
            rounds.append(_timed_round(ctx.model, rows, clock))
            if len(rounds) >= LATENCY_MIN_ROUNDS and min(np.percentile(w, 95) for w, _ in rounds) <= target:
                break
    report_progress(1.0)
    judged = judge_latency(rounds, target)
    evidence = {"latency_ms_p50": judged.p50, "latency_ms_p95": judged.p95, "latency_target_ms": target,
                "latency_wall_ms_p95": judged.wall_p95, "latency_cpu_ms_p95": judged.cpu_p95,
                "latency_round_spread": judged.spread, "machine_load": conditions.load}
    facts = {"rounds": len(rounds), "repeats": min(len(wall) for wall, _ in rounds),
             "spread": narrative.pct(judged.spread),
             "cpu_spread": narrative.pct(judged.cpu_spread), "share": narrative.pct(judged.cpu_share),
             "wall": narrative.num(judged.wall_p95, 1), "own": narrative.num(judged.cpu_p95, 1),
             "target": narrative.num(target, 1), "conditions": conditions.words()}
    notes = [narrative.note("latency", **facts)]
    if not judged.reliable:
        notes.append(narrative.note("latency_busy" if judged.measured else "latency_unreliable", **facts))
    findings = ()
    if judged.slow:
        severity = Severity.CRITICAL if judged.p50 > 10 * target else Severity.WARNING
        findings = (narrative.finding("scale.slow_prediction", PILLAR, severity, (), evidence,
                                      variant=None if judged.reliable else "processor_time",
                                      p50=narrative.num(judged.p50, 1), p95=narrative.num(judged.p95, 1),
                                      target=narrative.num(target, 1)),)
    metrics = {"latency_ms_p50": judged.p50, "latency_ms_p95": judged.p95,
               "latency_wall_ms_p50": judged.wall_p50, "latency_wall_ms_p95": judged.wall_p95,
               "latency_cpu_ms_p50": judged.cpu_p50, "latency_cpu_ms_p95": judged.cpu_p95,
               "latency_round_spread": judged.spread, "latency_cpu_round_spread": judged.cpu_spread,
               "latency_cpu_share": judged.cpu_share, "latency_reliable": float(judged.reliable),
               "latency_measured": float(judged.measured), "latency_machine_load": conditions.load,
               "latency_usable_cores": conditions.cores}
    calmest = int(np.argmin([np.percentile(w, 95) for w, _ in rounds]))
    data = {"latency_ms": rounds[calmest][0 if judged.reliable else 1], "latency_target_ms": target,
            "latency_round_p95_ms": [float(np.percentile(w, 95)) for w, _ in rounds],
            "timing_measured_at": conditions.measured_at, "timing_load": conditions.load,
            "timing_cores": conditions.cores}
    return CheckResult(findings, metrics=metrics, data=data, notes=tuple(notes))


@dataclass(frozen=True)
class ThroughputJudgement:
    """What rounds of batch timings say."""

    wall_rows_per_s: float  # wall clock, fastest round
    cpu_rows_per_s: float   # processor time, fastest round
    spread: float
    cpu_spread: float
    reliable: bool
    measured: bool
    short: bool             # a finding: too little capacity for the daily volume with its headroom

    @property
    def rows_per_s(self) -> float:
        """The throughput reported: the wall clock when reliable, else the model's own processor time."""
        return self.wall_rows_per_s if self.reliable else self.cpu_rows_per_s

    @property
    def per_day(self) -> float:
        return self.rows_per_s * SECONDS_PER_DAY


def judge_throughput(walls: list[float], cpus: list[float], rows: int, daily: int | None,
                     headroom: float) -> ThroughputJudgement:
    """Judge rounds of (wall seconds, processor seconds) for a batch of `rows` against the daily volume with
    `headroom`, with the same rule as `judge_latency`."""
    fastest = int(np.argmin(walls))
    spread, cpu_spread = _spread(walls), _spread(cpus)
    reliable = spread <= STABLE_SPREAD and cpus[fastest] / max(walls[fastest], 1e-12) >= UNDISTURBED_CPU_SHARE
    judged = ThroughputJudgement(rows / max(walls[fastest], 1e-9), rows / max(min(cpus), 1e-9), spread, cpu_spread,
                                 reliable, reliable or cpu_spread <= STABLE_SPREAD, False)
    return replace(judged, short=bool(daily) and judged.measured and judged.per_day < daily * headroom)


def check_throughput(ctx) -> CheckResult:
    """Rows per second when predicting a batch (the fastest of a few rounds), against the expected daily volume,
    judged by `judge_throughput`."""
    t = ctx.settings.thresholds
    batch = _rows_for_batch(ctx, ctx.settings.throughput_rows)
    clock = _processor_clock(ctx.settings.threads)
    conditions = Conditions.now()
    walls, cpus = [], []
    with threads.limited("small", ctx.settings.threads):  # the thread count the processor clock assumes
        ctx.model.predict(batch.head(10))  # warm-up
        for number in range(THROUGHPUT_ROUNDS):
            report_progress(number / THROUGHPUT_ROUNDS)
            start, start_cpu = time.perf_counter(), clock()
            ctx.model.predict(batch)
            cpus.append(clock() - start_cpu)
            walls.append(time.perf_counter() - start)
    daily = ctx.settings.daily_predictions
    judged = judge_throughput(walls, cpus, len(batch), daily, t.capacity_headroom)
    facts = {"rows": f"{len(batch):,}", "rounds": THROUGHPUT_ROUNDS, "spread": narrative.pct(judged.spread),
             "cpu_spread": narrative.pct(judged.cpu_spread), "conditions": conditions.words(),
             "wall_per_day": narrative.count_words(judged.wall_rows_per_s * SECONDS_PER_DAY),
             "own_per_day": narrative.count_words(judged.cpu_rows_per_s * SECONDS_PER_DAY)}
    notes = [narrative.note("throughput", **facts)]
    if not judged.reliable:
        notes.append(narrative.note("throughput_busy" if judged.measured else "throughput_unreliable", **facts))
    findings = ()
    if judged.short:
        severity = Severity.CRITICAL if judged.per_day < daily else Severity.WARNING
        evidence = {"throughput_rows_per_s": judged.rows_per_s, "capacity_per_day": judged.per_day,
                    "daily_predictions": daily, "throughput_round_spread": judged.spread,
                    "machine_load": conditions.load}
        findings = (narrative.finding("scale.low_throughput", PILLAR, severity, (), evidence,
                                      per_day=narrative.count_words(judged.per_day), daily=f"{daily:,}",
                                      headroom=narrative.num(t.capacity_headroom)),)
    metrics = {"throughput_rows_per_s": judged.rows_per_s, "throughput_wall_rows_per_s": judged.wall_rows_per_s,
               "throughput_cpu_rows_per_s": judged.cpu_rows_per_s, "throughput_round_spread": judged.spread,
               "throughput_cpu_round_spread": judged.cpu_spread, "throughput_reliable": float(judged.reliable),
               "throughput_measured": float(judged.measured)}
    return CheckResult(findings, metrics=metrics, notes=tuple(notes))


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
    with _MEMORY_LOCK, threads.limited("small", ctx.settings.threads):
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


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """The power p in time ~ rows^p, fitted on a log-log scale (least squares)."""
    return float(np.polyfit(np.log(sizes), np.log(np.maximum(seconds, 1e-4)), 1)[0])


@dataclass(frozen=True)
class TrainingJudgement:
    """What repeated fits at two sizes say."""

    exponent: float           # time ~ rows^exponent, from the calmest fit at each size
    seconds: tuple[float, ...]  # the calmest fit at each size
    spread: float             # the larger of the two sizes' spreads
    reliable: bool            # the repeats agree
    grows: bool               # a finding


def judge_training_growth(sizes: list[int], repeats: list[list[float]], exponent_warning: float,
                          noticeable_seconds: float) -> TrainingJudgement:
    """Judge repeated fit times (seconds, one list per size, smallest size first): growth is called out when the
    calmest fits grow with the rows to `exponent_warning` or more, the largest takes at least `noticeable_seconds`,
    and the repeats agree (each size's typical repeat within STABLE_SPREAD of its calmest)."""
    calmest = tuple(float(min(times)) for times in repeats)
    spread = max(_spread(times) for times in repeats)
    exponent = growth_exponent(sizes, list(calmest))
    reliable = spread <= STABLE_SPREAD
    grows = reliable and exponent >= exponent_warning and calmest[-1] >= noticeable_seconds
    return TrainingJudgement(exponent, calmest, spread, reliable, grows)


def _timed_fits(ctx, sizes: list[int]) -> dict[int, tuple[list[float], list[float]]]:
    """Retrain copies on the same rows as the learning curve, `TRAINING_REPEATS` times per size: (wall seconds,
    processor seconds) of each fit."""
    shuffled = ctx.training_rows.sample(frac=1.0, random_state=ctx.settings.seed)
    clock = _processor_clock(ctx.settings.threads)
    timings: dict[int, tuple[list[float], list[float]]] = {}
    done, total = 0, len(sizes) * TRAINING_REPEATS
    for rows in sizes:
        part = shuffled.head(rows)
        X, y = part.drop(columns="__y"), part["__y"]  # noqa: N806
        walls, cpus = [], []
        for _ in range(TRAINING_REPEATS):
            report_progress(done / total, f"retraining {done + 1} of {total}")
            with threads.limited("small", ctx.settings.threads):  # the thread count the processor clock assumes
                start, start_cpu = time.perf_counter(), clock()
                ctx.refit_clone(X, y)
                cpus.append(clock() - start_cpu)
                walls.append(time.perf_counter() - start)
            done += 1
        timings[rows] = (walls, cpus)
    return timings


def check_training_cost(ctx) -> CheckResult:
    """How training time grows with the rows (time ~ rows^exponent), from the learning curve's retrained copies
    at a quarter of the rows and more.

    Those fits are timed once each, possibly on a busy machine. When they suggest a warning (fast growth, and
    training on all rows taking a noticeable time), the smallest and largest fits are repeated and the judgement
    is made on the calmest of the repeats (processor time when training runs on one thread), and only if the
    repeats agree."""
    t = ctx.settings.thresholds
    with threads.limited("small", ctx.settings.threads):  # as the runner runs it, also when called on its own
        fits = growing_fits(ctx)
    if fits is None:
        return CheckResult(notes=(narrative.note("training_no_refit"),))
    largest = fits[-1][0] if fits else 0
    timed = [(rows, seconds) for rows, seconds, _ in fits if rows >= largest / 4]
    if len(timed) < 2:
        return CheckResult(notes=(narrative.note("training_no_refit"),))
    sizes, seconds = [r for r, _ in timed], [s for _, s in timed]
    exponent = growth_exponent(sizes, seconds)
    conditions = Conditions.now()
    metrics = {"training_seconds": seconds[-1], "training_time_exponent": exponent,
               "training_machine_load": conditions.load}
    data = {"training_sizes": sizes, "training_seconds": seconds}
    notes = [narrative.note("training", sizes=", ".join(f"{s:,}" for s in sizes),
                            seconds=", ".join(f"{s:.2f}" for s in seconds))]
    if exponent < t.training_exponent_warning or seconds[-1] < t.training_seconds_noticeable:
        return CheckResult(metrics=metrics, data=data, notes=tuple(notes))
    # a candidate: measure again, several times, before saying anything
    ends = [sizes[0], sizes[-1]]
    repeated = _timed_fits(ctx, ends)
    judged = judge_training_growth(ends, [repeated[rows][1] for rows in ends], t.training_exponent_warning,
                                   t.training_seconds_noticeable)
    metrics.update(training_seconds=judged.seconds[-1], training_time_exponent=judged.exponent,
                   training_repeat_spread=judged.spread, training_reliable=float(judged.reliable))
    data.update(training_repeats={f"{rows:,}": repeated[rows][1] for rows in ends})
    notes.append(narrative.note("training_repeated", repeats=TRAINING_REPEATS, small=f"{ends[0]:,}",
                                large=f"{ends[-1]:,}", small_seconds=f"{judged.seconds[0]:.2f}",
                                large_seconds=f"{judged.seconds[-1]:.2f}", spread=narrative.pct(judged.spread),
                                conditions=conditions.words()))
    findings = ()
    if judged.grows:
        evidence = {"training_seconds": judged.seconds[-1], "training_rows": ends[-1], "time_exponent": judged.exponent,
                    "repeat_spread": judged.spread, "machine_load": conditions.load}
        findings = (narrative.finding("scale.training_cost_growth", PILLAR, Severity.WARNING, (), evidence,
                                      small=f"{ends[0]:,}", large=f"{ends[-1]:,}",
                                      small_seconds=narrative.num(judged.seconds[0], 1),
                                      large_seconds=narrative.num(judged.seconds[-1], 1),
                                      exponent=narrative.num(judged.exponent, 1),
                                      tenfold=f"{10 ** judged.exponent:,.0f}"),)
    elif not judged.reliable:
        notes.append(narrative.note("training_unreliable", spread=narrative.pct(judged.spread),
                                    conditions=conditions.words()))
    return CheckResult(findings, metrics=metrics, data=data, notes=tuple(notes))


CHECKS = (
    ("single-prediction speed", check_latency),
    ("batch throughput", check_throughput),
    ("model size", check_model_size),
    ("memory", check_memory),
    ("training cost", check_training_cost),
)
