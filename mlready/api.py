"""The Python API: `assess(...)` and the pieces the app uses to run one pillar at a time."""
from __future__ import annotations

import platform
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from . import __version__
from .assessment import Assessment
from .config import Settings
from .context import AssessmentContext, Progress
from .findings import PILLARS
from .loading import Table, load_table, table_from_frame
from .modeling import LoadedModel, load_model, serialized_size
from .runner import run_all

TableLike = Table | pd.DataFrame | str | Path


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
                  favourable_outcome: Any = None) -> AssessmentContext:
    """Validate the inputs and prepare the shared context (nothing heavy is computed yet).

    `column_types` corrects inferred column types: {column: 'number' | 'category' | 'boolean' | 'date' |
    'text' | 'identifier' | 'ignore'}. `favourable_outcome` is the outcome that is good for the person concerned
    (the fairness rates refer to it); by default it is guessed from the outcomes' names (bad/default/churn/reject
    make the other one favourable), else left unknown.
    """
    return AssessmentContext(as_table(data), target, test=as_table(test), new_data=as_table(new_data),
                             model=as_model(model, allow_pickle), task=task, positive_class=positive_class,
                             sensitive=tuple(sensitive), settings=settings, column_types=column_types,
                             favourable_outcome=favourable_outcome)


def assessment_from_context(ctx: AssessmentContext, progress: Progress | None = None) -> Assessment:
    """Run whatever pillars are not yet done and assemble the assessment."""
    results = run_all(ctx, progress)
    return Assessment(inputs=describe_inputs(ctx), pillars={p: results[p] for p in PILLARS},
                      tool_version=__version__, environment=environment())


def assess(data: TableLike, target: str, *, progress: Progress | None = None, **options: Any) -> Assessment:
    """Assess a model and its data; options as in `build_context` (test, new_data, model, task, …)."""
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
