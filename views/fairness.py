"""Step 6: does the model treat groups alike, compared with what the data itself shows?"""
import pandas as pd
import streamlit as st

from mlready.narrative import fairness as words
from ui.components import md_escape
from ui.pillar_view import next_button, show_pillar

ctx, result = show_pillar("fairness", "Does the model give the favourable outcome as often, and is it right as often, "
                          "for every group of a sensitive attribute (sex, age, nationality…), compared with what "
                          "really happened to each group? Choose these columns and the favourable outcome on the "
                          "Upload step.")
label = result.data.get("positive_label")
for column, table in (result.data.get("groups") or {}).items():
    st.subheader(f"Groups of {md_escape(column)}", anchor=False)
    st.dataframe(pd.DataFrame(words.group_rows(table, result.data.get("task", ctx.task), label)), hide_index=True)
if result.data.get("groups") and result.data.get("task", ctx.task) == "classification" and label:
    st.caption(md_escape(words.GROUP_TABLE_NOTE))
next_button("fairness")
