"""A data profile computed with fg-data-profiling: per-column statistics and its alerts."""
from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass

import pandas as pd

# fg-data-profiling's alert names -> our finding codes
ALERT_CODES = {
    "CONSTANT": "data.constant_column",
    "UNIQUE": "data.id_like_column",
    "HIGH_CARDINALITY": "data.high_cardinality",
    "MISSING": "data.missing_values",
    "DUPLICATES": "data.duplicate_rows",
}


@dataclass(frozen=True)
class Profile:
    """Per-column statistics and the profiler's alerts as (alert name, column) pairs."""

    columns: tuple[dict, ...]
    alerts: tuple[tuple[str, str], ...]
    rows_profiled: int


def _profile_report(frame: pd.DataFrame, minimal: bool):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from data_profiling import ProfileReport

        return ProfileReport(frame, minimal=minimal, progress_bar=False, title="mlready data profile")


def profile_frame(frame: pd.DataFrame) -> Profile:
    """Profile a table in minimal mode: fast, with alerts and per-column statistics."""
    # the profiler draws a progress bar on stderr even when told not to; keep it out of our output
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        description = _profile_report(frame, minimal=True).get_description()
    columns = []
    for name, stats in description.variables.items():
        columns.append({
            "column": str(name), "type": str(stats.get("type", "")),
            "missing_share": float(stats.get("p_missing", 0.0)), "distinct": int(stats.get("n_distinct", 0)),
            "min": _number(stats.get("min")), "median": _number(stats.get("50%")), "max": _number(stats.get("max")),
        })
    alerts = tuple((a.alert_type.name, str(a.column_name)) for a in description.alerts if a.column_name is not None)
    return Profile(columns=tuple(columns), alerts=alerts, rows_profiled=len(frame))


def profile_html(frame: pd.DataFrame) -> str:
    """The full HTML profile report, for download (never rendered inside the app)."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        return _profile_report(frame, minimal=True).to_html()


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None
