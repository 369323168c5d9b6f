"""mlready's wizard: `streamlit run app.py`. Sets up the navigation; each page lives in views/.

Not in a folder named pages/: Streamlit lists such a folder itself (its automatic menu) when a page's own address is
the first one a fresh server is asked for, before this script has declared the navigation."""
import streamlit as st

from ui.navigation import run_wizard

st.set_page_config(page_title="mlready: is your model ready?", page_icon=":material/fact_check:", layout="wide")
run_wizard()
