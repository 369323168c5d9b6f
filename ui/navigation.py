"""The wizard's pages in order, with the sidebar showing which steps are done."""
from __future__ import annotations

import streamlit as st

from mlready.findings import PILLAR_TITLES

from .state import PILLAR_PAGES, SCORECARD_PAGE, UPLOAD_PAGE, current_spec, done_steps, keep_place

DONE, TODO = ":material/check_circle:", ":material/radio_button_unchecked:"


def wizard_pages() -> dict[str, list]:
    """Pages grouped for st.navigation: start, then the steps in wizard order. First, a browser refresh finds the
    user's files and choices again (see ui.state.keep_place), and says so once."""
    keep_place()
    done = done_steps()
    steps = [st.Page(UPLOAD_PAGE, title="1. Upload", icon=DONE if current_spec() else TODO)]
    for number, (pillar, path) in enumerate(PILLAR_PAGES.items(), start=2):
        steps.append(st.Page(path, title=f"{number}. {PILLAR_TITLES[pillar]}", icon=DONE if pillar in done else TODO))
    steps.append(st.Page(SCORECARD_PAGE, title=f"{len(PILLAR_PAGES) + 2}. Scorecard",
                         icon=DONE if "scorecard" in done else TODO))
    return {"": [st.Page("pages/welcome.py", title="Welcome", icon=":material/home:", default=True)],
            "Steps": steps, "Help": [st.Page("pages/glossary.py", title="Glossary", icon=":material/menu_book:")]}
