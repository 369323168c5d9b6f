"""Checks on what the user gave (files, target, options) before any work: each problem is one plain InputError."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

import pandas as pd

from .column_types import (COLUMN_TYPES, apply_column_types, identifier_kind, infer_column_types,
                           saved_index_column)
from .errors import InputError
from .loading import Table
from .suggest import default_positive_class

MIN_ROWS = 20
MAX_CLASSES = 50


def check_columns(data: Table, target: str, sensitive: Iterable[str], test: Table | None,
                  new_data: Table | None) -> None:
    """The target, sensitive columns, held-out data and new data all fit the training data's columns."""
    frame = data.frame
    if target not in frame.columns:
        options = ", ".join(map(str, list(frame.columns)[:8]))
        raise InputError(f"The target column '{target}' is not in '{data.name}'; choose one of: {options}.")
    if frame[target].isna().all():
        raise InputError(f"The target column '{target}' is empty; choose the column that holds the outcome.")
    if frame.shape[1] < 2:
        raise InputError(f"'{data.name}' has only the target column; the model needs input columns too.")
    for column in sensitive:
        if column not in frame.columns:
            raise InputError(f"The sensitive column '{column}' is not in '{data.name}'; check its spelling.")
        if column == target:
            raise InputError(f"The sensitive column '{column}' is the target; name an input column instead.")
    features = [c for c in frame.columns if c != target]
    if test is not None:
        missing = [c for c in [*features, target] if c not in test.frame.columns]
        if missing:
            raise InputError(f"The held-out data '{test.name}' lacks the column '{missing[0]}'; "
                             "it must have the same columns as the training data.")
    if new_data is not None:
        missing = [c for c in features if c not in new_data.frame.columns]
        if missing:
            raise InputError(f"The new data '{new_data.name}' lacks the column '{missing[0]}'; "
                             "it must have the same input columns as the training data.")


def column_types(data: Table, sample: pd.DataFrame, target: str, sensitive: Iterable[str],
                 overrides: dict[str, str]) -> dict[str, str]:
    """Every column's type: inferred from `sample`, then the user's corrections (checked)."""
    for column, kind in overrides.items():
        if column not in data.frame.columns:
            raise InputError(f"The column '{column}' given a type is not in '{data.name}'; check its spelling.")
        if kind not in COLUMN_TYPES:
            raise InputError(f"'{kind}' is not a column type; use one of: {', '.join(COLUMN_TYPES)}.")
        if kind == "ignore" and (column == target or column in sensitive):
            raise InputError(f"The column '{column}' is the target or a sensitive column, so it cannot be ignored.")
    unnamed = set(data.display_names)
    inferred = infer_column_types(sample, decimal_hint=data.reading.get("decimal"), unnamed=unnamed)
    index = saved_index_column(data.frame, unnamed)
    for column, kind in inferred.items():  # a row number is 0..n-1 only in the whole table: judged on all of it
        full = data.frame[column]
        if kind in ("number", "identifier") and pd.api.types.is_integer_dtype(full) and column != target:
            inferred[column] = "identifier" if identifier_kind(full, unnamed=column == index) else "number"
    if inferred.get(target) == "identifier":
        inferred[target] = "number" if pd.api.types.is_numeric_dtype(data.frame[target]) else "category"
    return {**inferred, **overrides}


def rows_with_target(frame: pd.DataFrame, name: str, target: str, task: str) -> tuple[pd.DataFrame, int]:
    """The rows that have an outcome, and how many had none; the outcomes must suit the task."""
    keep = frame[target].notna()
    kept = frame.loc[keep].reset_index(drop=True)
    if len(kept) < MIN_ROWS:
        raise InputError(f"'{name}' has only {len(kept)} rows with a target value; "
                         f"at least {MIN_ROWS} are needed to judge a model.")
    if task == "classification":
        counts = kept[target].value_counts()
        if len(counts) < 2:
            raise InputError(f"The target column '{target}' has only one value ('{counts.index[0]}'); "
                             "a model needs at least two different outcomes to learn from.")
        if len(counts) > MAX_CLASSES:
            raise InputError(f"The target column '{target}' has {len(counts):,} different values, too many "
                             "outcomes for classification; choose the regression task or group the outcomes.")
        single = counts[counts < 2]
        if len(single):
            others = f" (as do {len(single) - 1} other outcomes)" if len(single) > 1 else ""
            raise InputError(f"The outcome '{single.index[0]}' of '{target}' appears in only one row{others}; "
                             "each outcome needs several rows, so merge or remove the rarest ones.")
    elif not pd.api.types.is_numeric_dtype(kept[target]):
        raise InputError(f"The target column '{target}' is not numeric, so it cannot be a regression "
                         "target; choose the classification task instead.")
    return kept, int((~keep).sum())


def positive_class(outcomes: pd.Series, classes: list, requested: Any) -> Any:
    """For a two-class target, the outcome of interest: the one requested, else the rarer one."""
    if len(classes) != 2:
        return None
    if requested is None:
        return default_positive_class(outcomes)
    for label in classes:
        if str(label) == str(requested):
            return label
    raise InputError(f"The positive class '{requested}' is not a value of '{outcomes.name}'; "
                     f"use one of: {', '.join(map(str, classes))}.")


def _label_key(value: Any) -> Any:
    """A value's identity as an outcome: numbers by their value (1 and 1.0 are one outcome), the rest as text."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    text = str(value)
    try:  # a number written as text ('1', '1.0') is the same outcome as the number
        number = float(text)
    except ValueError:
        return text
    return number if np.isfinite(number) else text


def check_outcome_labels(table: Table, role: str, target: str, column_type: str | None, classes: list) -> None:
    """Every outcome in another file of the user's (`role`: 'held-out data', 'new data') is one the training data
    has: an unknown label (a different spelling such as 'Good' for 'good', or a new outcome) would otherwise be
    scored as a class of its own and every confusion number would be wrong. Files without the target column pass.

    Raises InputError naming the file, the column and the unknown labels (and, for labels that differ from a
    training label only in capital letters or spaces, which one)."""
    if target not in table.frame.columns:
        return
    values = table.frame[[target]]
    if column_type:
        values = apply_column_types(values, {target: column_type}, decimal_hint=table.reading.get("decimal"))
    known = {_label_key(c) for c in classes}
    unknown = [v for v in pd.unique(values[target].dropna()) if _label_key(v) not in known]
    if not unknown:
        return
    by_spelling = {str(c).strip().casefold(): c for c in classes}
    near = [(v, by_spelling[str(v).strip().casefold()]) for v in unknown if str(v).strip().casefold() in by_spelling]
    listed = ", ".join(f"'{v}'" for v in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    spelled = ""
    if near:
        spelled = (" (" + ", ".join(f"'{v}' differs from the training outcome '{c}' only in capital letters or spaces"
                                   for v, c in near[:3]) + ")")
    raise InputError(f"The {role} '{table.name}' has outcomes in '{target}' that the training data never has: "
                     f"{listed}{spelled}; write its outcomes exactly as the training data does "
                     f"({', '.join(repr(str(c)) for c in classes[:6])}), or leave those rows out.")
