"""The glossary: the exact terms of the "How this was checked" notes and the PDF, in plain words."""
import streamlit as st

from mlready.narrative import GLOSSARY
from ui.components import md_escape

st.title("Glossary")
st.caption("The findings are written in plain words. The notes on how each area was checked keep the exact "
           "terms a specialist uses, so that the method can be verified; this page explains each of them.")
for term, meaning in GLOSSARY:
    st.markdown(f"**{md_escape(term)}**: {md_escape(meaning)}")
