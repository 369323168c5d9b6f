"""Evidence numbers as a person reads them: a plain label and a rounded value with its unit.

A finding's `evidence` keeps exact numbers under stable snake_case keys (the JSON contract). People see them through
`labelled_evidence(finding)`: `[("Held-out score", "0.82"), ("Rows affected", "1,204"), ("Share of rows", "12%")]`.
A key listed in `LABELS` gets its own label and kind; any other key is labelled from its words and its kind guessed
from its name (shares and rates as percentages, counts with separators, times with units).
"""
from __future__ import annotations

import re
from typing import Callable, Mapping

from . import numbers

#: How a value is written, by kind.
FORMATS: Mapping[str, Callable[[object], str]] = {
    "percent": numbers.percent,
    "count": numbers.count,
    "number": numbers.number,
    "seconds": numbers.duration,
    "milliseconds": numbers.milliseconds,
    "bytes": numbers.size,
    "flag": lambda value: "yes" if value else "no",
}

#: Evidence key -> (plain label, kind). Pillar modules may add their own keys with `register_labels`.
LABELS: dict[str, tuple[str, str]] = {
    "p_value": ("Chance of a gap this size by luck alone", "number"),
    "test_score": ("Score on held-out rows", "number"),
    "train_score": ("Score on training rows", "number"),
    "rows": ("Rows", "count"),
    "share": ("Share of rows", "percent"),
    "regression": ("Predicts a number (1 = yes)", "flag"),
}

_PERCENT = re.compile(r"(^|_)(share|rate|fraction|pct|percent|ratio_missing|missing)($|_)")
_COUNT = re.compile(r"(^|_)(n|rows|count|columns|groups|values|cases|copies|repeats|duplicates)($|_)")


def register_labels(labels: Mapping[str, tuple[str, str]]) -> None:
    """Add plain labels for evidence keys: `{key: (label, kind)}`, kind one of `FORMATS`."""
    for key, (label, kind) in labels.items():
        if kind not in FORMATS:
            raise ValueError(f"unknown evidence kind {kind!r} for {key!r}")
        LABELS[key] = (label, kind)


def guess_kind(key: str) -> str:
    """The kind of an unlisted key, from its name."""
    if key.endswith("_ms"):
        return "milliseconds"
    if key.endswith(("_s", "_seconds")):
        return "seconds"
    if key.endswith("_bytes"):
        return "bytes"
    if _PERCENT.search(key):
        return "percent"
    if _COUNT.search(key):
        return "count"
    return "number"


def label_for(key: str) -> str:
    """A plain label for an evidence key: listed, else its words ('held_out_rows' -> 'Held out rows')."""
    if key in LABELS:
        return LABELS[key][0]
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def format_value(key: str, value: object) -> str:
    """One evidence value written for a person, by its key's kind."""
    kind = LABELS[key][1] if key in LABELS else guess_kind(key)
    return FORMATS[kind](value)


def labelled_evidence(finding) -> list[tuple[str, str]]:
    """`[(label, value text), ...]` for a finding's evidence, in the finding's order."""
    return [(label_for(key), format_value(key, value)) for key, value in finding.evidence.items()]
