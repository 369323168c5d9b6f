"""SHAP explanations per input column: which columns drive the model, and in which direction.

Exact SHAP where the model allows it: tree SHAP for a Pipeline ending in a tree ensemble, linear SHAP for a Pipeline
ending in a linear model (both on the encoded columns, then summed back to the input column each came from);
otherwise the model-agnostic permutation method on the input columns. Only the columns the model reads are
explained (`columns_read`). For a two-class target every value is towards the positive class, whatever its place
in the model's `classes_`.
"""
from __future__ import annotations

import importlib
import sys
import threading
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import t as student_t
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from . import threads

TREE_MODELS = ("HistGradientBoosting", "GradientBoosting", "RandomForest", "ExtraTrees", "DecisionTree")
LINEAR_MODELS = ("LogisticRegression", "LinearRegression", "Ridge", "Lasso", "ElasticNet", "SGDClassifier",
                 "SGDRegressor", "LinearSVC", "LinearSVR", "HuberRegressor", "BayesianRidge")
MAX_PERMUTATION_ROWS = 60
LINEAR_BACKGROUND_ROWS = 1000
RESAMPLES = 5  # copies of the model retrained on resamples of the training rows, to see what is stable
# Each copy learns from this share of the training rows, drawn without replacement. Half: the copies' differences
# then measure the sampling error of the model's own explanation at face value (delete-d jackknife with d = n/2),
# where copies on most of the rows differ mostly by the algorithm's own noise and hide it.
RESAMPLE_SHARE = 0.5



def import_shap():
    """The shap module, imported on a thread of its own the first time. shap's import keeps a reference to the
    frames that were running while it was first imported; imported from a check, those frames hold the assessment
    context, which then stayed in memory (with its table) for the life of the process (found by the app's load test:
    one context was still referenced after every session had ended)."""
    if "shap" not in sys.modules:
        loader = threading.Thread(target=importlib.import_module, args=("shap",), name="mlready-import-shap")
        loader.start()
        loader.join()
    import shap

    global _maskers_cached
    if not _maskers_cached:
        _maskers_cached = True
        _cache_compiled_maskers()
    return shap


# shap's masking functions compiled with numba, kept in numba's file cache. Not `_build_fixed_single_output` and
# `_build_fixed_multi_output`: they take the link function as an argument, whose type numba keys by its address in
# memory, so each process would add another compiled copy to the cache instead of finding the last one.
_maskers_cached = False
_CACHEABLE_MASKERS = {"shap.maskers._tabular": ("_delta_masking", "_single_delta_mask"),
                      "shap.utils._masked_model": ("_init_masks", "_rec_fill_masks")}


def _cache_compiled_maskers() -> None:
    """Keep the machine code of shap's masking functions on disk. shap compiles them with numba (without numba's
    `cache=True`) on their first call in every process, before the first explanation of any model that is not a
    tree or linear model: about half of the 8 s this takes in a fresh process is saved from the second process on.
    Where no cache folder can be written, numba compiles them in each process as before."""
    try:
        from numba.core.registry import CPUDispatcher
    except ImportError:
        return
    for module_name, names in _CACHEABLE_MASKERS.items():
        module = sys.modules.get(module_name)
        for name in names:
            function = getattr(module, name, None)
            if isinstance(function, CPUDispatcher) and type(function._cache).__name__ == "NullCache":
                try:
                    function.enable_caching()
                    _forgiving(function._cache)
                except Exception:  # noqa: BLE001 - no folder numba may write (RuntimeError): compiled as before
                    pass


def _forgiving(cache) -> None:
    """A cached copy that cannot be read (a truncated or emptied file: numba raises while unpickling it) counts as
    not cached: the function is compiled again, and the copy written anew. Without this, a damaged cache file made
    every later explanation of a model-agnostic model fail (found by a breaker)."""
    load = cache.load_overload

    def load_overload(*args, **kwargs):
        try:
            return load(*args, **kwargs)
        except Exception:  # noqa: BLE001 - any damage: compile as if nothing were cached
            return None

    cache.load_overload = load_overload


@dataclass(frozen=True)
class Explanation:
    """SHAP values mapped back to input columns, for a sample of held-out rows.

    `rows` holds the explained rows (every input column); `columns` the columns explained (those the model reads),
    and `values[i, j]` is how much `columns[j]` moved row i's prediction (for a two-class target, towards the
    positive class; for regression, up). For more than two classes `signed` is False: values are sizes only.
    """

    method: str
    rows: pd.DataFrame
    values: np.ndarray
    signed: bool
    columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.columns:
            object.__setattr__(self, "columns", tuple(self.rows.columns))
        object.__setattr__(self, "columns", tuple(str(c) for c in self.columns))

    def importance(self) -> pd.Series:
        """Mean absolute SHAP value per explained column, largest first."""
        return pd.Series(np.abs(self.values).mean(axis=0), index=list(self.columns)).sort_values(ascending=False,
                                                                                                kind="stable")

    def shares(self) -> pd.Series:
        """Each explained column's share of all influence (sums to 1; all zero when nothing moves the model)."""
        importance = self.importance()
        total = float(importance.sum())
        return importance / total if total > 0 else importance * 0.0


# ----- which columns the model reads -----------------------------------------------------------------------------------
def columns_read(ctx, model=None) -> list[str]:
    """The input columns the model reads: `ctx.model_features`, narrowed to the columns a leading ColumnTransformer
    does not drop (a Pipeline may be given every column and use only some)."""
    model = ctx.model if model is None else model
    base = list(ctx.model_features)
    used = _transformer_inputs(model)
    return base if used is None else [c for c in base if c in used]


def _transformer_inputs(model) -> set[str] | None:
    """The columns a Pipeline's leading ColumnTransformer passes on (None when that cannot be told)."""
    first = model[0] if isinstance(model, Pipeline) else model
    if not isinstance(first, ColumnTransformer) or not hasattr(first, "transformers_"):
        return None
    names = [str(c) for c in getattr(first, "feature_names_in_", [])]
    used: set[str] = set()
    for _, transformer, columns in first.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        resolved = _column_names(columns, names)
        if resolved is None:
            return None
        used.update(resolved)
    return used


def _column_names(columns, names: list[str]) -> list[str] | None:
    """A ColumnTransformer's column selection as input column names (None when it cannot be resolved)."""
    if isinstance(columns, str):
        return [columns]
    if callable(columns):
        return None
    selected = list(columns) if not isinstance(columns, slice) else names[columns]
    if not selected:
        return []
    if all(isinstance(c, (bool, np.bool_)) for c in selected):
        return [n for n, keep in zip(names, selected) if keep]
    if all(isinstance(c, (int, np.integer)) for c in selected):
        return [names[int(c)] for c in selected] if names else None
    return [str(c) for c in selected]


# ----- explaining ------------------------------------------------------------------------------------------------------
def explain_model(ctx, model=None) -> Explanation:
    """Explain the assessed model (or another model trained on the same columns) on a sample of held-out
    rows, with exact tree or linear SHAP where possible."""
    model = ctx.model if model is None else model
    rows = ctx.sample_rows(ctx.X_test, ctx.settings.explain_rows).reset_index(drop=True)
    columns = columns_read(ctx, model) or list(ctx.features)
    # a few hundred rows: one thread (OpenMP threads left free spin against each other on a busy machine)
    with warnings.catch_warnings(), threads.limited("small", ctx.settings.threads):
        warnings.simplefilter("ignore")
        from .model_files import tree_explanation  # XGBoost and LightGBM model files: exact tree SHAP

        exact = tree_explanation(ctx, model, rows) or _exact_explanation(ctx, model, rows, columns)
        if exact is not None:
            return exact
        rows = rows.head(MAX_PERMUTATION_ROWS)
        return _permutation_explanation(ctx, model, rows, columns)


def encoded_owners(prepare, columns: list[str]) -> list[str | None]:
    """For each column a Pipeline's preparing steps output, the input column it came from (None when unknown).

    Read from the leading ColumnTransformer's structure (which input columns each transformer takes and which
    slice of the output it fills; a one-hot encoder's per-column output counts), so that names that are prefixes of
    each other ('age' and 'age_band') cannot be confused; steps after it must keep its output columns."""
    names = [str(n) for n in prepare.get_feature_names_out()]
    first = prepare[0] if isinstance(prepare, Pipeline) else prepare
    if isinstance(first, ColumnTransformer) and hasattr(first, "output_indices_"):
        if list(first.get_feature_names_out()) == names:
            owners = _structural_owners(first, len(names))
            if owners is not None:
                return owners
    return [_owner_by_name(n, columns) for n in names]


def _structural_owners(transformer: ColumnTransformer, outputs: int) -> list[str | None] | None:
    owners: list[str | None] = [None] * outputs
    inputs = [str(c) for c in getattr(transformer, "feature_names_in_", [])]
    for name, fitted, selection in transformer.transformers_:
        piece = transformer.output_indices_.get(name)
        if piece is None or piece.stop <= piece.start:
            continue
        sources = _column_names(selection, inputs)
        if not sources:
            return None
        width = piece.stop - piece.start
        if len(sources) == 1:
            counts = [width]
        else:
            counts = _per_input_outputs(fitted, len(sources), width)
            if counts is None:
                return None
        position = piece.start
        for source, size in zip(sources, counts):
            owners[position:position + size] = [source] * size
            position += size
    return owners


def _per_input_outputs(fitted, inputs: int, width: int) -> list[int] | None:
    """How many output columns each input column of one transformer fills (None when that cannot be told)."""
    last = fitted[-1] if isinstance(fitted, Pipeline) else fitted
    counts = getattr(last, "_n_features_outs", None)  # OneHotEncoder: per input, after drop and infrequent grouping
    if counts is not None and len(counts) == inputs and sum(counts) == width:
        return [int(c) for c in counts]
    if width == inputs:  # one output per input (scalers, imputers, ordinal encoders, passthrough)
        return [1] * inputs
    return None


def _owner_by_name(output_name: str, columns: list[str]) -> str | None:
    """The input column an encoded column's name points to: itself, or the longest column name it starts with."""
    name = output_name.split("__", 1)[1] if "__" in output_name else output_name
    if name in columns:
        return name
    matches = [c for c in columns if name.startswith(f"{c}_")]
    return max(matches, key=len) if matches else None


class _Columns:
    """The 'preparing step' of a bare estimator fitted on the input columns themselves: it selects them."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        return frame[self.names].to_numpy(dtype=float)


def _parts(ctx, model) -> tuple[Any, Any, list[str | None]] | None:
    """(preparing steps, final estimator, the input column of each prepared column) for exact SHAP, or None."""
    if isinstance(model, Pipeline):
        if len(model) < 2:
            return None
        prepare, estimator = model[:-1], model[-1]
        return prepare, estimator, encoded_owners(prepare, list(ctx.features))
    names = [str(n) for n in getattr(model, "feature_names_in_", [])]
    if not names or any(n not in ctx.features for n in names):
        return None
    return _Columns(names), model, list(names)


def _exact_explanation(ctx, model, rows: pd.DataFrame, columns: list[str]) -> Explanation | None:
    estimator = model[-1] if isinstance(model, Pipeline) else model
    kind = type(estimator).__name__
    if kind.startswith(TREE_MODELS):
        return _tree_explanation(ctx, model, rows, columns)
    if kind.startswith(LINEAR_MODELS) and hasattr(estimator, "coef_"):
        return _linear_explanation(ctx, model, rows, columns)
    return None


def _prepared(prepare, frame: pd.DataFrame) -> np.ndarray:
    out = prepare.transform(frame)
    return out.toarray() if hasattr(out, "toarray") else np.asarray(out, float)


def _tree_explanation(ctx, model, rows: pd.DataFrame, columns: list[str]) -> Explanation | None:
    shap = import_shap()

    try:
        parts = _parts(ctx, model)
        if parts is None or None in parts[2]:
            return None
        prepare, estimator, owners = parts
        transformed = _prepared(prepare, rows)
        explainer = shap.TreeExplainer(estimator)
        raw = np.asarray(explainer.shap_values(transformed))
    except Exception:  # noqa: BLE001 - any SHAP limitation falls back to the model-agnostic method
        return None
    if not _adds_up(estimator, explainer, raw, transformed):
        return None
    values, signed = _positive_class_values(ctx, estimator, raw)
    kind = "log-odds" if "HistGradientBoosting" in type(estimator).__name__ and ctx.task == "classification" else "model output"
    return _per_column(f"SHAP TreeExplainer ({kind})", rows, values, signed, owners, columns)


def _linear_explanation(ctx, model, rows: pd.DataFrame, columns: list[str]) -> Explanation | None:
    shap = import_shap()

    try:
        parts = _parts(ctx, model)
        if parts is None or None in parts[2]:
            return None
        prepare, estimator, owners = parts
        background = _prepared(prepare, ctx.sample_rows(ctx.X_train, LINEAR_BACKGROUND_ROWS))
        if not np.isfinite(background).all():  # missing values the model itself would not accept
            return None
        explainer = shap.LinearExplainer(estimator, shap.maskers.Independent(background, max_samples=len(background)))
        raw = np.asarray(explainer.shap_values(_prepared(prepare, rows)))
    except Exception:  # noqa: BLE001
        return None
    if raw.ndim == 3 and raw.shape[0] != len(rows):  # older shap: (classes, rows, features)
        raw = np.moveaxis(raw, 0, -1)
    if raw.ndim == 2 and raw.shape[1] != len(owners) or not np.isfinite(raw).all():
        return None
    values, signed = _positive_class_values(ctx, estimator, raw)
    kind = "log-odds" if ctx.task == "classification" else "model output"
    return _per_column(f"SHAP LinearExplainer ({kind})", rows, values, signed, owners, columns)


def _per_column(method: str, rows: pd.DataFrame, values: np.ndarray, signed: bool, owners: list[str],
                columns: list[str]) -> Explanation:
    """Encoded columns' SHAP values summed into the input column each came from, for the columns read."""
    per_column = np.zeros((len(rows), len(columns)))
    index = {c: j for j, c in enumerate(columns)}
    for j, owner in enumerate(owners):
        if owner in index:
            per_column[:, index[owner]] += values[:, j]
    return Explanation(method=method, rows=rows, values=per_column, signed=signed, columns=tuple(columns))


def _adds_up(estimator, explainer, raw: np.ndarray, transformed: np.ndarray) -> bool:
    """SHAP values plus the base value must give the model's raw output (they do not for native categorical splits)."""
    output = estimator.decision_function(transformed) if hasattr(estimator, "decision_function") else None
    if output is None and not hasattr(estimator, "predict_proba"):
        output = estimator.predict(transformed)
    if output is None or raw.ndim != 2:
        return True  # shap checks additivity itself for probability outputs
    total = raw.sum(axis=1) + np.ravel(explainer.expected_value)[0]
    scale = max(float(np.std(output)), 1e-6)
    return bool(np.max(np.abs(total - np.ravel(output))) <= 1e-3 * max(scale, 1.0))


def _positive_class_values(ctx, estimator, raw: np.ndarray) -> tuple[np.ndarray, bool]:
    """SHAP values towards the positive class: a single output is the model's score for classes_[1], so it is
    negated when the positive class is classes_[0]."""
    if ctx.task == "regression":
        return raw, True
    classes = [str(c) for c in estimator.classes_]
    if raw.ndim == 3:  # (rows, features, classes)
        if len(classes) == 2:
            return raw[:, :, classes.index(str(ctx.positive_class))], True
        return np.abs(raw).sum(axis=2), False
    if len(classes) == 2:  # one output: the second class
        return (raw if classes[1] == str(ctx.positive_class) else -raw), True
    return np.abs(raw), False


def _permutation_explanation(ctx, model, rows: pd.DataFrame, columns: list[str]) -> Explanation:
    shap = import_shap()

    categories = {c: pd.Categorical(ctx.X_train[c].dropna().astype(str)).categories
                  for c in columns if not pd.api.types.is_numeric_dtype(ctx.X_train[c])}
    template = rows.iloc[[0]]  # the columns the model does not read keep one fixed value

    def encode(frame: pd.DataFrame) -> np.ndarray:
        out = frame[columns].copy()
        for c, cats in categories.items():
            codes = pd.Categorical(out[c], categories=cats).codes.astype(float)
            out[c] = np.where(codes < 0, np.nan, codes)
        return out.to_numpy(dtype=float)

    def decode(matrix: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame(matrix, columns=columns)
        for c, cats in categories.items():
            codes = frame[c].to_numpy()
            labels = np.asarray(cats, dtype=object)
            known = (codes == codes) & (codes >= 0) & (codes < len(labels))  # else empty, as before
            decoded = np.full(len(codes), None, dtype=object)
            decoded[known] = labels[codes[known].astype(int)]
            frame[c] = decoded
        for c in ctx.features:
            if c not in frame:
                frame[c] = np.repeat(template[c].to_numpy(), len(frame))
        return frame[list(ctx.features)]

    multiclass = ctx.task == "classification" and ctx.positive_class is None

    def predict(matrix: np.ndarray) -> np.ndarray:
        frame = decode(matrix)
        if multiclass:
            return np.asarray(model.predict_proba(frame)) if hasattr(model, "predict_proba") else \
                (np.asarray(model.predict(frame)).astype(str)[:, None] == np.asarray(ctx.classes, str)).astype(float)
        return ctx.predict_outcome(model, frame)

    background = encode(ctx.sample_rows(ctx.X_train, ctx.settings.explain_background_rows))
    explainer = shap.PermutationExplainer(predict, shap.maskers.Independent(background, max_samples=len(background)),
                                          seed=ctx.settings.seed)
    result = explainer(encode(rows), max_evals=2 * len(columns) + 1, silent=True)
    values = np.asarray(result.values)
    if values.ndim == 3:
        return Explanation("SHAP PermutationExplainer (class probabilities)", rows, np.abs(values).sum(axis=2), False,
                           tuple(columns))
    return Explanation("SHAP PermutationExplainer (model output)", rows, values, True, tuple(columns))


# ----- stability: copies retrained on resamples -------------------------------------------------------------------------
def resampled_explanations(ctx) -> list[Explanation] | None:
    """Explanations of `RESAMPLES` copies of the model, each retrained on a random `RESAMPLE_SHARE` of the training
    rows and explained on the same held-out rows; computed once per context and shared by the checks. None when the
    model cannot be retrained here."""

    def compute() -> list[Explanation] | None:
        sample = ctx.training_rows
        explanations = []
        with threads.limited(threads.kind_for_rows(len(sample)), ctx.settings.threads):
            for round_ in range(RESAMPLES):
                explanation = _resample_explanation(ctx, sample, round_)
                if explanation is None:
                    return None
                explanations.append(explanation)
        return explanations

    return ctx.shared("explanation_resamples", compute)


def _resample_explanation(ctx, sample: pd.DataFrame, round_: int) -> Explanation | None:
    """One copy retrained on a subsample without replacement (a bootstrap's repeated rows would land in a model's
    own early-stopping split, and the copy would train far longer than the model itself), explained; None when the
    model cannot be retrained here."""
    resample = sample.sample(frac=RESAMPLE_SHARE, replace=False, random_state=ctx.settings.seed + round_ + 1)
    try:
        model = ctx.refit_clone(resample.drop(columns="__y"), resample["__y"])
    except Exception:  # noqa: BLE001 - a model that cannot be retrained here cannot be resampled
        return None
    return explain_model(ctx, model)


# ----- directions ------------------------------------------------------------------------------------------------------
def column_direction(explanation: Explanation, column: str, min_correlation: float) -> tuple[str, str | None]:
    """('raises' | 'lowers' | 'mixed', category or None): how higher values or a category move predictions."""
    if not explanation.signed or column not in explanation.columns:
        return "mixed", None
    j = explanation.columns.index(column)
    contribution = explanation.values[:, j]
    values = explanation.rows[column]
    if pd.api.types.is_numeric_dtype(values):
        known = values.notna().to_numpy()
        x = values.to_numpy(float)[known]
        if known.sum() < 3 or np.std(x) == 0 or np.std(contribution[known]) == 0:
            return "mixed", None
        correlation = float(np.corrcoef(x, contribution[known])[0, 1])
        if correlation >= min_correlation:
            return "raises", None
        if correlation <= -min_correlation:
            return "lowers", None
        return "mixed", None
    by_category = pd.Series(contribution).groupby(values.astype(str).to_numpy()).agg(["mean", "size"])
    by_category = by_category[by_category["size"] >= 3]
    if by_category.empty or float(by_category["mean"].abs().max()) == 0:
        return "mixed", None
    top = by_category["mean"].abs().idxmax()
    return ("raises" if by_category.loc[top, "mean"] > 0 else "lowers"), str(top)


def signed_effect(explanation: Explanation, column: str, category: str | None) -> float:
    """The column's effect in one number (its sign is the direction): for a number, how much the contribution
    changes per standard deviation of the column (least-squares slope); for a category, the mean contribution of
    rows in `category` minus that of the other rows. In the explanation's units (log-odds, or the prediction)."""
    if column not in explanation.columns:
        return 0.0
    contribution = explanation.values[:, explanation.columns.index(column)]
    values = explanation.rows[column]
    if category is None:
        if not pd.api.types.is_numeric_dtype(values):
            return 0.0
        known = values.notna().to_numpy()
        x = values.to_numpy(float)[known]
        if known.sum() < 3 or np.std(x) == 0:
            return 0.0
        return float(np.polyfit((x - x.mean()) / x.std(), contribution[known], 1)[0])
    inside = values.astype(str).to_numpy() == category
    if inside.all() or not inside.any():
        return 0.0
    return float(contribution[inside].mean() - contribution[~inside].mean())


def direction_effect(explanation: Explanation, column: str, min_correlation: float, min_share: float,
                     resamples: list[Explanation] | None, confidence: float = 0.95) -> tuple[str, str | None, str]:
    """(direction, category, effect) for one column, where effect is 'clear' (the direction holds), 'little' (less
    than `min_share` of the influence: no direction is claimed) or 'unstable' (the direction could be chance: none
    is claimed). 'mixed' directions (effects both ways) keep effect 'clear'.

    Whether a direction could be chance is judged from the copies retrained on subsamples (delete-d jackknife,
    Shao and Wu 1989): the standard error of the model's `signed_effect` is the root mean square of the copies'
    differences from it, times sqrt(share / (1 - share)) for copies that each learn from `share` of the rows; the
    direction holds when the effect is at least Student's t (two-sided, `confidence`) standard errors from zero,
    with two degrees of freedom fewer than copies because the copies share rows (measured: a column with no effect
    gets a direction in 4 of 100 seeds at 95%, against 8 with one degree of freedom per copy)."""
    share = float(explanation.shares().get(column, 0.0))
    if share < min_share:
        return "mixed", None, "little"
    direction, category = column_direction(explanation, column, min_correlation)
    if direction == "mixed" or not resamples:
        return direction, category, "clear"
    effect = signed_effect(explanation, column, category)
    deviations = np.array([signed_effect(other, column, category) - effect for other in resamples])
    error = float(np.sqrt(np.mean(deviations ** 2)) * np.sqrt(RESAMPLE_SHARE / (1 - RESAMPLE_SHARE)))
    needed = float(student_t.ppf(0.5 + confidence / 2, df=max(1, len(resamples) - 2)))
    if effect == 0 or abs(effect) < needed * error or (effect > 0) != (direction == "raises"):
        return "mixed", None, "unstable"
    return direction, category, "clear"


def case_contributions(explanation: Explanation, row: int, count: int = 5) -> list[tuple[str, object, float]]:
    """For one explained row: (column, its value, contribution) for the columns that moved it most."""
    values = explanation.values[row]
    order = np.argsort(-np.abs(values))[:count]
    return [(explanation.columns[j], explanation.rows.iloc[row][explanation.columns[j]], float(values[j]))
            for j in order]
