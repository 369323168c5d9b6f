"""Small building blocks every page uses: safe text, finding cards, navigation."""
from __future__ import annotations

import re

import streamlit as st

from mlready import InputError
from mlready.charts import pillar_pngs
from mlready.context import AssessmentContext
from mlready.findings import Finding, Severity
from mlready.narrative import numbers
from mlready.narrative.evidence import labelled_evidence

from .state import UPLOAD_PAGE, Spec, context_for, current_spec

SEVERITY_STYLE = {
    Severity.CRITICAL: (":material/dangerous:", "red", "Critical"),
    Severity.WARNING: (":material/warning:", "orange", "Warning"),
    Severity.INFO: (":material/info:", "blue", "Information"),
}
STATUS_STYLE = {"pass": ("green", "Pass"), "warn": ("orange", "Warning"), "fail": ("red", "Fail"),
                "not_assessed": ("gray", "Not checked")}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
_SHORTCODE_START = re.compile(r"(?<=\\):(?=[A-Za-z])")


def md_escape(text: object) -> str:
    """User-provided text made inert for st.markdown: no links, images, HTML, formatting or maths."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
    # Streamlit draws ':material/home:' as an icon and ':red[...]' in colour even with the colon escaped: an
    # invisible space after a colon that starts a word keeps them text
    return _SHORTCODE_START.sub(":\u200b", escaped)


def require_spec() -> Spec:
    """The current inputs; without them, tell the user to upload first and stop the page."""
    spec = current_spec()
    if spec is None:
        st.info("No data yet. Upload your data (or try the sample) first.")
        st.page_link(UPLOAD_PAGE, label="Go to Upload", icon=":material/upload:")
        st.stop()
    return spec


def require_context() -> AssessmentContext:
    """The assessment context for the current inputs; a plain error (and a way back) if they are wrong."""
    spec = require_spec()
    try:
        return context_for(spec)
    except InputError as error:
        st.error(md_escape(error))
        st.page_link(UPLOAD_PAGE, label="Back to Upload", icon=":material/upload:")
        st.stop()


def finding_card(finding: Finding) -> None:
    """A finding as a card: severity, title, meaning, action, and the evidence numbers on request."""
    icon, colour, word = SEVERITY_STYLE[finding.severity]
    with st.container(border=True):
        st.markdown(f":{colour}-badge[{icon} {word}] **{md_escape(finding.title)}**")
        st.markdown(md_escape(finding.message))
        st.markdown(f"**What to do:** {md_escape(finding.action)}")
        if finding.evidence or finding.columns:
            with st.expander("Evidence"):
                if finding.columns:
                    st.text("Columns: " + ", ".join(finding.columns))
                rows = labelled_evidence(finding)
                st.dataframe({"measure": [label for label, _ in rows], "value": [value for _, value in rows]},
                             hide_index=True)


NO_VALUE = "–"  # a statistic that does not apply (the median of labels), never "None"


def profile_rows(profile_columns, types: dict, frame=None) -> list[dict]:
    """The data profile as table rows a person reads: missing as a percentage, counts with separators, numbers
    rounded; a statistic the profiler left out for a column mlready reads as numbers is computed from `frame`, and
    one that does not apply (labels have no median) is a dash."""
    import pandas as pd

    rows = []
    for c in profile_columns:
        kind = types.get(c["column"], c["type"])
        stats = {name: c.get(name) for name in ("min", "median", "max")}
        if any(v is None for v in stats.values()) and frame is not None and c["column"] in frame.columns \
                and str(kind).lower() in ("number", "numeric"):
            values = pd.to_numeric(frame[c["column"]], errors="coerce").dropna()
            if len(values):
                stats = {"min": values.min(), "median": values.median(), "max": values.max()}
        rows.append({"column": c["column"], "type": kind, "missing": numbers.percent(c["missing_share"]),
                     "distinct": numbers.count(c["distinct"]),
                     **{name: NO_VALUE if value is None else numbers.number(value) for name, value in stats.items()},
                     "distribution": c.get("distribution", [])})
    return rows


def status_badge(status: str) -> str:
    colour, word = STATUS_STYLE[status]
    return f":{colour}-badge[{word}]"


@st.cache_data(max_entries=64, show_spinner=False)
def chart_pngs(key: str, pillar: str, _data) -> list[bytes]:
    """The pillar's charts, drawn once per inputs (the PDF draws the same ones)."""
    return pillar_pngs(pillar, _data)


def next_step(label: str, page: str) -> None:
    """The button that leads to the next step of the wizard."""
    st.divider()
    if st.button(label, type="primary", icon=":material/arrow_forward:"):
        st.switch_page(page)


def findings_list(findings, all_clear: str) -> None:
    """The findings of one area as cards, the most serious first; `all_clear` when there are none."""
    from mlready.scoring import ranked_findings

    ranked = ranked_findings(findings)
    if not ranked:
        st.success(all_clear)
        return
    st.subheader("What we found")
    for finding in ranked:
        finding_card(finding)
