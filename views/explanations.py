"""Step 5: why does the model decide as it does?"""
import streamlit as st

from mlready import narrative
from mlready.explain import case_contributions
from ui.components import md_escape
from ui.pillar_view import explained_decision, next_button, show_pillar

ctx, result = show_pillar("interpretability", "Which facts drive the model's decisions, and in which direction? "
                          "Measured on cases the model never saw, by sharing each prediction out among the columns "
                          "(SHAP values, see the glossary), then put into words.")
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


# ----- one decision, as a regulator would want it: reasons and what would change it (mlready.counterfactual) -----
if result.assessed and result.data.get("global"):
    from mlready.counterfactual import COUNTERFACTUAL_METHOD_NOTE, case_labels, fixed_columns, identifier_column
    from ui.state import current_spec

    st.subheader("One decision: its reasons, and what would change it")
    st.caption("For one case, the main reasons behind the model's answer (the way a notice of a refused application "
               "lists them), and the smallest realistic change that would turn the decision around.")
    id_column = identifier_column(ctx)
    chosen = st.selectbox(f"Case, by its '{md_escape(id_column)}'" if id_column else
                          "Case (the data has no identifier column, so held-out cases are numbered)",
                          case_labels(ctx), key="decision_case")
    always_fixed = fixed_columns(ctx.features, ctx.sensitive, ctx.column_types)
    changeable = [c for c in ctx.model_features if c not in always_fixed]
    marked = st.multiselect("Columns that cannot change for this case (sensitive and identifying columns never do)",
                            changeable, key="decision_fixed")
    decision = explained_decision(current_spec().context_key(), chosen, tuple(marked), ctx)
    st.markdown(md_escape(decision.prediction))
    if decision.reasons:
        st.markdown("**Principal reasons**")
        for reason in decision.reasons:
            st.markdown(md_escape(reason))
    if decision.counterfactual:
        st.markdown("**What would change it**")
        st.markdown(md_escape(decision.counterfactual))
        st.caption(md_escape(COUNTERFACTUAL_METHOD_NOTE + " Never changed here: "
                             + (", ".join(decision.fixed) if decision.fixed else "no column") + "."))
    if result.data.get("direction_sentences"):
        st.subheader("Direction of effects")
        for sentence in result.data["direction_sentences"]:
            st.markdown("- " + md_escape(sentence))
next_button("interpretability")
