"""Step 5: why does the model decide as it does?"""
import streamlit as st

from mlready import narrative
from mlready.explain import case_contributions
from ui.components import md_escape
from ui.pillar_view import next_button, show_pillar

ctx, result = show_pillar("interpretability", "Which facts drive the model's decisions, and in which direction? "
                          "Measured with SHAP values on cases the model never saw, then put into words.")
if result.assessed and result.data.get("global"):
    st.subheader("What drives the model, in words")
    for entry in list(result.data["global"])[:8]:
        st.markdown(f"- {md_escape(entry['sentence'])}")

    st.subheader("Explain a single case")
    explanation = ctx.explanation
    case = st.number_input(f"Case number (1 to {len(explanation.rows)} of the explained held-out rows)",
                           min_value=1, max_value=len(explanation.rows), value=1, step=1)
    row = int(case) - 1
    case_rows = explanation.rows.iloc[[row]]
    if ctx.task == "regression" or ctx.positive_class is not None:
        outcome = float(ctx.predict_outcome(ctx.model, case_rows)[0])
        st.markdown(md_escape(narrative.case_prediction(outcome, ctx.positive_class, ctx.target)))
    else:
        st.markdown(md_escape(narrative.case_prediction(str(ctx.model.predict(case_rows)[0]), None, ctx.target)))
    st.caption(narrative.SINGLE_CASE_NOTE)
    for column, value, contribution in case_contributions(explanation, row):
        st.markdown("- " + md_escape(narrative.case_sentence(column, value, contribution, ctx.positive_class,
                                                              ctx.target, explanation.signed)))
    with st.expander("This case's values"):
        st.dataframe(explanation.rows.iloc[[row]].T.rename(columns=lambda _: "value").astype(str))
next_button("interpretability")
