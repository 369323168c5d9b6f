"""The command line: exit codes 0/1/2, outputs, progress on stderr and nothing else."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mlready.cli import main
from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL

pytestmark = pytest.mark.usefixtures("quick_cli")  # the suite's quick sample sizes (see conftest)


def test_assess_writes_json_and_pdf(tmp_path, capsys):
    out_json, out_pdf = tmp_path / "a.json", tmp_path / "a.pdf"
    code = main(["assess", str(SAMPLE_DATA), "--target", "creditability", "--model", str(SAMPLE_MODEL),
                 "--sensitive", "personal_status_and_sex", "--json", str(out_json), "--pdf", str(out_pdf)])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""  # only the requested files are written
    assert "Data quality" in captured.err and "mlready:" in captured.err
    data = json.loads(out_json.read_text())
    assert data["inputs"]["sensitive"] == ["personal_status_and_sex"] and data["inputs"]["model"]["source"] == "uploaded"
    assert out_pdf.read_bytes().startswith(b"%PDF")
    rendered = tmp_path / "again.pdf"
    assert main(["render", str(out_json), "--pdf", str(rendered)]) == 0
    assert rendered.read_bytes().startswith(b"%PDF")


def test_fail_under_exits_1(tmp_path):
    assert main(["assess", str(SAMPLE_DATA), "--target", "creditability", "--fail-under", "100"]) == 1


@pytest.mark.parametrize("args, words", [
    (["assess", "missing.csv", "--target", "y"], "does not exist"),
    (["assess", str(SAMPLE_DATA), "--target", "nope"], "target column 'nope'"),
    (["assess", str(SAMPLE_DATA)], "--target"),
    (["assess", str(SAMPLE_DATA), "--target", "creditability", "--task", "magic"], "--task"),
    (["assess", str(SAMPLE_DATA), "--target", "creditability", "--fail-under", "150"], "--fail-under"),
    (["assess", str(SAMPLE_DATA), "--target", "creditability", "--threshold", "nope=1"], "unknown threshold"),
    (["assess", str(SAMPLE_DATA), "--target", "creditability", "--json", "/no/such/dir/a.json"], "--json"),
    (["render", "missing.json", "--pdf", "x.pdf"], "does not exist"),
    (["assess", str(SAMPLE_DATA), "--target", "creditability", "--json", "same.out", "--pdf", "same.out"],
     "name the same file"),
])
def test_wrong_input_exits_2_with_one_sentence(args, words, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_pickle_models_need_permission(tmp_path, capsys, german):
    import joblib
    from sklearn.dummy import DummyClassifier

    path, data = tmp_path / "model.joblib", tmp_path / "small.csv"
    small = german.sample(240, random_state=0)  # a small table: what is tested is the permission, not the checks
    small.to_csv(data, index=False)
    joblib.dump(DummyClassifier().fit(small.drop(columns="creditability"), small["creditability"]), path)
    assert main(["assess", str(data), "--target", "creditability", "--model", str(path)]) == 2
    assert "can run code" in capsys.readouterr().err
    assert main(["assess", str(data), "--target", "creditability", "--model", str(path), "--allow-pickle",
                 "--fail-under", "0", "--json", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text())["inputs"]["model"]["source"] == "uploaded"


def test_render_rejects_other_json(tmp_path, capsys):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    assert main(["render", str(path), "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "not an assessment" in capsys.readouterr().err


def test_console_script_runs_in_a_real_process(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "mlready", "assess", str(bad), "--target", "y"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == "mlready: The file 'empty.csv' is empty; export the table again with its rows."
