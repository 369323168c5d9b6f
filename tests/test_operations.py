"""The operations pillar: deployment-practice answers, their severities, the CLI, the API, the PDF and the app step."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

import mlready
from mlready import InputError
from mlready.assessment import Assessment
from mlready.checks.operations import pillar_result
from mlready.cli import main
from mlready.findings import PILLARS, PillarResult, Severity
from mlready.practices import PRACTICES, QUESTION_IDS, load_answers, parse_answers
from mlready.runner import run_pillar

from conftest import FAST, context

ALL_YES = {q: "yes" for q in QUESTION_IDS}
CONTRACT_CODES = {"ops.training_not_reproducible", "ops.no_versioning", "ops.no_serving_plan", "ops.no_load_test",
                  "ops.no_monitoring", "ops.no_rollback", "ops.no_owner", "ops.no_human_oversight", "ops.undocumented"}


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame({"income": rng.normal(50, 10, n).round(1), "sex": rng.choice(["f", "m"], n),
                          "tenure": rng.integers(0, 20, n)})
    frame["repaid"] = np.where(rng.random(n) < 1 / (1 + np.exp(-(frame.income - 50) / 8)), "yes", "no")
    return frame


def test_one_question_per_contract_code():
    assert {p.code for p in PRACTICES} == CONTRACT_CODES
    assert len(QUESTION_IDS) == len(set(QUESTION_IDS)) == 9
    assert all(p.question.endswith("?") or p.question.endswith(".)") for p in PRACTICES)


def test_answers_are_read_leniently_but_wrong_ids_and_answers_are_refused():
    assert parse_answers({"monitoring": True, "rollback": "No", "owner": "not sure", "versioning": False}) == \
        {"versioning": "no", "monitoring": "yes", "rollback": "no", "owner": "unsure"}  # in question order
    with pytest.raises(InputError, match="unknown question id 'monitor' \\(did you mean 'monitoring'\\?\\)"):
        parse_answers({"monitor": "yes"})
    with pytest.raises(InputError, match="answers 'rollback' with 'maybe'; answer yes, no or unsure"):
        parse_answers({"rollback": "maybe"})
    with pytest.raises(InputError, match="answers no question"):
        parse_answers({})
    with pytest.raises(InputError, match="must map each question id"):
        parse_answers(["monitoring"])


def test_answers_from_json_and_yaml_files(tmp_path):
    (tmp_path / "a.yaml").write_text("monitoring: yes\nrollback: no   # YAML reads yes/no as true/false\n")
    assert load_answers(tmp_path / "a.yaml") == {"monitoring": "yes", "rollback": "no"}
    (tmp_path / "a.json").write_text(json.dumps({"owner": "unsure"}))
    assert load_answers(tmp_path / "a.json") == {"owner": "unsure"}
    (tmp_path / "bad.json").write_text("{oops")
    with pytest.raises(InputError, match="'bad.json' is not valid JSON"):
        load_answers(tmp_path / "bad.json")
    with pytest.raises(InputError, match="does not exist"):
        load_answers(tmp_path / "missing.yaml")


def _severities(answers, about_people):
    return {f.code: f.severity for f in pillar_result(parse_answers(answers), about_people).findings}


def test_severity_follows_what_an_expert_would_say():
    people = _severities({**ALL_YES, "monitoring": "no", "rollback": "no", "load_test": "no"}, about_people=True)
    assert people == {"ops.no_monitoring": Severity.CRITICAL, "ops.no_rollback": Severity.CRITICAL,
                      "ops.no_load_test": Severity.WARNING}
    things = _severities({**ALL_YES, "monitoring": "no", "rollback": "no"}, about_people=False)
    assert set(things.values()) == {Severity.WARNING}  # a model that decides about no one: serious, not blocking
    unsure = _severities({**ALL_YES, "monitoring": "unsure", "human_oversight": "unsure"}, about_people=True)
    assert set(unsure.values()) == {Severity.WARNING}  # never a critical from a missing answer
    assert _severities({**ALL_YES, "human_oversight": "no"}, about_people=False) == \
        {"ops.no_human_oversight": Severity.CRITICAL}  # 'no' means it does decide about people, with no review
    partial = _severities({"monitoring": "yes"}, about_people=False)
    assert len(partial) == 8 and "ops.no_monitoring" not in partial  # unanswered questions count as not sure


def test_all_yes_passes_and_the_words_say_what_to_do():
    result = pillar_result(parse_answers(ALL_YES), about_people=True)
    assert result.assessed and result.findings == () and result.metrics["practices_in_place"] == 9
    finding = pillar_result({"rollback": "no"}, about_people=True).findings
    rollback = next(f for f in finding if f.code == "ops.no_rollback")
    assert "“no”" in rollback.message and rollback.action.startswith("Keep the previous model")
    unanswered = next(f for f in finding if f.code == "ops.no_owner")
    assert "was not answered" in unanswered.message and unanswered.title.endswith("(not answered)")


def test_without_answers_the_pillar_is_not_assessed_and_does_not_count(small):
    ctx = context(small, "repaid")
    result = run_pillar(ctx, "operations")
    assert not result.assessed and "not answered" in result.not_assessed_reason
    passing = {p: PillarResult(p) for p in PILLARS if p != "operations"}
    unanswered = Assessment(inputs={}, pillars={**passing, "operations": result})
    assert unanswered.score == 100 and unanswered.verdict == "ready"
    assert unanswered.to_dict()["pillars"]["operations"]["status"] == "not_assessed"
    assert unanswered.pillar_summary("operations").startswith("Not checked")
    blocked = Assessment(inputs={}, pillars={**passing, "operations": pillar_result({"monitoring": "no"}, True)})
    assert blocked.verdict == "not_ready" and blocked.score <= 40  # the pillar joins the verdict


def test_practices_through_the_api_json_and_pdf(small):
    assessment = mlready.assess(small, "repaid", sensitive=["sex"], settings=replace(FAST, profile_full_max_cells=0),
                                practices={**ALL_YES, "monitoring": "no", "documentation": "unsure"})
    data = assessment.to_dict()
    assert data["pillars"]["operations"]["status"] == "fail"
    assert data["inputs"]["practices"]["monitoring"] == "no"
    codes = {f["code"]: f["severity"] for f in data["findings"] if f["pillar"] == "operations"}
    assert codes == {"ops.no_monitoring": "critical", "ops.undocumented": "warning"}
    assert assessment.verdict == "not_ready"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(assessment.to_pdf())).pages)
    assert "Deployment practices" in text and "The answers given" in text
    assert "not sure" in text and "rolled" not in text
    again = Assessment.from_json(assessment.to_json())  # re-rendering keeps the answers
    assert again.pillars["operations"].data["practices"][4]["answer"] == "no"


def test_cli_lists_the_questions_and_refuses_a_wrong_file_with_one_sentence(tmp_path, capsys, small):
    assert main(["practices"]) == 0
    listing = capsys.readouterr().out
    assert all(q in listing for q in QUESTION_IDS) and "--practices FILE" in listing
    data = tmp_path / "small.csv"
    small.to_csv(data, index=False)
    (tmp_path / "wrong.yaml").write_text("monitoring: often\n")
    assert main(["assess", str(data), "--target", "repaid", "--practices", str(tmp_path / "wrong.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "answers 'monitoring' with 'often'" in err and "Traceback" not in err
    assert main(["assess", str(data), "--target", "repaid", "--measurement-error", "income=-3"]) == 2
    assert "--measurement-error for 'income' must be a positive number" in capsys.readouterr().err


def test_cli_assess_with_practices(tmp_path, capsys, small, quick_cli):
    data, answers, out = tmp_path / "small.csv", tmp_path / "ops.yaml", tmp_path / "a.json"
    small.to_csv(data, index=False)
    answers.write_text("\n".join(f"{q}: yes" for q in QUESTION_IDS if q != "load_test") + "\nload_test: no\n")
    code = main(["assess", str(data), "--target", "repaid", "--practices", str(answers), "--json", str(out),
                 "--measurement-error", "income=2"])
    assert code == 0, capsys.readouterr().err
    result = json.loads(out.read_text())
    assert result["pillars"]["operations"]["status"] == "warn"
    assert [f["code"] for f in result["findings"] if f["pillar"] == "operations"] == ["ops.no_load_test"]
    assert any("measurement errors given: 'income' ±2" in n for n in result["pillars"]["generalization"]["notes"])


APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_the_app_step_asks_scores_and_feeds_the_scorecard(small):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("views/upload.py").run()
    at.file_uploader(key="upload_data").upload("small.csv", small.to_csv(index=False).encode(), "text/csv").run()
    at.selectbox(key="target").set_value("repaid").run()
    next(b for b in at.button if b.label == "Start the checks").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("views/operations.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Deployment practices"
    assert "Not checked" in at.info[0].value  # nothing answered yet
    for question in QUESTION_IDS:
        at.radio(key=f"practice_{question}").set_value("yes")
    at.radio(key="practice_rollback").set_value("no")
    at.radio(key="practice_monitoring").set_value("not sure")
    next(b for b in at.button if b.label == "Save the answers").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value.endswith("/ 100")
    titles = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "No quick way back if the model misbehaves" in titles and "(not confirmed)" in titles
    assert dict(at.session_state["spec"].practices)["rollback"] == "no"
    at.switch_page("views/scorecard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assessment = at.session_state["assessment"][1]
    assert assessment.pillars["operations"].assessed
    assert {f.code for f in assessment.findings if f.pillar == "operations"} == {"ops.no_rollback", "ops.no_monitoring"}
