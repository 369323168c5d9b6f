"""The words about reading the user's files: impossible values, identifiers in disguise, how numbers, dates and
headers were read."""
from __future__ import annotations

from typing import Iterable, Mapping

from .base import NOTES, TEMPLATES, num, plural

DELIMITER_WORDS = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated",
                   "|": "separated by vertical bars"}
ENCODING_WORDS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "cp1252": "Windows-1252"}
MARK_WORDS = {".": "a decimal point", ",": "a decimal comma"}
AMBIGUITY_REASONS = {
    "other columns": "the file's other number columns use {mark}",
    "unmarked": "numbers of four digits or more in this column are written without a thousands mark",
    "usual": "a point is usually a decimal mark and a comma a thousands mark",
}


def column_words(column: str, display_names: Mapping[str, str] | None = None) -> str:
    """A column as a person knows it: "'income'", or "the unnamed first column (called 'column_1' in the
    results)" for a column the file gave no name."""
    display = (display_names or {}).get(column)
    return f"{display} (called '{column}' in the results)" if display else f"'{column}'"


def column_list(columns: Iterable[str], display_names: Mapping[str, str] | None = None, limit: int = 4) -> str:
    """Columns as a person knows them, joined: "'a', the unnamed first column (...) and 'b'"."""
    items = [column_words(c, display_names) for c in columns]
    shown, rest = items[:limit], len(items) - limit
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {rest} more)" if rest > 0 else "")


def impossible_in_column(column: str, counts: Mapping[str, int], display_names: Mapping[str, str] | None = None) -> str:
    """"'ratio' holds 33 infinite values (+∞)"; spreadsheet errors are named by an example."""
    parts = []
    positive, negative = int(counts.get("positive_infinite", 0)), int(counts.get("negative_infinite", 0))
    if positive and negative:
        parts.append(f"{plural(positive + negative, 'infinite value')} ({positive:,} +∞, {negative:,} −∞)")
    elif positive or negative:
        parts.append(f"{plural(positive + negative, 'infinite value')} ({'+∞' if positive else '−∞'})")
    errors = int(counts.get("errors", 0))
    if errors:
        example = counts.get("error_example") or "#DIV/0!"
        parts.append(f"{plural(errors, 'spreadsheet error')} such as '{example}'")
    return f"{column_words(column, display_names)} holds {' and '.join(parts)}"


def identifier_reason(column: str, reason: str | None, facts: Mapping[str, float],
                      display_names: Mapping[str, str] | None = None) -> str:
    """Why a column looks like an identifier, in a phrase that starts with its name."""
    name = column_words(column, display_names)
    if reason == "row_number":
        order = "in order" if facts.get("ordered") else "in shuffled order"
        return (f"{name} holds the row numbers {num(facts['low'])} to {num(facts['high'])} {order}, like an index "
                "saved with the table")
    if reason == "saved_index":
        return f"{name} has no name and a different value in every row, like an index saved with the table"
    if reason == "unique_label":
        return f"{name} has a different label in almost every row, like a name or a code"
    if reason == "user":
        return f"{name} was marked as an identifier"
    return f"{name} has a different value in almost every row, like a customer number"


def ambiguous_number_note(column: str, example: str, value: float, decimal: str, why: str) -> str:
    """The note on a column whose numbers could be read with either decimal mark."""
    other = "thousands" if decimal == "," else "decimal"
    reason = AMBIGUITY_REASONS.get(why, AMBIGUITY_REASONS["usual"]).format(mark=MARK_WORDS[decimal])
    return NOTES["number_ambiguous"].format(column=column, example=example, value=num(value, 3),
                                            mark=MARK_WORDS[decimal], other=other, reason=reason)


TEMPLATES.update({
    "data.outliers:infinite": (
        "Values that cannot be real in {columns_short}",
        "{described}. Such values come from a calculation that divided by zero or overflowed, or from a "
        "spreadsheet formula error; no model can use them, so mlready treats them as missing.",
        "Find the calculation that produces them and decide what the value should be (missing, or a capped "
        "number); fix it where the data is made, and in production too.",
    ),
    "data.id_like_column:used": (
        "An ID column is used as an input: {columns_short}",
        "{described}. The model reads {it_them}: it can memorise such values but cannot learn anything general "
        "from them, and new rows will bring values it has never seen.",
        "Take ID columns out of the model's inputs, then train it again.",
    ),
    "data.id_like_column:left_out": (
        "An ID column is left out of the model: {columns_short}",
        "{described}. A model can memorise such values but cannot learn anything general from them, so "
        "mlready's reference model left {it_them} out.",
        "Leave {it_them} out of the model you build too. If {it_they} {is_are} not an identifier, give "
        "{it_them} the type 'number' or 'category' and assess again.",
    ),
    "data.id_like_column:not_read": (
        "Identifier in the data, not read by the model: {columns_short}",
        "{described}. The uploaded model does not read {it_them}, which is right: a model can memorise such "
        "values but cannot learn anything general from them.",
        "Keep {it_them} out of the model's inputs when it is retrained.",
    ),
})

NOTES.update({
    "reading": "How '{name}' was read: {how}.",
    "number_ambiguous": "'{column}': cells such as '{example}' can be read with the point or comma as the decimal "
                        "mark, and no cell of the column decides; they were read with {mark} ('{example}' = {value}) "
                        "because {reason}. If the {other} reading is meant, correct the file.",
    "number_other_way": "'{column}': {count} written with the other decimal mark (for example '{example}') "
                        "could not be read as numbers of this column and {is_are} treated as missing.",
    "date_unreadable": "'{column}' is read as dates, but {count} of its {filled} filled cells could not be read as "
                       "a date (for example '{example}'); they are treated as missing.",
    "date_numbers": "'{column}' was given the type date but holds plain numbers (not written as yyyymmdd), so it "
                    "is used as a number.",
    "date_utc": "'{column}' holds times with a time zone or UTC offset{offsets}; they were converted to UTC, so "
                "every time is compared on one clock.",
    "identifiers_outside_model": "The model file was not trained on {columns}, which {is_are} read as an identifier "
                                 "(one value per row): left out of every check, as the model leaves it out.",
    "date_without_offset": "In '{column}', {count} carry no time zone or offset while others do; they were read as "
                           "UTC. If they were written in local time, correct them in the file: compared with the "
                           "others they may be off by the local offset.",
    "case_twins": "The columns {names} differ only in capital letters; mlready keeps them apart, but check that "
                  "they are not the same column twice.",
    "unnamed": "In '{name}', {words} has no name in the header; it is called '{column}' in the results.",
    "impossible_other": "The {role} '{name}' holds {what}; they are treated as missing.",
})


def mixed_marks_note(column: str, count: int, example: str, decimal: str) -> str:
    """A number column whose cells mix decimal points and decimal commas, each read by its own mark."""
    other = "comma" if decimal == "." else "point"
    return (f"'{column}' mixes decimal points and decimal commas: {count:,} cell{'s' if count != 1 else ''} "
            f"{'is' if count == 1 else 'are'} written with a decimal {other} (for example '{example}'). Each cell "
            "holds a single mark that can only be a decimal mark, so each was read by its own mark; check how the "
            "column was exported.")
