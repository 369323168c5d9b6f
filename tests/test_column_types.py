"""Column types a person would agree with, and the user's corrections carried into the assessment."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlready import InputError
from mlready.column_types import apply_column_types, infer_column_types, parse_number

from conftest import context


@pytest.mark.parametrize("text, number", [
    ("1,234", 1234.0), ("12%", 12.0), ("$5", 5.0), ("(300)", -300.0), ("1.234,5", 1234.5), ("3,5", 3.5),
    ("€1,000.50", 1000.5), ("1 234", 1234.0), ("-7", -7.0), ("2.5e3", 2500.0),
])
def test_numbers_written_as_text(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["abc", "12 apples", "1-2", ""])
def test_text_is_not_a_number(text):
    assert np.isnan(parse_number(text))


def test_inferred_types_and_conversion():
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame({
        "revenue": [f"${v:,.2f}" for v in rng.uniform(100, 5000, n)],
        "signup": pd.date_range("2024-01-01", periods=n).strftime("%Y-%m-%d"),
        "active": rng.choice(["yes", "no"], n),
        "customer_id": [f"C{i:04d}" for i in range(n)],
        "plan": rng.choice(["basic", "pro"], n),
        "age": rng.integers(18, 80, n),
        "comment": [f"customer wrote a fairly long comment number {i} about the service" for i in range(n)],
    })
    types = infer_column_types(frame)
    assert types == {"revenue": "number", "signup": "date", "active": "boolean", "customer_id": "identifier",
                     "plan": "category", "age": "number", "comment": "text"}
    converted = apply_column_types(frame, {**types, "age": "category", "plan": "ignore"})
    assert converted["revenue"].dtype == float and converted["revenue"].iloc[0] == parse_number(frame["revenue"].iloc[0])
    assert pd.api.types.is_datetime64_any_dtype(converted["signup"])
    assert converted["age"].iloc[0] == str(frame["age"].iloc[0]) and "plan" not in converted


def test_corrections_reach_the_model(clean_frame):
    frame = clean_frame.assign(amount=[f"{v:,.0f}" for v in clean_frame["income"] * 100])
    ctx = context(frame, "outcome", column_types={"region": "ignore", "tenure": "category"})
    assert ctx.column_types["amount"] == "number" and ctx.X_train["amount"].dtype == float
    assert "region" not in ctx.features
    assert ctx.X_train["tenure"].dtype == object
    with pytest.raises(InputError, match="cannot be ignored"):
        context(frame, "outcome", column_types={"outcome": "ignore"})
    with pytest.raises(InputError, match="not a column type"):
        context(frame, "outcome", column_types={"tenure": "money"})


def test_times_with_and_without_an_offset_in_one_column_read_each_text_the_same():
    """Read together (pandas 2.3, utc=True), a time without an offset that followed one with an offset was shifted
    by that offset: '2024-01-03 09:00' read as 09:00 and as 14:00 in the same column (found by a breaker). Cells
    without an offset are read as UTC, each the same way, and the notes say so; the same with repeated texts."""
    from mlready.column_types import parse_dates

    cells = ["2024-01-03 09:00", "2024-01-02T10:00:00-05:00", "2024-01-03 09:00", "2024-02-02 10:00:00 +0100",
             "2024-02-03 10:00:00"]
    for column in (pd.Series(cells), pd.Series(cells * 300)):  # each cell read, and each distinct text read once
        reading = parse_dates(column)
        values = reading.values.tolist()
        assert values[0] == values[2] == pd.Timestamp("2024-01-03 09:00")
        assert values[1] == pd.Timestamp("2024-01-02 15:00") and values[3] == pd.Timestamp("2024-02-02 09:00")
        assert values[4] == pd.Timestamp("2024-02-03 10:00")
        assert reading.converted_to_utc and reading.without_offset == 3 * len(column) // 5


def test_times_without_an_offset_beside_others_are_said():
    import numpy as np

    from conftest import context
    from mlready.checks.input_checks import check_reading

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"opened": ["2024-01-03 09:00", "2024-01-02T10:00:00-05:00"] * 100,
                          "amount": rng.normal(size=200), "outcome": rng.choice(["yes", "no"], 200)})
    notes = " ".join(check_reading(context(frame, "outcome")).notes)
    assert "In 'opened', 100 times carry no time zone or offset while others do; they were read as UTC" in notes
