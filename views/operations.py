"""Step 7: how will the model be run? A few yes / no / not sure questions on deployment practices."""
from dataclasses import replace

import streamlit as st

from mlready import narrative
from mlready.checks.operations import pillar_result
from mlready.findings import PILLAR_TITLES
from mlready.practices import PRACTICES
from mlready.scoring import pillar_score, pillar_status
from ui.components import findings_list, md_escape, next_step, require_context, status_badge
from ui.state import SCORECARD_PAGE, current_spec, mark_done

CHOICES = {"yes": "yes", "no": "no", "not sure": "unsure"}
SHOWN = {v: k for k, v in CHOICES.items()}

st.title(PILLAR_TITLES["operations"])
st.caption("Many models fail in production not because of the model but because of how it is run. Answer for the "
           "team that will run this one: each 'no' or 'not sure' becomes a finding with what to do. mlready takes "
           "the answers as given; it cannot check them.")
ctx = require_context()
saved = dict(current_spec().practices)

with st.form("practices"):
    picked = {}
    for practice in PRACTICES:
        previous = SHOWN.get(saved.get(practice.id))
        picked[practice.id] = st.radio(practice.question, list(CHOICES), horizontal=True, key=f"practice_{practice.id}",
                                       index=list(CHOICES).index(previous) if previous else None)
    submitted = st.form_submit_button("Save the answers", type="primary", icon=":material/save:")
if submitted:
    answers = {question: CHOICES[choice] for question, choice in picked.items() if choice is not None}
    st.session_state["spec"] = replace(current_spec(), practices=tuple(answers.items()))
    saved = answers
    if answers:
        mark_done("operations")

result = pillar_result(saved, bool(ctx.sensitive))
if not result.assessed:
    st.info(narrative.not_assessed(result.not_assessed_reason or "") + " " + narrative.NOT_CHECKED_NOTE)
else:
    row = st.container(horizontal=True, gap="large")  # wraps on a narrow screen instead of cutting the score
    row.metric("Score", f"{pillar_score(result.findings)} / 100", width="content", help=narrative.PILLAR_SCORE_RULE)
    right = row.container(width="stretch")
    right.markdown(status_badge(pillar_status(result)))
    in_place = int(result.metrics["practices_in_place"])
    right.markdown(md_escape(narrative.pillar_summary(
        "operations", result.findings, f"{in_place} of {len(PRACTICES)} practices confirmed")))
    findings_list(result.findings, "Every practice asked about is in place.")
    with st.expander("How this was checked"):
        for note in result.notes:
            st.markdown("- " + md_escape(note))
next_step("Next: Scorecard", SCORECARD_PAGE)
