"""Model files in their libraries' own safe formats: XGBoost (`.json`, `.ubj`), LightGBM (text `.txt`), ONNX (`.onnx`).

None of these formats can run code when opened: XGBoost and LightGBM files hold trees and settings, and an ONNX file
holds a graph of standard operators run by onnxruntime (no custom-operator library is ever registered). Each is
wrapped in a small scikit-learn-like object (`predict`, `predict_proba` for classifiers, `classes_`,
`feature_names_in_`) that reads the table's columns by name (or, when the file names none, in the table's order),
turns text columns into the categories the model was trained with, and runs single-threaded like one serving worker.

The libraries are optional extras: `pip install 'mlready[xgboost]'`, `'mlready[lightgbm]'`, `'mlready[onnx]'`;
without one, loading says which to install. A file that does not fit the table (a missing column, a number column
the table holds as text, another task or other outcomes) raises an InputError with one plain sentence.

Boosters do not record their outcome labels: their outcome numbers 0, 1, … are read as the table's outcomes in
sorted order (how scikit-learn's LabelEncoder and XGBoost's and LightGBM's classifiers number them), and the notes
say so. ONNX classifiers name their labels, which must match the table's.
"""
from __future__ import annotations

import copy
import json
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .errors import InputError

SUFFIX_LIBRARY = {".json": "xgboost", ".ubj": "xgboost", ".txt": "lightgbm", ".onnx": "onnx"}
MODEL_FILE_SUFFIXES = frozenset(SUFFIX_LIBRARY)
_LIBRARY = {  # library -> (module to import, name in words, pip extra)
    "xgboost": ("xgboost", "XGBoost", "xgboost"),
    "lightgbm": ("lightgbm", "LightGBM", "lightgbm"),
    "onnx": ("onnxruntime", "ONNX", "onnx"),
}


def _require(library: str, name: str):
    module, words, extra = _LIBRARY[library]
    try:
        return __import__(module)
    except ImportError:
        raise InputError(f"'{name}' is a {words} model, and reading it needs the optional {words} support; "
                         f"install it with: pip install 'mlready[{extra}]'.") from None


# ----- engines: one per library, turning a prepared frame into raw outputs --------------------------------------
class _Engine:
    library = ""
    prefix = ""
    words = ""

    def __init__(self) -> None:
        self.feature_names: list[str] | None = None   # the columns the model reads, in its order (None: unnamed)
        self.n_features: int | None = None
        self.kinds: dict[str, str] = {}                 # column -> 'number' | 'category' | 'integer' | 'text'
        self.categories: dict[str, list | None] = {}    # category column -> its categories in training order
        self.task: str = "regression"                   # 'classification' | 'regression'
        self.n_classes: int = 0
        self.labels: list | None = None                 # outcome labels the file records (ONNX), else None
        self.has_probabilities = True

    def outputs(self, frame: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(probabilities [n, classes] or None, predicted values / label indices or labels [n] or None)."""
        raise NotImplementedError


class _XGBoost(_Engine):
    library, prefix, words = "xgboost", "XGB", "XGBoost"

    def __init__(self, raw: bytes, name: str) -> None:
        super().__init__()
        xgb = _require("xgboost", name)
        if name.lower().endswith(".json"):
            try:
                parsed = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise InputError(f"'{name}' is not a valid JSON file; save the XGBoost model again with "
                                 "model.save_model('model.json').") from None
            if not isinstance(parsed, dict) or "learner" not in parsed:
                raise InputError(f"'{name}' is a JSON file but not an XGBoost model; save the model with "
                                 "XGBoost's model.save_model('model.json').")
        self.booster = xgb.Booster()
        try:
            self.booster.load_model(bytearray(raw))
        except Exception:  # noqa: BLE001 - a damaged file is the user's
            raise InputError(f"'{name}' could not be read as an XGBoost model; save it again with "
                             "model.save_model('model.json') or ('model.ubj').") from None
        self.booster.set_param({"nthread": 1})
        config = json.loads(self.booster.save_config())["learner"]
        objective = config["objective"]["name"]
        self.n_features = int(config["learner_model_param"]["num_feature"])
        classes = int(config["learner_model_param"].get("num_class", "0") or 0)
        if objective.startswith(("binary:", "multi:")):
            self.task = "classification"
            self.n_classes = max(classes, 2)
            self.has_probabilities = objective in ("binary:logistic", "binary:logitraw", "multi:softprob")
            self.objective = objective
        elif objective.startswith(("reg:", "count:", "survival:")):
            self.task, self.objective = "regression", objective
        else:
            raise InputError(f"'{name}' is an XGBoost model for '{objective}'; mlready assesses classification "
                             "and regression models only.")
        self.feature_names = list(self.booster.feature_names) if self.booster.feature_names else None
        types = list(self.booster.feature_types or [])
        stored = self._stored_categories()
        for position, kind in enumerate(types):
            column = self.feature_names[position] if self.feature_names else str(position)
            if kind == "c":
                self.kinds[column] = "category"
                self.categories[column] = stored.get(column)
            else:
                self.kinds[column] = "number"

    def _stored_categories(self) -> dict[str, list]:
        """Category names saved in the model (XGBoost 3.1 and later), else {}."""
        try:
            pairs = self.booster.get_categories(export_to_arrow=True).to_arrow()
        except Exception:  # noqa: BLE001 - older XGBoost, or a model without categories
            return {}
        return {str(column): values.to_pylist() for column, values in pairs if values is not None}

    def matrix(self, frame: pd.DataFrame):
        import xgboost as xgb

        return xgb.DMatrix(frame, enable_categorical=True, nthread=1)

    def outputs(self, frame):
        matrix = self.matrix(frame)
        if self.task == "regression":
            return None, np.asarray(self.booster.predict(matrix), dtype=float)
        if not self.has_probabilities:  # binary:hinge, multi:softmax: the answer only
            return None, np.asarray(self.booster.predict(matrix)).astype(int)
        raw = np.asarray(self.booster.predict(matrix), dtype=float)
        if self.objective == "binary:logitraw":
            raw = 1.0 / (1.0 + np.exp(-raw))
        return (np.column_stack([1 - raw, raw]) if raw.ndim == 1 else raw), None


class _LightGBM(_Engine):
    library, prefix, words = "lightgbm", "LGBM", "LightGBM"

    def __init__(self, raw: bytes, name: str) -> None:
        super().__init__()
        lgb = _require("lightgbm", name)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"'{name}' is not a LightGBM text model; save it with booster.save_model('model.txt').") \
                from None
        if not text.lstrip().startswith("tree"):
            raise InputError(f"'{name}' is not a LightGBM model file; save the model with LightGBM's "
                             "booster.save_model('model.txt') (a .txt model is read as LightGBM).")
        try:
            self.booster = lgb.Booster(model_str=text)
        except Exception:  # noqa: BLE001
            raise InputError(f"'{name}' could not be read as a LightGBM model; save it again with "
                             "booster.save_model('model.txt').") from None
        header = dict(line.split("=", 1) for line in text.split("\nTree=", 1)[0].splitlines() if "=" in line)
        objective = header.get("objective", "regression").split()[0]
        if objective in ("binary", "multiclass", "multiclassova", "softmax", "multiclass_ova", "ova"):
            self.task = "classification"
            self.n_classes = max(int(header.get("num_class", "1")), 2)
        elif objective.startswith(("lambdarank", "rank_xendcg")):
            raise InputError(f"'{name}' is a LightGBM ranking model; mlready assesses classification and "
                             "regression models only.")
        self.objective = objective
        self.feature_names = list(self.booster.feature_name())
        infos = header.get("feature_infos", "").split()
        categorical = [i for i, info in enumerate(infos) if info != "none" and not info.startswith("[")]
        pandas_categories = list(self.booster.pandas_categorical or [])
        for position, column in enumerate(self.feature_names):
            if position in categorical:
                self.kinds[column] = "category"
                order = categorical.index(position)
                self.categories[column] = pandas_categories[order] if order < len(pandas_categories) else None
            else:
                self.kinds[column] = "number"
        self.n_features = len(self.feature_names)

    def outputs(self, frame):
        values = np.asarray(self.booster.predict(frame, num_threads=1), dtype=float)
        if self.task == "regression":
            return None, values
        return (np.column_stack([1 - values, values]) if values.ndim == 1 else values), None


class _ONNX(_Engine):
    library, prefix, words = "onnx", "ONNX", "ONNX"
    _TYPES = {"tensor(float)": ("number", np.float32), "tensor(double)": ("number", np.float64),
              "tensor(int64)": ("integer", np.int64), "tensor(int32)": ("integer", np.int32),
              "tensor(string)": ("text", object)}

    def __init__(self, raw: bytes, name: str) -> None:
        super().__init__()
        ort = _require("onnx", name)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(raw, sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001
            detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            raise InputError(f"'{name}' could not be opened as an ONNX model ({detail}); export it again with the "
                             "standard operators only.") from None
        inputs = self.session.get_inputs()
        self.inputs = [(i.name, i.type, i.shape) for i in inputs]
        for column, kind, _ in self.inputs:
            if kind not in self._TYPES:
                raise InputError(f"'{name}' has an input '{column}' of type {kind}; mlready reads ONNX models "
                                 "whose inputs are numbers or text.")
        if len(inputs) == 1 and len(inputs[0].shape) == 2 and inputs[0].shape[1] not in (1,):
            self.tensor = inputs[0].name   # one matrix: columns by position
            width = inputs[0].shape[1]
            self.n_features = width if isinstance(width, int) else None
            self.dtype = self._TYPES[inputs[0].type][1]
        else:
            self.tensor = None             # one input per column, by name
            self.feature_names = [i.name for i in inputs]
            self.kinds = {i.name: self._TYPES[i.type][0] for i in inputs}
            self.n_features = len(inputs)
        outputs = self.session.get_outputs()
        self.output_names = [o.name for o in outputs]
        label = next((o for o in outputs if o.type in ("tensor(int64)", "tensor(string)") and len(o.shape) <= 2), None)
        probability = next((o for o in outputs if o is not label and
                            (o.type.startswith("seq(map(") or o.type in ("tensor(float)", "tensor(double)"))), None)
        if label is not None:
            self.task, self.label_output = "classification", label.name
            self.probability_output = probability.name if probability is not None else None
            self.has_probabilities = probability is not None
            self.labels = self._graph_labels(raw)
            self.n_classes = len(self.labels) if self.labels else 0
        elif outputs and outputs[0].type in ("tensor(float)", "tensor(double)") and len(outputs[0].shape) == 2 \
                and isinstance(outputs[0].shape[1], int) and outputs[0].shape[1] >= 2:
            self.task, self.label_output, self.probability_output = "classification", None, outputs[0].name
            self.n_classes = outputs[0].shape[1]   # chances only: the outcomes are numbered, in sorted order
        elif outputs and outputs[0].type in ("tensor(float)", "tensor(double)"):
            self.value_output = outputs[0].name
        else:
            raise InputError(f"'{name}' has no output mlready can read (a label with probabilities, or one "
                             "number per row); export the model's predictions as such.")

    @staticmethod
    def _graph_labels(raw: bytes) -> list | None:
        """Class labels recorded in the graph (classifier nodes' classlabels_* attributes)."""
        try:
            import onnx
        except ImportError:
            return None
        for node in onnx.load_from_string(raw).graph.node:
            for attribute in node.attribute:
                if attribute.name == "classlabels_strings" and attribute.strings:
                    return [s.decode("utf-8") for s in attribute.strings]
                if attribute.name in ("classlabels_int64s", "classlabels_ints") and attribute.ints:
                    return list(attribute.ints)
        return None

    def feed(self, frame: pd.DataFrame) -> dict:
        if self.tensor is not None:
            return {self.tensor: frame.to_numpy(dtype=self.dtype)}
        feed = {}
        for column, kind, shape in self.inputs:
            values = frame[column]
            dtype = self._TYPES[kind][1]
            if dtype is object:
                array = values.map(lambda v: "" if v is None or v != v else str(v)).to_numpy(dtype=object)
            else:
                if values.isna().any() and np.issubdtype(dtype, np.integer):
                    raise ValueError(f"the model takes whole numbers for '{column}' and cannot read an empty value")
                array = values.to_numpy(dtype=dtype)
            feed[column] = array.reshape(-1, 1) if len(shape) == 2 else array
        return feed

    def outputs(self, frame):
        if self.task == "regression":
            (values,) = self.session.run([self.value_output], self.feed(frame))
            return None, np.asarray(values, dtype=float).reshape(len(frame), -1)[:, 0]
        if self.label_output is None:
            (probabilities,) = self.session.run([self.probability_output], self.feed(frame))
            return np.asarray(probabilities, dtype=float).reshape(len(frame), -1), None
        names = [self.label_output] + ([self.probability_output] if self.probability_output else [])
        result = self.session.run(names, self.feed(frame))
        labels = np.asarray(result[0]).reshape(-1)
        if not self.probability_output:
            return None, labels
        probabilities = result[1]
        if isinstance(probabilities, list):  # ZipMap: one {label: chance} per row
            keys = list(probabilities[0]) if probabilities else list(self.labels or [])
            if self.labels is None:
                self.labels, self.n_classes = keys, len(keys)
            probabilities = np.array([[row[k] for k in self.labels] for row in probabilities], dtype=float)
        return np.asarray(probabilities, dtype=float).reshape(len(frame), -1), labels


_ENGINES = {"xgboost": _XGBoost, "lightgbm": _LightGBM, "onnx": _ONNX}


# ----- the scikit-learn-like wrapper ---------------------------------------------------------------------------
class _FileModel:
    """A model file's engine bound to one table's columns (and outcomes)."""

    _estimator_type = "regressor"

    def __init__(self, engine: _Engine, columns: list[str], classes: list | None, notes: Sequence[str]) -> None:
        self.engine = engine
        self.columns = columns                    # the table's columns, in the order the model reads them
        self.feature_names_in_ = np.asarray(columns, dtype=object)
        self.n_features_in_ = len(columns)
        self.notes = tuple(notes)
        if classes is not None:
            self.classes_ = np.asarray(classes, dtype=object)

    @property
    def library(self) -> str:
        return self.engine.library

    def prepare(self, X: pd.DataFrame) -> pd.DataFrame:  # noqa: N803
        """The table's columns as the model reads them: its names, its order, its categories and number types."""
        missing = [c for c in self.columns if c not in X.columns]
        if missing:
            raise KeyError(f"the column '{missing[0]}' is missing")
        frame = X[self.columns].copy()
        names = self.engine.feature_names or self.columns
        for column, name in zip(self.columns, names):
            kind = self.engine.kinds.get(name, "number")
            values = frame[column]
            if kind == "category":
                categories = self.engine.categories.get(name)
                text = values.map(lambda v: None if v is None or v != v else _label(v))
                frame[column] = pd.Categorical(text, categories=categories)
            elif kind in ("number", "integer") and values.dtype == object:  # yes/no columns arrive as 'True'/'False'
                frame[column] = pd.to_numeric(values.replace({"True": 1, "False": 0}), errors="raise")
        if self.engine.feature_names:
            frame.columns = self.engine.feature_names
        return frame

    def predict(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        _, values = self.engine.outputs(self.prepare(X))
        return np.asarray(values, dtype=float)

    def __sklearn_clone__(self):  # a model file cannot be retrained here: checks that retrain skip it
        raise TypeError("a model read from its own file format cannot be retrained here")


class _FileClassifier(_FileModel):
    _estimator_type = "classifier"

    def _label_of(self, raw: np.ndarray) -> np.ndarray:
        if raw.dtype.kind in "iu" and self.engine.labels is None:
            return self.classes_[raw.astype(int)]
        by_text = {str(label): label for label in self.classes_}
        return np.asarray([by_text.get(str(v), v) for v in raw], dtype=object)

    def predict(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        probabilities, labels = self.engine.outputs(self.prepare(X))
        if labels is not None:
            return self._label_of(np.asarray(labels))
        return self.classes_[np.argmax(probabilities, axis=1)]


class _FileProbabilityClassifier(_FileClassifier):
    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        probabilities, _ = self.engine.outputs(self.prepare(X))
        return probabilities


def _named(prefix: str, base: type) -> type:
    kind = "Classifier" if issubclass(base, _FileClassifier) else "Regressor"
    return type(f"{prefix}{kind}File", (base,), {"__doc__": f"A {prefix} {kind.lower()} read from its own file."})


_CLASSES = {(engine.prefix, base): _named(engine.prefix, base) for engine in _ENGINES.values()
            for base in (_FileModel, _FileClassifier, _FileProbabilityClassifier)}


class UnboundModelFile:
    """A model file read but not yet matched to a table (that happens in `bind_to_data`)."""

    def __init__(self, engine: _Engine, name: str) -> None:
        self.engine, self.name = engine, name

    def predict(self, X):  # noqa: N803 - only reached when used without data; say so plainly
        raise TypeError(f"'{self.name}' must be matched to a table first (mlready.model_files.bind_to_data)")


def load_model_file(raw: bytes, name: str) -> UnboundModelFile:
    """Read an XGBoost, LightGBM or ONNX model file by its suffix (InputError with one sentence when it cannot)."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    library = SUFFIX_LIBRARY.get(suffix)
    if library is None:
        raise InputError(f"'{name}' is not an XGBoost, LightGBM or ONNX model file.")
    return UnboundModelFile(_ENGINES[library](raw, name), name)


def estimator_task(estimator: Any) -> str | None:
    """'classification' or 'regression' for a scikit-learn estimator (a Pipeline by its last step) that says which
    it is, else None (a model of another kind, or one that says neither)."""
    from sklearn.base import is_classifier, is_regressor

    try:
        if is_classifier(estimator):
            return "classification"
        if is_regressor(estimator):
            return "regression"
    except Exception:  # noqa: BLE001 - an object scikit-learn cannot inspect says neither
        return None
    return None


def check_estimator_task(estimator: Any, name: str, task: str) -> None:
    """Raise InputError when a scikit-learn model predicts numbers for a category target, or outcomes for a number
    target (its predictions would be scored as nonsense), as for a model file of the other task."""
    kind = estimator_task(estimator)
    if kind is None or kind == task:
        return
    said = ("numbers (regression), but the target is a category (classification)" if kind == "regression"
            else "outcomes (classification), but the target is a number (regression)")
    raise InputError(f"The model '{name}' predicts {said}; choose the other task, or the model trained for this "
                     "target.")


def bind_to_data(loaded, task: str, classes: list, features: list[str], frame: pd.DataFrame | None = None):
    """The LoadedModel with its model file matched to the table: columns by name (or in the table's order when the
    file names none), category columns, the task and the outcomes. Other models are returned unchanged.

    Raises InputError, naming the file and the column or outcome, when the file does not fit the table.
    """
    from dataclasses import replace

    unbound = loaded.estimator
    if not isinstance(unbound, UnboundModelFile):
        check_estimator_task(unbound, loaded.name, task)
        return loaded
    engine, name = copy.copy(unbound.engine), unbound.name
    notes = []
    if engine.task != task:
        said = "numbers (regression)" if engine.task == "regression" else "outcomes (classification)"
        raise InputError(f"The model '{name}' predicts {said}, but the task is {task}; choose the other task, or "
                         "the model trained for this target.")
    if engine.feature_names is not None:
        missing = [c for c in engine.feature_names if c not in features]
        if missing:
            raise InputError(f"The model '{name}' reads a column '{missing[0]}' that the data does not have; use "
                             "the data the model was trained on.")
        columns = list(engine.feature_names)
    else:
        if engine.n_features is not None and engine.n_features != len(features):
            raise InputError(f"The model '{name}' reads {engine.n_features} input columns and names none, but the "
                             f"data has {len(features)}; give the data with exactly the model's columns, in its order.")
        columns = list(features)
        notes.append(f"The model file names no input columns, so the data's {len(columns)} input columns were given "
                     "to it in the data's order.")
    if frame is not None:
        _check_kinds(engine, name, columns, frame, notes)
    labels = None
    if task == "classification":
        labels = _outcomes(engine, name, classes, notes)
    if task == "regression":
        base = _FileModel
    else:
        base = _FileProbabilityClassifier if engine.has_probabilities else _FileClassifier
    model = _CLASSES[(engine.prefix, base)](engine, columns, labels, notes)
    return replace(loaded, estimator=model)


def _check_kinds(engine: _Engine, name: str, columns: list[str], frame: pd.DataFrame, notes: list[str]) -> None:
    names = engine.feature_names or columns
    for column, model_name in zip(columns, names):
        kind = engine.kinds.get(model_name, "number")
        values = frame[column]
        numeric = pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)
        if kind in ("number", "integer") and not numeric:
            raise InputError(f"The model '{name}' reads '{column}' as a number, but the data holds text there; "
                             f"correct the column's type, or use the model trained on these columns.")
        if kind == "category" and engine.categories.get(model_name) is None:
            if numeric and not pd.api.types.is_bool_dtype(values):
                continue  # category numbers, read as they are
            observed = sorted({_label(v) for v in frame[column].dropna()})
            engine.categories = {**engine.categories, model_name: observed}
            notes.append(f"The model file does not record the categories of '{column}'; they were numbered in "
                         "sorted order, as pandas does when a model is trained.")


def _outcomes(engine: _Engine, name: str, classes: list, notes: list[str]) -> list:
    if engine.labels is not None:
        by_text = {str(c): c for c in classes}
        unknown = [str(label) for label in engine.labels if str(label) not in by_text]
        if unknown or len(engine.labels) < len(classes):
            raise InputError(f"The model '{name}' predicts the outcomes {', '.join(map(str, engine.labels))}, but "
                             f"the target holds {', '.join(map(str, classes))}; use the model trained for this target.")
        return [by_text[str(label)] for label in engine.labels]
    if engine.n_classes and engine.n_classes != len(classes):
        raise InputError(f"The model '{name}' tells {engine.n_classes} outcomes apart, but the target holds "
                         f"{len(classes)}; use the model trained for this target.")
    try:
        ordered = sorted(classes)
    except TypeError:
        ordered = sorted(classes, key=str)
    notes.append("The model file does not name its outcomes; its outcome numbers "
                 f"{', '.join(str(i) for i in range(len(ordered)))} were read as "
                 f"{', '.join(repr(str(c)) for c in ordered)} (sorted order, as scikit-learn numbers them).")
    return ordered


def _label(value: Any) -> Any:
    """A category value as text, whole numbers without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tree_explanation(ctx, model, rows: pd.DataFrame):
    """Exact tree SHAP values for an XGBoost or LightGBM model file, mapped to the table's input columns
    (an `explain.Explanation`), or None for any other model or when SHAP cannot explain it."""
    if not isinstance(model, _FileModel) or model.library not in ("xgboost", "lightgbm"):
        return None
    from .explain import Explanation, import_shap

    shap = import_shap()

    try:
        prepared = model.prepare(rows)
        data = model.engine.matrix(prepared) if model.library == "xgboost" else prepared
        raw = np.asarray(shap.TreeExplainer(model.engine.booster).shap_values(data), dtype=float)
    except Exception:  # noqa: BLE001 - any SHAP limitation falls back to the model-agnostic method
        return None
    signed = True
    if ctx.task == "classification":
        if raw.ndim == 3:  # (rows, features, classes)
            if raw.shape[2] == 2 and ctx.positive_class is not None:
                raw = raw[:, :, list(model.classes_).index(ctx.positive_class)]
            else:
                raw, signed = np.abs(raw).sum(axis=2), False
        elif ctx.positive_class is not None and str(model.classes_[0]) == str(ctx.positive_class):
            raw = -raw  # one output: the log-odds of the second outcome
        elif ctx.positive_class is None:
            raw, signed = np.abs(raw), False
    values = np.zeros((len(rows), len(ctx.features)))
    for j, column in enumerate(model.columns):
        values[:, ctx.features.index(column)] = raw[:, j]
    kind = "log-odds" if ctx.task == "classification" else "model output"
    return Explanation(method=f"SHAP TreeExplainer on the {model.engine.words} model ({kind})", rows=rows,
                       values=values, signed=signed)
