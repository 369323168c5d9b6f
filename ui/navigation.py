"""The wizard's pages in order, with the sidebar showing which steps are done.

The sidebar is drawn by st.navigation before the page runs, so a step the page finishes would show its tick only
after the next click. `refresh_ticks` draws the sidebar again as soon as a step is done: `run_wizard` calls it after
the page, and the scorecard after each area it computes."""
from __future__ import annotations

import streamlit as st

from mlready.findings import PILLAR_TITLES

from .state import PILLAR_PAGES, SCORECARD_PAGE, UPLOAD_PAGE, current_spec, done_steps, keep_place

DONE, TODO = ":material/check_circle:", ":material/radio_button_unchecked:"
_DRAWN = "_ticks_drawn"  # the ticks the sidebar shows now (session state)


def _ticks() -> tuple[bool, frozenset[str]]:
    return current_spec() is not None, frozenset(done_steps())


def wizard_pages() -> dict[str, list]:
    """Pages grouped for st.navigation: start, then the steps in wizard order. First, a browser refresh finds the
    user's files and choices again (see ui.state.keep_place), and says so once."""
    keep_place()
    has_data, done = _ticks()
    st.session_state[_DRAWN] = (has_data, done)
    steps = [st.Page(UPLOAD_PAGE, title="1. Upload", icon=DONE if has_data else TODO)]
    for number, (pillar, path) in enumerate(PILLAR_PAGES.items(), start=2):
        steps.append(st.Page(path, title=f"{number}. {PILLAR_TITLES[pillar]}", icon=DONE if pillar in done else TODO))
    steps.append(st.Page(SCORECARD_PAGE, title=f"{len(PILLAR_PAGES) + 2}. Scorecard",
                         icon=DONE if "scorecard" in done else TODO))
    return {"": [st.Page("views/welcome.py", title="Welcome", icon=":material/home:", default=True)],
            "Steps": steps, "Help": [st.Page("views/glossary.py", title="Glossary", icon=":material/menu_book:")]}


def refresh_ticks() -> None:
    """Draw the sidebar again if a step was done since it was drawn (nothing to do otherwise).

    st.navigation may be called again during a run: it sends the sidebar anew for the same page. Called from inside
    a page, it would make the rest of the page count as the entry script's (st.navigation sets the running script
    back to the entry script), so the call is wrapped in a scope that restores the page's own afterwards."""
    if st.session_state.get(_DRAWN) == _ticks():
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    with ctx.run_with_active_hash(ctx.page_script_hash):  # the whole thread state is restored on leaving
        st.navigation(wizard_pages())


def run_wizard() -> None:
    """Run the page the user chose, then show the steps it finished as done at once."""
    page = st.navigation(wizard_pages())
    page.run()
    refresh_ticks()
