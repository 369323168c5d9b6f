"""Read a table the user gives us, whatever its format, or say plainly why not.

Every value is read as the user meant it: the header as written (a repeated name is refused, not renamed), numbers
with the decimal mark their column uses (decided from all its cells, see `column_types.read_numbers`), infinite
values and spreadsheet errors ('#DIV/0!') counted and made missing. What was found while reading is kept on the
frame (`frame.attrs['mlready_reading']`, see `reading_of`) and reported by the input checks.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .column_types import NumberFormat, read_distinct, whole_number_identifiers
from .errors import InputError

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
TABLE_SUFFIXES = TEXT_SUFFIXES | {".xlsx", ".xls", ".parquet", ".json", ".jsonl"}
DELIMITERS = ",;\t|"
READING_KEY = "mlready_reading"
# pandas' default missing-value markers, so every reader treats the same cells as empty
NA_TOKENS = sorted(pd._libs.parsers.STR_NA_VALUES)  # noqa: SLF001 - the list pandas itself uses
POSITIVE_INFINITY = {"inf", "+inf", "infinity", "+infinity", "∞", "+∞", "1.#inf"}
NEGATIVE_INFINITY = {"-inf", "-infinity", "-∞", "\u2212inf", "\u2212∞", "-1.#inf"}
SPREADSHEET_ERRORS = {"#div/0!", "#num!", "#value!", "#ref!", "#name?", "#null!", "#calc!", "#spill!", "#getting_data"}
BOOLEAN_TEXT = {"True": True, "TRUE": True, "true": True, "False": False, "FALSE": False, "false": False}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


@dataclass(frozen=True)
class Table:
    """A loaded table with where it came from; what was noticed while reading it is on `reading`."""

    frame: pd.DataFrame
    name: str
    sha256: str

    def describe(self) -> dict:
        """The contract's description of an input file."""
        return {"name": self.name, "rows": int(len(self.frame)), "columns": int(self.frame.shape[1]),
                "sha256": self.sha256}

    @property
    def reading(self) -> dict:
        """What the loader noticed (see `reading_of`)."""
        return reading_of(self.frame)

    @property
    def display_names(self) -> dict[str, str]:
        """Names a person recognises for columns the loader had to name: {'column_1': 'the unnamed first column'}."""
        return dict(self.reading.get("display_names", {}))


def reading_of(frame: pd.DataFrame) -> dict:
    """What the loader noticed while reading the frame, as plain values:

    'format' (e.g. 'CSV'), 'delimiter', 'encoding'; 'decimal': the decimal mark most columns of a text file use
    ('.' or ',', None when no column shows it); 'number_formats': {column: NumberFormat fields} for number columns
    read from text whose reading needs saying (ambiguous, or cells written the other way); 'impossible': {column:
    {'positive_infinite', 'negative_infinite', 'errors': counts, 'example', 'error_example': cells}} for infinite
    values and spreadsheet errors, which were made missing; 'display_names': {column: words} for columns without a
    name; 'case_twins': groups of names that differ only in capital letters; 'whole_number_identifiers': {column:
    why it is an identifier, or None} for whole-number columns, judged on the whole table."""
    return dict(frame.attrs.get(READING_KEY) or {})


def load_table(source: str | Path | bytes, name: str | None = None, sheet: str | None = None) -> Table:
    """Load a file path or raw bytes into a Table (an Excel `sheet` by name, else the first);
    raise InputError with a plain sentence."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        if not path.is_file():
            raise InputError(f"The file '{path}' does not exist; check the path.")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise InputError(f"The file '{name}' is larger than {MAX_UPLOAD_BYTES // 2**20} MB; use a sample of it.")
        raw = path.read_bytes()
    else:
        raw = bytes(source)
        name = name or "data.csv"
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InputError(f"The file '{name}' is larger than {MAX_UPLOAD_BYTES // 2**20} MB; use a sample of it.")
    return Table(frame=frame_from_bytes(raw, name, sheet), name=name, sha256=hashlib.sha256(raw).hexdigest())


def table_from_frame(frame: pd.DataFrame, name: str = "dataframe") -> Table:
    """Wrap an in-memory DataFrame, hashing its content so results can be cached. Its values are kept as they are,
    except infinite values and spreadsheet errors, which are counted and made missing."""
    if frame.columns.duplicated().any():
        dupes = frame.columns[frame.columns.duplicated()]
        raise InputError(f"'{name}' has two columns named '{dupes[0]}'; give every column its own name.")
    header = [str(c) if not _pandas_unnamed(c) else "" for c in frame.columns]
    frame = _check_shape(frame.copy(), name, header)
    nested = _nested_as_text(frame)
    frame, impossible = _tidy_frame(frame)
    _remember(frame, {"format": "DataFrame", "impossible": impossible, **({"nested_columns": nested} if nested else {})})
    _remember(frame, {"whole_number_identifiers": whole_number_identifiers(frame)})
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes())
    digest.update("\x1f".join(frame.columns).encode())
    return Table(frame=frame, name=name, sha256=digest.hexdigest())


def frame_from_bytes(raw: bytes, name: str, sheet: str | None = None) -> pd.DataFrame:
    """Parse bytes by the file's extension; every failure becomes an InputError."""
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"'{name}' is not a supported table; use CSV, TSV, Excel (.xlsx), Parquet or JSON.")
    if re.search(rb"\S", raw) is None:
        raise InputError(f"The file '{name}' is empty; export the table again with its rows.")
    try:
        if suffix in TEXT_SUFFIXES:
            frame, header, facts = _read_delimited(raw, name)
        elif suffix in {".xlsx", ".xls"}:
            frame, header, facts = _read_excel(raw, name, sheet)
        elif suffix == ".parquet":
            frame, header, facts = _read_parquet(raw, name)
        else:
            frame, header, facts = _read_json(raw, name, lines=suffix == ".jsonl")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the user's file, said plainly
        raise InputError(f"'{name}' could not be read as a {suffix.lstrip('.').upper()} table; it may be damaged "
                         f"or cut short ({type(exc).__name__}); save or export it again.") from None
    frame = _check_shape(frame, name, header)
    nested = _nested_as_text(frame)
    if nested:
        facts["nested_columns"] = nested
    for key in ("impossible", "number_formats"):  # the text reader counts by position
        facts[key] = {frame.columns[k] if isinstance(k, int) else k: v for k, v in facts.get(key, {}).items()}
    frame, impossible = _tidy_frame(frame, facts.pop("impossible"), text_checked=suffix in TEXT_SUFFIXES)
    _remember(frame, {**facts, "impossible": impossible})
    _remember(frame, {"whole_number_identifiers": whole_number_identifiers(frame)})
    return frame


# ----- header ---------------------------------------------------------------------------------------------------
def _pandas_unnamed(column: Any) -> bool:
    return str(column).startswith("Unnamed: ")


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip())


def check_header(header: Iterable[Any], name: str) -> list[str]:
    """The header's names as written (surrounding spaces removed), or InputError when two columns share a name:
    also names that differ only by surrounding spaces or by Unicode normal form look the same to a person.

    Names that differ only in capital letters ('Income', 'income') are kept apart: mlready matches column names
    exactly, so nothing becomes ambiguous inside it, and refusing them would stop files that are valid elsewhere
    (Parquet, pandas); they are mentioned in a note instead, because they are often the same column twice."""
    names = ["" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
             for value in header]
    seen: dict[str, str] = {}
    for value in names:
        if not value:
            continue
        key = _name_key(value)
        if key in seen:
            raise InputError(f"'{name}' has two columns named '{value}'; give every column its own name.")
        seen[key] = value
    return names


def _case_twins(names: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for value in names:
        if value:
            groups.setdefault(_name_key(value).casefold(), []).append(value)
    return [group for group in groups.values() if len(group) > 1]


def unnamed_words(position: int) -> str:
    """'the unnamed first column' for position 0."""
    ordinal = ORDINALS[position] if position < len(ORDINALS) else _ordinal(position + 1)
    return f"the unnamed {ordinal} column"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _check_shape(frame: pd.DataFrame, name: str, header: list[str] | None = None) -> pd.DataFrame:
    """Names from the header as written (a column without one is called 'column_<position>'), and no empty table."""
    if frame.shape[1] == 0:
        raise InputError(f"'{name}' has no columns; check that it is a table with a header row.")
    if len(frame) == 0:
        raise InputError(f"'{name}' has column names but no rows; export the table again with its data.")
    if header is None or len(header) != frame.shape[1]:
        header = ["" if _pandas_unnamed(c) else c for c in frame.columns]
    names = check_header(header, name)
    display = {}
    columns = []
    for position, value in enumerate(names):
        if value:
            columns.append(value)
        else:
            columns.append(f"column_{position + 1}")
            display[columns[-1]] = unnamed_words(position)
    if len(set(columns)) < len(columns):  # 'column_2' written in the header and also given to an unnamed column
        repeated = next(c for c in columns if columns.count(c) > 1)
        raise InputError(f"'{name}' has two columns named '{repeated}'; give every column its own name.")
    frame.columns = columns
    frame = frame.reset_index(drop=True)
    frame.attrs[READING_KEY] = {"display_names": display, "case_twins": _case_twins(names)}
    return frame


_NESTED = (list, tuple, dict, set, np.ndarray)


def _plain(value: Any) -> Any:
    """A nested cell as plain JSON values (arrays as lists, numpy numbers as Python numbers)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [_plain(v) for v in (sorted(value, key=str) if isinstance(value, set) else value)]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


# what `pandas.api.types.infer_dtype` calls a column of cells of one plain kind (no list, dict or array among them)
_FLAT_KINDS = frozenset({"string", "bytes", "floating", "integer", "mixed-integer-float", "decimal", "complex",
                         "boolean", "datetime64", "datetime", "date", "timedelta64", "timedelta", "time", "period",
                         "interval", "empty"})


def _nested_as_text(frame: pd.DataFrame) -> list[str]:
    """Columns whose cells hold lists or records (Parquet list/struct columns, JSON arrays in a cell) are read as
    text, each nested cell as its JSON rendering ('[1, 2]', '{"a": 1}'): a nested value cannot be counted or
    compared as one value. Changes `frame` in place; returns the names of the columns read so."""
    import json

    found = []
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) in _FLAT_KINDS:
            continue  # every cell is text, a number, a date... (what a CSV or spreadsheet holds): nothing nested
        is_nested = values.map(lambda v: isinstance(v, _NESTED))
        if not is_nested.any():
            continue
        frame[column] = values.where(~is_nested, values[is_nested].map(
            lambda v: json.dumps(_plain(v), ensure_ascii=False, default=str)))
        found.append(str(column))
    return found


def _remember(frame: pd.DataFrame, facts: dict) -> None:
    frame.attrs[READING_KEY] = {**frame.attrs.get(READING_KEY, {}), **facts}


# ----- impossible values ----------------------------------------------------------------------------------------
def _count(found: dict, column: Any, kind: str, count: int, example: Any) -> None:
    if count:
        entry = found.setdefault(column, {"positive_infinite": 0, "negative_infinite": 0, "errors": 0,
                                          "example": None, "error_example": None})
        entry[kind] += int(count)
        entry["example"] = entry["example"] or str(example)
        if kind == "errors":
            entry["error_example"] = entry["error_example"] or str(example).strip()


def _impossible(value: Any) -> str | None:
    """'positive_infinite', 'negative_infinite', 'errors' or None for one value."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in POSITIVE_INFINITY:
            return "positive_infinite"
        if text in NEGATIVE_INFINITY:
            return "negative_infinite"
        return "errors" if text in SPREADSHEET_ERRORS else None
    if isinstance(value, (float, np.floating)) and np.isinf(value):
        return "positive_infinite" if value > 0 else "negative_infinite"
    return None


def _tidy_frame(frame: pd.DataFrame, found: dict | None = None, text_checked: bool = False) -> tuple[pd.DataFrame, dict]:
    """Infinite numbers and spreadsheet errors made missing and counted per column; object columns holding only
    numbers once those are gone become number columns (as pandas would have read them). `text_checked`: text
    columns were already cleaned by the text reader."""
    found = {k: dict(v) for k, v in (found or {}).items()}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            array = values.to_numpy(dtype=float, na_value=np.nan)
            infinite = np.isinf(array)
            if infinite.any():
                _count(found, column, "positive_infinite", (array == np.inf).sum(), "inf")
                _count(found, column, "negative_infinite", (array == -np.inf).sum(), "-inf")
                frame[column] = values.where(~infinite)
        elif values.dtype == object and not text_checked:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            kinds = [_impossible(u) for u in uniques]
            bad = [i for i, kind in enumerate(kinds) if kind]
            if not bad:
                continue
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            for i in bad:
                _count(found, column, kinds[i], counts[i], uniques[i])
            cleaned = values.copy()
            cleaned[np.isin(codes, bad)] = np.nan
            frame[column] = _as_pandas_would(cleaned)
    return frame, found


def _as_pandas_would(values: pd.Series) -> pd.Series:
    """A column whose impossible cells were emptied, typed as pandas types a column of numbers (numbers written as
    text included) when nothing else is left in it."""
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().sum() == values.notna().sum():
        return numbers
    return values.infer_objects()


# ----- delimited text -------------------------------------------------------------------------------------------
def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    head = raw[:4096]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a byte-order mark: every other byte is zero
        odd_zeros = head[1::2].count(b"\x00")
        encoding = "utf-16-le" if odd_zeros > head[0::2].count(b"\x00") else "utf-16-be"
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    if b"\x00" in head:
        raise InputError(f"'{name}' looks like a binary file, not text; export the table as CSV.")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def decode_text(raw: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    return _decode(raw, name)[0]


def _sniff_delimiter(text: str) -> str:
    lines = text[:200_000].splitlines()
    sample = "\n".join(lines[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        return max(DELIMITERS, key=first.count)


def _header_row(text: str, delimiter: str) -> list[str]:
    """The first record of the text, read with the csv module (quoted names may hold the delimiter or a newline)."""
    head = text[:1_000_000].lstrip("\r\n")
    try:
        return next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
    except csv.Error:
        return []


def _read_delimited(raw: bytes, name: str) -> tuple[pd.DataFrame, list[str], dict]:
    text, encoding = _decode(raw, name)
    delimiter = "\t" if name.lower().endswith(".tsv") else _sniff_delimiter(text)
    written = _header_row(text, delimiter)
    header = check_header(written, name)
    utf8 = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    data = utf8 if encoding == "utf-8" else text.encode("utf-8")
    del text
    try:
        columns = _arrow_columns(data, delimiter, written)
    except (pa.ArrowInvalid, pa.ArrowException, ValueError, IndexError):
        columns = None  # rows of different lengths, odd quoting...: the pandas reader, which says which
    if columns is None or len(columns) != len(header):
        columns, names = _pandas_columns(data.decode("utf-8", errors="replace"), delimiter, name)
        if len(names) != len(header):  # the csv module and pandas saw different headers: pandas' names
            header = check_header(["" if _pandas_unnamed(c) else c for c in names], name)
    frame, facts = _frame_from_text_columns(columns)
    facts.update({"format": "CSV" if delimiter != "\t" else "TSV", "delimiter": delimiter, "encoding": encoding})
    return frame, header, facts


@dataclass(frozen=True)
class _Ready:
    """A text column already typed by the fast path: its values, and the decimal mark it shows (None: no mark)."""

    values: np.ndarray
    vote: str | None = None




def _fast_column(array: pa.Array) -> _Ready | None:
    """Whole numbers, or numbers with one decimal mark that some cell decides, straight from pyarrow's parser;
    None for anything that needs the full reading (text, both marks, 'inf', ambiguous marks...)."""
    if array.null_count == len(array):
        return None
    mark = "," if pc.any(pc.match_substring(array.slice(0, 1_000), ",")).as_py() else "."
    text = array
    if mark == ",":
        if pc.any(pc.match_substring(array, ".")).as_py():
            return None
        text = pc.replace_substring(array, ",", ".")
    try:  # a slice first: pyarrow takes long to fail on a column of text (and to cast text to int at all)
        pc.cast(text.slice(0, 1_000), pa.float64())
        values = np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if (~np.isfinite(values)).sum() > array.null_count:  # 'inf', 'nan': the full reading counts them
        return None
    marked = pc.match_substring(array, mark)
    if not pc.any(marked).as_py() and not pc.any(pc.match_substring_regex(array, "[eE]")).as_py():
        if np.nanmax(np.abs(values)) >= 2**53:
            return None  # too long for a float to hold exactly: whole numbers (or codes) read one by one
        if array.null_count:
            return _Ready(values)  # whole numbers with empty cells are floats, as pandas reads them
        return _Ready(values.astype(np.int64))
    either = f"^[-+]?[1-9][0-9]{{0,2}}[{mark}][0-9]{{3}}([eE][-+]?[0-9]+)?$"
    for part in (array.slice(0, 10_000), array):  # a cell that can only be read one way decides
        decisive = pc.and_(pc.match_substring(part, mark), pc.invert(pc.match_substring_regex(part, either)))
        if pc.any(decisive).as_py():
            return _Ready(values, mark)
    return None  # every marked cell reads two ways ('1.234'): the full reading decides and says so


def _arrow_columns(data: bytes, delimiter: str, header: list[str]) -> list[Any]:
    """Every column read as text by pyarrow's multithreaded CSV reader: plain number columns typed at once
    (`_Ready`), the others as (distinct strings, codes)."""
    import pyarrow.csv as pacsv

    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=True)
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in header}, null_values=NA_TOKENS,
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    table = pacsv.read_csv(io.BytesIO(data), parse_options=parse, convert_options=convert)
    if len(table) == 0:
        raise ValueError("no rows")
    out = []
    for chunked in table.columns:
        array = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
        if array.type != pa.string():  # a name the csv module read differently: its text again
            array = pc.cast(array, pa.string())
        ready = _fast_column(array)
        if ready is not None:
            out.append(ready)
            continue
        encoded = pc.dictionary_encode(array)
        codes = encoded.indices.to_numpy(zero_copy_only=False)  # float with NaN where a cell is empty
        if encoded.indices.null_count:
            codes = np.where(np.isnan(codes), -1, codes)
        out.append((encoded.dictionary, codes.astype(np.int64)))
    return out


def _pandas_columns(text: str, delimiter: str, name: str) -> tuple[list[tuple[pa.Array, np.ndarray]], list[str]]:
    """Every column as (distinct strings, codes), read as text by pandas' C parser, and the names it read."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=True, low_memory=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"The file '{name}' is empty; export the table again with its rows.") from None
    except pd.errors.ParserError:
        raise InputError(f"'{name}' has rows with a different number of fields than its header; "
                         "check the delimiter and quoting, or export it again.") from None
    out = []
    for column in range(frame.shape[1]):
        codes, uniques = pd.factorize(frame.iloc[:, column], use_na_sentinel=True)
        out.append((pa.array([str(u) for u in uniques], type=pa.string()), np.asarray(codes, dtype=np.int64)))
    return out, [str(c) for c in frame.columns]


def _frame_from_text_columns(columns: list[Any]) -> tuple[pd.DataFrame, dict]:
    """Type each text column as pandas would (whole numbers, numbers, true/false, text), reading numbers with the
    decimal mark decided per column; columns that no cell decides follow the file's other columns."""
    impossible: dict = {}
    readings: dict[int, Any] = {}
    values: dict[int, Any] = {}
    pending, votes = [], []
    for position, column in enumerate(columns):
        if isinstance(column, _Ready):
            values[position] = column.values
            votes += [column.vote] if column.vote else []
            continue
        strings, codes = column
        codes = _drop_impossible(strings, codes, position, impossible)
        kind, converted = _simple_type(strings, codes)
        if kind is not None:
            values[position] = converted
            continue
        reading = read_distinct(pc.utf8_trim_whitespace(strings), codes)
        filled = codes >= 0
        if filled.any() and reading.values[filled].notna().all() and reading.plain[filled].all():
            readings[position] = reading
            pending.append(position)
        else:
            values[position] = _text_values(strings, codes)
    votes += [readings[p].format.decimal for p in pending
              if not readings[p].format.ambiguous and _has_marks(columns[p][0])]
    decimal = max(set(votes), key=votes.count) if votes else None
    formats = {}
    for position in pending:
        reading = readings[position]
        if reading.format.ambiguous and decimal is not None and decimal != reading.format.decimal:
            strings, codes = columns[position]
            reading = read_distinct(pc.utf8_trim_whitespace(strings), _drop_impossible(strings, codes), decimal)
        elif reading.format.ambiguous and decimal is not None:
            reading = type(reading)(reading.values, NumberFormat(**{**asdict(reading.format), "why": "other columns"}),
                                    reading.plain)
        values[position] = reading.values.to_numpy()
        if reading.format.ambiguous or reading.format.other_way or reading.format.mixed:
            formats[position] = asdict(reading.format)
    frame = pd.DataFrame({position: values[position] for position in range(len(columns))})
    return frame, {"decimal": decimal, "number_formats": formats, "impossible": impossible}


def _has_marks(strings: pa.Array) -> bool:
    return bool(pc.any(pc.match_substring_regex(strings, "[.,]")).as_py())


def _drop_impossible(strings: pa.Array, codes: np.ndarray, position: int | None = None,
                     found: dict | None = None) -> np.ndarray:
    """Codes with infinite values and spreadsheet errors made empty (-1), counted in `found` by position."""
    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(strings))
    kinds = {"positive_infinite": POSITIVE_INFINITY, "negative_infinite": NEGATIVE_INFINITY,
             "errors": SPREADSHEET_ERRORS}
    hits = {label: np.flatnonzero(_bool(pc.is_in(lowered, value_set=pa.array(sorted(tokens)))))
            for label, tokens in kinds.items()}
    if not any(len(h) for h in hits.values()):
        return codes
    codes = codes.copy()
    counts = np.bincount(codes[codes >= 0], minlength=len(strings))
    for label, distinct in hits.items():
        if len(distinct) and found is not None:
            _count(found, position, label, counts[distinct].sum(), strings[int(distinct[0])].as_py())
        codes[np.isin(codes, distinct)] = -1
    return codes


def _bool(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _simple_type(strings: pa.Array, codes: np.ndarray) -> tuple[str | None, Any]:
    """Whole numbers, true/false, or nothing at all, as pandas types them; (None, None) for anything else."""
    filled = codes >= 0
    if not filled.any():
        return "empty", np.full(len(codes), np.nan)
    used = np.flatnonzero(np.bincount(codes[filled], minlength=len(strings)))
    trimmed = pc.utf8_trim_whitespace(strings).take(pa.array(used))
    if bool(_bool(pc.match_substring_regex(trimmed, r"^[-+]?[0-9]+$")).all()):
        lengths = _bool(pc.greater_equal(pc.utf8_length(pc.utf8_ltrim(trimmed, characters="+-")), 19))
        if any(not -2**63 <= int(t) < 2**63 for t in np.asarray(trimmed.to_pylist(), dtype=object)[lengths]):
            return "text", _text_values(strings, codes)  # more digits than a number type holds: a code, kept as text
        lookup = np.zeros(len(strings), dtype=np.int64)
        lookup[used] = np.asarray(pc.cast(trimmed, pa.int64()).to_numpy(), dtype=np.int64)
        if filled.all():
            return "integer", lookup[codes]
        out = np.full(len(codes), np.nan)
        out[filled] = lookup[codes[filled]]
        return "integer", out
    texts = trimmed.to_pylist() if len(used) <= 6 else None
    if texts is not None and set(texts) <= set(BOOLEAN_TEXT):
        lookup = np.array([BOOLEAN_TEXT.get(t) for t in pc.utf8_trim_whitespace(strings).to_pylist()], dtype=object)
        if filled.all():
            return "boolean", lookup[codes].astype(bool)
        out = np.full(len(codes), np.nan, dtype=object)
        out[filled] = lookup[codes[filled]]
        return "boolean", out
    return None, None


def _text_values(strings: pa.Array, codes: np.ndarray) -> np.ndarray:
    distinct = np.append(np.asarray(strings.to_numpy(zero_copy_only=False), dtype=object), np.nan)
    return distinct[codes]  # code -1 picks the NaN at the end


# ----- Excel, Parquet, JSON -------------------------------------------------------------------------------------
def excel_sheets(raw: bytes, name: str) -> list[str]:
    """The sheet names of an .xlsx workbook, in order."""
    _check_workbook(raw, name)
    from openpyxl import load_workbook

    try:
        return list(load_workbook(io.BytesIO(raw), read_only=True).sheetnames)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"'{name}' could not be opened as an Excel workbook; it may be damaged or cut short "
                         f"({type(exc).__name__}); save it again.") from None


def _check_workbook(raw: bytes, name: str) -> None:
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"'{name}' is in the old Excel format (.xls); save it as .xlsx or CSV.")
    if not raw.startswith(b"PK"):
        raise InputError(f"'{name}' is not an Excel workbook; save it as .xlsx or CSV.")


def _excel_rows(raw: bytes, name: str, sheet: str | None) -> list[list[Any]]:
    """The chosen sheet's rows as openpyxl reads them, converted the way pandas' own Excel reader converts them
    (whole-number floats as int, empty cells as ''), except that spreadsheet errors ('#DIV/0!') are kept as text
    so that they can be counted: pandas would make them missing without a word."""
    from openpyxl import load_workbook
    from openpyxl.cell.cell import TYPE_ERROR, TYPE_NUMERIC

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(f"'{name}' has no sheet named '{sheet}'; choose one of: {', '.join(book.sheetnames)}.")
        worksheet = book[sheet if sheet is not None else book.sheetnames[0]]
        worksheet.reset_dimensions()
        rows, last = [], -1
        for number, row in enumerate(worksheet.rows):
            converted = []
            for cell in row:
                value = cell.value
                if value is None:
                    converted.append("")
                elif cell.data_type == TYPE_ERROR:
                    converted.append(str(value))
                elif cell.data_type == TYPE_NUMERIC and not isinstance(value, bool):
                    converted.append(int(value) if float(value).is_integer() else float(value))
                else:
                    converted.append(value)
            while converted and converted[-1] == "":
                converted.pop()
            if converted:
                last = number
            rows.append(converted)
    finally:
        book.close()
    rows = rows[: last + 1]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_excel(raw: bytes, name: str, sheet: str | None) -> tuple[pd.DataFrame, list[str], dict]:
    """The sheet read by openpyxl, its header checked as written, its values typed by pandas' own parser for
    lists of rows (the one `pandas.read_excel` uses)."""
    from pandas.io.parsers import TextParser

    _check_workbook(raw, name)
    rows = _excel_rows(raw, name, sheet)
    header = check_header(rows[0] if rows else [], name)
    if len(rows) < 2:
        return pd.DataFrame(columns=range(len(header))), header, {"format": "Excel", "sheet": sheet}
    frame = TextParser(rows[1:], names=list(range(len(header))), header=None, skip_blank_lines=False).read()
    return frame, header, {"format": "Excel", "sheet": sheet}


def _read_parquet(raw: bytes, name: str) -> tuple[pd.DataFrame, list[str], dict]:
    if not raw.startswith(b"PAR1"):
        raise InputError(f"'{name}' is not a Parquet file; save it again as Parquet or CSV.")
    import pyarrow.parquet as pq

    names = pq.read_schema(io.BytesIO(raw)).names
    header = check_header([c for c in names if not str(c).startswith("__index_level_")], name)
    frame = pd.read_parquet(io.BytesIO(raw))
    return frame, header, {"format": "Parquet"}


def _no_repeated_keys(name: str):
    def hook(pairs: list[tuple[str, Any]]) -> dict:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if _name_key(str(key)) in seen:
                raise InputError(f"'{name}' has two columns named '{str(key).strip()}'; give every column its own name.")
            seen[_name_key(str(key))] = value
        return {key: value for key, value in pairs}
    return hook


def _read_json(raw: bytes, name: str, lines: bool) -> tuple[pd.DataFrame, None, dict]:
    text = decode_text(raw, name)
    hook = _no_repeated_keys(name)
    if lines:
        for line in text.splitlines()[:1000]:  # keys are checked on the first records; pandas reads the rest
            if line.strip():
                json.loads(line, object_pairs_hook=hook)
        return pd.read_json(io.StringIO(text), lines=True), None, {"format": "JSON lines"}
    try:
        parsed = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError:
        return pd.read_json(io.StringIO(text), lines=True), None, {"format": "JSON lines"}
    if isinstance(parsed, dict):
        records = next((v for v in parsed.values() if isinstance(v, list)), None)
        if records is None:
            return pd.DataFrame(parsed), None, {"format": "JSON"}
        parsed = records
    if not isinstance(parsed, list) or (parsed and not isinstance(parsed[0], dict)):
        raise InputError(f"'{name}' is JSON but not a table; give a list of records, one object per row.")
    return pd.json_normalize(parsed), None, {"format": "JSON"}
