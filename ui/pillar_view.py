"""The shared body of a pillar page: run its checks with progress, then show score, findings, charts."""
from __future__ import annotations

import threading
from typing import Callable

import streamlit as st

from mlready import narrative
from mlready.findings import PILLAR_TITLES, PILLARS, PillarResult
from mlready.narrative import pillar_sentences
from mlready.narrative.scalability import timing_caption
from mlready.runner import run_pillar
from mlready.scoring import pillar_score, pillar_status

from .components import chart_pngs, findings_list, md_escape, next_step, require_context, status_badge
from .state import PILLAR_PAGES, SCORECARD_PAGE, TIMED_PILLARS, current_spec, mark_done, measured_here


GLOSSARY_PAGE = "views/glossary.py"


def run_with_progress(ctx, pillar: str) -> PillarResult:
    """The pillar's result; computed here with a progress display that moves the first time.

    Timed pillars (scalability) are measured again for each session: a timing taken while someone else's work
    slowed the machine must not be handed to every later visitor (`measure_again` forces a new measurement)."""
    timed = pillar in TIMED_PILLARS
    measured = measured_here()
    key = current_spec().key()
    if pillar in ctx.results and (not timed or key in measured):
        return ctx.results[pillar]
    with st.status(f"Checking {PILLAR_TITLES[pillar].lower()}…", expanded=True) as status:
        bar = st.progress(0.0)
        shown = {"step": None, "fraction": -1.0}

        def progress(step: str, fraction: float) -> None:
            fraction = min(max(fraction, 0.0), 1.0)
            if step != shown["step"] or fraction - shown["fraction"] >= 0.01:  # no flood of tiny updates
                shown.update(step=step, fraction=fraction)
                bar.progress(fraction, text=step)

        result = run_pillar(ctx, pillar, progress, again=timed)
        status.update(label=f"{PILLAR_TITLES[pillar]}: checks done", state="complete", expanded=False)
    if timed:
        measured.add(key)
    return result


def measure_again(pillar: str) -> None:
    """Forget this session's timing of the current inputs, so that the next run measures again."""
    spec = current_spec()
    if spec is not None and pillar in TIMED_PILLARS:
        measured_here().discard(spec.key())
        st.session_state.pop("assessment", None)  # the scorecard is assembled again with the new timings


def show_pillar(pillar: str, intro: str) -> tuple[object, PillarResult]:
    """Run and show one pillar; returns the context and result for page-specific extras."""
    st.title(PILLAR_TITLES[pillar])
    st.caption(intro)
    ctx = require_context()
    result = run_with_progress(ctx, pillar)
    mark_done(pillar)
    if not result.assessed:
        st.info(narrative.not_assessed(result.not_assessed_reason or "") + " " + narrative.NOT_CHECKED_NOTE)
        glossary_link()
        return ctx, result
    score = pillar_score(result.findings)
    row = st.container(horizontal=True, gap="large")  # wraps on a narrow screen instead of cutting the score
    row.metric("Score", f"{score} / 100", width="content", help=narrative.PILLAR_SCORE_RULE)
    right = row.container(width="stretch")
    right.markdown(status_badge(pillar_status(result)))
    right.markdown(md_escape(narrative.pillar_summary(pillar, result.findings,
                                                      narrative.pillar_headline(pillar, result))))
    if ctx.model_source == "reference" and pillar != "data_quality":
        st.caption(md_escape(narrative.model_note(ctx.model_source, ctx.model_kind, ctx.model_problem)))
    for sentence in pillar_sentences(result):
        st.markdown(md_escape(sentence))
    findings_list(result.findings, "No problems found in this area.")
    if pillar in TIMED_PILLARS:
        _timing_line(pillar, result)
    measured_at = str(result.data.get("timing_measured_at", ""))  # timed charts are drawn again for each measurement
    for png in chart_pngs(current_spec().key() + measured_at, pillar, result.data):
        st.image(png)  # at its drawn size: charts are drawn for the page and the PDF alike
    if result.notes:
        with st.expander("How this was checked"):
            st.caption("These notes keep the exact technical terms; the glossary explains each of them.")
            for note in result.notes:
                st.markdown("- " + md_escape(note))
    glossary_link()
    return ctx, result


def glossary_link() -> None:
    """The link to the glossary of the technical terms the notes and the evidence use."""
    st.page_link(GLOSSARY_PAGE, label="Glossary: what the technical terms mean", icon=":material/menu_book:")


def _timing_line(pillar: str, result: PillarResult) -> None:
    """When and on how busy a machine the timings were taken, and a way to measure again."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    if "timing_measured_at" in result.data:
        load, cores = result.data.get("timing_load"), int(result.data.get("timing_cores", 1))
        left.caption(md_escape(timing_caption(str(result.data["timing_measured_at"]), load, cores)))
    if right.button("Measure again", key=f"measure_again_{pillar}", icon=":material/refresh:"):
        measure_again(pillar)
        st.rerun()


def next_button(pillar: str) -> None:
    """The button to the step after this pillar."""
    position = PILLARS.index(pillar)
    if position + 1 < len(PILLARS):
        following = PILLARS[position + 1]
        next_step(f"Next: {PILLAR_TITLES[following]}", PILLAR_PAGES[following])
    else:
        next_step("Next: Scorecard", SCORECARD_PAGE)


# Cached helpers the pages use. They live here, not in the page scripts: a function cached by Streamlit is kept for
# the life of the server, and a function defined in a page keeps that page's variables (its assessment context,
# with the user's whole table) alive with it, long after the session ended.
@st.cache_data(max_entries=4, show_spinner="Building the full profile report…")
def profile_report(key: str, _frame, full_max_cells: int) -> bytes:
    """The full HTML profile report of a table, built once per inputs."""
    from mlready.profiling import profile_html

    return profile_html(_frame, full_max_cells).encode("utf-8")


@st.cache_data(max_entries=16, show_spinner=False)
def scorecard_png(scores: tuple, statuses: tuple) -> bytes:
    """The scorecard chart for these scores and statuses."""
    from mlready.charts import scorecard_chart, to_png

    return to_png(scorecard_chart(dict(scores), dict(statuses)))


def scorecard_pdf(assessment) -> Callable[[], bytes]:
    """The PDF scorecard of an assessment, for a download button: written when the user clicks it (Streamlit runs
    it on a thread of its own), not each time the scorecard page is shown (2-5 s, a tenth of the sample's whole
    assessment); written once however often it is clicked."""
    written: list[bytes] = []
    lock = threading.Lock()

    def write() -> bytes:
        with lock:
            if not written:
                written.append(assessment.to_pdf())
            return written[0]

    return write


@st.cache_data(max_entries=32, show_spinner="Looking for the smallest change that turns this decision…")
def explained_decision(key: str, case: str, fixed: tuple, _ctx):
    """One decision's reasons and the smallest change that turns it around (mlready.counterfactual), once per inputs,
    case and fixed columns."""
    from mlready.counterfactual import explain_decision

    return explain_decision(_ctx, case, fixed)
