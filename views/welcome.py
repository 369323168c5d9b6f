"""Welcome: what mlready does, and the one-click sample."""
import streamlit as st

from ui.state import UPLOAD_PAGE, sample_spec, set_spec

st.title("Is your model ready for production?")
st.markdown(
    "mlready checks a machine-learning model and the data behind it, the way a careful reviewer would. "
    "It looks at data quality, whether the model works on new cases, speed, explanations and fairness. "
    "You get a plain-language verdict, a score per area and what to fix first, as a PDF for your board."
)
left, right = st.columns(2)
if left.button("Try it with sample data", type="primary", icon=":material/play_arrow:"):
    set_spec(sample_spec())
    st.switch_page(UPLOAD_PAGE)
if right.button("Upload my own data", icon=":material/upload:"):
    st.switch_page(UPLOAD_PAGE)
st.caption("The sample is the UCI German credit data (1,000 loan applicants, CC BY 4.0) with a model trained on it. "
           "Nothing you upload leaves this machine.")
