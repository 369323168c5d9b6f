"""Step 6: does the model treat groups alike?"""
import pandas as pd
import streamlit as st

from ui.components import md_escape
from ui.pillar_view import next_button, show_pillar

ctx, result = show_pillar("fairness", "Is the model right as often, and does it give the outcome of interest as often, for every "
                          "group of a sensitive attribute (sex, age, nationality…)? Choose these columns on the Upload "
                          "step.")
for column, table in (result.data.get("groups") or {}).items():
    st.subheader(f"Groups of {md_escape(column)}", anchor=False)
    frame = pd.DataFrame(table).drop(columns=["positives"], errors="ignore")
    for share in ("accuracy", "positive_rate"):
        if share in frame:
            frame[share] = (frame[share] * 100).round(1)
    positive = result.data.get("positive_label")
    frame = frame.rename(columns={"accuracy": "right (%)",
                                  "positive_rate": f"predicted '{positive}' (%)" if positive else "predicted positive (%)",
                                  "mean_error": "average error", "mean_prediction": "average prediction"})
    st.dataframe(frame, hide_index=True)
next_button("fairness")
