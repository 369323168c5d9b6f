"""What the user chose, kept in the session, and the cached work that depends on it."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, replace

import streamlit as st

from mlready import InputError, Settings, Thresholds, build_context
from mlready.context import AssessmentContext
from mlready.loading import Table, frame_from_bytes
from mlready.modeling import LoadedModel, load_model
from mlready.sample import SAMPLE_DATA, SAMPLE_MODEL, SAMPLE_OPTIONS

PILLAR_PAGES = {
    "data_quality": "pages/data_quality.py",
    "generalization": "pages/generalization.py",
    "scalability": "pages/scalability.py",
    "interpretability": "pages/explanations.py",
    "fairness": "pages/fairness.py",
    "operations": "pages/operations.py",
}
UPLOAD_PAGE, SCORECARD_PAGE = "pages/upload.py", "pages/scorecard.py"


@dataclass(frozen=True)
class Source:
    """An uploaded file: its name, bytes and content hash."""

    name: str
    raw: bytes = field(repr=False, compare=False)  # the hash stands for the content
    sha256: str
    sheet: str | None = None

    @classmethod
    def of(cls, name: str, raw: bytes, sheet: str | None = None) -> "Source":
        return cls(name=name, raw=raw, sha256=hashlib.sha256(raw).hexdigest(), sheet=sheet)


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


@st.cache_data(max_entries=16, show_spinner=False)
def _frame(sha256: str, suffix: str, sheet: str | None, _raw: bytes):
    return frame_from_bytes(_raw, f"upload{suffix}", sheet)


def load_source(source: Source) -> Table:
    """The table in an uploaded file, parsed once per content (InputError names the file)."""
    suffix = "." + source.name.rsplit(".", 1)[-1].lower() if "." in source.name else ""
    try:
        frame = _frame(source.sha256, suffix, source.sheet, source.raw)
    except InputError as error:
        raise InputError(str(error).replace(f"upload{suffix}", source.name)) from None
    return Table(frame=frame.copy(), name=source.name, sha256=source.sha256)


def _model(source: Source, allow_pickle: bool) -> LoadedModel:
    return load_model(source.raw, source.name, allow_pickle=allow_pickle)


@st.cache_resource(max_entries=8, show_spinner=False)
def _context(key: str, _spec: Spec) -> AssessmentContext:
    spec = _spec
    settings = Settings(seed=spec.seed, latency_target_ms=spec.latency_target_ms,
                        daily_predictions=spec.daily_predictions,
                        thresholds=Thresholds().with_overrides(dict(spec.thresholds)))
    return build_context(
        load_source(spec.data), spec.target,
        test=load_source(spec.test) if spec.test else None,
        new_data=load_source(spec.new_data) if spec.new_data else None,
        model=_model(spec.model, spec.allow_pickle) if spec.model else None,
        task=spec.task, positive_class=spec.positive_class, sensitive=spec.sensitive, settings=settings,
        column_types=dict(spec.column_types), favourable_outcome=spec.favourable_outcome)


def context_for(spec: Spec) -> AssessmentContext:
    """The shared assessment context for these inputs (built once per key; InputError if they are wrong)."""
    return _context(spec.context_key(), spec)


@st.cache_resource(show_spinner=False)
def sample_spec() -> Spec:
    """The built-in sample: German credit data and its model (read once per process)."""
    return Spec(data=Source.of(SAMPLE_DATA.name, SAMPLE_DATA.read_bytes()),
                model=Source.of(SAMPLE_MODEL.name, SAMPLE_MODEL.read_bytes()),
                target=SAMPLE_OPTIONS["target"], task="classification",
                positive_class=SAMPLE_OPTIONS["positive_class"], sensitive=tuple(SAMPLE_OPTIONS["sensitive"]))


def current_spec() -> Spec | None:
    return st.session_state.get("spec")


def set_spec(spec: Spec) -> None:
    """Use these inputs from now on; steps done for other inputs are no longer done."""
    if not spec.practices and current_spec() is not None and current_spec().practices:
        spec = replace(spec, practices=current_spec().practices)  # how the model will be run has not changed
    if current_spec() is None or current_spec().key() != spec.key():
        st.session_state["done"] = set()
        st.session_state.pop("assessment", None)
    st.session_state["spec"] = spec


def done_steps() -> set[str]:
    return st.session_state.setdefault("done", set())


def mark_done(step: str) -> None:
    done_steps().add(step)
