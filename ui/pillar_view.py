"""The shared body of a pillar page: run its checks with progress, then show score, findings, charts."""
from __future__ import annotations

import streamlit as st

from mlready import narrative
from mlready.findings import PILLAR_TITLES, PILLARS, PillarResult
from mlready.narrative import pillar_sentences
from mlready.runner import run_pillar
from mlready.scoring import pillar_score, pillar_status, ranked_findings

from .components import chart_pngs, finding_card, md_escape, next_step, require_context, status_badge
from .state import PILLAR_PAGES, SCORECARD_PAGE, current_spec, mark_done


def run_with_progress(ctx, pillar: str) -> PillarResult:
    """The pillar's result; computed here with a visible progress display the first time."""
    if pillar in ctx.results:
        return ctx.results[pillar]
    with st.status(f"Checking {PILLAR_TITLES[pillar].lower()}…", expanded=True) as status:
        bar = st.progress(0.0)
        result = run_pillar(ctx, pillar, lambda step, fraction: bar.progress(min(fraction, 1.0), text=step))
        status.update(label=f"{PILLAR_TITLES[pillar]}: checks done", state="complete", expanded=False)
    return result


def show_pillar(pillar: str, intro: str) -> tuple[object, PillarResult]:
    """Run and show one pillar; returns the context and result for page-specific extras."""
    st.title(PILLAR_TITLES[pillar])
    st.caption(intro)
    ctx = require_context()
    result = run_with_progress(ctx, pillar)
    mark_done(pillar)
    if not result.assessed:
        st.info(narrative.not_assessed(result.not_assessed_reason or "") + " " + narrative.NOT_CHECKED_NOTE)
        return ctx, result
    score = pillar_score(result.findings)
    left, right = st.columns([1, 3])
    left.metric("Score", f"{score} / 100")
    right.markdown(status_badge(pillar_status(result)))
    right.markdown(md_escape(narrative.pillar_summary(pillar, result.findings,
                                                      narrative.pillar_headline(pillar, result))))
    if ctx.model_source == "reference" and pillar != "data_quality":
        st.caption(md_escape(narrative.model_note(ctx.model_source, ctx.model_kind, ctx.model_problem)))
    for sentence in pillar_sentences(result):
        st.markdown(md_escape(sentence))
    findings = ranked_findings(result.findings)
    if findings:
        st.subheader("What we found")
        for finding in findings:
            finding_card(finding)
    else:
        st.success("No problems found in this area.")
    for png in chart_pngs(current_spec().key(), pillar, result.data):
        st.image(png)  # at its drawn size: charts are drawn for the page and the PDF alike
    if result.notes:
        with st.expander("How this was checked"):
            for note in result.notes:
                st.markdown("- " + md_escape(note))
    return ctx, result


def next_button(pillar: str) -> None:
    """The button to the step after this pillar."""
    position = PILLARS.index(pillar)
    if position + 1 < len(PILLARS):
        following = PILLARS[position + 1]
        next_step(f"Next: {PILLAR_TITLES[following]}", PILLAR_PAGES[following])
    else:
        next_step("Next: Scorecard", SCORECARD_PAGE)
