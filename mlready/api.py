"""The Python API: `assess(...)` and the pieces the app uses to run one pillar at a time."""
from __future__ import annotations

import contextlib
import logging
import platform
import warnings
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from . import __version__
from .assessment import Assessment
from .config import Settings
from .context import AssessmentContext, Progress
from .findings import PILLARS
from .loading import Table, load_table, table_from_frame
from .checks import operations
from .model_files import bind_to_data
from .modeling import LoadedModel, load_model, serialized_size
from .practices import parse_answers
from .runner import run_all

TableLike = Table | pd.DataFrame | str | Path
LOG = logging.getLogger("mlready")


def _log_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    LOG.debug("%s: %s (%s:%s)", category.__name__, message, filename, lineno)


@contextlib.contextmanager
def quiet_libraries():
    """Keep warnings of the libraries mlready uses (scikit-learn, numpy, pandas, shap...) off the user's terminal
    and page: each is logged once per place at debug level on the 'mlready' logger instead. What matters to the
    user is said by a finding or a note; these are for developers (`logging.basicConfig(level=logging.DEBUG)`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = _log_warning
        yield


def as_table(source: TableLike | None, name: str | None = None) -> Table | None:
    """A Table from a path, a DataFrame or a Table."""
    if source is None or isinstance(source, Table):
        return source
    if isinstance(source, pd.DataFrame):
        return table_from_frame(source, name or "dataframe")
    return load_table(source, name)


def as_model(source: Any, allow_pickle: bool = False) -> LoadedModel | None:
    """A LoadedModel from a path, or from a fitted estimator object."""
    if source is None or isinstance(source, LoadedModel):
        return source
    if isinstance(source, (str, Path)):
        return load_model(source, allow_pickle=allow_pickle)
    return LoadedModel(estimator=source, name=type(source).__name__, sha256="", size_bytes=serialized_size(source))


def build_context(data: TableLike, target: str, *, test: TableLike | None = None, new_data: TableLike | None = None,
                  model: Any = None, task: str | None = None, positive_class: Any = None,
                  sensitive: Iterable[str] = (), settings: Settings | None = None,
                  allow_pickle: bool = False, column_types: dict[str, str] | None = None,
                  practices: Mapping[str, str] | None = None,
                  favourable_outcome: Any = None) -> AssessmentContext:
    """Validate the inputs and prepare the shared context (nothing heavy is computed yet).

    `column_types` corrects inferred column types: {column: 'number' | 'category' | 'boolean' | 'date' |
    'text' | 'identifier' | 'ignore'}. `practices` answers the deployment-practice questions
    ({question id: 'yes' | 'no' | 'unsure'}, ids in `mlready.practices.QUESTION_IDS`) and enables the operations pillar.
    `favourable_outcome` is the outcome that is good for the person concerned (the fairness rates refer to it); by
    default it is guessed from the outcomes' names (bad/default/churn/reject make the other one favourable), else left
    unknown.
    """
    answers = parse_answers(practices) if practices is not None else None
    with quiet_libraries():
        ctx = AssessmentContext(as_table(data), target, test=as_table(test), new_data=as_table(new_data),
                                model=as_model(model, allow_pickle), task=task, positive_class=positive_class,
                                sensitive=tuple(sensitive), settings=settings, column_types=column_types,
                                favourable_outcome=favourable_outcome)
        ctx.practices = answers
        if ctx.uploaded_model is not None:  # model files that do not name their outcomes learn them from the data
            ctx.uploaded_model = bind_to_data(ctx.uploaded_model, ctx.task, ctx.classes, ctx.features, ctx.frame)
    return ctx


def assessment_from_context(ctx: AssessmentContext, progress: Progress | None = None,
                            practices: Mapping[str, str] | None = None) -> Assessment:
    """Run whatever pillars are not yet done and assemble the assessment.

    `practices` (the app's per-session answers) replaces the operations pillar computed from `ctx.practices`; the
    shared context is left unchanged.
    """
    with quiet_libraries():
        results = run_all(ctx, progress)
        inputs = describe_inputs(ctx)
        if practices is not None:
            answers = parse_answers(practices) if practices else {}
            results["operations"] = operations.pillar_result(answers, bool(ctx.sensitive))
            inputs["practices"] = answers or None
        return Assessment(inputs=inputs, pillars={p: results[p] for p in PILLARS},
                          tool_version=__version__, environment=environment())


def assess(data: TableLike, target: str, *, progress: Progress | None = None, **options: Any) -> Assessment:
    """Assess a model and its data; options as in `build_context` (test, new_data, model, task, practices, …)."""
    return assessment_from_context(build_context(data, target, **options), progress)


def describe_inputs(ctx: AssessmentContext) -> dict:
    """The contract's `inputs` section."""
    model = ctx.uploaded_model if ctx.model_source == "uploaded" else None
    return {
        "data": ctx.data.describe(),
        "test": ctx.test.describe() if ctx.test is not None else None,
        "new_data": ctx.new_data.describe() if ctx.new_data is not None else None,
        "target": ctx.target,
        "task": ctx.task,
        "positive_class": None if ctx.positive_class is None else str(ctx.positive_class),
        "model": {"source": ctx.model_source, "kind": ctx.model_kind,
                  "sha256": (model.sha256 or None) if model else None,
                  "name": model.name if model else None, "problem": ctx.model_problem},
        "sensitive": list(ctx.sensitive),
        "favourable_outcome": None if ctx.favourable_outcome is None else str(ctx.favourable_outcome),
        "favourable_outcome_source": ctx.favourable_source,
        "column_types": dict(ctx.column_types),
        "seed": ctx.settings.seed,
        "latency_target_ms": ctx.settings.latency_target_ms,
        "daily_predictions": ctx.settings.daily_predictions,
        "split": ctx.split_description,
        "rows_without_target": ctx.rows_without_target,
        "practices": dict(getattr(ctx, "practices", None) or {}) or None,
    }


def environment() -> dict[str, str]:
    """Versions of Python and the packages the numbers depend on."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for package in ("scikit-learn", "pandas", "numpy", "shap", "fg-data-profiling", "skops", "fpdf2"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            continue
    return versions
