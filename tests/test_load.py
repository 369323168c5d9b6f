"""Many users at once, on a real server: `streamlit run app.py` on 127.0.0.1 only, driven by several sessions at once
over Streamlit's own websocket protocol (the messages a browser sends), each uploading a table of its own.

Bounded: SESSIONS sessions of ROWS-row tables, each through upload and the data-quality page; the caches expire
after a few seconds here (MLREADY_CACHE_TTL_S) so that the release of memory can be watched.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

websockets_sync = pytest.importorskip("websockets.sync.client")
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 10  # ten users at once, each with a table of its own
ROWS = 2_000
SECOND_WAVE = 2
CACHE_TTL_S = 2
WAIT_FOR_RELEASE_S = 90  # at most: on a busy machine, ten sessions take a while to be closed and dropped
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "MLREADY_CACHE_TTL_S": str(CACHE_TTL_S),
           "MLREADY_STATS_FILE": str(folder / "stats.json"), "MLREADY_STORE": str(folder / "store")}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.enableXsrfProtection", "false", "--server.disconnectedSessionTTL", "1"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + process.stderr.read().decode(errors="replace")[-2000:])
    yield {"base": base, "pid": process.pid, "stats": folder / "stats.json"}
    process.terminate()
    process.wait(timeout=20)


def _stats(server) -> dict:
    try:
        return json.loads(server["stats"].read_text())
    except (OSError, ValueError):
        return {}


class Browser:
    """One browser tab, as far as the server can tell: a websocket session that reruns pages with widget states."""

    def __init__(self, base: str, query: str = "") -> None:
        self.base, self.query = base, query
        self.ws = websockets_sync.connect(base.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                          max_size=2**26, open_timeout=60)
        self.session_id, self.pages, self.page, self.elements = "", {}, "", []
        self.widgets: dict[str, WidgetState] = {}
        self.run("")

    def close(self) -> None:
        self.ws.close()

    def _send(self, message: BackMsg) -> None:
        self.ws.send(message.SerializeToString())

    def _receive(self, timeout: float) -> ForwardMsg:
        message = ForwardMsg()
        message.ParseFromString(self.ws.recv(timeout=timeout))
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.session_id = message.new_session.initialize.session_id
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query = message.page_info_changed.query_string
        return message

    def run(self, page: str | None = None, click: str | None = None, timeout: float = 180) -> list:
        """Rerun a page (by its address, '' for the start page) and return its elements once the run finishes."""
        if page is not None:
            self.page = self.pages.get(page, "") if page else ""
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_script_hash = self.page
        states = list(self.widgets.values())
        if click is not None:
            states.append(WidgetState(id=click, trigger_value=True))
        message.rerun_script.widget_states.widgets.extend(states)
        self._send(message)
        elements, deadline = [], time.time() + timeout
        while True:
            forward = self._receive(max(0.1, deadline - time.time()))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                elements.append(forward.delta.new_element)
            elif kind == "script_finished":
                if forward.script_finished in FINISHED:
                    self.elements = elements
                    return elements
                elements = []  # stopped early for a rerun or a page switch: the next run follows

    def find(self, kind: str, label: str | None = None, key: str | None = None):
        for element in self.elements:
            if element.WhichOneof("type") == kind:
                widget = getattr(element, kind)
                if (label is None or widget.label == label) and (key is None or widget.id.endswith(f"-{key}")):
                    return widget
        raise LookupError(f"no {kind} {label or key} on the page")

    def texts(self) -> str:
        out = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind in ("markdown", "alert", "heading", "text"):
                out.append(getattr(element, kind).body)
        return "\n".join(out).replace("\\", "")

    def upload(self, key: str, name: str, raw: bytes) -> None:
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.append(name)
        self._send(request)
        while True:
            forward = self._receive(60)
            if forward.WhichOneof("type") == "file_urls_response":
                urls = forward.file_urls_response.file_urls[0]
                break
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode() + raw + f"\r\n--{boundary}--\r\n".encode()
        put = urllib.request.Request(self.base + urls.upload_url, data=body, method="PUT",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert urllib.request.urlopen(put, timeout=60).status in (200, 204)
        uploader = self.find("file_uploader", key=key)
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(raw)
        info.file_urls.CopyFrom(urls)
        self.widgets[uploader.id] = state
        self.run()


def _table(number: int, rows: int = ROWS) -> bytes:
    """A table of its own for each session: its columns carry the session's number, and one of them, gaps_<n>,
    is empty in 40% of the rows (a finding that names it)."""
    rng = np.random.default_rng(number)
    frame = pd.DataFrame({f"amount_{number}": rng.normal(100, 20, rows).round(2),
                          f"visits_{number}": rng.poisson(3, rows),
                          f"region_{number}": rng.choice(["north", "south", "east"], rows),
                          f"gaps_{number}": rng.normal(size=rows).round(3)})
    frame.loc[rng.random(rows) < 0.4, f"gaps_{number}"] = np.nan
    frame["outcome"] = np.where(rng.random(rows) < 0.3, "yes", "no")
    return frame.to_csv(index=False).encode()


def _assess(base: str, number: int, results: dict) -> None:
    started = time.time()
    try:
        browser = Browser(base)
        browser.run("upload")
        browser.upload("upload_data", f"table_{number}.csv", _table(number))
        start = browser.find("button", label="Start the checks")
        elements = browser.run(click=start.id)
        results[number] = {"texts": browser.texts(), "seconds": time.time() - started, "query": browser.query,
                           "titles": [e.heading.body for e in elements if e.WhichOneof("type") == "heading"]}
        browser.close()
    except Exception as error:  # noqa: BLE001 - reported by the test
        results[number] = {"error": repr(error)}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for_empty_caches(server, timeout: float) -> dict:
    deadline, stats = time.time() + timeout, {}
    while time.time() < deadline:
        stats = _stats(server)
        if stats.get("contexts", {}).get("entries") == 0 and stats.get("tables", {}).get("entries") == 0 \
                and stats.get("contexts_alive") == 0:
            break
        time.sleep(0.3)
    return stats


@pytest.fixture(scope="module")
def many_at_once(server):
    """SESSIONS sessions at once, each uploading its own table and opening its data-quality page, while another
    session keeps opening the welcome page; the server's memory and caches are watched throughout. One session
    runs first, alone, so that the libraries every session uses are loaded before memory is measured."""
    warm_up: dict[int, dict] = {}
    _assess(server["base"], 99, warm_up)
    assert "error" not in warm_up[99], warm_up
    _wait_for_empty_caches(server, WAIT_FOR_RELEASE_S)
    time.sleep(1)
    baseline, cpu = _rss(server["pid"]), _cpu_seconds(server["pid"])
    watcher = Browser(server["base"])
    results: dict[int, dict] = {}
    workers = [threading.Thread(target=_assess, args=(server["base"], n, results)) for n in range(SESSIONS)]
    for worker in workers:
        worker.start()
    welcome_seconds, peak, most_contexts = [], baseline, 0
    while any(worker.is_alive() for worker in workers):
        began = time.time()
        watcher.run("")
        welcome_seconds.append(time.time() - began)
        peak = max(peak, _rss(server["pid"]))
        most_contexts = max(most_contexts, _stats(server).get("contexts", {}).get("entries", 0))
        time.sleep(2)
    for worker in workers:
        worker.join()
    peak = max(peak, _rss(server["pid"]))
    watcher.close()
    cpu = _cpu_seconds(server["pid"]) - cpu
    stats = _wait_for_empty_caches(server, WAIT_FOR_RELEASE_S)
    time.sleep(1)  # the sessions' own state (uploaded bytes, charts) goes when Streamlit closes them
    after = _rss(server["pid"])
    # a second, smaller wave: memory the first left to the allocator is used again, not added to
    second: dict[int, dict] = {}
    workers = [threading.Thread(target=_assess, args=(server["base"], 100 + n, second)) for n in range(SECOND_WAVE)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    _wait_for_empty_caches(server, WAIT_FOR_RELEASE_S)
    time.sleep(1)
    return {"results": results, "welcome_seconds": welcome_seconds, "baseline": baseline, "peak": peak,
            "after": after, "after_second": _rss(server["pid"]), "stats_after": stats, "second": second,
            "most_contexts": most_contexts, "server_cpu_seconds": cpu}


def test_sessions_at_once_complete_and_stay_isolated(many_at_once):
    results = many_at_once["results"]
    assert len(results) == SESSIONS
    for number, result in results.items():
        assert "error" not in result, result
        assert "Data quality" in result["titles"]
        texts = result["texts"]
        assert f"gaps_{number}" in texts  # its own table's findings...
        others = [n for n in range(SESSIONS) if n != number and f"gaps_{n}" in texts]
        assert others == []  # ...and nobody else's
        assert "session=" in result["query"]  # the page address keeps the session, for a refresh


def test_a_busy_server_still_answers_a_light_page(many_at_once):
    """While the sessions compute, another session's welcome page keeps answering."""
    seconds = many_at_once["welcome_seconds"]
    assert seconds and max(seconds) < 30, seconds


def test_caches_stay_bounded_and_memory_is_released_when_sessions_end(many_at_once):
    """When the sessions end, the caches drop their work after CACHE_TTL_S seconds and nothing else keeps a
    session's context (and its table) alive. The process's memory does not grow from one wave of sessions to the
    next: what the first wave's sessions used is handed back or reused, not kept for them. (Python and the C
    allocator keep some freed memory for reuse, so the resident size does not fall all the way back.)"""
    from ui.state import MAX_CONTEXTS

    run = many_at_once
    assert 1 <= run["most_contexts"] <= MAX_CONTEXTS
    stats = run["stats_after"]
    assert stats["contexts"]["entries"] == 0 and stats["tables"]["entries"] == 0, stats
    assert stats["contexts_alive"] == 0, stats
    assert all("error" not in r for r in run["second"].values()), run["second"]
    grown = run["peak"] - run["baseline"]
    print(f"server: {run['server_cpu_seconds']:.0f} CPU-seconds for {SESSIONS} sessions of {ROWS:,} rows; memory "
          f"{run['baseline'] / 2**20:.0f} MB before, {run['peak'] / 2**20:.0f} MB at most, "
          f"{run['after'] / 2**20:.0f} MB "
          f"after, {run['after_second'] / 2**20:.0f} MB after {SECOND_WAVE} more")
    assert grown > 0 and run["after"] <= run["peak"]
    assert run["after_second"] - run["after"] <= 0.25 * grown, (run["after_second"] - run["after"]) / 2**20


def test_a_refresh_finds_the_files_and_choices_again(server, many_at_once):
    query = many_at_once["results"][0]["query"]
    again = Browser(server["base"], query=query)  # a new tab with the same address, as after a browser refresh
    texts = again.texts()
    again.run("upload")
    upload_page = again.texts()
    again.close()
    assert "Welcome back" in texts and "table_0.csv" in texts
    assert f"table_0.csv: {ROWS:,} rows" in upload_page
    stranger = Browser(server["base"], query="session=no-such-session")
    assert "could not be restored" in stranger.texts()
    stranger.close()


# ----- the same promises, in one process (streamlit's AppTest and the cache itself) ----------------------------
def test_the_cache_is_bounded_expires_and_builds_once():
    from ui.state import _Cache

    cache, built = _Cache("test", limit=2, ttl=0.5), []

    def build(key):
        def make():
            built.append(key)
            time.sleep(0.2)
            return key.upper()
        return make

    workers = [threading.Thread(target=cache.get, args=("a", build("a"))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert built == ["a"]  # four sessions asked at once: built once
    cache.get("b", build("b"))
    cache.get("c", build("c"))
    assert cache.stats()["entries"] == 2 and "a" not in cache.entries  # the least recently used went first
    time.sleep(0.6)
    assert cache.expire() == 2 and cache.stats()["entries"] == 0


def test_a_file_over_the_upload_limit_is_said_in_words():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("views/upload.py")
    at.session_state["upload_too_large"] = {"name": "everything.csv", "size": 350 * 2**20}
    at.run()
    assert not at.exception
    error = at.error[0].value.replace("\\", "")
    assert "'everything.csv' is 350 MB, more than the 200 MB this app accepts" in error
    assert "sample" in error


def test_an_upload_the_server_cannot_hold_is_refused_in_words(monkeypatch):
    """With little memory to spare, a file is refused before it is read, with the sizes in words."""
    from streamlit.testing.v1 import AppTest

    from ui.state import clear_caches, process_memory

    clear_caches()
    monkeypatch.setenv("MLREADY_MEMORY_MB", str(process_memory() / 2**20 + 1))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("views/upload.py").run()
    at.file_uploader(key="upload_data").upload("big.csv", _table(7, rows=20_000), "text/csv").run()
    assert not at.exception
    error = at.error[0].value.replace("\\", "")
    assert "'big.csv' needs about" in error and "of memory to be read" in error and "to spare right now" in error


def test_an_assessment_is_released_after_its_explanations_are_computed():
    """shap's first import keeps a reference to the frames running at the time; imported from a check, those held
    the assessment context, so the first assessment to compute explanations (and its table) stayed in memory for the
    life of the server. Run in a fresh interpreter, where shap is not imported yet."""
    script = """
import gc, weakref, warnings, sys
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
from mlready import api
assert "shap" not in sys.modules
rng = np.random.default_rng(0)
frame = pd.DataFrame({"a": rng.normal(size=600), "r": rng.choice(["x", "y"], 600)})
frame["y"] = np.where(rng.random(600) < 0.3, "yes", "no")
ctx = api.build_context(frame, "y")
ref = weakref.ref(ctx)
assert ctx.explanation.method.startswith("SHAP")
ctx = None
gc.collect()
print("alive" if ref() is not None else "released")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "released"
