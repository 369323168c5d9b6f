"""Column types a person would agree with: numbers written as text, dates, yes/no, identifiers.

`infer_column_types` guesses; `apply_column_types` converts a table so every later step sees the same
types. Users may correct a guess (in the app, or `--column-type COLUMN=TYPE`).
"""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

COLUMN_TYPES = ("number", "category", "boolean", "date", "text", "identifier", "ignore")
TYPE_MEANING = {
    "number": "a quantity (text like '1,234', '12%', '$5' or '(300)' is read as a number)",
    "category": "one of a set of labels",
    "boolean": "yes or no",
    "date": "a date or time (used by the model as the number of days since 1970)",
    "text": "free text",
    "identifier": "an identifier, such as a customer number",
    "ignore": "left out of every check and of the reference model",
}
MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "-", "?", "missing", "#n/a"}
BOOLEAN_WORDS = {"yes", "no", "y", "n", "true", "false", "t", "f"}
NUMBER_SHARE = 0.95  # share of filled cells that must read as numbers for a text column to be numeric
_CURRENCY = re.compile(r"[\s$€£¥₹\u00a0\u202f']")
_US_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_EU_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_DATE_HINT = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}|[A-Za-z]{3,9}\s+\d{1,2},?\s+\d{2,4}")
_PLAIN_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _filled_text(series: pd.Series) -> pd.Series:
    text = series.dropna().astype(str).str.strip()
    return text[~text.str.lower().isin(MISSING_TOKENS)]


def parse_number(text: str) -> float:
    """'1,234' -> 1234, '12%' -> 12, '$5' -> 5, '(300)' -> -300, '1.234,5' -> 1234.5; NaN if not a number."""
    value = _CURRENCY.sub("", str(text).strip())
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()").rstrip("%")
    if _US_THOUSANDS.match(value):
        value = value.replace(",", "")
    elif _EU_THOUSANDS.match(value):
        value = value.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    if not _PLAIN_NUMBER.match(value):
        return float("nan")
    number = float(value)
    return -number if negative else number


def numbers_in(series: pd.Series) -> pd.Series:
    """The column read as numbers (NaN where a cell is not a number)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    return series.map(lambda v: np.nan if v is None or (isinstance(v, float) and np.isnan(v)) else parse_number(v))


def number_share(series: pd.Series) -> float:
    """Share of filled cells that read as numbers."""
    filled = _filled_text(series)
    if filled.empty:
        return 0.0
    return float(filled.map(parse_number).notna().mean())


def _is_date(series: pd.Series) -> bool:
    filled = _filled_text(series)
    if filled.empty or filled.map(lambda v: bool(_DATE_HINT.search(v))).mean() < NUMBER_SHARE:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(filled, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= NUMBER_SHARE)


def looks_like_identifier(series: pd.Series, unique_share: float = 0.95) -> bool:
    """Almost every value different, and not a measurement: text codes, or whole numbers named or ordered like ids."""
    filled = series.dropna()
    if len(filled) < 20 or filled.nunique() / len(filled) < unique_share:
        return False
    if pd.api.types.is_float_dtype(filled):
        return False
    if pd.api.types.is_integer_dtype(filled):
        words = set(re.split(r"[^a-z0-9]+", str(series.name).lower()))
        return bool(words & {"id", "key", "number", "no", "code", "uuid", "ref", "nr"}) or \
            filled.is_monotonic_increasing or filled.is_monotonic_decreasing
    text = filled.astype(str)
    return bool(text.str.len().mean() < 40 and not text.str.contains(" ").mean() > 0.5)


def infer_column_type(series: pd.Series) -> str:
    """The most plausible type of one column."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        if looks_like_identifier(series):
            return "identifier"
        values = set(series.dropna().unique().tolist())
        return "boolean" if values and values <= {0, 1} and len(values) == 2 else "number"
    filled = _filled_text(series)
    if filled.empty:
        return "category"
    if set(filled.str.lower().unique()) <= BOOLEAN_WORDS and filled.str.lower().nunique() == 2:
        return "boolean"
    if number_share(series) >= NUMBER_SHARE:
        return "number"
    if _is_date(series):
        return "date"
    if looks_like_identifier(series):
        return "identifier"
    if filled.str.len().mean() > 40 and filled.nunique() > 0.5 * len(filled):
        return "text"
    return "category"


def infer_column_types(frame: pd.DataFrame) -> dict[str, str]:
    """Every column's inferred type."""
    return {str(c): infer_column_type(frame[c]) for c in frame.columns}


def apply_column_types(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """A copy with numbers and dates converted, numbers typed as labels turned into text, and ignored
    columns dropped."""
    out = frame.copy()
    for column, kind in types.items():
        if column not in out.columns:
            continue
        if kind == "ignore":
            out = out.drop(columns=column)
        elif kind == "number" and not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = numbers_in(out[column])
        elif kind in ("category", "text") and pd.api.types.is_numeric_dtype(out[column]):
            values = out[column]
            out[column] = values.map(lambda v: f"{v:g}" if isinstance(v, float) else str(v)).where(values.notna(), None)
        elif kind == "date" and not pd.api.types.is_datetime64_any_dtype(out[column]):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[column] = pd.to_datetime(out[column], errors="coerce", format="mixed")
    return out
