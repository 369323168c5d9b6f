"""How long a whole assessment takes, and how much memory it needs, measured as `mlready assess` runs it.

    python scripts/benchmark.py                      # every case below, one after the other
    python scripts/benchmark.py --case 100k          # one case (repeat --case for several)
    python scripts/benchmark.py --case 1m --steps    # ... with the time of each step of the assessment
    python scripts/benchmark.py --case 100k --profile 30   # ... and cProfile's 30 most expensive functions
    python scripts/benchmark.py --latency            # the sample's single-row latency, quiet and under load

Cases: `sample` (the German credit sample with its model), `10k`, `100k`, `1m` (synthetic tables of that many rows
and 28 columns, written as CSV: about 170 MB for `1m`) and `wide` (300 rows x 3,000 columns). The tables are made
here, from a seed, in a temporary folder; nothing is downloaded.

Each case runs in a fresh process, exactly like `mlready assess DATA --target ... --json ... --pdf ...` (reading the
CSV, every pillar, writing the JSON and the PDF), and prints: wall time, CPU time (user + system, all threads),
peak memory (the process's maximum resident set size) and the machine's load average (1 minute) before and after.
The load is what other programs were doing at the same time: compare numbers measured under similar load only.
Nothing here is a unit test.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CASES = {  # name: (rows, columns or None for the 28-column table)
    "sample": (1_000, None),
    "10k": (10_000, None),
    "100k": (100_000, None),
    "1m": (1_000_000, None),
    "wide": (300, 3_000),
}
DEFAULT_CASES = ("sample", "10k", "100k", "1m", "wide")


# ----- synthetic tables ----------------------------------------------------------------------------------------
def synthetic(rows: int, seed: int = 0) -> pd.DataFrame:
    """A 28-column table like a customer file: 16 measurements, 4 counts, 5 label columns (4 to 200 values, one
    with gaps), a yes/no column, a date, and a two-class outcome learnable from a handful of them."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(rows, 16)).round(4), columns=[f"measure_{i:02d}" for i in range(16)])
    for i in range(4):
        frame[f"count_{i}"] = rng.poisson(2 + 3 * i, rows)
    frame["region"] = rng.choice(["north", "south", "east", "west"], rows)
    frame["channel"] = rng.choice([f"channel_{i}" for i in range(12)], rows)
    frame["plan"] = rng.choice([f"plan_{i}" for i in range(30)], rows)
    frame["branch"] = rng.choice([f"branch_{i:03d}" for i in range(200)], rows)
    frame["sex"] = rng.choice(["female", "male"], rows)
    frame["newsletter"] = rng.choice(["yes", "no"], rows)
    days = pd.to_timedelta(rng.integers(0, 1500, rows), unit="D")
    frame["signup_date"] = (pd.Timestamp("2020-01-01") + days).astype(str)
    frame.loc[rng.random(rows) < 0.08, "measure_03"] = np.nan
    frame.loc[rng.random(rows) < 0.05, "channel"] = None
    logit = (0.9 * frame["measure_00"] - 0.7 * frame["measure_01"] + 0.4 * frame["count_1"] / 5
             + 0.8 * (frame["region"] == "south") - 1.0)
    frame["churn"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def wide(rows: int, columns: int, seed: int = 0) -> pd.DataFrame:
    """Few rows, many numeric columns (as in genomics or sensor data); the outcome depends on five of them."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(rows, columns)).round(4)
    frame = pd.DataFrame(values, columns=[f"x{i:04d}" for i in range(columns)])
    logit = values[:, :5].sum(axis=1)
    frame["outcome"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def case_command(case: str, folder: Path) -> list[str]:
    """The `mlready assess` arguments for a case, writing its table into `folder` first."""
    sys.path.insert(0, str(ROOT))
    from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL, SAMPLE_OPTIONS

    out = ["--json", str(folder / f"{case}.json"), "--pdf", str(folder / f"{case}.pdf")]
    if case == "sample":
        sensitive = [a for s in SAMPLE_OPTIONS["sensitive"] for a in ("--sensitive", s)]
        return [str(SAMPLE_DATA), "--target", SAMPLE_OPTIONS["target"], "--model", str(SAMPLE_MODEL),
                "--positive-class", SAMPLE_OPTIONS["positive_class"], *sensitive, *out]
    rows, columns = CASES[case]
    path = folder / f"{case}.csv"
    if not path.exists():
        (wide(rows, columns) if columns else synthetic(rows)).to_csv(path, index=False)
    if columns:
        return [str(path), "--target", "outcome", *out]
    return [str(path), "--target", "churn", "--sensitive", "sex", *out]


# ----- one case in a child process -----------------------------------------------------------------------------
def child(argv: list[str], steps_path: str | None, profile_top: int) -> int:
    """Run `mlready assess` in this process, recording when each progress step started."""
    sys.path.insert(0, str(ROOT))
    from mlready import cli

    started = time.perf_counter()
    marks: list[tuple[str, float, float]] = []

    class Recording(cli._Progress):  # noqa: SLF001 - the benchmark watches the CLI's own progress display
        def __call__(self, step: str, fraction: float) -> None:
            if not marks or marks[-1][0] != step:
                marks.append((step, time.perf_counter() - started, time.process_time()))
            super().__call__(step, fraction)

    cli._Progress = Recording  # noqa: SLF001
    profiler = None
    if profile_top:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    code = cli.main(["assess", *argv])
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(profile_top)
        stats.sort_stats("tottime").print_stats(profile_top)
    if steps_path:
        ended = (time.perf_counter() - started, time.process_time())
        rows = [{"step": step, "start_s": start, "seconds": following[1] - start, "cpu_s": following[2] - cpu}
                for (step, start, cpu), following in zip(marks, marks[1:] + [("end", *ended)])]
        Path(steps_path).write_text(json.dumps({"reading_s": marks[0][1] if marks else None,
                                                "reading_cpu_s": marks[0][2] if marks else None, "steps": rows}))
    return code


def run_case(case: str, folder: Path, steps: bool, profile_top: int, threads: int | None) -> dict:
    """Run one case in a fresh process; wall and CPU time, peak memory and load."""
    argv = case_command(case, folder)
    if threads:
        argv += ["--threads", str(threads)]
    steps_path = folder / f"{case}.steps.json"
    command = [sys.executable, __file__, "--child", json.dumps(argv), "--profile", str(profile_top)]
    if steps:
        command += ["--steps-file", str(steps_path)]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=None if profile_top else subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    result = {"case": case, "exit": os.waitstatus_to_exitcode(status), "wall_s": wall,
              "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
              "load_before": load_before, "load_after": os.getloadavg()[0]}
    if case != "sample":
        result["csv_mb"] = (folder / f"{case}.csv").stat().st_size / 2**20
    out = folder / f"{case}.json"
    if out.exists():
        assessment = json.loads(out.read_text())
        result.update(score=assessment["score"], verdict=assessment["verdict"],
                      latency_p95_ms=(assessment.get("scalability") or {}).get("latency_ms_p95"))
    if steps and steps_path.exists():
        result["steps"] = json.loads(steps_path.read_text())
    return result


def describe(result: dict) -> str:
    size = f"  csv {result['csv_mb']:5.0f} MB" if "csv_mb" in result else " " * 15
    return (f"{result['case']:<7} exit {result['exit']}  wall {result['wall_s']:7.1f} s  cpu {result['cpu_s']:7.1f} s  "
            f"peak {result['peak_mb']:6.0f} MB{size}  load {result['load_before']:4.1f} -> {result['load_after']:4.1f}"
            f"  score {result.get('score', '-')}")


def step_table(result: dict) -> list[dict]:
    """Seconds and CPU seconds per check (a check's own progress reports, "(round 2 of 5)", added together); the
    time after the last check is writing the JSON and the PDF."""
    totals: dict[str, dict] = {}
    for row in result.get("steps", {}).get("steps", []):
        name = row["step"].split(" (", 1)[0]
        if name.endswith(": done") and row is result["steps"]["steps"][-1]:
            name = "writing the JSON and the PDF"
        entry = totals.setdefault(name, {"step": name, "seconds": 0.0, "cpu_s": 0.0})
        entry["seconds"] += row["seconds"]
        entry["cpu_s"] += row["cpu_s"]
    return sorted(totals.values(), key=lambda r: -r["seconds"])


def print_steps(result: dict, top: int = 15) -> None:
    steps = result.get("steps")
    if not steps:
        return
    print(f"    {steps['reading_s']:7.1f} s  (cpu {steps.get('reading_cpu_s', float('nan')):6.1f} s)  "
          "reading the files and preparing")
    for row in step_table(result)[:top]:
        print(f"    {row['seconds']:7.1f} s  (cpu {row['cpu_s']:6.1f} s)  {row['step']}")


# ----- latency with and without background load ----------------------------------------------------------------
def _busy() -> None:
    while True:
        pass


def latency(busy_processes: int, rounds: int) -> dict:
    """The sample model's single-row latency as the scalability check measures it, optionally while
    `busy_processes` other processes each keep one core busy."""
    sys.path.insert(0, str(ROOT))
    import multiprocessing

    from mlready import build_context
    from mlready.checks import scalability
    from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL, SAMPLE_OPTIONS

    ctx = build_context(str(SAMPLE_DATA), model=str(SAMPLE_MODEL), **SAMPLE_OPTIONS)
    workers = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(busy_processes)]
    for worker in workers:
        worker.start()
    try:
        time.sleep(2 if workers else 0)
        results = [scalability.check_latency(ctx) for _ in range(rounds)]
        load = os.getloadavg()[0]
    finally:
        for worker in workers:
            worker.terminate()
    p95 = [r.metrics["latency_ms_p95"] for r in results]
    return {"busy_processes": busy_processes, "load": load, "p95_ms_median": float(np.median(p95)),
            "p95_ms_range": (min(p95), max(p95)),
            "wall_p95_ms": float(np.median([r.metrics["latency_wall_ms_p95"] for r in results])),
            "cpu_p95_ms": float(np.median([r.metrics["latency_cpu_ms_p95"] for r in results])),
            "findings": sorted({f.code for r in results for f in r.findings}),
            "reliable": [bool(r.metrics["latency_reliable"]) for r in results]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="run only this case (repeatable)")
    parser.add_argument("--steps", action="store_true", help="also print the slowest steps of each assessment")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile with cProfile and print the N most expensive functions (to stderr)")
    parser.add_argument("--threads", type=int, help="pass --threads N to mlready assess")
    parser.add_argument("--latency", action="store_true",
                        help="time the sample's single-row latency with 0 and 3 busy background processes")
    parser.add_argument("--folder", help="keep the generated tables and outputs here (default: a temporary folder)")
    parser.add_argument("--json", dest="json_path", help="also write the results as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--steps-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        raise SystemExit(child(json.loads(args.child), args.steps_file, args.profile))

    print(f"mlready benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores "
          f"({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} usable), "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    results: list[dict] = []
    if args.latency:
        for busy in (0, 3):
            outcome = latency(busy, rounds=5)
            results.append({"case": f"latency, {busy} busy processes", **outcome})
            print(f"sample single-row latency with {busy} busy processes: "
                  f"reported p95 {outcome['p95_ms_median']:.1f} ms "
                  f"(5 runs, range {outcome['p95_ms_range'][0]:.1f}-{outcome['p95_ms_range'][1]:.1f}; wall clock "
                  f"{outcome['wall_p95_ms']:.1f} ms, model's own CPU time {outcome['cpu_p95_ms']:.1f} ms; clock "
                  f"believed in {sum(outcome['reliable'])} of 5), load {outcome['load']:.1f}, "
                  f"findings {outcome['findings'] or 'none'}", flush=True)
    cases = args.case or ([] if args.latency else list(DEFAULT_CASES))
    with tempfile.TemporaryDirectory(prefix="mlready-bench-") as temporary:
        folder = Path(args.folder or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        for case in cases:
            result = run_case(case, folder, args.steps, args.profile, args.threads)
            results.append(result)
            print(describe(result), flush=True)
            print_steps(result)
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
