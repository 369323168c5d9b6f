"""Step 2: is the data fit to learn from?"""
import streamlit as st

from ui.components import profile_rows
from ui.pillar_view import next_button, profile_report, show_pillar
from ui.state import current_spec

ctx, result = show_pillar("data_quality", "Is the data complete, consistent and honest? We look for gaps, "
                          "repeats, useless or odd columns, rare outcomes, columns that give the answer away, "
                          "and changes in recent data.")


if result.assessed and result.data.get("profile_columns"):
    st.subheader("Column profile", anchor=False)
    types = result.data.get("column_types", {})
    st.dataframe(
        profile_rows(result.data["profile_columns"], types, ctx.frame),
        column_config={"distribution": st.column_config.BarChartColumn(
            "distribution", help="A histogram for numbers; the most common values for labels")},
        hide_index=True, width="stretch")
    st.caption("Statistics from fg-data-profiling; types as mlready reads them (correct them on the Upload step). "
               "The full report is a separate file that opens in your browser, never inside this app.")
    if st.toggle("Prepare the full profile report (HTML)"):
        frame = ctx.sample_rows(ctx.frame, ctx.settings.profile_max_rows)
        st.download_button("Download the full profile report",
                           profile_report(current_spec().key(), frame, ctx.settings.profile_full_max_cells),
                           file_name="mlready-profile.html", mime="text/html", icon=":material/download:")
next_button("data_quality")
