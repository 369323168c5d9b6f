"""Read a table the user gives us, whatever its format, or say plainly why not."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
TABLE_SUFFIXES = TEXT_SUFFIXES | {".xlsx", ".xls", ".parquet", ".json", ".jsonl"}
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class Table:
    """A loaded table with where it came from."""

    frame: pd.DataFrame
    name: str
    sha256: str

    def describe(self) -> dict:
        """The contract's description of an input file."""
        return {"name": self.name, "rows": int(len(self.frame)), "columns": int(self.frame.shape[1]),
                "sha256": self.sha256}


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
    """Wrap an in-memory DataFrame, hashing its content so results can be cached."""
    frame = _check_shape(frame.copy(), name)
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes())
    digest.update("\x1f".join(frame.columns).encode())
    return Table(frame=frame, name=name, sha256=digest.hexdigest())


def frame_from_bytes(raw: bytes, name: str, sheet: str | None = None) -> pd.DataFrame:
    """Parse bytes by the file's extension; every failure becomes an InputError."""
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"'{name}' is not a supported table; use CSV, TSV, Excel (.xlsx), Parquet or JSON.")
    if not raw.strip():
        raise InputError(f"The file '{name}' is empty; export the table again with its rows.")
    try:
        if suffix in TEXT_SUFFIXES:
            frame = _read_delimited(raw, name)
        elif suffix in {".xlsx", ".xls"}:
            frame = _read_excel(raw, name, sheet)
        elif suffix == ".parquet":
            frame = _read_parquet(raw, name)
        else:
            frame = _read_json(raw, name, lines=suffix == ".jsonl")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the user's file, said plainly
        raise InputError(f"'{name}' could not be read as a {suffix.lstrip('.').upper()} table; it may be damaged "
                         f"or cut short ({type(exc).__name__}); save or export it again.") from None
    return _check_shape(frame, name)


def _check_shape(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.shape[1] == 0:
        raise InputError(f"'{name}' has no columns; check that it is a table with a header row.")
    if len(frame) == 0:
        raise InputError(f"'{name}' has column names but no rows; export the table again with its data.")
    frame.columns = [_clean_column_name(c, i) for i, c in enumerate(frame.columns)]
    if frame.columns.duplicated().any():
        dupes = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise InputError(f"'{name}' has two columns named '{dupes[0]}'; give every column its own name.")
    return frame.reset_index(drop=True)


def _clean_column_name(column: object, position: int) -> str:
    text = str(column).strip()
    if not text or text.startswith("Unnamed: "):
        return f"column_{position + 1}"
    return text


def decode_text(raw: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    head = raw[:4096]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a byte-order mark: every other byte is zero
        odd_zeros = head[1::2].count(b"\x00")
        encoding = "utf-16-le" if odd_zeros > head[0::2].count(b"\x00") else "utf-16-be"
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    if b"\x00" in head:
        raise InputError(f"'{name}' looks like a binary file, not text; export the table as CSV.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(DELIMITERS, key=first.count)


def _read_delimited(raw: bytes, name: str) -> pd.DataFrame:
    text = decode_text(raw, name)
    delimiter = "\t" if name.lower().endswith(".tsv") else _sniff_delimiter(text)
    decimal = "," if delimiter == ";" else "."
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, decimal=decimal, low_memory=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"The file '{name}' is empty; export the table again with its rows.") from None
    except pd.errors.ParserError:
        raise InputError(f"'{name}' has rows with a different number of fields than its header; "
                         "check the delimiter and quoting, or export it again.") from None


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


def _read_excel(raw: bytes, name: str, sheet: str | None) -> pd.DataFrame:
    _check_workbook(raw, name)
    if sheet is not None and sheet not in excel_sheets(raw, name):
        raise InputError(f"'{name}' has no sheet named '{sheet}'; choose one of: {', '.join(excel_sheets(raw, name))}.")
    return pd.read_excel(io.BytesIO(raw), sheet_name=sheet if sheet is not None else 0)


def _read_parquet(raw: bytes, name: str) -> pd.DataFrame:
    if not raw.startswith(b"PAR1"):
        raise InputError(f"'{name}' is not a Parquet file; save it again as Parquet or CSV.")
    return pd.read_parquet(io.BytesIO(raw))


def _read_json(raw: bytes, name: str, lines: bool) -> pd.DataFrame:
    text = decode_text(raw, name)
    if lines:
        return pd.read_json(io.StringIO(text), lines=True)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return pd.read_json(io.StringIO(text), lines=True)
    if isinstance(parsed, dict):
        records = next((v for v in parsed.values() if isinstance(v, list)), None)
        if records is None:
            return pd.DataFrame(parsed)
        parsed = records
    if not isinstance(parsed, list) or (parsed and not isinstance(parsed[0], dict)):
        raise InputError(f"'{name}' is JSON but not a table; give a list of records, one object per row.")
    return pd.json_normalize(parsed)
