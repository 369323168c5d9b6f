"""Columns as levels, and levels as outcome rates: how single columns are scored, whatever their type.

Every column is turned into integer levels learned on the training rows (`bin_columns`): a number column into
quantile bins (or its own values when it has few), a label column into its labels, and empty cells into a level of
their own, so that "missing" can carry a signal like any value. Values the training rows never had get the level
`UNSEEN`. Levels then become outcome rates (`rate_encode`, `out_of_fold_rates`): the smoothed share of each
outcome class (or the mean outcome, for regression) among the training rows at that level, the m-estimate of
Micci-Barreca (2001, "A preprocessing scheme for high-cardinality categorical attributes", SIGKDD Explorations
3(1)). An unseen level gets the overall rate (the prior). Everything works on all columns at once with
`numpy.bincount`, so a table with thousands of columns is encoded in well under a second.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

UNSEEN = -1          # the level of a value the training rows never had
SMOOTHING = 2.0      # m of the m-estimate: a level's rate counts as if it had this many extra rows at the prior
CHUNK_CELLS = 4_000_000  # rows x columns x outcomes encoded at once (bounds memory on wide tables)


@dataclass(frozen=True)
class Levels:
    """Integer levels per column, learned on training rows.

    `train` is (training rows, columns); `others` holds one such array per other frame, in the order given;
    `counts[j]` is how many levels column j has (its missing level included); `missing[j]` is the missing level
    of column j; `numeric[j]` says whether column j was binned as numbers.
    """

    columns: list[str]
    train: np.ndarray
    others: tuple[np.ndarray, ...]
    counts: np.ndarray
    missing: np.ndarray
    numeric: np.ndarray


def is_number_column(values: pd.Series) -> bool:
    """Whether a column is binned as numbers (booleans and labels are not)."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _number_levels(train: np.ndarray, others: list[np.ndarray], max_bins: int, min_rows_per_bin: int):
    filled = train[~np.isnan(train)]
    distinct = np.unique(filled)
    if len(distinct) <= max_bins:
        edges = (distinct[1:] + distinct[:-1]) / 2        # each value its own level; others go to the nearest
    else:
        bins = int(max(2, min(max_bins, len(filled) // max(min_rows_per_bin, 1))))
        edges = np.unique(np.quantile(filled, np.linspace(0, 1, bins + 1))[1:-1])
    missing = len(edges) + 1

    def code(values: np.ndarray) -> np.ndarray:
        out = np.searchsorted(edges, values, side="right")
        out[np.isnan(values)] = missing
        return out

    return code(train), [code(o) for o in others], missing + 1, missing


def _label_levels(train: pd.Series, others: list[pd.Series]):
    labels = pd.Index(pd.unique(train.dropna().astype(str)))
    missing = len(labels)

    def code(values: pd.Series) -> np.ndarray:
        known = values.notna().to_numpy()
        out = np.full(len(values), missing, dtype=np.int64)
        if known.any():
            out[known] = labels.get_indexer(values[known].astype(str))   # -1 (UNSEEN) for a new label
        return out

    return code(train), [code(o) for o in others], missing + 1, missing


def bin_columns(train: pd.DataFrame, *others: pd.DataFrame, max_bins: int = 32,
                min_rows_per_bin: int = 10) -> Levels:
    """Levels for every column of `train`, learned on `train` and applied to each frame of `others` (same columns).

    Number columns: their own values when they have at most `max_bins` distinct ones, else quantile bins with at
    least `min_rows_per_bin` training rows each (values beyond the training range go to the end bins). Other
    columns: their labels (as text). Empty cells: a level of their own. A label never seen in `train`: UNSEEN.
    """
    columns = list(train.columns)
    n = len(columns)
    train_codes = np.empty((len(train), n), dtype=np.int64)
    other_codes = [np.empty((len(o), n), dtype=np.int64) for o in others]
    counts, missing, numeric = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, bool)
    for j, column in enumerate(columns):
        series = train[column]
        numeric[j] = is_number_column(series) and all(is_number_column(o[column]) for o in others)
        if numeric[j]:
            codes, rest, counts[j], missing[j] = _number_levels(
                series.to_numpy(float), [o[column].to_numpy(float) for o in others], max_bins, min_rows_per_bin)
        else:
            codes, rest, counts[j], missing[j] = _label_levels(series, [o[column] for o in others])
        train_codes[:, j] = codes
        for target, values in zip(other_codes, rest):
            target[:, j] = values
    return Levels(columns, train_codes, tuple(other_codes), counts, missing, numeric)


def outcome_matrix(y: pd.Series | np.ndarray, task: str, classes: list | None = None,
                   positive=None) -> np.ndarray:
    """What rates are learned of, one column per quantity: for two classes, 1 where y is `positive`; for several,
    one indicator per class of `classes` (compared as text); for regression, y itself. Shape (rows, k)."""
    values = np.asarray(y)
    if task == "regression":
        return values.astype(float).reshape(-1, 1)
    text = values.astype(str)
    if positive is not None:
        return (text == str(positive)).astype(float).reshape(-1, 1)
    return np.column_stack([(text == str(c)).astype(float) for c in classes])


def _rates(codes: np.ndarray, counts: np.ndarray, outcomes: np.ndarray, smoothing: float):
    """Per (column, level): smoothed rate of each outcome quantity. Returns (offsets, table (levels total, k), prior)."""
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    flat = (codes + offsets).ravel()                       # row-major: row i, column j
    prior = outcomes.mean(axis=0)
    size = int(counts.sum())
    rows = np.bincount(flat, minlength=size).astype(float)
    table = np.empty((size, outcomes.shape[1]))
    for k in range(outcomes.shape[1]):
        weights = np.repeat(outcomes[:, k], codes.shape[1])
        table[:, k] = (np.bincount(flat, weights=weights, minlength=size) + smoothing * prior[k]) / (rows + smoothing)
    return offsets, table, prior


def _apply(codes: np.ndarray, offsets: np.ndarray, table: np.ndarray, prior: np.ndarray) -> np.ndarray:
    unseen = codes == UNSEEN
    index = np.where(unseen, 0, codes + offsets)
    out = table[index]                                     # (rows, columns, k)
    out[unseen] = prior
    return out


def rate_encode(train_codes: np.ndarray, counts: np.ndarray, outcomes: np.ndarray, apply_codes: np.ndarray,
                smoothing: float = SMOOTHING) -> np.ndarray:
    """The outcome rates learned on the training rows, looked up for other rows: shape (rows, columns, k).
    A level the training rows never had (UNSEEN) gets the prior."""
    if train_codes.shape[1] * max(len(train_codes), len(apply_codes)) * outcomes.shape[1] > CHUNK_CELLS:
        step = max(1, CHUNK_CELLS // (max(len(train_codes), len(apply_codes)) * outcomes.shape[1]))
        return np.concatenate([rate_encode(train_codes[:, s:s + step], counts[s:s + step], outcomes,
                                           apply_codes[:, s:s + step], smoothing)
                               for s in range(0, train_codes.shape[1], step)], axis=1)
    offsets, table, prior = _rates(train_codes, counts, outcomes, smoothing)
    return _apply(apply_codes, offsets, table, prior)


def out_of_fold_rates(codes: np.ndarray, counts: np.ndarray, outcomes: np.ndarray, folds: int = 5, seed: int = 0,
                      smoothing: float = SMOOTHING) -> np.ndarray:
    """The outcome rates of each row learned on the other folds only (so a row never sees its own outcome):
    shape (rows, columns, k). A level absent from the other folds gets their prior."""
    order = np.random.default_rng(seed).permutation(len(codes))
    out = np.empty((len(codes), codes.shape[1], outcomes.shape[1]))
    for part in np.array_split(order, folds):
        rest = np.setdiff1d(order, part, assume_unique=True)
        out[part] = rate_encode(codes[rest], counts, outcomes[rest], codes[part], smoothing)
    return out
