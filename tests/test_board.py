"""Pictures and the PDF a board reads: charts that do not mislead, the sidebar's ticks, and a board-grade PDF.

Charts are checked on the figures themselves (axis limits, reference lines, label lengths, where the legend sits);
the PDF is read back with pypdf (and rendered with pdftoppm, when installed, to measure how full its pages are).
The PDF tests use the session's sample assessments (tests/conftest.py): the sample's own model has warnings (three
actions), the reference-model one has none (the actions are then marked 'not urgent').
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from pypdf import PdfReader

from mlready import charts, narrative
from mlready.assessment import Assessment
from mlready.findings import PILLAR_TITLES, PILLARS
from mlready.pdf import first_actions, render_pdf

from readability import jargon_in

APP = str(Path(__file__).resolve().parents[1] / "app.py")


# ----- charts --------------------------------------------------------------------------------------------------------
def _drawn(fig):
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _texts(fig) -> list[str]:
    """Every text a reader sees on a figure: titles, axis labels, tick labels, legend entries."""
    found = []
    for ax in fig.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        found += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    for legend in fig.legends:
        found += [t.get_text() for t in legend.get_texts()]
    return [t for t in found if t]


def _reference_lines(ax) -> dict[str, float]:
    """Straight reference lines (axhline/axvline) by label: label -> position."""
    lines = {}
    for line in ax.get_lines():
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) == 2 and (x[0] == x[1] or y[0] == y[1]):
            lines[line.get_label()] = float(x[0] if x[0] == x[1] else y[0])
    return lines


@pytest.fixture(scope="module")
def sample_figures(sample_assessment, sample_reference_assessment):
    """Every chart of both sample assessments, drawn once: (pillar, figure)."""
    figures = []
    for assessment in (sample_assessment, sample_reference_assessment):
        for pillar in PILLARS:
            figures += [(pillar, fig) for fig in charts.pillar_charts(pillar, assessment.pillars[pillar].data)]
    for _, fig in figures:
        _drawn(fig)
    return figures


@pytest.mark.parametrize("label", ["installment_rate_in_percentage_of_disposable_income",
                                   "number_of_people_being_liable_to_provide_maintenance_for",
                                   "female : divorced/separated/married", "short", "Größe € 年齢 (in cm)",
                                   "averyveryverylongcolumnnamewithoutanybreakatall_x"])
def test_labels_wrap_at_word_breaks_and_lose_nothing(label):
    wrapped = charts.wrap_label(label)
    lines = wrapped.split("\n")
    assert all(len(line) <= charts.WRAP for line in lines), lines
    assert "".join(lines).replace(" ", "") == label.replace(" ", "")  # nothing cut, nothing added
    for line in lines[:-1]:  # a line ends at a break between words unless one word is longer than a line
        assert line[-1] in " _-/.," or len(line) == charts.WRAP, lines


def test_no_label_is_longer_than_a_line(sample_figures):
    for pillar, fig in sample_figures:
        for ax in fig.axes:
            for tick in ax.get_yticklabels():
                assert all(len(line) <= max(charts.WRAP, 34) for line in tick.get_text().split("\n")), \
                    (pillar, tick.get_text())
    names = charts.single_column_chart({"single_column_scores": {"installment_rate_in_percentage_of_disposable_"
                                                                 "income": 0.61, "x": 0.5}, "metric_label": "ROC AUC"})
    labels = [t.get_text() for t in names.axes[0].get_yticklabels()]
    assert "installment_rate_in_\npercentage_of_disposable_\nincome" in labels


def test_legends_sit_outside_the_plot(sample_figures):
    with_legend = 0
    for pillar, fig in sample_figures:
        renderer = _drawn(fig)
        for ax in fig.axes:
            assert ax.get_legend() is None, pillar  # no legend drawn inside the axes, over the bars
            plot = ax.get_window_extent(renderer)
            for legend in fig.legends:
                with_legend += 1
                box = legend.get_window_extent(renderer)
                assert not box.overlaps(plot), (pillar, ax.get_title())
                for patch in ax.patches:
                    assert not box.overlaps(patch.get_window_extent(renderer)), pillar
    assert with_legend >= 8


def test_score_axes_start_at_zero_and_mark_the_coin_toss(sample_reference_assessment):
    data = sample_reference_assessment.pillars["generalization"].data
    for make, axis in ((charts.generalization_chart, "y"), (charts.stability_chart, "x"),
                       (charts.learning_curve_chart, "y")):
        ax = make(data).axes[0]
        low, high = ax.get_ylim() if axis == "y" else ax.get_xlim()
        assert low <= 0 and high >= 1, make.__name__  # 0.78 vs 0.81 is not drawn as a cliff
        assert _reference_lines(ax).get("coin toss (0.5)") == 0.5, make.__name__
    single = charts.single_column_chart(sample_reference_assessment.pillars["data_quality"].data).axes[0]
    assert single.get_xlim()[0] <= 0 and _reference_lines(single).get("coin toss (0.5)") == 0.5
    r2 = charts.learning_curve_chart({"learning_sizes": [50, 100], "learning_scores": [-0.2, 0.3],
                                      "metric_label": "R²"}).axes[0]
    assert r2.get_ylim()[0] < -0.2 and _reference_lines(r2)["no better than the average (0)"] == 0


def test_the_latency_target_is_always_drawn():
    far = charts.latency_chart({"latency_ms": [2.0, 2.5, 3.1], "latency_target_ms": 500}).axes[0]
    assert _reference_lines(far)["target: 500 ms"] == 500
    assert far.get_xlim()[0] == 0 and far.get_xlim()[1] >= 500
    over = charts.latency_chart({"latency_ms": [40.0, 60.0, 80.0], "latency_target_ms": 20}).axes[0]
    assert _reference_lines(over)["target: 20 ms"] == 20 and over.get_xlim()[1] >= 80


def test_small_changes_look_small():
    robust = charts.robustness_chart({"noise_levels": [0.01, 0.02, 0.05, 0.1, 0.2],
                                      "noise_changed": [0.0, 0.001, 0.002, 0.004, 0.01],
                                      "noise_unexpected": [0, 0, 0, 0, 0.001]}).axes[0]
    assert robust.get_ylim() [0] == 0 and robust.get_ylim()[1] >= 10  # 1% of cases is not drawn at full height
    missing = charts.missing_values_chart({"missing_share": {"a": 0.004, "b": 0.001}}).axes[0]
    assert missing.get_xlim()[0] == 0 and missing.get_xlim()[1] >= 10
    big = charts.robustness_chart({"noise_levels": [0.01, 0.05, 0.2], "noise_changed": [0.1, 0.3, 0.6],
                                   "noise_unexpected": [0, 0.1, 0.2]}).axes[0]
    assert big.get_ylim()[1] >= 60


def test_chart_words_carry_no_jargon(sample_figures):
    for pillar, fig in sample_figures:
        for text in _texts(fig):
            assert not jargon_in(text), (pillar, text, jargon_in(text))


def test_non_latin_names_are_drawn_with_a_font_that_has_them():
    import warnings

    if charts.fallback_font() is None:
        pytest.skip("no CJK fallback font installed (apt-get install fonts-droid-fallback)")
    fig = charts.missing_values_chart({"missing_share": {"Größe € 年齢": 0.3}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns 'Glyph ... missing from font(s)' when it draws a box
        charts.to_png(fig)


# ----- the PDF -------------------------------------------------------------------------------------------------------
def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def own_pdf(sample_assessment) -> bytes:
    return render_pdf(sample_assessment)


@pytest.fixture(scope="module")
def reference_pdf(sample_reference_assessment) -> bytes:
    return render_pdf(sample_reference_assessment)


def test_page_one_is_the_executive_summary(sample_assessment, own_pdf):
    a = sample_assessment
    first = _pages(own_pdf)[0]
    assert narrative.VERDICT_TEXT[a.verdict].upper() in first
    assert f"Overall score {a.score} / 100" in first
    for pillar in PILLARS:
        score = a.pillar_scores[pillar]
        shown = "—" if score is None else f"{score} / 100"
        assert f"{PILLAR_TITLES[pillar]} {shown}" in first, pillar
    actions = first_actions(a)
    assert len(actions) == 3 and all(urgent for _, urgent in actions)  # the sample's model has three warnings
    for number, (finding, _) in enumerate(actions, 1):
        assert f"{number}. {' '.join(finding.title.split())}" in first
        assert " ".join(finding.action.split())[:60] in first
    assert "your model" in first and "reference model" not in first
    data = a.inputs["data"]
    assert f"'{data['name']}', {data['rows']:,} rows, {data['columns']} columns" in first
    assert data["sha256"][:16] in first and f"'{a.inputs['target']}'" in first
    assert not any(title in first for title in ("How it was checked", "Words used"))  # the summary stands alone


def test_reference_model_summary_says_so_and_marks_actions_not_urgent(sample_reference_assessment, reference_pdf):
    first = _pages(reference_pdf)[0]
    assert "mlready's reference model" in first and "your model" not in first
    assert narrative.NOTHING_URGENT in first
    actions = first_actions(sample_reference_assessment)
    assert actions and not any(urgent for _, urgent in actions)
    assert first.count("(not urgent)") == len(actions)


def test_every_page_says_page_x_of_y(own_pdf, reference_pdf):
    for pdf in (own_pdf, reference_pdf):
        pages = _pages(pdf)
        assert len(pages) >= 4
        for number, text in enumerate(pages, 1):
            assert f"Page {number} of {len(pages)}" in text, number


def test_metadata(sample_assessment):
    reader = PdfReader(io.BytesIO(render_pdf(sample_assessment)))
    meta = reader.metadata
    assert meta.title == "Production-readiness scorecard: german_credit.csv"
    assert meta.author.startswith("mlready")
    assert "creditability" in meta.subject and narrative.VERDICT_TEXT[sample_assessment.verdict] in meta.subject
    created = datetime.fromisoformat(sample_assessment.created)
    assert meta.creation_date.replace(tzinfo=None) == created.replace(tzinfo=None)


def test_sections_in_order_with_the_glossary_last(sample_assessment, own_pdf):
    pages = _pages(own_pdf)

    def first_page(heading: str) -> int:
        return next(i for i, text in enumerate(pages) if heading in text)

    starts = [first_page(f"{PILLAR_TITLES[p]}: ") for p in PILLARS if p in sample_assessment.pillars]
    assert starts == sorted(starts) and starts[0] == 1  # the areas follow page 1, in order
    method, glossary = first_page("How it was checked"), first_page("Words used")
    assert starts[-1] <= method <= glossary
    tail = " ".join(pages[glossary:])
    for term, _ in narrative.GLOSSARY:
        assert " ".join(term.split()) in tail
    glossary_text = tail[tail.index("Words used"):]
    assert not any(f"{PILLAR_TITLES[p]}: " in glossary_text for p in PILLARS)


def test_continuation_pages_repeat_the_heading(own_pdf, reference_pdf):
    heading = re.compile(r"((?:Data quality|Generalization|Scalability|Explanations|Fairness|Deployment practices): "
                         r"(?:\d+ / 100 \(\w+\)|not checked)|How it was checked|Words used)(?! \(continued\))")
    continued = 0
    for pdf in (own_pdf, reference_pdf):
        current = None
        for number, text in enumerate(_pages(pdf)[1:], 2):
            repeated = re.match(r"^(.{5,80}?) \(continued\)", text)
            if repeated:  # a page a section runs onto names that section first
                assert repeated.group(1) == current, (number, text[:120])
                continued += 1
            else:  # any other page starts a section
                assert heading.match(text), (number, text[:120])
            found = heading.findall(text)
            current = found[-1] if found else current
    assert continued >= 4


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_no_half_empty_pages(own_pdf, tmp_path):
    """Every page but the first (the summary) and the last is at least 60% full (measured on the rendered page)."""
    from PIL import Image

    path = tmp_path / "card.pdf"
    path.write_bytes(own_pdf)
    subprocess.run(["pdftoppm", "-r", "20", "-gray", "-png", str(path), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == len(PdfReader(io.BytesIO(own_pdf)).pages)
    for number, image in enumerate(images[1:-1], 2):
        pixels = np.asarray(Image.open(image))
        body = pixels[: int(pixels.shape[0] * 0.93)]  # above the footer
        inked = np.nonzero((body < 200).any(axis=1))[0]
        assert inked.max() / body.shape[0] >= 0.6, f"page {number} is mostly empty"


def test_user_text_in_any_script_prints(sample_assessment):
    """A column and a file named in German, with a euro sign and Japanese, print as they are (no crash, no '?')."""
    text = sample_assessment.to_json().replace("credit_amount", "Größe € 年齢").replace("german_credit.csv",
                                                                                         "Kredite_年齢.csv")
    renamed = Assessment.from_json(text)
    pages = _pages(render_pdf(renamed))
    whole = " ".join(pages)
    assert "Kredite_年齢.csv" in pages[0]
    if charts.fallback_font() is not None:
        assert "Größe € 年齢" in whole
    else:  # without a CJK font the characters are replaced, never a crash
        assert "Größe € ??" in whole


# ----- the sidebar's ticks -------------------------------------------------------------------------------------------
def _small_upload() -> bytes:
    rng = np.random.default_rng(0)
    n = 240
    frame = pd.DataFrame({"income": rng.normal(50, 12, n).round(1), "region": rng.choice(["north", "south"], n),
                          "score": rng.normal(0, 1, n)})
    logit = 0.08 * (frame["income"] - 50) + frame["score"]
    frame["outcome"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame.to_csv(index=False).encode()


def test_sidebar_ticks_show_as_soon_as_a_step_is_done(monkeypatch):
    """The sidebar st.navigation last sent in a run ticks the steps that run finished (no second click needed)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.navigation import DONE, TODO

    sent: list[dict[str, str]] = []
    real = st.navigation

    def recording(pages, *args, **kwargs):
        sent.append({page.title: page.icon for section in pages.values() for page in section})
        return real(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    # AppTest starts every run with a fresh PagesManager, which sees the views/ folder and runs a switched-to page
    # on its own (Streamlit's first multipage style), never through app.py. The server, once app.py has called
    # st.navigation, runs app.py for every page; the same is set here so that each run goes through the navigation.
    from streamlit.runtime.pages_manager import PagesManager

    fresh = PagesManager.__init__

    def through_app(self, *args, **kwargs):
        fresh(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", through_app)
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("views/upload.py").run()
    at.file_uploader(key="upload_data").upload("small.csv", _small_upload(), "text/csv").run()
    at.selectbox(key="target").set_value("outcome").run()
    sent.clear()
    next(b for b in at.button if b.label == "Start the checks").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Data quality"
    icons = sent[-1]  # the same run that checked the data shows its tick
    assert icons["1. Upload"] == DONE and icons["2. Data quality"] == DONE
    assert icons["3. Generalization"] == TODO and icons["8. Scorecard"] == TODO
    sent.clear()
    at.switch_page("views/scorecard.py").run()  # the scorecard computes every area: each is ticked as it is done
    assert not at.exception, [e.value for e in at.exception]
    assert sent[0]["3. Generalization"] == TODO  # drawn before the run ...
    last = sent[-1]  # ... and after it: every area checked is ticked, the scorecard too
    assert all(last[name] == DONE for name in ("3. Generalization", "4. Scalability", "5. Explanations",
                                               "8. Scorecard")), last
    # this table has no sensitive column and no practice answers: those areas were not checked, so not ticked
    assert last["6. Fairness"] == TODO and last["7. Deployment practices"] == TODO
    ticked = [sum(icon == DONE for icon in icons.values()) for icons in sent]
    assert ticked == sorted(ticked) and len(set(ticked)) >= 4  # one area after another, as they finish


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_poppler_reads_page_one_and_the_footers(sample_assessment, own_pdf, tmp_path):
    """A second, independent reader (poppler) finds the summary on page 1 and the page count in the footers."""
    path = tmp_path / "card.pdf"
    path.write_bytes(own_pdf)
    total = len(PdfReader(io.BytesIO(own_pdf)).pages)
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert narrative.VERDICT_TEXT[sample_assessment.verdict].upper() in first
    assert f"Page 1 of {total}" in first and "What to fix first" in first
    last = subprocess.run(["pdftotext", "-f", str(total), "-l", str(total), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert f"Page {total} of {total}" in last and "Words used" in last
