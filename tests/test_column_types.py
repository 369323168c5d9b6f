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
