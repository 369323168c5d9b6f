"""Guesses that save the user clicks: the target column and the sensitive columns."""
from __future__ import annotations

import re
from typing import Iterable

TARGET_NAMES = ("target", "label", "class", "outcome", "y", "default", "churn", "creditability", "survived",
                "fraud", "response", "converted", "price", "risk")
SENSITIVE_WORDS = {"sex", "gender", "age", "race", "ethnicity", "ethnic", "religion", "religious", "nationality",
                   "marital", "citizenship", "disability", "pregnancy", "orientation"}


def words(column: str) -> set[str]:
    """The words in a column name: 'MaritalStatus' and 'marital_status' give {'marital', 'status'}."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(column))
    return {w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w}


def suggest_target(columns: Iterable[str]) -> str:
    """The column most likely to be the outcome: a typical outcome name, else the last column."""
    names = list(columns)
    for candidate in TARGET_NAMES:
        for column in names:
            if str(column).strip().lower() == candidate:
                return column
    for column in names:
        if words(column) & {"target", "label", "outcome"}:
            return column
    return names[-1]


def suggest_sensitive(columns: Iterable[str]) -> list[str]:
    """Columns whose names suggest a protected attribute (sex, age, race, religion, nationality, …)."""
    return [c for c in columns if words(c) & SENSITIVE_WORDS]


def default_positive_class(target):
    """For a two-class target, the outcome of interest by default: the rarer one (on a tie, the last by name)."""
    counts = target.dropna().value_counts()
    if counts.iloc[0] != counts.iloc[-1]:
        return counts.index[-1]
    return sorted(counts.index, key=str)[-1]
