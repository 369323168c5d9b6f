"""Model files in their own safe formats: XGBoost (.json, .ubj), LightGBM (.txt), ONNX (.onnx).

Each test builds a small model with the library itself, saves it, and assesses it end to end through the Python API
and the command line; the numbers mlready computes must be the library's own predictions.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import mlready
from mlready import InputError, threads
from mlready.cli import main
from mlready.modeling import load_model

from conftest import FAST, context

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
ort = pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    with threads.limited("small"):
        yield


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """Loans: two numbers, a label column and a good/bad outcome that depends on all three."""
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame({"amount": rng.normal(5000, 1500, n).round(0), "duration": rng.integers(6, 60, n),
                          "purpose": rng.choice(["car", "education", "furniture"], n)})
    logit = (frame.amount - 5000) / 1500 + (frame.duration - 30) / 15 + (frame.purpose == "education") * 1.0
    frame["outcome"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "bad", "good")
    return frame


def _features(frame: pd.DataFrame) -> pd.DataFrame:
    X = frame.drop(columns="outcome", errors="ignore")  # noqa: N806
    return X.assign(purpose=X["purpose"].astype("category"))


@pytest.fixture(scope="module")
def files(table, tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("models")
    X, y = _features(table), (table["outcome"] == "good").astype(int)  # noqa: N806 - sorted: bad=0, good=1
    booster = xgb.XGBClassifier(n_estimators=30, max_depth=3, enable_categorical=True, tree_method="hist",
                                n_jobs=1).fit(X, y)
    booster.save_model(folder / "model.json")
    booster.save_model(folder / "model.ubj")
    light = lgb.LGBMClassifier(n_estimators=30, num_leaves=8, verbose=-1, n_jobs=1).fit(X, y)
    light.booster_.save_model(str(folder / "model.txt"))
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    plain = table.drop(columns="outcome").astype({"duration": float})
    pipeline = make_pipeline(ColumnTransformer([("num", StandardScaler(), ["amount", "duration"]),
                                                ("cat", OneHotEncoder(handle_unknown="ignore"), ["purpose"])]),
                             LogisticRegression()).fit(plain, table["outcome"])
    onnx_model = skl2onnx.to_onnx(pipeline, initial_types=[("amount", FloatTensorType([None, 1])),
                                                           ("duration", FloatTensorType([None, 1])),
                                                           ("purpose", StringTensorType([None, 1]))])
    (folder / "model.onnx").write_bytes(onnx_model.SerializeToString())
    data = folder / "loans.csv"
    table.to_csv(data, index=False)
    return {"folder": folder, "data": data, "xgboost": booster, "lightgbm": light, "onnx": pipeline}


QUICK = replace(FAST, profile_full_max_cells=0)  # the data profile in its quick mode: not what is tested here
CASES = [("model.json", "xgboost"), ("model.ubj", "xgboost"), ("model.txt", "lightgbm"), ("model.onnx", "onnx")]


@pytest.mark.parametrize("name, library", CASES)
def test_each_model_file_is_assessed_through_the_api(files, table, name, library):
    path = files["folder"] / name
    assessment = mlready.assess(table, "outcome", model=str(path), positive_class="bad", settings=QUICK)
    inputs = assessment.inputs["model"]
    assert inputs["source"] == "uploaded" and inputs["problem"] is None and inputs["name"] == name
    assert "model.unreadable" not in {f.code for f in assessment.findings}
    assert assessment.scalability["model_bytes"] == path.stat().st_size
    method = assessment.explanations["method"]
    assert ("TreeExplainer" in method) == (library != "onnx"), method
    assert {e["feature"] for e in assessment.explanations["global"]} == {"amount", "duration", "purpose"}
    assert assessment.pillars["generalization"].metrics["test_roc_auc"] > 0.7  # the model works on this table


@pytest.mark.parametrize("name, library", CASES)
def test_predictions_are_the_librarys_own(files, table, name, library):
    ctx = context(table, "outcome", model=str(files["folder"] / name), positive_class="bad")
    rows = ctx.X_test.head(20)
    chance_bad = ctx.predict_outcome(ctx.model, rows)
    if library == "onnx":
        expected = files["onnx"].predict_proba(rows.astype({"duration": float}))[:, 0]
        assert np.allclose(chance_bad, expected, atol=1e-5)
    else:
        expected = 1 - files[library].predict_proba(_features(ctx.X_test.head(20)))[:, 1]  # class 1 is 'good'
        assert np.allclose(chance_bad, expected, atol=1e-6)
    assert list(ctx.model.classes_) == ["bad", "good"]
    assert set(ctx.model.predict(rows)) <= {"bad", "good"}
    if library != "onnx":
        assert any("sorted order" in note for note in ctx.model.notes)  # boosters do not name their outcomes


@pytest.mark.parametrize("name", ["model.json", "model.txt", "model.onnx"])
def test_each_library_through_the_command_line(files, tmp_path, capsys, name, quick_cli):
    out = tmp_path / "assessment.json"
    code = main(["assess", str(files["data"]), "--target", "outcome", "--model", str(files["folder"] / name),
                 "--positive-class", "bad", "--json", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out == ""
    data = json.loads(out.read_text())
    assert data["inputs"]["model"]["source"] == "uploaded" and data["inputs"]["model"]["name"] == name


def test_a_regression_booster(tmp_path, table):
    frame = table.assign(outcome=table["amount"] / 100 + table["duration"] * 3)
    model = xgb.XGBRegressor(n_estimators=20, max_depth=3, enable_categorical=True, n_jobs=1)
    model.fit(_features(frame), frame["outcome"])
    model.save_model(tmp_path / "price.json")
    ctx = context(frame, "outcome", model=str(tmp_path / "price.json"))
    assert ctx.task == "regression" and ctx.model_source == "uploaded"
    assert np.allclose(ctx.model.predict(ctx.X_test.head(10)), model.predict(_features(ctx.X_test.head(10))), atol=1e-4)


def test_a_file_that_does_not_fit_the_table_is_a_plain_error(files, table):
    with pytest.raises(InputError, match="reads a column 'amount' that the data does not have"):
        context(table.drop(columns="amount"), "outcome", model=str(files["folder"] / "model.json"))
    with pytest.raises(InputError, match="reads 'duration' as a number, but the data holds text"):
        context(table.assign(duration=table["duration"].map(lambda v: f"{v} months")), "outcome",
                model=str(files["folder"] / "model.txt"))
    with pytest.raises(InputError, match="predicts outcomes \\(classification\\), but the task is regression"):
        context(table.assign(outcome=table["amount"] / 7), "outcome", model=str(files["folder"] / "model.onnx"))
    with pytest.raises(InputError, match="predicts the outcomes bad, good, but the target holds"):
        context(table.assign(outcome=table["outcome"].map({"bad": "no", "good": "yes"})), "outcome",
                model=str(files["folder"] / "model.onnx"))


def test_wrong_or_damaged_files_are_refused_plainly(tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    with pytest.raises(InputError, match="not a LightGBM model file"):
        load_model(tmp_path / "notes.txt")
    (tmp_path / "settings.json").write_text('{"a": 1}')
    with pytest.raises(InputError, match="not an XGBoost model"):
        load_model(tmp_path / "settings.json")
    (tmp_path / "broken.onnx").write_bytes(b"\x00not onnx")
    with pytest.raises(InputError, match="could not be opened as an ONNX model"):
        load_model(tmp_path / "broken.onnx")


def test_without_the_library_the_message_names_the_extra(files, monkeypatch):
    monkeypatch.setitem(sys.modules, "lightgbm", None)  # as if the extra were not installed
    with pytest.raises(InputError, match=r"pip install 'mlready\[lightgbm\]'"):
        load_model(files["folder"] / "model.txt")


def test_model_files_cannot_be_retrained_so_checks_fall_back(files, table):
    from sklearn.base import clone

    ctx = context(table, "outcome", model=str(files["folder"] / "model.json"), positive_class="bad")
    with pytest.raises(TypeError):
        clone(ctx.model)
