"""How far the running check has got, for the progress display: a check that takes more than a few seconds calls
`report_progress(fraction)` as it goes, and the runner turns it into the pillar's progress.

The hook lives in a context variable, so each thread (each app session) sees only its own display; outside the
runner `report_progress` does nothing.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

CheckProgress = Callable[[float, str | None], None]
_current: ContextVar[CheckProgress | None] = ContextVar("mlready_check_progress", default=None)


def report_progress(fraction: float, detail: str | None = None) -> None:
    """The running check is `fraction` (0 to 1) done; `detail` says where, in a few words ("round 2 of 5")."""
    callback = _current.get()
    if callback is not None:
        callback(min(max(float(fraction), 0.0), 1.0), detail)


@contextmanager
def reporting_to(callback: CheckProgress | None) -> Iterator[None]:
    """Send the `report_progress` calls made inside the block to `callback`."""
    token = _current.set(callback)
    try:
        yield
    finally:
        _current.reset(token)
