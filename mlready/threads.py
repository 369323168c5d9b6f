"""How many threads each kind of work gets: one place decides, so that OpenMP and BLAS threads never spin
against each other or against everything else on the machine.

HistGradientBoosting (OpenMP) and NumPy/SciPy (BLAS) start as many threads as the host has cores. On a shared
2-core machine those threads spin against each other and against other processes: fits get 5-15 times slower
and a 15 ms single prediction reads 200 ms. mlready therefore limits them deliberately with threadpoolctl:

- `serve`: single-row predictions and the latency measurement run on one thread, as one serving worker would;
- `small`: fits and predictions on at most `SMALL_ROWS` rows (every sampled check) run on one thread;
- `large`: larger fits may use the cores this process may use, minus one left for everything else.

`Settings.threads` overrides the automatic choice (a positive number of threads for every kind of work).
Results do not depend on the number of threads: the models mlready trains are deterministic for a seed.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from threadpoolctl import threadpool_limits

SMALL_ROWS = 50_000
KINDS = ("serve", "small", "large")


def usable_cores() -> int:
    """The cores this process may use: CPU affinity, then a cgroup (container) quota, never the host's count."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        cores = min(cores, max(1, int(quota)))
    return max(1, cores)


def _cgroup_quota() -> float | None:
    """CPUs allowed by a cgroup v2 `cpu.max` (or v1 cfs quota), None when unlimited or unknown."""
    try:
        text = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if text and text[0] != "max":
            return float(text[0]) / float(text[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        quota = float(Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read_text())
        period = float(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text())
        if quota > 0 and period > 0:
            return quota / period
    except (OSError, ValueError):
        pass
    return None


def threads_for(kind: str, override: int | None = None) -> int:
    """Threads for one kind of work ('serve', 'small' or 'large'); `override` (Settings.threads) wins."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of work '{kind}'; use one of {KINDS}")
    if override is not None:
        return max(1, int(override))
    if kind in ("serve", "small"):
        return 1
    return max(1, min(4, usable_cores() - 1))


def kind_for_rows(rows: int) -> str:
    """'small' up to SMALL_ROWS rows, else 'large'."""
    return "small" if rows <= SMALL_ROWS else "large"


@contextlib.contextmanager
def limited(kind: str, override: int | None = None) -> Iterator[int]:
    """Run the block with OpenMP and BLAS limited to `threads_for(kind, override)` threads; yields that number.

    The OpenMP limit applies to the calling thread (each app session runs its checks in its own thread), the
    BLAS limit to the process."""
    threads = threads_for(kind, override)
    with threadpool_limits(limits=threads):
        yield threads
