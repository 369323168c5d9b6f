"""What the user chose, kept in the session and on the server, and the cached work that depends on it.

Many people may use one app server at once, so everything cached here is bounded:

- parsed tables and assessment contexts are kept in memory-bounded caches: at most `MAX_TABLES` / `MAX_CONTEXTS`
  entries, each dropped after `CACHE_TTL_S` seconds without use (a sweeper drops them even when nobody is connected,
  and hands the memory back to the system), and the least recently used dropped first when memory runs short;
- before a file is read, and before its checks are prepared, the memory they will need is estimated and compared
  with what the server has to spare (`MEMORY_BUDGET_MB`); a file that does not fit is refused with a plain sentence
  instead of running the server out of memory;
- uploaded files are kept on disk (`STORE_DIR`, private to this server, by content hash), not in each session's
  memory, and each session has a token in the page address (`?session=...`), so a browser refresh finds the
  files and choices again. Files and session records are deleted `STORE_TTL_S` seconds after their last use.

Settings (environment variables, read at start): MLREADY_CACHE_TTL_S (default 1800), MLREADY_MAX_CONTEXTS (3),
MLREADY_MAX_TABLES (4), MLREADY_MEMORY_MB (default: 80% of the memory this server may use), MLREADY_STORE (default:
a private folder in the system's temporary folder), MLREADY_STORE_TTL_S (default 43200, 12 hours),
MLREADY_STATS_FILE (unset: where to write the caches' sizes and the process's memory, for monitoring).
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import re
import secrets
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from mlready import InputError, Settings, Thresholds, build_context
from mlready.context import AssessmentContext
from mlready.loading import Table, frame_from_bytes
from mlready.modeling import LoadedModel, load_model
from mlready.sample import ASSETS, SAMPLE_DATA, SAMPLE_MODEL, SAMPLE_OPTIONS

PILLAR_PAGES = {
    "data_quality": "views/data_quality.py",
    "generalization": "views/generalization.py",
    "scalability": "views/scalability.py",
    "interpretability": "views/explanations.py",
    "fairness": "views/fairness.py",
    "operations": "views/operations.py",
}
UPLOAD_PAGE, SCORECARD_PAGE = "views/upload.py", "views/scorecard.py"
TIMED_PILLARS = frozenset({"scalability"})  # measured again for each session: see ui.pillar_view.run_with_progress
SESSION_PARAM = "session"


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


CACHE_TTL_S = _env_number("MLREADY_CACHE_TTL_S", 1800)
MAX_CONTEXTS = int(_env_number("MLREADY_MAX_CONTEXTS", 3))
MAX_TABLES = int(_env_number("MLREADY_MAX_TABLES", 4))
STORE_TTL_S = _env_number("MLREADY_STORE_TTL_S", 12 * 3600)
# Memory needed while reading a file, as a multiple of its size on disk (measured with mlready's reader on CSV:
# a 176 MB, 1,000,000-row file peaked at 2.1 GB; the others are compressed and estimated more generously), and
# the memory an assessment context holds, as a multiple of the parsed table's (measured: 3x).
READ_FACTOR = {".csv": 12, ".tsv": 12, ".txt": 12, ".json": 15, ".jsonl": 15, ".parquet": 25, ".xlsx": 40, ".xls": 40}
CONTEXT_FACTOR = 3.0


# ----- memory ---------------------------------------------------------------------------------------------------
def process_memory() -> int | None:
    """Bytes this server process holds in memory now (resident set), None when unknown (not on Linux)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def memory_limit() -> int | None:
    """Bytes of memory this process may use: the container (cgroup) limit, else the machine's memory."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
            if text != "max" and int(text) < 2**60:
                return int(text)
        except (OSError, ValueError):
            continue
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def memory_budget() -> int | None:
    """Bytes the app may hold in all: MLREADY_MEMORY_MB, else 80% of `memory_limit()`; None when unknown."""
    configured = os.environ.get("MLREADY_MEMORY_MB")
    if configured:
        return int(float(configured) * 2**20)
    limit = memory_limit()
    return None if limit is None else int(limit * 0.8)


def frame_bytes(frame: pd.DataFrame) -> int:
    """Approximate bytes a table holds: exact for number columns, estimated from 200 cells for text columns."""
    total = int(frame.memory_usage(index=True, deep=False).sum())
    for column in frame.columns[frame.dtypes == object]:
        cells = frame[column].head(200)
        if len(cells):
            total += int(cells.map(lambda v: 0 if v is None else len(str(v)) + 49).mean() * len(frame))
    return total


def _tune_allocator() -> None:
    """Make the C allocator hand memory back: tables' columns of 128 kB or more get their own memory maps (returned
    to the system as soon as they are freed; glibc otherwise raises that threshold as the app runs) and at most
    two allocation arenas serve the sessions' threads (fewer half-empty arenas). Linux with glibc only."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-8, 2)           # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


_tune_allocator()


def _release_memory() -> None:
    """Collect garbage and hand freed memory back to the system (glibc keeps it otherwise)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _mb(size: float) -> str:
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:,.0f} MB"


class _Reservation:
    """Memory promised to work that has started but not finished (reading a file, preparing checks)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reserved = 0

    def take(self, size: int, name: str, what: str, rows_hint: int | None = None) -> int:
        """Reserve `size` bytes, first dropping idle cached work if needed; InputError when they cannot be had."""
        budget = memory_budget()
        if budget is None:
            return 0
        for attempt in range(2):
            with self.lock:
                spare = budget - (process_memory() or 0) - self.reserved
                if size <= spare:
                    self.reserved += size
                    return size
            if attempt == 0:
                _CONTEXTS.clear_idle()
                _TABLES.clear_idle()
                _release_memory()
        fit = ""
        if rows_hint and size > 0:
            rows = int(rows_hint * max(spare, 0) / size * 0.8)
            fit = f" or a random sample of at most {rows:,} rows" if rows >= 1000 else ""
        raise InputError(f"'{name}' needs about {_mb(size)} of memory {what}, and this server has only about "
                         f"{_mb(max(spare, 0))} to spare right now; try again in a few minutes{fit}.")

    def give_back(self, size: int) -> None:
        with self.lock:
            self.reserved = max(0, self.reserved - size)


_RESERVED = _Reservation()


# ----- bounded caches ---------------------------------------------------------------------------------------------
class _Cache:
    """A thread-safe cache with at most `limit` entries, each dropped after `ttl` seconds without use.

    One `get` builds an entry while other sessions asking for the same key wait for it (no double work)."""

    def __init__(self, name: str, limit: int, ttl: float) -> None:
        self.name, self.limit, self.ttl = name, max(1, limit), ttl
        self.lock = threading.Lock()
        self.entries: dict[str, list] = {}   # key -> [value, last used, bytes]
        self.building: dict[str, threading.Lock] = {}

    def get(self, key: str, build: Callable[[], Any], size: Callable[[Any], int] = lambda _: 0) -> Any:
        with self.lock:
            if key in self.entries:
                entry = self.entries[key]
                entry[1] = time.monotonic()
                return entry[0]
            building = self.building.setdefault(key, threading.Lock())
        with building:
            with self.lock:
                if key in self.entries:
                    self.entries[key][1] = time.monotonic()
                    return self.entries[key][0]
            try:
                value = build()
            except BaseException:
                with self.lock:
                    self.building.pop(key, None)
                raise
            with self.lock:
                self.entries[key] = [value, time.monotonic(), size(value)]
                self.building.pop(key, None)
                dropped = self._shrink(self.limit)
        if dropped:
            _release_memory()
        return value

    def _shrink(self, limit: int) -> int:
        dropped = 0
        while len(self.entries) > limit:
            oldest = min(self.entries, key=lambda k: self.entries[k][1])
            del self.entries[oldest]
            dropped += 1
        return dropped

    def expire(self) -> int:
        """Drop entries unused for `ttl` seconds; how many were dropped."""
        now = time.monotonic()
        with self.lock:
            old = [k for k, entry in self.entries.items() if now - entry[1] >= self.ttl]
            for key in old:
                del self.entries[key]
        return len(old)

    def clear_idle(self, idle: float = 5.0) -> int:
        """Drop entries unused for `idle` seconds (to make room); how many were dropped."""
        now = time.monotonic()
        with self.lock:
            old = [k for k, entry in self.entries.items() if now - entry[1] >= idle]
            for key in old:
                del self.entries[key]
        return len(old)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def stats(self) -> dict:
        with self.lock:
            return {"entries": len(self.entries), "bytes": sum(e[2] for e in self.entries.values())}


_TABLES = _Cache("tables", MAX_TABLES, CACHE_TTL_S)
_CONTEXTS = _Cache("contexts", MAX_CONTEXTS, CACHE_TTL_S)
_ALIVE: "weakref.WeakSet[AssessmentContext]" = weakref.WeakSet()  # every context built, while anything holds it


def cache_stats() -> dict:
    """How many tables and contexts are cached, and their estimated bytes (for tests and monitoring)."""
    return {"tables": _TABLES.stats(), "contexts": _CONTEXTS.stats(), "contexts_alive": len(_ALIVE),
            "reserved": _RESERVED.reserved, "process_bytes": process_memory()}


def clear_caches() -> None:
    """Drop every cached table and context."""
    _TABLES.clear()
    _CONTEXTS.clear()
    _release_memory()


# ----- files and session records on disk ------------------------------------------------------------------------
class _Store:
    """Uploaded files (by content hash) and session records, in a folder only this server's user may read; each
    deleted `ttl` seconds after its last use."""

    def __init__(self, folder: Path, ttl: float) -> None:
        self.folder, self.ttl = folder, ttl
        self.memory: dict[str, bytes] = {}  # when the folder cannot be used
        try:
            (folder / "files").mkdir(parents=True, exist_ok=True, mode=0o700)
            (folder / "sessions").mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)
            self.usable = True
        except OSError:
            self.usable = False

    def _path(self, kind: str, name: str) -> Path:
        if not name.replace("-", "").replace("_", "").isalnum():
            raise ValueError("not a stored name")
        return self.folder / kind / name

    def put(self, kind: str, name: str, raw: bytes) -> None:
        if not self.usable:
            self.memory[f"{kind}/{name}"] = raw
            return
        path = self._path(kind, name)
        if path.exists() and kind == "files":
            os.utime(path)
            return
        partial = path.with_suffix(f".{secrets.token_hex(4)}.part")
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(raw)
        os.replace(partial, path)

    def get(self, kind: str, name: str) -> bytes | None:
        if not self.usable:
            return self.memory.get(f"{kind}/{name}")
        try:
            path = self._path(kind, name)
            raw = path.read_bytes()
            os.utime(path)
            return raw
        except (OSError, ValueError):
            return None

    def sweep(self) -> int:
        """Delete what has not been used for `ttl` seconds; how many files were deleted."""
        if not self.usable:
            return 0
        deleted, cutoff = 0, time.time() - self.ttl
        for kind in ("files", "sessions"):
            for path in (self.folder / kind).iterdir():
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        deleted += 1
                except OSError:
                    continue
        return deleted


def _store_folder() -> Path:
    configured = os.environ.get("MLREADY_STORE")
    if configured:
        return Path(configured)
    user = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"mlready-store-{user}"


STORE = _Store(_store_folder(), STORE_TTL_S)


def _sweeper() -> None:
    """Expire idle cached work and old stored files, even when nobody is connected; with MLREADY_STATS_FILE set,
    write the caches' sizes and the process's memory there after each sweep (for monitoring)."""
    interval = max(1.0, min(60.0, CACHE_TTL_S / 4))
    stats_file = os.environ.get("MLREADY_STATS_FILE")
    last_store_sweep = 0.0
    while True:
        time.sleep(interval)
        try:
            if _TABLES.expire() + _CONTEXTS.expire():
                _release_memory()
            elif len(_ALIVE) > _CONTEXTS.stats()["entries"]:
                # a context no session or cache holds any more, kept only by a reference cycle (its checks' shared
                # results refer back to it): Python's cycle collector runs on allocations, which an idle server
                # does not make, so the context (and its table) would stay until the next visitor
                before = len(_ALIVE)
                gc.collect()
                if len(_ALIVE) < before:
                    _release_memory()
            if time.monotonic() - last_store_sweep >= 600:
                STORE.sweep()
                last_store_sweep = time.monotonic()
            if stats_file:
                partial = f"{stats_file}.part"
                Path(partial).write_text(json.dumps({**cache_stats(), "time": time.time()}))
                os.replace(partial, stats_file)
        except Exception:  # noqa: BLE001 - the sweeper must never die
            continue


threading.Thread(target=_sweeper, name="mlready-cache-sweeper", daemon=True).start()


# ----- what the user chose ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """An uploaded file: its name, content hash and size; the bytes are kept in the server's store (or, for the
    built-in sample, in the app's assets folder), not in the session."""

    name: str
    sha256: str
    sheet: str | None = None
    size: int = field(default=0, compare=False)
    asset: str | None = field(default=None, compare=False)  # a file name in the app's assets folder

    @classmethod
    def of(cls, name: str, raw: bytes, sheet: str | None = None) -> "Source":
        """Keep an uploaded file's bytes in the store and describe it."""
        digest = hashlib.sha256(raw).hexdigest()
        STORE.put("files", digest, raw)
        return cls(name=name, sha256=digest, sheet=sheet, size=len(raw))

    @classmethod
    def from_asset(cls, path: Path) -> "Source":
        """One of the app's own files (the sample), read from where it lies."""
        raw = path.read_bytes()
        return cls(name=path.name, sha256=hashlib.sha256(raw).hexdigest(), size=len(raw), asset=path.name)

    @property
    def raw(self) -> bytes:
        """The file's bytes; InputError when the server no longer keeps them."""
        if self.asset is not None:
            return (ASSETS / Path(self.asset).name).read_bytes()
        raw = STORE.get("files", self.sha256)
        if raw is None:
            raise InputError(f"The file '{self.name}' is no longer kept on the server (uploads are kept "
                             f"{STORE_TTL_S / 3600:g} hours after their last use); upload it again.")
        return raw

    def to_dict(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "sheet": self.sheet, "size": self.size, "asset": self.asset}

    @classmethod
    def from_dict(cls, data: dict) -> "Source":
        return cls(name=str(data["name"]), sha256=str(data["sha256"]), sheet=data.get("sheet"),
                   size=int(data.get("size") or 0), asset=data.get("asset"))

    def available(self) -> bool:
        return self.asset is not None or STORE.get("files", self.sha256) is not None


@dataclass(frozen=True)
class Spec:
    """Everything an assessment depends on: files (by content) and options."""

    data: Source
    target: str
    test: Source | None = None
    new_data: Source | None = None
    model: Source | None = None
    task: str | None = None
    positive_class: str | None = None
    favourable_outcome: str | None = None
    sensitive: tuple[str, ...] = ()
    latency_target_ms: float = 100.0
    daily_predictions: int | None = None
    seed: int = 0
    allow_pickle: bool = False
    column_types: tuple[tuple[str, str], ...] = ()
    thresholds: tuple[tuple[str, float], ...] = ()
    practices: tuple[tuple[str, str], ...] = ()  # deployment-practice answers: (question id, yes | no | unsure)

    def context_key(self) -> str:
        """The key of everything the shared context depends on: all but the practice answers, which change only the
        operations pillar (computed per session), so answering them recomputes nothing else."""
        return replace(self, practices=()).key()

    def key(self) -> str:
        """A hash of the files' contents and names and of every option."""
        described = {}
        for item in fields(self):
            value = getattr(self, item.name)
            is_file = hasattr(value, "sha256")  # not isinstance: objects made before a code reload still count
            described[item.name] = [value.name, value.sha256, value.sheet] if is_file else value
        return hashlib.sha256(json.dumps(described, sort_keys=True, default=list).encode()).hexdigest()

    def files(self) -> list[Source]:
        """The files this spec names."""
        return [v for v in (getattr(self, f.name) for f in fields(self)) if hasattr(v, "sha256")]

    def to_dict(self) -> dict:
        """A JSON-safe description (files by name and hash), for the session record."""
        out = {}
        for item in fields(self):
            value = getattr(self, item.name)
            out[item.name] = {"file": value.to_dict()} if hasattr(value, "sha256") else value
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Spec":
        known = {f.name for f in fields(cls)}

        def revive(value):
            if isinstance(value, dict) and "file" in value:
                return Source.from_dict(value["file"])
            if isinstance(value, list):
                return tuple(revive(v) for v in value)
            return value

        return cls(**{name: revive(value) for name, value in data.items() if name in known})


def _read_table(source: Source, suffix: str) -> pd.DataFrame:
    raw = source.raw
    size = len(raw) * READ_FACTOR.get(suffix, 12)
    reserved = _RESERVED.take(size, source.name, "to be read")
    try:
        return frame_from_bytes(raw, f"upload{suffix}", source.sheet)
    finally:
        del raw
        _RESERVED.give_back(reserved)


def load_source(source: Source) -> Table:
    """The table in an uploaded file, parsed once per content and kept while it is used (InputError names the file,
    also when the server has not the memory to read it)."""
    suffix = "." + source.name.rsplit(".", 1)[-1].lower() if "." in source.name else ""
    key = f"{source.sha256}:{suffix}:{source.sheet}"
    try:
        frame = _TABLES.get(key, lambda: _read_table(source, suffix), frame_bytes)
    except InputError as error:
        raise InputError(str(error).replace(f"upload{suffix}", source.name)) from None
    return Table(frame=frame, name=source.name, sha256=source.sha256)


def _model(source: Source, allow_pickle: bool) -> LoadedModel:
    return load_model(source.raw, source.name, allow_pickle=allow_pickle)


def _build_context(spec: Spec) -> AssessmentContext:
    data = load_source(spec.data)
    others = [load_source(s) for s in (spec.test, spec.new_data) if s is not None]
    need = int(CONTEXT_FACTOR * sum(frame_bytes(t.frame) for t in [data, *others]))
    reserved = _RESERVED.take(need, spec.data.name, "for its checks", rows_hint=len(data.frame))
    try:
        settings = Settings(seed=spec.seed, latency_target_ms=spec.latency_target_ms,
                            daily_predictions=spec.daily_predictions,
                            thresholds=Thresholds().with_overrides(dict(spec.thresholds)))
        ctx = build_context(  # the context copies what it changes, so the cached tables are shared, not copied
            data, spec.target,
            test=load_source(spec.test) if spec.test else None,
            new_data=load_source(spec.new_data) if spec.new_data else None,
            model=_model(spec.model, spec.allow_pickle) if spec.model else None,
            task=spec.task, positive_class=spec.positive_class, sensitive=spec.sensitive, settings=settings,
            column_types=dict(spec.column_types), favourable_outcome=spec.favourable_outcome)
        _ALIVE.add(ctx)
        return ctx
    finally:
        _RESERVED.give_back(reserved)


def _context_bytes(ctx: AssessmentContext) -> int:
    return int(CONTEXT_FACTOR * frame_bytes(ctx.data.frame))


def context_for(spec: Spec) -> AssessmentContext:
    """The shared assessment context for these inputs (built once per key and kept while used; InputError if they
    are wrong or do not fit in the server's memory)."""
    return _CONTEXTS.get(spec.context_key(), lambda: _build_context(spec), _context_bytes)


@st.cache_resource(show_spinner=False)
def sample_spec() -> Spec:
    """The built-in sample: German credit data and its model (read once per process)."""
    return Spec(data=Source.from_asset(SAMPLE_DATA), model=Source.from_asset(SAMPLE_MODEL),
                target=SAMPLE_OPTIONS["target"], task="classification",
                positive_class=SAMPLE_OPTIONS["positive_class"], sensitive=tuple(SAMPLE_OPTIONS["sensitive"]))


# ----- the session, and keeping the user's place across a browser refresh ------------------------------------------
RECORDED_STATE = ("done", "type_corrections", "threshold_overrides")


def current_spec() -> Spec | None:
    """The inputs in use, restored from the page address after a browser refresh if need be (see `keep_place`)."""
    if "spec" not in st.session_state:
        keep_place()
    return st.session_state.get("spec")


def set_spec(spec: Spec) -> None:
    """Use these inputs from now on; steps done for other inputs are no longer done."""
    if not spec.practices and current_spec() is not None and current_spec().practices:
        spec = replace(spec, practices=current_spec().practices)  # how the model will be run has not changed
    if current_spec() is None or current_spec().key() != spec.key():
        st.session_state["done"] = set()
        st.session_state.pop("assessment", None)
    st.session_state["spec"] = spec
    save_session()


def done_steps() -> set[str]:
    return st.session_state.setdefault("done", set())


def mark_done(step: str) -> None:
    if step not in done_steps():
        done_steps().add(step)
        save_session()


def measured_here() -> set[str]:
    """Keys of the inputs whose timed pillars this session has measured itself."""
    return st.session_state.setdefault("measured", set())


def _token() -> str:
    token = st.session_state.get("session_token")
    if token is None:
        token = st.session_state["session_token"] = secrets.token_urlsafe(16)
    return token


def save_session() -> None:
    """Record the user's inputs and progress on the server, under the token in the page address."""
    spec = current_spec()
    if spec is None:
        return
    record = {"spec": spec.to_dict(), "saved": time.time(),
              **{name: _plain(st.session_state.get(name)) for name in RECORDED_STATE}}
    try:
        STORE.put("sessions", _token(), json.dumps(record).encode())
    except (OSError, ValueError, TypeError):
        return
    if st.query_params.get(SESSION_PARAM) != _token():
        st.query_params[SESSION_PARAM] = _token()


def _plain(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def keep_place() -> None:
    """Restore a session from the token in the page address after a browser refresh, and keep the token in the
    address while the user moves between pages; say on the page, once, what happened.

    Called at the start of every run (ui.navigation) and by `current_spec` (a refresh on a step's own address runs
    that page without the navigation)."""
    token = st.query_params.get(SESSION_PARAM)
    if "spec" in st.session_state:
        if token != st.session_state.get("session_token"):
            st.query_params[SESSION_PARAM] = _token()
        return
    if not token or st.session_state.get("restore_tried") == token:
        return
    st.session_state["restore_tried"] = token
    raw = STORE.get("sessions", token) if token.replace("-", "").replace("_", "").isalnum() else None
    record = None
    if raw is not None:
        try:
            record = json.loads(raw)
            spec = Spec.from_dict(record["spec"])
        except (ValueError, KeyError, TypeError):
            record = None
    if record is None or not all(source.available() for source in spec.files()):
        st.warning("Your earlier session could not be restored: the server no longer keeps it (files and choices "
                   f"are kept {STORE_TTL_S / 3600:g} hours after their last use). Please upload your files again.",
                   icon=":material/history:")
        del st.query_params[SESSION_PARAM]
        return
    st.session_state["session_token"] = token
    st.session_state["spec"] = spec
    st.session_state["done"] = set(record.get("done") or ())
    for name in ("type_corrections", "threshold_overrides"):
        if record.get(name):
            st.session_state[name] = record[name]
    names = ", ".join(s.name for s in spec.files())
    st.info(md_text(f"Welcome back: your files ({names}) and choices were kept, so you can go on where you left off."),
            icon=":material/history:")


def md_text(text: str) -> str:
    """Text made inert for Streamlit's markdown (file names are the user's)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])", r"\\\1", text)
