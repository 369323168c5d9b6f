"""Checks on how the user's files were read: infinite values and spreadsheet errors, numbers whose decimal mark
could be read two ways, dates that could not be read or carried time zones, and headers (unnamed columns, names
that differ only in capital letters)."""
from __future__ import annotations

import pandas as pd

from .. import narrative
from ..column_types import read_numbers
from ..findings import Severity
from ..narrative import inputs as words
from . import CheckResult

PILLAR = "data_quality"


def _other_tables(ctx):
    return [(role, table) for role, table in (("held-out data", ctx.test), ("new data", ctx.new_data))
            if table is not None]


def check_impossible_values(ctx) -> CheckResult:
    """Infinite values (a ratio divided by zero) and spreadsheet errors ('#DIV/0!'), counted per column.

    The loader made them missing, so every later step goes on; this check says where they were. One finding
    (`data.outliers`, variant 'infinite', a warning: the calculation behind them is broken and will be in
    production too) names the training data's columns; the held-out and new data files are described in it too."""
    display = ctx.data.display_names
    counts = {c: v for c, v in ctx.data.reading.get("impossible", {}).items() if c in ctx.frame.columns}
    others = {role: (table, {c: v for c, v in table.reading.get("impossible", {}).items() if c in ctx.frame.columns})
              for role, table in _other_tables(ctx)}
    if not counts and not any(found for _, found in others.values()):
        return CheckResult(metrics={"impossible_cells": 0.0})

    def total(entry):
        return entry["positive_infinite"] + entry["negative_infinite"] + entry["errors"]

    ordered = sorted(counts, key=lambda c: -total(counts[c]))
    described = [words.impossible_in_column(c, counts[c], display) for c in ordered]
    evidence = {
        "infinite_cells": sum(v["positive_infinite"] + v["negative_infinite"] for v in counts.values()),
        "spreadsheet_error_cells": sum(v["errors"] for v in counts.values()),
        "columns_affected": len(counts),
        "worst_share": max((total(v) / len(ctx.data.frame) for v in counts.values()), default=0.0),
    }
    columns = list(ordered)
    for role, (table, found) in others.items():
        if not found:
            continue
        key = "held_out" if role == "held-out data" else "new_data"
        evidence[f"{key}_impossible_cells"] = sum(total(v) for v in found.values())
        inner = "; ".join(words.impossible_in_column(c, v, display)
                          for c, v in sorted(found.items(), key=lambda kv: -total(kv[1])))
        described.append(f"in the {role} '{table.name}', {inner}")
        columns += [c for c in found if c not in columns]
    text = "; ".join(described)
    finding = narrative.finding(
        "data.outliers", PILLAR, Severity.WARNING, columns, evidence, variant="infinite",
        described=text[0].upper() + text[1:], columns_short=_short(columns, display))
    return CheckResult((finding,), metrics={"impossible_cells": float(sum(total(v) for v in counts.values()))},
                       data={"impossible_cells": {c: total(v) for c, v in counts.items()}})


def _short(columns, display) -> str:
    names = [display.get(c, f"'{c}'") for c in columns]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_reading(ctx) -> CheckResult:
    """Notes on how the files were read: the delimiter and decimal mark of text files, number columns that could be
    read with either decimal mark or hold cells written the other way, dates that could not be read, kept as
    numbers or converted to UTC, columns without a name, and names that differ only in capital letters."""
    notes: list[str] = []
    data: dict = {}
    for role, table in (("training data", ctx.data), *_other_tables(ctx)):
        reading = table.reading
        if reading.get("delimiter"):
            decimal = reading.get("decimal")
            encoding = words.ENCODING_WORDS.get(reading.get("encoding"), reading.get("encoding"))
            how = (f"{words.DELIMITER_WORDS.get(reading['delimiter'], 'delimited')} text ({encoding})"
                   + (f", numbers with {words.MARK_WORDS[decimal]}" if decimal else ""))
            notes.append(narrative.note("reading", name=table.name, how=how))
        for column, words_for in reading.get("display_names", {}).items():
            notes.append(narrative.note("unnamed", name=table.name, words=words_for, column=column))
        for twins in reading.get("case_twins", []):
            notes.append(narrative.note("case_twins", names=narrative.name_list(twins)))
    formats = _number_formats(ctx)
    for column, number_format in formats.items():
        if number_format.get("ambiguous"):
            notes.append(words.ambiguous_number_note(column, number_format["example"], number_format["example_value"],
                                                     number_format["decimal"], number_format["why"]))
        if number_format.get("mixed"):
            notes.append(words.mixed_marks_note(column, int(number_format["mixed"]), number_format["other_example"],
                                                number_format["decimal"]))
        if number_format.get("other_way"):
            count = int(number_format["other_way"])
            notes.append(narrative.note("number_other_way", column=column, count=narrative.plural(count, "cell"),
                                        example=number_format["other_example"], is_are="is" if count == 1 else "are"))
    data["number_formats"] = {c: {k: v for k, v in f.items() if isinstance(v, (int, float, str, bool))}
                              for c, f in formats.items()}
    if ctx.identifiers_the_model_leaves_out:
        left = ctx.identifiers_the_model_leaves_out
        notes.append(narrative.note("identifiers_outside_model", columns=narrative.name_list(left),
                                    is_are="is" if len(left) == 1 else "are"))
    for column in [c for c, kind in ctx.column_types.items() if kind == "date" and c in ctx.data.frame.columns]:
        reading = ctx.date_reading(ctx.data, column)
        if reading.kept_numbers:
            notes.append(narrative.note("date_numbers", column=column))
        if reading.unreadable:
            notes.append(narrative.note("date_unreadable", column=column, count=f"{reading.unreadable:,}",
                                        filled=f"{reading.filled:,}", example=reading.example))
        if reading.converted_to_utc:
            offsets = f" ({reading.offsets} different offsets, as when daylight saving time starts or ends)" \
                if reading.offsets > 1 else ""
            notes.append(narrative.note("date_utc", column=column, offsets=offsets))
            if reading.without_offset:
                notes.append(narrative.note("date_without_offset", column=column,
                                            count=narrative.plural(reading.without_offset, "time")))
    return CheckResult(data={"reading": data}, notes=tuple(notes))


def _number_formats(ctx) -> dict[str, dict]:
    """Number columns whose reading needs saying: from the loader (columns it read as numbers) and for text columns
    typed 'number' (read when the types were applied)."""
    found = {c: dict(f) for c, f in ctx.data.reading.get("number_formats", {}).items() if c in ctx.frame.columns}
    hint = ctx.data.reading.get("decimal")
    raw = ctx.data.frame
    for column, kind in ctx.column_types.items():
        if kind != "number" or column not in raw.columns or pd.api.types.is_numeric_dtype(raw[column]):
            continue
        number_format = read_numbers(raw[column], hint).format
        if number_format.ambiguous or number_format.other_way or number_format.mixed:
            found[column] = {k: getattr(number_format, k) for k in ("decimal", "ambiguous", "why", "example",
                                                                    "example_value", "other_way", "other_example",
                                                                    "mixed")}
    return found


CHECKS = (
    ("impossible values", check_impossible_values),
    ("how the files were read", check_reading),
)
