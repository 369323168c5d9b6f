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


HIGH_CORRELATION_MAX_LABEL_PAIRS = 45  # label-column pairs up to which full mode also relates labels to each other


def _report(frame: pd.DataFrame, minimal: bool, statistics_only: bool = False):
    from data_profiling import ProfileReport

    # pairwise interaction plots grow with the square of the columns and take minutes: left out
    options = {"interactions": None}
    if statistics_only:
        # what profile_frame reads: per-column statistics and alerts. The profiler's own thread pool only adds
        # contention (each check runs on one thread), and sample rows, repeated rows and missing-value diagrams
        # are not read: a third less time on a 3,000-column table.
        options.update(pool_size=1, samples=None, duplicates=None, missing_diagrams=None)
        labels = sum(not _numeric(frame[c]) for c in frame.columns)
        if not minimal and labels * (labels - 1) / 2 > HIGH_CORRELATION_MAX_LABEL_PAIRS:
            # the profiler relates every pair of label columns with a cross table (about 7 ms each, whatever the
            # rows): with many label columns, its high-correlation alerts come from number columns only
            options.update(correlations={"auto": {"calculate": False}, "spearman": {"calculate": True}})
    return ProfileReport(frame, minimal=minimal, progress_bar=False, title="mlready data profile", **options)


def _numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _distributions(frame: pd.DataFrame) -> dict[str, list[float]]:
    """Per column, a small histogram (numbers: HISTOGRAM_BINS equal-width bins, as numpy.histogram) or the counts
    of the most common values (labels). Number columns are binned together in one pass, which matters on wide
    tables."""
    out: dict[str, list[float]] = {}
    numeric = [c for c in frame.columns if _numeric(frame[c])]
    if numeric:
        values = frame[numeric].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-empty column has no minimum
            low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            width = np.where(high > low, high - low, 1.0)
            bins = np.floor((values - low) / width * HISTOGRAM_BINS)
        bins = np.where(np.isnan(values), -1, np.clip(bins, 0, HISTOGRAM_BINS - 1)).astype(int)
        if (high == low).any():  # one value: numpy.histogram puts it in the middle bin
            bins[:, high == low] = np.where(bins[:, high == low] < 0, -1, HISTOGRAM_BINS // 2)
        for j, column in enumerate(numeric):
            column_bins = bins[:, j]
            column_bins = column_bins[column_bins >= 0]
            counts = np.bincount(column_bins, minlength=HISTOGRAM_BINS) if len(column_bins) else np.array([])
            out[column] = counts.astype(float).tolist()
    for column in frame.columns:
        if column not in out:
            filled = frame[column].dropna()
            out[column] = [] if filled.empty else \
                filled.astype(str).value_counts().head(HISTOGRAM_BINS).astype(float).tolist()
    return out


def profile_frame(frame: pd.DataFrame, full_max_cells: int = 50_000) -> Profile:
    """Profile a table: full mode for small tables, minimal mode above `full_max_cells` cells."""
    minimal = frame.size > full_max_cells
    with _quiet():
        description = _report(frame, minimal=minimal, statistics_only=True).get_description()
    distributions = _distributions(frame)
    columns = []
    for name, stats in description.variables.items():
        columns.append({
            "column": str(name), "type": str(stats.get("type", "")),
            "missing_share": float(stats.get("p_missing", 0.0)), "distinct": int(stats.get("n_distinct", 0)),
            "min": _number(stats.get("min")), "median": _number(stats.get("50%")), "max": _number(stats.get("max")),
            "distribution": distributions.get(name, []),
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
