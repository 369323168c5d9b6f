"""Streamlit helpers shared by the wizard's pages (the core in mlready/ never imports streamlit)."""
