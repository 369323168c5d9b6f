"""How many threads each kind of work gets: one place decides, so that OpenMP, BLAS and joblib threads never spin
against each other or against everything else on the machine.

HistGradientBoosting (OpenMP), NumPy/SciPy (BLAS) and scikit-learn's `n_jobs` (joblib) start as many threads as
the host has cores. On a shared 2-core machine those threads spin against each other and against other processes:
fits get 5-15 times slower and a 15 ms single prediction reads 200 ms. mlready therefore limits them deliberately:

- `serve`: single-row predictions and the latency measurement run on one thread, as one serving worker would
  (an uploaded model's own `n_jobs` is set to 1 while it is timed: see `serving`);
- `small`: fits and predictions on at most `SMALL_ROWS` rows (every sampled check) run on one thread;
- `large`: larger fits may use the cores this process may use (CPU affinity and container quota, never the
  host's count), minus one left for everything else, at most `LARGE_MAX`.

The choice can be overridden, in this order: `Settings.threads` (`mlready assess --threads N`), then the
environment variable `MLREADY_THREADS` (for a server running the app: one value for every user), both a positive
number of threads for every kind of work. Results do not depend on the number of threads: the models mlready
trains are deterministic for a seed (tests/test_speed.py compares 1 and 2 threads).

OpenMP limits and joblib's default `n_jobs` apply to the calling thread only (each app session runs its checks in
its own thread). BLAS limits are process-wide: they are set to one thread while any limited block runs and
restored when the last one ends, so that concurrent sessions do not undo each other's limits.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

from threadpoolctl import ThreadpoolController

from .errors import InputError

SMALL_ROWS = 50_000
LARGE_MAX = 4
KINDS = ("serve", "small", "large")
ENVIRONMENT_VARIABLE = "MLREADY_THREADS"
# parameter names under which estimators take their number of threads (scikit-learn, XGBoost, LightGBM, CatBoost)
JOBS_PARAMETERS = ("n_jobs", "nthread", "num_threads", "thread_count")

_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter: Any = None
_serving_lock = threading.Lock()
_pools_lock = threading.Lock()
_pools: ThreadpoolController | None = None
_pools_modules = -1


def thread_pools() -> ThreadpoolController:
    """threadpoolctl's controller of the thread pools (OpenMP, BLAS) loaded in this process. Finding them scans the
    process's shared libraries (about 5 ms; an assessment enters some 130 limited blocks, and this scan was 9% of the
    app server's processor time with ten sessions at once), so it is done again only after new modules were imported
    (a model's library, such as XGBoost or LightGBM, loads its own OpenMP when it is imported)."""
    global _pools, _pools_modules
    with _pools_lock:
        if _pools is None or len(sys.modules) != _pools_modules:
            _pools_modules = len(sys.modules)
            _pools = ThreadpoolController()
        return _pools


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
    except (OSError, ValueError, IndexError, ZeroDivisionError):
        pass
    try:
        quota = float(Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read_text())
        period = float(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text())
        if quota > 0 and period > 0:
            return quota / period
    except (OSError, ValueError):
        pass
    return None


def configured_threads(override: int | None = None) -> int | None:
    """The override in force: `override` (Settings.threads), else MLREADY_THREADS, else None (automatic).

    Raises InputError when MLREADY_THREADS is set to something other than a positive whole number."""
    if override is not None:
        return max(1, int(override))
    text = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"The environment variable {ENVIRONMENT_VARIABLE} is '{text}'; set it to a whole number of "
                         "threads, 1 or more, or remove it.")
    return value


def threads_for(kind: str, override: int | None = None) -> int:
    """Threads for one kind of work ('serve', 'small' or 'large'); `override` (Settings.threads) wins, then
    MLREADY_THREADS."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of work '{kind}'; use one of {KINDS}")
    configured = configured_threads(override)
    if configured is not None:
        return configured
    if kind in ("serve", "small"):
        return 1
    return max(1, min(LARGE_MAX, usable_cores() - 1))


def kind_for_rows(rows: int) -> str:
    """'small' up to SMALL_ROWS rows, else 'large'."""
    return "small" if rows <= SMALL_ROWS else "large"


def _enter_blas() -> None:
    global _blas_users, _blas_limiter
    with _blas_lock:
        if _blas_users == 0:
            _blas_limiter = thread_pools().limit(limits=1, user_api="blas")
        _blas_users += 1


def _leave_blas() -> None:
    global _blas_users, _blas_limiter
    with _blas_lock:
        _blas_users -= 1
        if _blas_users == 0 and _blas_limiter is not None:
            _blas_limiter.restore_original_limits()
            _blas_limiter = None


@contextlib.contextmanager
def limited(kind: str, override: int | None = None) -> Iterator[int]:
    """Run the block with OpenMP threads and joblib's default `n_jobs` limited to `threads_for(kind, override)`
    (in this thread) and BLAS to one thread (process-wide, while any limited block runs); yields the number."""
    import joblib

    threads = threads_for(kind, override)
    _enter_blas()
    try:
        with thread_pools().limit(limits=threads, user_api="openmp"), joblib.parallel_config(n_jobs=threads):
            yield threads
    finally:
        _leave_blas()


def jobs_parameters(estimator: Any) -> dict[str, Any]:
    """The estimator's own thread settings (`n_jobs` and the like, nested ones in pipelines included) that are set."""
    try:
        params = estimator.get_params(deep=True)
    except Exception:  # noqa: BLE001 - not a scikit-learn style estimator
        return {}
    return {name: value for name, value in params.items()
            if name.rsplit("__", 1)[-1] in JOBS_PARAMETERS and value is not None}


def serving_busy() -> bool:
    """Whether a `serving` block (a latency measurement) is running in this process right now."""
    return _serving_lock.locked()


@contextlib.contextmanager
def serving(estimator: Any, override: int | None = None) -> Iterator[int]:
    """Run the block as one serving worker would: `limited('serve')`, and the estimator's own thread settings
    (n_jobs, nthread…) set to the same number for the duration (they do not change its predictions).

    One timed block runs at a time in this process, so that two measurements do not disturb each other."""
    with _serving_lock, limited("serve", override) as threads:
        own = jobs_parameters(estimator)
        changed = {name: value for name, value in own.items() if value != threads}
        if changed:
            try:
                estimator.set_params(**{name: threads for name in changed})
            except Exception:  # noqa: BLE001 - an estimator that refuses is timed as it is
                changed = {}
        try:
            yield threads
        finally:
            if changed:
                estimator.set_params(**changed)
