"""Step 7: the verdict, the scores, what to fix first, and the downloads."""
import streamlit as st

from mlready import assessment_from_context, narrative
from mlready.findings import PILLAR_TITLES, PILLARS
from mlready.scoring import pillar_status
from ui.components import md_escape, require_context, status_badge
from ui.navigation import refresh_ticks
from ui.pillar_view import run_with_progress, scorecard_pdf, scorecard_png
from ui.state import PILLAR_PAGES, current_spec, mark_done


st.title("Scorecard")
ctx = require_context()
key = current_spec().key()
progress = st.empty()  # the areas' progress while they are computed, cleared once all are done
with progress.container():
    for pillar in PILLARS:  # each area checked here is a step done: its tick shows at once
        if run_with_progress(ctx, pillar).assessed:
            mark_done(pillar)
            refresh_ticks()
progress.empty()
cached = st.session_state.get("assessment")
if cached is None or cached[0] != key:
    cached = (key, assessment_from_context(ctx, practices=dict(current_spec().practices)))  # answers: per session
    st.session_state["assessment"] = cached
assessment = cached[1]
mark_done("scorecard")
refresh_ticks()

if assessment.inputs["model"]["source"] == "reference":  # said first: the verdict speaks of the data
    st.info(narrative.REFERENCE_SCORECARD_NOTE)
colour = {"ready": "green", "ready_with_caveats": "orange", "not_ready": "red"}[assessment.verdict]
st.markdown(f"## :{colour}[{narrative.VERDICT_TEXT[assessment.verdict]}]")
st.metric("Overall score", f"{assessment.score} / 100")
st.markdown(assessment.verdict_sentence)

st.subheader("Score per area", anchor=False)
scores = assessment.pillar_scores
statuses = {p: pillar_status(assessment.pillars[p]) for p in PILLARS}
for pillar in PILLARS:  # one card per area: name, score and status on a line that wraps, the summary below
    with st.container(border=True):
        row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
        row.page_link(PILLAR_PAGES[pillar], label=f"**{PILLAR_TITLES[pillar]}**", icon=":material/arrow_forward:")
        row.markdown("not checked" if scores[pillar] is None else f"**{scores[pillar]}** / 100", width="content")
        row.markdown(status_badge(statuses[pillar]), width="content")
        st.markdown(md_escape(assessment.pillar_summary(pillar)))
st.image(scorecard_png(tuple(scores.items()), tuple(statuses.items())))
st.caption(narrative.SCORING_RULE)

st.subheader("What to do first", anchor=False)
actions = assessment.top_actions()
if not actions:
    st.success(narrative.NOTHING_URGENT)
for number, finding in enumerate(actions, 1):
    st.markdown(f"{number}. **{md_escape(finding.title)}**: {md_escape(finding.action)}")


downloads = st.container(horizontal=True)  # side by side when they fit, one under the other when not
downloads.download_button("Download PDF scorecard", scorecard_pdf(assessment),
                          file_name="mlready-scorecard.pdf", mime="application/pdf", type="primary",
                          icon=":material/picture_as_pdf:")
downloads.download_button("Download JSON", assessment.to_json(), file_name="mlready-assessment.json",
                          mime="application/json", icon=":material/data_object:")
