"""The loader reads every supported format and says plainly why it cannot read a file."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from mlready import InputError
from mlready.loading import load_table

EXPECTED = pd.DataFrame({"name": ["Zoë", "Łukasz", "Ana"], "amount": [1.5, 2.25, 3.0], "label": ["a", "b", "a"]})


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(delimiter):
    text = EXPECTED.to_csv(sep=delimiter, index=False)
    if delimiter == ";":
        text = text.replace("1.5", "1,5").replace("2.25", "2,25").replace("3.0", "3,0")
    frame = load_table(text.encode("utf-8"), "data.csv").frame
    assert list(frame.columns) == ["name", "amount", "label"]
    assert frame["amount"].tolist() == [1.5, 2.25, 3.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings(encoding):
    sample = EXPECTED.assign(name=["Zoë", "José", "Ana"])
    raw = sample.to_csv(index=False).encode(encoding)
    frame = load_table(raw, "data.csv").frame
    assert frame["name"].tolist() == ["Zoë", "José", "Ana"]
    assert list(frame.columns)[0] == "name"


def test_quoted_newlines_and_tsv():
    raw = b'name\tnote\nA\t"two\nlines"\nB\tplain\n'
    frame = load_table(raw, "data.tsv").frame
    assert frame["note"].tolist() == ["two\nlines", "plain"]


def test_excel_parquet_json_jsonl(tmp_path):
    buffer = io.BytesIO()
    EXPECTED.to_excel(buffer, index=False)
    assert load_table(buffer.getvalue(), "data.xlsx").frame.equals(EXPECTED)
    buffer = io.BytesIO()
    EXPECTED.to_parquet(buffer)
    assert load_table(buffer.getvalue(), "data.parquet").frame.equals(EXPECTED)
    assert load_table(EXPECTED.to_json(orient="records").encode(), "data.json").frame.equals(EXPECTED)
    assert load_table(EXPECTED.to_json(orient="records", lines=True).encode(), "data.jsonl").frame.equals(EXPECTED)
    path = tmp_path / "from_disk.csv"
    EXPECTED.to_csv(path, index=False)
    table = load_table(path)
    assert table.name == "from_disk.csv" and len(table.sha256) == 64


@pytest.mark.parametrize("raw, name, words", [
    (b"", "empty.csv", "empty"),
    (b"   \n\n", "blank.csv", "empty"),
    (b"a,b,c\n", "header.csv", "no rows"),
    (b"\x00\x01\x02\x03binary\x00data", "binary.csv", "binary"),
    (b"this is not a workbook", "book.xlsx", "not an Excel workbook"),
    (b"not parquet at all", "data.parquet", "not a Parquet file"),
    (b"[1, 2, 3]", "numbers.json", "not a table"),
    (b"{broken json", "broken.json", "could not be read"),
    (b"a,b\n1,2\n", "data.docx", "not a supported table"),
    (b'a,b\n1,2\n3,4,5,6\n', "ragged.csv", "different number of fields"),
])
def test_unreadable_files_get_one_plain_sentence(raw, name, words):
    with pytest.raises(InputError) as caught:
        load_table(raw, name)
    message = str(caught.value)
    assert words in message and name in message
    assert "\n" not in message and "Traceback" not in message


def test_missing_file_and_duplicate_columns(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="two columns named 'a'"):
        load_table(b"a,b,a \n1,2,3\n", "dupes.csv")


def test_odd_column_names_are_kept_as_text():
    raw = "<img src=x onerror=alert(1)>,$x$,,😀 ümlaut\n1,2,3,4\n".encode()
    frame = load_table(raw, "odd.csv").frame
    assert list(frame.columns) == ["<img src=x onerror=alert(1)>", "$x$", "column_3", "😀 ümlaut"]


def test_utf16_without_byte_order_mark():
    raw = EXPECTED.to_csv(index=False).encode("utf-16-le")
    assert load_table(raw, "data.csv").frame["name"].tolist() == ["Zoë", "Łukasz", "Ana"]


def test_excel_sheets_and_damaged_files():
    from mlready.loading import excel_sheets

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(writer, sheet_name="About", index=False)
        EXPECTED.to_excel(writer, sheet_name="Data", index=False)
    raw = buffer.getvalue()
    assert excel_sheets(raw, "book.xlsx") == ["About", "Data"]
    assert list(load_table(raw, "book.xlsx").frame.columns) == ["note"]
    assert load_table(raw, "book.xlsx", sheet="Data").frame.equals(EXPECTED)
    with pytest.raises(InputError, match="no sheet named 'Nope'"):
        load_table(raw, "book.xlsx", sheet="Nope")
    with pytest.raises(InputError, match="damaged or cut short"):
        load_table(raw[: len(raw) // 2], "cut.xlsx")
    with pytest.raises(InputError, match="old Excel format"):
        load_table(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xlsx")
    parquet = io.BytesIO()
    EXPECTED.to_parquet(parquet)
    with pytest.raises(InputError, match="damaged or cut short"):
        load_table(parquet.getvalue()[:200], "cut.parquet")
