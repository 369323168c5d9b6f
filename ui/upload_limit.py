"""A file over the upload limit, said in words on the page.

The browser refuses a file larger than `server.maxUploadSize` before it reaches the server, and Streamlit's file
picker then shows only a red "!" whose reason appears on hover. A small script watches the page's file pickers
(a file chosen or dropped) and, when a file is over the limit, tells the page, which says so in an error box.
The script reads file sizes only; it sends nothing but the file's name and size back to this app.
"""
from __future__ import annotations

import streamlit as st

from mlready.loading import MAX_UPLOAD_BYTES

from .components import md_escape

STATE_KEY = "upload_too_large"
_WATCH_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  window.__mlreadyUploadLimit = data.limit_bytes;
  if (window.__mlreadyUploadWatch) {
    window.__mlreadyUploadWatch.report = setTriggerValue;
    return;
  }
  const watch = (window.__mlreadyUploadWatch = { report: setTriggerValue });
  const check = (files) => {
    for (const file of Array.from(files || [])) {
      if (file.size > window.__mlreadyUploadLimit) {
        watch.report("too_large", { name: file.name, size: file.size, at: Date.now() });
        return;
      }
    }
  };
  document.addEventListener("change", (event) => {
    if (event.target && event.target.type === "file") check(event.target.files);
  }, true);
  document.addEventListener("drop", (event) => check(event.dataTransfer && event.dataTransfer.files), true);
}
"""


def limit_bytes() -> int:
    """The largest file the app accepts: the smaller of Streamlit's upload limit and mlready's reader limit."""
    return min(int(st.get_option("server.maxUploadSize")) * 2**20, MAX_UPLOAD_BYTES)


@st.cache_resource(show_spinner=False)
def _watcher():
    return st.components.v2.component("mlready_upload_limit_watch", js=_WATCH_JS)


def watch() -> None:
    """Mount the watcher; remember a refused file until the next file arrives."""
    result = _watcher()(key="upload_limit_watch", data={"limit_bytes": limit_bytes()},
                        on_too_large_change=lambda: None)
    refused = getattr(result, "too_large", None)
    if refused:
        st.session_state[STATE_KEY] = {"name": str(refused.get("name", "")), "size": int(refused.get("size", 0))}


def message(name: str, size: int, limit: int) -> str:
    """The sentence for a file that was too large."""
    return (f"'{name}' is {size / 2**20:,.0f} MB, more than the {limit / 2**20:,.0f} MB this app accepts, so it "
            "was not uploaded. Upload a smaller file: a random sample of the rows, or fewer columns.")


def show_refusal(uploaded: list[str]) -> None:
    """The error box for the last refused file, until the files in the pickers change (`uploaded`: their names)."""
    refused = st.session_state.get(STATE_KEY)
    if refused is None:
        return
    names = sorted(uploaded)
    if "uploads" not in refused:
        refused["uploads"] = names
    elif refused["uploads"] != names:
        st.session_state.pop(STATE_KEY, None)
        return
    st.error(md_escape(message(refused["name"], refused["size"], limit_bytes())), icon=":material/block:")
