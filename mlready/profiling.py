"""A data profile computed with fg-data-profiling: per-column statistics and its alerts."""
from __future__ import annotations

import contextlib
import html
import io
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

# The profiler's alerts and the finding code of ours that measures the same problem (with our own,
# documented thresholds, so it is reported once). Other alerts are listed in the notes only.
ALERT_CODES = {"CONSTANT": "data.constant_column", "UNIQUE": "data.id_like_column",
               "HIGH_CARDINALITY": "data.high_cardinality", "MISSING": "data.missing_values",
               "DUPLICATES": "data.duplicate_rows"}
HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class Profile:
    """Per-column statistics, the profiler's alerts as (alert name, column) pairs, and how it ran."""

    columns: tuple[dict, ...]
    alerts: tuple[tuple[str, str], ...]
    rows_profiled: int
    mode: str


@contextlib.contextmanager
def _quiet():
    # the profiler draws a progress bar on stderr even when told not to; keep it out of our output
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _report(frame: pd.DataFrame, minimal: bool):
    from data_profiling import ProfileReport

    # pairwise interaction plots grow with the square of the columns and take minutes: left out
    return ProfileReport(frame, minimal=minimal, progress_bar=False, title="mlready data profile", interactions=None)


def _distribution(values: pd.Series) -> list[float]:
    """A small histogram (numbers) or the counts of the most common values (labels)."""
    filled = values.dropna()
    if filled.empty:
        return []
    if pd.api.types.is_numeric_dtype(filled) and not pd.api.types.is_bool_dtype(filled):
        counts, _ = np.histogram(filled.astype(float), bins=HISTOGRAM_BINS)
        return counts.astype(float).tolist()
    return filled.astype(str).value_counts().head(HISTOGRAM_BINS).astype(float).tolist()


def profile_frame(frame: pd.DataFrame, full_max_cells: int = 50_000) -> Profile:
    """Profile a table: full mode for small tables, minimal mode above `full_max_cells` cells."""
    minimal = frame.size > full_max_cells
    with _quiet():
        description = _report(frame, minimal=minimal).get_description()
    columns = []
    for name, stats in description.variables.items():
        columns.append({
            "column": str(name), "type": str(stats.get("type", "")),
            "missing_share": float(stats.get("p_missing", 0.0)), "distinct": int(stats.get("n_distinct", 0)),
            "min": _number(stats.get("min")), "median": _number(stats.get("50%")), "max": _number(stats.get("max")),
            "distribution": _distribution(frame[name]),
        })
    alerts = tuple((a.alert_type.name, str(a.column_name)) for a in description.alerts if a.column_name is not None)
    return Profile(columns=tuple(columns), alerts=alerts, rows_profiled=len(frame),
                   mode="minimal" if minimal else "full")


def profile_html(frame: pd.DataFrame, full_max_cells: int = 50_000) -> str:
    """The full HTML report, for download only. Column names are HTML-escaped first, because the
    profiler writes them into its page unescaped."""
    safe = frame.rename(columns=lambda c: html.escape(str(c)))
    with _quiet():
        return _report(safe, minimal=safe.size > full_max_cells).to_html()


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None
