"""Models: infer the task, train the reference model, load an uploaded model safely."""
from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from . import model_files
from .errors import InputError

SAFE_TYPE_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.", "builtins.", "collections.OrderedDict",
                      "collections.defaultdict", "functools.partial", "_thread.")
PICKLE_SUFFIXES = {".joblib", ".pkl", ".pickle"}
MODEL_SUFFIXES = {".skops", *PICKLE_SUFFIXES, ".json", ".ubj", ".txt", ".onnx"}  # see model_files for the last four
REFERENCE_MAX_ROUNDS = 300


@dataclass(frozen=True)
class LoadedModel:
    """An uploaded model with the bytes it came from."""

    estimator: Any
    name: str
    sha256: str
    size_bytes: int


def infer_task(target: pd.Series) -> str:
    """'classification' for labels, 'regression' for continuous numbers."""
    values = target.dropna()
    if values.empty:
        raise InputError(f"The target column '{target.name}' is empty; choose a column that holds the outcome.")
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return "classification"
    unique = values.nunique()
    is_whole = bool(np.all(np.mod(values.astype(float), 1) == 0))
    if unique <= 2 or (is_whole and unique <= 10):
        return "classification"
    return "regression"


def normalize_features(frame: pd.DataFrame) -> pd.DataFrame:
    """The model's view of typed inputs: dates become days since 1970 (instants with a time zone are taken in UTC
    first, so '2024-03-30T10:00+01:00' and '2024-03-30T09:00Z' are the same number); infinite numbers become
    missing; text columns hold text only (numbers mixed in become text). What the loader noted while reading
    (`frame.attrs`) is not carried along: pandas copies attrs on every operation, and a model never needs them."""
    frame = frame.copy()
    frame.attrs = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            if isinstance(values.dtype, pd.DatetimeTZDtype):
                values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            frame[column] = (values - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
        elif pd.api.types.is_float_dtype(values):
            if np.isinf(values.to_numpy(dtype=float, na_value=np.nan)).any():
                frame[column] = values.where(~np.isinf(values.to_numpy(dtype=float, na_value=np.nan)))
        elif not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            frame[column] = values.astype(str).where(values.notna(), None).astype(object)
    return frame


def reference_model(features: pd.DataFrame, task: str, seed: int, rounds: int | None = None,
                    columns: list[str] | None = None) -> Pipeline:
    """An untrained Pipeline: category encoding, then regularised histogram gradient boosting.

    It is fitted on frames with all of `features`' columns but reads only `columns` (default: all); the others
    are dropped. Empty cells stay empty: the trees send them down their own branch, so a blank that carries
    information (a yes/blank flag) keeps it. Categories are encoded as ordered codes split like numbers (not the
    booster's native categorical splits), so that exact tree SHAP values stay correct. `rounds` None: each fit
    stops early on a validation share of its own rows (at most 300 rounds); a number: exactly that many rounds
    (for data where an outcome is too rare to split validation rows off every fit).
    """
    used = list(features.columns) if columns is None else [c for c in features.columns if c in set(columns)]
    categorical = [c for c in used if not pd.api.types.is_numeric_dtype(features[c])]
    numeric = [c for c in used if c not in categorical]
    encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                             encoded_missing_value=np.nan, min_frequency=5, max_categories=250)
    prepare = ColumnTransformer(
        [("num", "passthrough", numeric),
         ("cat", encoder, categorical)],
        verbose_feature_names_out=True,
    )
    params = dict(learning_rate=0.1, max_iter=REFERENCE_MAX_ROUNDS if rounds is None else int(rounds),
                  max_leaf_nodes=8, min_samples_leaf=20, l2_regularization=1.0, early_stopping=rounds is None,
                  validation_fraction=0.15, n_iter_no_change=20, random_state=seed, categorical_features=None)
    estimator = (HistGradientBoostingClassifier(**params) if task == "classification"
                 else HistGradientBoostingRegressor(**params))
    return Pipeline([("prepare", prepare), ("model", estimator)])


def simple_model(features: pd.DataFrame, task: str) -> Pipeline:
    """An untrained simple linear model (logistic or ridge regression) to compare the model with."""
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    numeric = [c for c in features.columns if c not in categorical]
    prepare = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median", keep_empty_features=True, add_indicator=True)),
                          ("scale", StandardScaler())]), numeric),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent", keep_empty_features=True)),
                          ("encode", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5,
                                                   max_categories=30))]), categorical),
    ])
    estimator = LogisticRegression(max_iter=2000) if task == "classification" else Ridge()
    return Pipeline([("prepare", prepare), ("model", estimator)])


def load_model(source: str | Path | bytes, name: str | None = None, allow_pickle: bool = False) -> LoadedModel:
    """Load a .skops model with an allow-list of types; XGBoost (.json, .ubj), LightGBM (.txt) and ONNX (.onnx)
    files with their own libraries (see `model_files`; matched to the data by `model_files.bind_to_data`);
    pickle/joblib only when allowed."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        if not path.is_file():
            raise InputError(f"The model file '{path}' does not exist; check the path.")
        raw = path.read_bytes()
    else:
        raw, name = bytes(source), name or "model.skops"
    suffix = Path(name).suffix.lower()
    if suffix not in MODEL_SUFFIXES:
        raise InputError(f"'{name}' is not a supported model file; save the model with skops (.skops), or in "
                         "XGBoost's (.json, .ubj), LightGBM's (.txt) or the ONNX (.onnx) format.")
    if not raw:
        raise InputError(f"The model file '{name}' is empty; save the model again.")
    if suffix in model_files.MODEL_FILE_SUFFIXES:
        estimator = model_files.load_model_file(raw, name)
    else:
        estimator = _load_skops(raw, name) if suffix == ".skops" else _load_pickle(raw, name, allow_pickle)
    if not hasattr(estimator, "predict"):
        raise InputError(f"'{name}' does not hold a model that can predict; save the trained model itself.")
    return LoadedModel(estimator=estimator, name=name, sha256=hashlib.sha256(raw).hexdigest(), size_bytes=len(raw))


def _load_skops(raw: bytes, name: str) -> Any:
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(data=raw)
    except Exception:  # noqa: BLE001 - a damaged archive is the user's file
        raise InputError(f"'{name}' is not a valid skops model file; save the model again with skops.") from None
    unsafe = [t for t in untrusted if not t.startswith(SAFE_TYPE_PREFIXES)]
    if unsafe:
        raise InputError(f"'{name}' contains code types mlready does not trust ({', '.join(unsafe[:3])}); "
                         "ask your team for a model built from scikit-learn parts only.")
    try:
        return sio.loads(raw, trusted=list(untrusted))
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"'{name}' could not be loaded ({type(exc).__name__}); save it again with the same "
                         "scikit-learn version as mlready uses.") from None


def _load_pickle(raw: bytes, name: str, allow_pickle: bool) -> Any:
    if not allow_pickle:
        raise InputError(f"'{name}' is a pickle/joblib file, which can run code when opened; use a .skops file, "
                         "or allow pickle files only if you trust whoever made it.")
    import joblib

    try:
        return joblib.load(io.BytesIO(raw))
    except Exception:  # noqa: BLE001
        try:
            return pickle.loads(raw)  # noqa: S301 - the user explicitly allowed it
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"'{name}' could not be opened as a model ({type(exc).__name__}); save it again.") from None


LINEAR_MODELS = ("LogisticRegression", "RidgeClassifier", "Ridge", "LinearRegression", "Lasso", "ElasticNet",
                 "SGDClassifier", "SGDRegressor", "LinearSVC", "LinearSVR", "Lars", "LassoLars", "BayesianRidge",
                 "ARDRegression", "HuberRegressor", "QuantileRegressor", "PoissonRegressor", "GammaRegressor",
                 "TweedieRegressor", "Perceptron", "PassiveAggressive", "LinearDiscriminantAnalysis")


def is_linear(kind: str) -> bool:
    """Whether a model type (as `describe_model` names it) is itself a linear model, such as the simple model
    mlready compares with."""
    inner = kind.removeprefix("Pipeline(").removesuffix(")")
    return inner.startswith(LINEAR_MODELS)


def describe_model(estimator: Any) -> str:
    """A short name for the model type, e.g. 'Pipeline(HistGradientBoostingClassifier)'."""
    if isinstance(estimator, Pipeline):
        return f"Pipeline({type(estimator[-1]).__name__})"
    return type(estimator).__name__


def serialized_size(estimator: Any) -> int:
    """The model's size when saved with skops, in bytes."""
    import skops.io as sio

    return len(sio.dumps(estimator))
