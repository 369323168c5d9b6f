"""Hostile inputs a tester found: each ends with a plain answer (exit 0 with the problem said, or exit 2 with one
sentence), never exit 3 or silently wrong numbers."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import context

from mlready.cli import main

pytestmark = pytest.mark.usefixtures("quick_cli")  # the suite's quick sample sizes (see conftest)


def base_table(n: int = 300) -> pd.DataFrame:
    """The tester's base table: two numbers, two categories and an outcome that depends on the numbers."""
    r = np.random.default_rng(0)
    age = r.integers(18, 70, n)
    inc = r.normal(3000, 800, n).round(2)
    return pd.DataFrame({"age": age, "income": inc, "sex": r.choice(["m", "f"], n),
                         "region": r.choice(["north", "south", "east"], n),
                         "outcome": np.where(inc / 1000 + r.normal(0, 1, n) + (age > 40) > 3.6, "good", "bad")})


@pytest.fixture(scope="module")
def base_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "base.csv"
    base_table().to_csv(path, index=False)
    return path


def one_sentence_exit_2(args, capsys, *words):
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    for word in words:
        assert word in err, err
    return err


# ----- 1. a column with no usable value in the training rows -------------------------------------------------------
def _left_out_note(report: dict) -> str:
    notes = [n for pillar in report["pillars"].values() for n in pillar.get("notes", [])]
    return " ".join(n for n in notes if "no usable value" in n)


def test_trailing_comma_csv_runs_and_names_the_empty_column(tmp_path, capsys):
    path = tmp_path / "trailing_comma.csv"
    frame = base_table()
    path.write_text("age,income,sex,region,outcome,\n" + "".join(
        ",".join(map(str, row)) + ",\n" for row in frame.itertuples(index=False)))
    out = tmp_path / "a.json"
    assert main(["assess", str(path), "--target", "outcome", "--json", str(out)]) == 0, capsys.readouterr().err
    report = json.loads(out.read_text())
    empty = [c for c in report["inputs"]["column_types"] if c not in frame.columns]
    assert len(empty) == 1
    assert f"'{empty[0]}'" in _left_out_note(report)
    assert not [f for f in report["findings"] if f["code"].endswith("check_failed")]
    assert any(f["code"] == "data.missing_values" and empty[0] in f["columns"] for f in report["findings"])


def test_all_empty_excel_column_runs_and_is_left_out(tmp_path, capsys):
    path = tmp_path / "empty_col.xlsx"
    frame = base_table()
    frame.insert(2, "empty", np.nan)
    frame.to_excel(path, index=False)
    out = tmp_path / "a.json"
    assert main(["assess", str(path), "--target", "outcome", "--json", str(out)]) == 0, capsys.readouterr().err
    report = json.loads(out.read_text())
    assert "'empty'" in _left_out_note(report)
    assert not [f for f in report["findings"] if f["code"].endswith("check_failed")]


def test_empty_training_columns_are_never_reference_inputs():
    frame = base_table()
    frame["inf_only"] = np.inf
    frame["sex_as_number"] = frame["sex"]
    ctx = context(frame, "outcome", column_types={"sex_as_number": "number"})
    assert set(ctx.empty_training_columns) == {"inf_only", "sex_as_number"}
    assert not set(ctx.empty_training_columns) & set(ctx.reference_features)
    assert "age" in ctx.reference_features


# ----- 2. nested cells ----------------------------------------------------------------------------------------------
def test_nested_cells_are_read_as_their_json_text(tmp_path, capsys):
    from mlready.loading import load_table

    frame = base_table()
    frame["tags"] = [[int(a) % 3, 1] for a in frame["age"]]
    frame["address"] = [{"city": r, "zip": int(a)} for r, a in zip(frame["region"], frame["age"])]
    parquet = tmp_path / "nested.parquet"
    frame.to_parquet(parquet, index=False)
    table = load_table(parquet)
    assert table.frame["tags"].iloc[0] == f"[{int(frame['age'].iloc[0]) % 3}, 1]"
    assert table.frame["address"].iloc[0] == f'{{"city": "{frame["region"].iloc[0]}", "zip": {frame["age"].iloc[0]}}}'
    assert table.reading["nested_columns"] == ["tags", "address"]
    records = tmp_path / "nested.json"
    records.write_text(json.dumps(json.loads(frame.to_json(orient="records"))))
    assert load_table(records).frame["tags"].iloc[0].startswith("[")
    out = tmp_path / "a.json"
    assert main(["assess", str(parquet), "--target", "outcome", "--json", str(out)]) == 0, capsys.readouterr().err
    report = json.loads(out.read_text())
    assert not [f for f in report["findings"] if f["code"].endswith("check_failed")]


# ----- 3. output paths ----------------------------------------------------------------------------------------------
def test_output_path_that_is_a_folder_fails_before_the_assessment(base_csv, tmp_path, capsys, monkeypatch):
    import mlready.cli

    monkeypatch.setattr(mlready.cli, "build_context", lambda *a, **k: pytest.fail("assessed before the check"))
    for option in ("--json", "--pdf"):
        one_sentence_exit_2(["assess", str(base_csv), "--target", "outcome", option, str(tmp_path)], capsys,
                            option, "is a folder")


def test_output_in_a_read_only_folder_fails_before_the_assessment(base_csv, tmp_path, capsys, monkeypatch):
    import mlready.cli

    monkeypatch.setattr(mlready.cli, "build_context", lambda *a, **k: pytest.fail("assessed before the check"))
    monkeypatch.setattr(mlready.cli.os, "access", lambda path, mode: False)  # as for a user without permission
    one_sentence_exit_2(["assess", str(base_csv), "--target", "outcome", "--json", str(tmp_path / "a.json")], capsys,
                        "--json", "cannot be written")


def test_disk_full_while_writing_is_one_sentence(tmp_path, capsys, monkeypatch):
    import errno

    from mlready.assessment import Assessment

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    # render writes the PDF of an assessment: a full disk there is the same path as after 'assess'
    report = tmp_path / "a.json"
    report.write_text("{}")
    monkeypatch.setattr(Assessment, "from_json", classmethod(lambda cls, text: type("A", (), {"to_pdf": lambda s: b"%PDF"})()))
    monkeypatch.setattr("pathlib.Path.write_bytes", full)
    one_sentence_exit_2(["render", str(report), "--pdf", str(tmp_path / "a.pdf")], capsys, "--pdf",
                        "No space left on device")


# ----- 4. options out of range ----------------------------------------------------------------------------------
@pytest.mark.parametrize("extra, words", [
    (["--seed", str(2**32)], "--seed"),
    (["--seed", "-1"], "--seed"),
    (["--latency-target-ms", "inf"], "--latency-target-ms"),
    (["--latency-target-ms", "nan"], "--latency-target-ms"),
    (["--latency-target-ms", "0"], "--latency-target-ms"),
    (["--latency-target-ms", "-5"], "--latency-target-ms"),
    (["--daily-predictions", "0"], "--daily-predictions"),
    (["--daily-predictions", "-3"], "--daily-predictions"),
    (["--daily-predictions", "inf"], "--daily-predictions"),
    (["--measurement-error", "income=inf"], "--measurement-error"),
    (["--measurement-error", "income=nan"], "--measurement-error"),
    (["--measurement-error", "region=2"], "not a number column"),
])
def test_options_out_of_range_exit_2(base_csv, extra, words, capsys):
    one_sentence_exit_2(["assess", str(base_csv), "--target", "outcome", *extra], capsys, words)


def test_positive_class_on_a_number_target_exits_2(base_csv, capsys):
    one_sentence_exit_2(["assess", str(base_csv), "--target", "income", "--positive-class", "good"], capsys,
                        "positive class", "regression")


def test_seed_out_of_range_for_explain_exits_2(base_csv, capsys):
    one_sentence_exit_2(["explain", str(base_csv), "--target", "outcome", "--seed", str(2**32)], capsys, "--seed")


@pytest.mark.parametrize("text", ["[1, 2]", "3", '"text"', "null"])
def test_render_of_json_that_is_not_an_assessment_object_exits_2(text, tmp_path, capsys):
    path = tmp_path / "other.json"
    path.write_text(text)
    one_sentence_exit_2(["render", str(path), "--pdf", str(tmp_path / "x.pdf")], capsys, "not an assessment")


# ----- 5. outcome labels the training data never has ---------------------------------------------------------------
def _split_files(tmp_path, frame, test_frame, test_name="test.csv"):
    train, test = tmp_path / "train.csv", tmp_path / test_name
    frame.to_csv(train, index=False)
    test_frame.to_csv(test, index=False)
    return train, test


def test_held_out_labels_in_other_capitals_are_refused(tmp_path, capsys):
    frame = base_table()
    held = frame.iloc[:60].copy()
    held["outcome"] = held["outcome"].str.capitalize()
    train, test = _split_files(tmp_path, frame.iloc[60:], held)
    err = one_sentence_exit_2(["assess", str(train), "--target", "outcome", "--test", str(test)], capsys,
                              "'test.csv'", "'outcome'", "'Good'", "'Bad'")
    assert "differs from the training outcome 'good' only in capital letters or spaces" in err


def test_new_outcome_in_held_out_or_new_data_is_refused(tmp_path, capsys):
    frame = base_table()
    held = frame.iloc[:60].copy()
    held.loc[held.index[:5], "outcome"] = "maybe"
    train, test = _split_files(tmp_path, frame.iloc[60:], held, "new.csv")
    for option in ("--test", "--new-data"):
        err = one_sentence_exit_2(["assess", str(train), "--target", "outcome", option, str(test)], capsys,
                                  "'new.csv'", "'maybe'")
        assert "capital letters" not in err


def test_same_outcomes_written_as_other_number_types_are_accepted():
    """A 0/1 target read as whole numbers in training and as 1.0/0.0 (with blanks) in the held-out file is the same
    outcome: no false refusal."""
    from mlready.loading import table_from_frame
    from mlready.validation import check_outcome_labels

    held = pd.DataFrame({"x": [1, 2, 3], "y": [1.0, np.nan, 0.0]})
    check_outcome_labels(table_from_frame(held, "held.csv"), "held-out data", "y", "category", [0, 1])
    check_outcome_labels(table_from_frame(held.drop(columns="y"), "new.csv"), "new data", "y", "category", [0, 1])
    with pytest.raises(Exception, match="'2.0'|'2'"):
        check_outcome_labels(table_from_frame(held.assign(y=[2.0, 1.0, 0.0]), "h.csv"), "held-out data", "y",
                             None, [0, 1])


# ----- 6. a model of the other task ---------------------------------------------------------------------------------
def _skops(tmp_path, estimator, name):
    import skops.io as sio

    path = tmp_path / name
    sio.dump(estimator, path)
    return path


def test_regressor_for_a_category_target_and_classifier_for_a_number_target_exit_2(base_csv, tmp_path, capsys):
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    frame = base_table()
    X = frame[["age", "income"]]
    regressor = _skops(tmp_path, make_pipeline(StandardScaler(), LinearRegression()).fit(
        X, (frame["outcome"] == "good").astype(int)), "regr.skops")
    one_sentence_exit_2(["assess", str(base_csv), "--target", "outcome", "--model", str(regressor)], capsys,
                        "'regr.skops'", "predicts numbers", "category")
    classifier = _skops(tmp_path, make_pipeline(StandardScaler(), LogisticRegression()).fit(
        frame[["age"]], frame["outcome"]), "clf.skops")
    one_sentence_exit_2(["assess", str(base_csv), "--target", "income", "--model", str(classifier)], capsys,
                        "'clf.skops'", "predicts outcomes", "number")


# ----- 7. decimal points and commas mixed in one column ---------------------------------------------------------
def _mixed_marks(values: np.ndarray, every: int = 2) -> list[str]:
    return [f"{v:.2f}".replace(".", ",") if i % every else f"{v:.2f}" for i, v in enumerate(values)]


def test_mixed_decimal_marks_are_read_cell_by_cell_and_said(tmp_path):
    from mlready.checks.data_quality import check_mixed_types
    from mlready.checks.input_checks import check_reading
    from mlready.column_types import infer_column_type, read_numbers
    from mlready.loading import load_table

    frame = base_table()
    reading = read_numbers(pd.Series(_mixed_marks(frame["income"].to_numpy())))
    assert np.allclose(reading.values.to_numpy(), frame["income"].to_numpy())
    assert reading.format.mixed == len(frame) // 2 and reading.format.other_way == 0
    assert infer_column_type(pd.Series(_mixed_marks(frame["income"].to_numpy(), every=5))) == "number"
    path = tmp_path / "mixed.csv"
    frame.assign(income=_mixed_marks(frame["income"].to_numpy())).to_csv(path, index=False)
    table = load_table(path)
    assert np.allclose(table.frame["income"].to_numpy(dtype=float), frame["income"].to_numpy())
    ctx = context(table, "outcome")
    assert ctx.column_types["income"] == "number"
    notes = " ".join(check_reading(ctx).notes)
    assert "'income' mixes decimal points and decimal commas: 150 cells" in notes
    assert not check_mixed_types(ctx).findings


def test_marks_that_could_be_thousands_are_not_read_cell_by_cell():
    """'1,234' (a comma that may group thousands) or '1.234,56' (two marks) keep the column-wide reading: the cells
    written the other way are not numbers, as before."""
    from mlready.column_types import read_numbers

    grouped = read_numbers(pd.Series(["2912.87", "1.234,56", "15.50", "7.25"]))
    assert grouped.format.mixed == 0 and grouped.format.other_way == 1 and np.isnan(grouped.values[1])
    either = read_numbers(pd.Series(["2912.87", "1,234", "15,50", "7.25"]))
    assert either.format.mixed == 0


def test_mixed_types_check_names_examples_from_the_column_reading():
    """A comma cell with grouping ('1.234,56') in a column of decimal points: the column's reading counts it as not a
    number, so it is the example (it used to be read alone as a number, leaving no example and crashing)."""
    from mlready.checks.data_quality import check_mixed_types

    frame = base_table()
    income = [f"{v:.2f}" for v in frame["income"]]
    for i in range(0, len(income), 3):
        income[i] = f"{frame['income'].iloc[i]:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    ctx = context(frame.assign(income=income), "outcome", column_types={"income": "number"})
    found = check_mixed_types(ctx).findings
    assert len(found) == 1 and found[0].columns == ("income",)
    assert income[0] in found[0].message


def test_error_messages_in_the_app_are_escaped_before_streamlit_renders_them():
    """Found by a breaker: error messages quote file and column names ('data.csv' has two columns named
    '[click](http://e.vil)'), and `st.error(str(error))` rendered them as Markdown links. Every error shown by the
    app goes through md_escape; the escaped text renders as the characters typed."""
    import re
    from pathlib import Path

    from ui.components import md_escape

    root = Path(__file__).resolve().parents[1]
    sources = [*root.glob("views/*.py"), *root.glob("ui/*.py"), root / "app.py"]
    raw = [f"{p.name}: {line.strip()}" for p in sources for line in p.read_text().splitlines()
           if re.search(r"st\.(error|warning|info|success)\(\s*str\(", line)]
    assert raw == []
    shown = md_escape("'data.csv' has two columns named '[click](http://e.vil)' and '<b>x</b>'")
    assert "](" not in shown.replace("\\](", "") and "<b>" not in shown.replace("\\<b\\>", "")
