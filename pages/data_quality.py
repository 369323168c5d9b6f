"""Step 2: is the data fit to learn from?"""
import streamlit as st

from mlready.profiling import profile_html
from ui.pillar_view import next_button, show_pillar
from ui.state import current_spec

ctx, result = show_pillar("data_quality", "Is the data complete, consistent and honest? We look for gaps, "
                          "repeats, useless columns, rare outcomes and columns that give the answer away.")


@st.cache_data(max_entries=4, show_spinner="Building the full profile report…")
def _profile_report(key: str, _frame) -> bytes:
    return profile_html(_frame, ctx.settings.profile_full_max_cells).encode("utf-8")


if result.assessed and result.data.get("profile_columns"):
    st.subheader("Column profile")
    st.dataframe(
        [{"column": c["column"], "type": c["type"], "missing %": round(c["missing_share"] * 100, 1),
          "distinct": c["distinct"], "min": c["min"], "median": c["median"], "max": c["max"]}
         for c in result.data["profile_columns"]],
        hide_index=True, width="stretch")
    st.caption("Computed with fg-data-profiling. The full report opens in your browser as a separate file.")
    if st.toggle("Prepare the full profile report (HTML)"):
        frame = ctx.sample_rows(ctx.frame, ctx.settings.profile_max_rows)
        st.download_button("Download the full profile report", _profile_report(current_spec().key(), frame),
                           file_name="mlready-profile.html", mime="text/html", icon=":material/download:")
next_button("data_quality")
