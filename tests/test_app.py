"""Every page of the wizard, driven with streamlit's AppTest: sample, real uploads, bad input, no data."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PILLAR_PAGES = ["pages/data_quality.py", "pages/generalization.py", "pages/scalability.py",
                "pages/explanations.py", "pages/fairness.py"]
ALL_PAGES = ["pages/welcome.py", "pages/upload.py", *PILLAR_PAGES, "pages/scorecard.py"]


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_welcome_offers_the_sample():
    at = _app()
    _ok(at)
    assert at.title[0].value == "Is your model ready for production?"
    assert any(b.label == "Try it with sample data" for b in at.button)


@pytest.mark.parametrize("page", PILLAR_PAGES + ["pages/scorecard.py"])
def test_pages_before_any_data_ask_for_an_upload(page):
    at = _app()
    at.switch_page(page).run()
    _ok(at)
    assert "Upload your data" in at.info[0].value
    assert at.get("page_link")[0].proto.label == "Go to Upload"


def test_sample_path_through_every_page():
    at = _app()
    next(b for b in at.button if b.label == "Try it with sample data").click().run()
    _ok(at)
    assert at.title[0].value == "Upload"
    assert at.selectbox(key="target").value == "creditability"
    assert at.multiselect(key="sensitive_creditability").value == ["personal_status_and_sex", "age_in_years"]
    next(b for b in at.button if b.label == "Start the checks").click().run()
    _ok(at)
    assert at.title[0].value == "Data quality"
    seen = {}
    for page in PILLAR_PAGES:
        at.switch_page(page).run()
        _ok(at)
        assert not at.error
        seen[page] = at.metric[0].value
        assert at.get("image"), f"{page} shows no chart"
        assert any(b.label.startswith("Next:") for b in at.button)
    assert all(value.endswith("/ 100") for value in seen.values())
    at.switch_page("pages/explanations.py").run()
    assert any("pushes predictions" in m.value for m in at.markdown)
    at.number_input[0].set_value(3).run()
    _ok(at)
    assert any("chance of 'bad'" in m.value for m in at.markdown)
    at.switch_page("pages/scorecard.py").run()
    _ok(at)
    assert at.metric[0].label == "Overall score"
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download PDF scorecard", "Download JSON"]
    assert any("weakest" in c.value for c in at.caption)


def test_real_upload_through_the_file_uploader(tmp_path):
    at = _app()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_data").upload("loans.csv", SAMPLE_DATA.read_bytes(), "text/csv").run()
    at.file_uploader(key="upload_model").upload("model.skops", SAMPLE_MODEL.read_bytes()).run()
    _ok(at)
    assert any("loans.csv: 1,000 rows, 21 columns" in m.value.replace("\\", "") for m in at.markdown)
    at.selectbox(key="target").set_value("creditability").run()
    next(b for b in at.button if b.label == "Start the checks").click().run()
    _ok(at)
    assert at.title[0].value == "Data quality"
    at.switch_page("pages/generalization.py").run()
    _ok(at)
    assert not any("reference model" in c.value for c in at.caption)  # the uploaded model is the one assessed


def test_bad_upload_gets_a_plain_error_and_the_session_goes_on():
    at = _app()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_data").upload("broken.csv", b"\x00\x01\x02binary", "text/csv").run()
    _ok(at)
    assert "binary" in at.error[0].value
    at.file_uploader(key="upload_data").clear().upload("good.csv", SAMPLE_DATA.read_bytes(), "text/csv").run()
    _ok(at)
    assert not at.error
    assert at.selectbox(key="target").value == "creditability"


def test_single_class_target_is_refused_in_the_app():
    at = _app()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_data").upload("one.csv", b"x,y\n" + b"".join(b"%d,a\n" % i for i in range(50))).run()
    at.selectbox(key="target").set_value("y").run()
    next(b for b in at.button if b.label == "Start the checks").click().run()
    _ok(at)
    assert "only one value" in at.error[0].value
    assert at.title[0].value == "Upload"


def test_pickle_model_needs_explicit_permission(tmp_path):
    import io

    import joblib
    import pandas as pd
    from sklearn.dummy import DummyClassifier

    frame = pd.read_csv(SAMPLE_DATA)
    buffer = io.BytesIO()
    joblib.dump(DummyClassifier().fit(frame.drop(columns="creditability"), frame["creditability"]), buffer)
    at = _app()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_data").upload("credit.csv", SAMPLE_DATA.read_bytes(), "text/csv").run()
    at.file_uploader(key="upload_model").upload("model.joblib", buffer.getvalue()).run()
    assert at.checkbox(key="allow_pickle").value is False
    next(b for b in at.button if b.label == "Start the checks").click().run()
    _ok(at)
    assert "can run code" in at.error[0].value


def test_hostile_column_names_are_shown_as_text():
    at = _app()
    at.switch_page("pages/upload.py").run()
    raw = b"[click](http://evil.example) $x$,<script>alert(1)</script>,y\n" + b"".join(
        b"%d,%d,%s\n" % (i, i % 7, b"a" if i % 3 else b"b") for i in range(120))
    at.file_uploader(key="upload_data").upload("hostile.csv", raw, "text/csv").run()
    at.selectbox(key="target").set_value("y").run()
    next(b for b in at.button if b.label == "Start the checks").click().run()
    _ok(at)
    at.switch_page("pages/explanations.py").run()
    _ok(at)
    for element in at.markdown:
        assert "](http" not in element.value and "<script>" not in element.value
