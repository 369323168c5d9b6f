"""Upload-page widgets: file pickers with sheet choice, column-type corrections, threshold overrides."""
from __future__ import annotations

from dataclasses import fields

import pandas as pd
import streamlit as st

from mlready import InputError, Thresholds
from mlready.column_types import COLUMN_TYPES, TYPE_MEANING, infer_column_types
from mlready.config import threshold_help
from mlready.loading import excel_sheets

from .components import md_escape
from .state import Source


def file_source(label: str, types: list[str], key: str, help_text: str) -> Source | None:
    """An uploaded file as a Source; for a workbook with several sheets, the user picks one."""
    uploaded = st.file_uploader(label, type=types, key=key, help=help_text)
    if uploaded is None:
        return None
    raw = uploaded.getvalue()
    sheet = None
    if uploaded.name.lower().endswith(".xlsx"):
        try:
            sheets = excel_sheets(raw, uploaded.name)
        except InputError as error:
            st.error(md_escape(error))
            return None
        if len(sheets) > 1:
            sheet = st.selectbox(f"Sheet of {md_escape(uploaded.name)}", sheets, key=f"{key}_sheet")
    return Source.of(uploaded.name, raw, sheet)


@st.cache_data(max_entries=16, show_spinner=False)
def _inferred_types(data_key: str, seed: int, sample_rows: int, _frame: pd.DataFrame) -> dict[str, str]:
    sample = _frame if len(_frame) <= sample_rows else _frame.sample(sample_rows, random_state=seed)
    return infer_column_types(sample)


def column_types(frame: pd.DataFrame, data_key: str, seed: int, sample_rows: int) -> tuple[tuple[str, str], ...]:
    """Show the inferred column types and let the user correct them; returns the types when any was corrected."""
    inferred = _inferred_types(data_key, seed, sample_rows, frame)
    corrections = st.session_state.setdefault("type_corrections", {}).setdefault(data_key, {})
    current = {**inferred, **corrections}
    with st.expander("Column types (what each column holds)", expanded=bool(corrections)):
        st.dataframe(pd.DataFrame({"column": list(current), "type": list(current.values()),
                                   "inferred": [inferred[c] for c in current]}), hide_index=True)
        left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
        column = left.selectbox("Correct the type of", list(frame.columns), key="type_column")
        kind = middle.selectbox("Type", COLUMN_TYPES, index=COLUMN_TYPES.index(current[column]), key=f"type_of_{column}",
                                help="; ".join(f"{k}: {v}" for k, v in TYPE_MEANING.items()))
        if right.button("Apply", key="apply_type"):
            corrections[column] = kind
            st.rerun()
        if corrections:
            st.caption(md_escape("Corrected: " + ", ".join(f"{c} → {t}" for c, t in corrections.items())))
    return tuple(sorted(current.items())) if corrections else ()


def threshold_overrides() -> tuple[tuple[str, float], ...]:
    """Let the user change any threshold; returns the changed ones."""
    changed = st.session_state.setdefault("threshold_overrides", {})
    defaults = Thresholds()
    names = [f.name for f in fields(Thresholds)]
    st.markdown("**Thresholds** (when a check speaks up)")
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    name = left.selectbox("Threshold", names, key="threshold_name", help="Every threshold is explained in mlready/config.py.")
    value = right.number_input("Value", value=float(changed.get(name, getattr(defaults, name))), key=f"threshold_{name}")
    st.caption(md_escape(f"{name}: {threshold_help(name)} (default {getattr(defaults, name)})."))
    if value != float(changed.get(name, getattr(defaults, name))):
        changed[name] = value
    if changed:
        st.caption(md_escape("Changed: " + ", ".join(f"{k} = {v:g}" for k, v in changed.items())))
        if st.button("Reset thresholds", key="reset_thresholds"):
            changed.clear()
            st.rerun()
    return tuple(sorted(changed.items()))
