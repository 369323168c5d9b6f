"""mlready's wizard: `streamlit run app.py`. Sets up the navigation; each page lives in pages/."""
import streamlit as st

from ui.navigation import run_wizard

st.set_page_config(page_title="mlready: is your model ready?", page_icon=":material/fact_check:", layout="wide")
run_wizard()
