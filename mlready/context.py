"""The shared, lazily computed state every check reads: data, split, model, predictions (inputs are
checked first, in `validation`)."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import train_test_split

from . import threads, validation
from .column_types import apply_column_types
from .config import Settings
from .errors import InputError
from .findings import PillarResult
from .loading import Table
from .suggest import favourable_outcome as favourable_outcome_for
from .modeling import LoadedModel, describe_model, infer_task, normalize_features, reference_model

Progress = Callable[[str, float], None]

METRIC_LABELS = {
    "roc_auc": "ROC AUC",
    "balanced_accuracy": "balanced accuracy",
    "r2": "R²",
}
EARLY_STOPPING_MIN_ROWS = 20  # per outcome: fewer, and the reference model trains without a validation split


@dataclass(frozen=True)
class Metric:
    """The task's headline metric: its name, its chance level, and how to compute it."""

    name: str
    chance: float

    @property
    def label(self) -> str:
        return METRIC_LABELS[self.name]


class AssessmentContext:
    """Everything a check may need, computed once on first use and shared by all checks."""

    def __init__(self, data: Table, target: str, *, test: Table | None = None, new_data: Table | None = None,
                 model: LoadedModel | None = None, task: str | None = None, positive_class: Any = None,
                 sensitive: tuple[str, ...] | list[str] = (), settings: Settings | None = None,
                 column_types: dict[str, str] | None = None, favourable_outcome: Any = None) -> None:
        self.data, self.test, self.new_data, self.uploaded_model = data, test, new_data, model
        # column names are read with surrounding spaces removed, so the user's names are matched the same way
        target = str(target).strip()
        self.target = target
        self.settings = settings or Settings()
        self.sensitive = tuple(dict.fromkeys(str(c).strip() for c in sensitive))
        column_types = {str(c).strip(): kind for c, kind in (column_types or {}).items()}
        self.results: dict[str, PillarResult] = {}
        self._shared: dict[str, Any] = {}
        self.lock = threading.RLock()
        validation.check_columns(data, target, self.sensitive, test, new_data)
        self.column_types = validation.column_types(
            data, self.sample_rows(data.frame, self.settings.max_rows_checks), target, self.sensitive, column_types)
        self.frame = apply_column_types(data.frame, self.column_types)
        self.task = task or infer_task(self.frame[target])
        if self.task not in ("classification", "regression"):
            raise InputError(f"The task '{self.task}' is unknown; use 'classification' or 'regression'.")
        self.train_frame, self.rows_without_target = validation.rows_with_target(self.frame, data.name, target, self.task)
        self.positive_class = (validation.positive_class(self.train_frame[target], self.classes, positive_class)
                               if self.task == "classification" else None)
        # the outcome that is good for the person concerned (fairness rates refer to it); None when not known
        self.favourable_outcome, self.favourable_source = favourable_outcome_for(self.classes, target, self.task,
                                                                                 favourable_outcome)

    def typed(self, table: Table) -> pd.DataFrame:
        """Another table of the user's with this data's column types applied."""
        return apply_column_types(table.frame, self.column_types)

    # ----- data and split ------------------------------------------------------------------------
    @cached_property
    def classes(self) -> list:
        """The target's outcomes (classification), sorted."""
        if self.task != "classification":
            return []
        return sorted(self.train_frame[self.target].unique().tolist(), key=str)

    @cached_property
    def features(self) -> list[str]:
        """The model's input columns."""
        return [c for c in self.train_frame.columns if c != self.target]

    @cached_property
    def reference_features(self) -> list[str]:
        """The columns mlready's own reference model reads: every input column except identifiers (nothing general
        can be learned from them) and sensitive columns (so the reference model does not decide by them)."""
        return [c for c in self.features if self.column_types.get(c) != "identifier" and c not in self.sensitive]

    @property
    def model_features(self) -> list[str]:
        """The input columns the assessed model reads: the uploaded model's own input names when it records them
        (else every input column), or the reference model's columns."""
        if self.model_source == "uploaded":
            names = getattr(self.model, "feature_names_in_", None)
            return list(self.features) if names is None else [c for c in self.features if c in {str(n) for n in names}]
        return self.reference_features

    @cached_property
    def _split(self) -> tuple[pd.DataFrame, pd.DataFrame, str]:
        if self.test is not None:
            typed = self.typed(self.test)
            test_frame = typed.loc[typed[self.target].notna()].reset_index(drop=True)
            if len(test_frame) == 0:
                raise InputError(f"The held-out data '{self.test.name}' has no rows with a target value.")
            return self.train_frame, test_frame, f"the held-out file '{self.test.name}'"
        y = self.train_frame[self.target]
        stratify = y if self.task == "classification" and y.value_counts().min() >= 2 else None
        train, test = train_test_split(self.train_frame, test_size=self.settings.test_share,
                                       random_state=self.settings.seed, stratify=stratify)
        share = round(self.settings.test_share * 100)
        return (train.reset_index(drop=True), test.reset_index(drop=True),
                f"a random {share}% of the training data, set aside with seed {self.settings.seed}")

    @property
    def split_description(self) -> str:
        """Which rows were held out, in words."""
        return self._split[2]

    @cached_property
    def X_train(self) -> pd.DataFrame:  # noqa: N802 - the usual name
        """Training inputs, typed and normalised."""
        return normalize_features(self._split[0][self.features])

    @cached_property
    def X_test(self) -> pd.DataFrame:  # noqa: N802
        """Held-out inputs, typed and normalised."""
        return normalize_features(self._split[1][self.features])

    @cached_property
    def y_train(self) -> pd.Series:
        """Training outcomes."""
        return self._split[0][self.target].reset_index(drop=True)

    @cached_property
    def y_test(self) -> pd.Series:
        """Held-out outcomes."""
        return self._split[1][self.target].reset_index(drop=True)

    @cached_property
    def X_new(self) -> pd.DataFrame | None:  # noqa: N802
        """Recent production inputs, when given."""
        return None if self.new_data is None else normalize_features(self.typed(self.new_data)[self.features])

    @cached_property
    def training_rows(self) -> pd.DataFrame:
        """The training inputs with the outcome as column '__y', sampled to `max_rows_checks` rows: what every
        check that retrains a copy of the model learns from."""
        return self.sample_rows(self.X_train.assign(__y=self.y_train.to_numpy()), self.settings.max_rows_checks)

    def sample_rows(self, frame: pd.DataFrame, limit: int) -> pd.DataFrame:
        """A reproducible sample of at most `limit` rows (the whole frame when smaller)."""
        return frame if len(frame) <= limit else frame.sample(limit, random_state=self.settings.seed)

    # ----- model ---------------------------------------------------------------------------------
    @cached_property
    def _model(self) -> tuple[Any, str, str | None]:
        problem = None
        if self.uploaded_model is not None:
            problem = self._model_mismatch(self.uploaded_model.estimator)
            if problem is None:
                return self.uploaded_model.estimator, "uploaded", None
        with threads.limited(threads.kind_for_rows(len(self.X_train)), self.settings.threads):
            fitted = self.new_reference_model().fit(self.X_train, self.y_train)
        return fitted, "reference", problem

    def new_reference_model(self):
        """A fresh, untrained reference model for this data and seed."""
        enough = self.task == "regression" or self.y_train.value_counts().min() >= EARLY_STOPPING_MIN_ROWS
        return reference_model(self.X_train, self.task, self.settings.seed, early_stopping=enough,
                               columns=self.reference_features)

    @property
    def model(self) -> Any:
        """The model being assessed (uploaded, or the reference model)."""
        return self._model[0]

    @property
    def model_source(self) -> str:
        """'uploaded' or 'reference'."""
        return self._model[1]

    @property
    def model_problem(self) -> str | None:
        """Why the uploaded model could not be used, in plain words (None when it could)."""
        return self._model[2]

    @property
    def model_kind(self) -> str:
        """The model's type, e.g. 'Pipeline(HistGradientBoostingClassifier)'."""
        return describe_model(self.model)

    def _model_mismatch(self, estimator: Any) -> str | None:
        expected = getattr(estimator, "feature_names_in_", None)
        if expected is not None:
            missing = [str(c) for c in expected if c not in self.features]
            if missing:
                return f"it expects a column '{missing[0]}' that the data does not have"
        try:
            estimator.predict(self.X_test.head(5))
        except Exception as exc:  # noqa: BLE001 - any failure means the model does not fit this data
            return f"it failed to predict on this data ({type(exc).__name__}: {str(exc)[:120]})"
        if self.task == "classification":
            model_classes = {str(c) for c in getattr(estimator, "classes_", [])}
            data_classes = {str(c) for c in self.classes}
            if model_classes and not data_classes <= model_classes:
                return (f"it predicts the outcomes {sorted(model_classes)[:4]}, but the target holds "
                        f"{sorted(data_classes)[:4]}")
        return None

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """A result several checks use (such as the learning-curve fits), computed by the first that asks."""
        with self.lock:
            if key not in self._shared:
                self._shared[key] = compute()
            return self._shared[key]

    def refit_clone(self, X: pd.DataFrame, y: pd.Series):  # noqa: N803
        """A fresh copy of the assessed model, trained with the same settings on X, y."""
        return clone(self.model).fit(X, y)

    # ----- predictions ---------------------------------------------------------------------------
    @cached_property
    def has_probabilities(self) -> bool:
        """Whether the model gives the chance of each outcome."""
        return self.task == "classification" and hasattr(self.model, "predict_proba")

    @cached_property
    def metric(self) -> Metric:
        """The headline metric for this task and model."""
        if self.task == "regression":
            return Metric("r2", 0.0)
        if len(self.classes) == 2 and self.has_probabilities:
            return Metric("roc_auc", 0.5)
        return Metric("balanced_accuracy", 1.0 / len(self.classes))

    def scores_for(self, model: Any, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        """What the metric is computed on: chance of the positive class, or the predictions."""
        if self.metric.name == "roc_auc":
            column = list(model.classes_).index(self.positive_class)
            return np.asarray(model.predict_proba(X))[:, column]
        return np.asarray(model.predict(X))

    def score(self, y: pd.Series, scores: np.ndarray) -> float:
        """The headline metric of `scores` (from `scores_for`) against the true values y."""
        if self.metric.name == "roc_auc":
            return float(roc_auc_score(np.asarray(y) == self.positive_class, scores))
        if self.metric.name == "balanced_accuracy":
            return float(balanced_accuracy_score(np.asarray(y).astype(str), np.asarray(scores).astype(str)))
        return float(r2_score(y, scores))

    @cached_property
    def train_scores(self) -> np.ndarray:
        """What the metric is computed on, for the training rows."""
        return self.scores_for(self.model, self.X_train)

    @cached_property
    def test_probabilities(self) -> np.ndarray | None:
        """The model's chance of each class (in `model.classes_` order) for the held-out rows, if it gives them."""
        return np.asarray(self.model.predict_proba(self.X_test)) if self.has_probabilities else None

    @cached_property
    def test_scores(self) -> np.ndarray:
        """What the metric is computed on, for the held-out rows."""
        if self.metric.name == "roc_auc":
            return self.test_probabilities[:, list(self.model.classes_).index(self.positive_class)]
        return self.scores_for(self.model, self.X_test)

    @cached_property
    def test_predictions(self) -> np.ndarray:
        """The model's answers for the held-out rows."""
        return np.asarray(self.model.predict(self.X_test))

    def predict_outcome(self, model: Any, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        """The number explanations refer to: chance of the positive class, or the predicted value."""
        if self.task == "classification" and self.positive_class is not None and hasattr(model, "predict_proba"):
            column = list(model.classes_).index(self.positive_class)
            return np.asarray(model.predict_proba(X))[:, column]
        return np.asarray(model.predict(X), dtype=float)

    # ----- profile -------------------------------------------------------------------------------
    @cached_property
    def profile(self):
        """The fg-data-profiling summary of the training data (sampled when large)."""
        from .profiling import profile_frame

        return profile_frame(self.sample_rows(self.frame, self.settings.profile_max_rows),
                             self.settings.profile_full_max_cells)

    @cached_property
    def explanation(self):
        """SHAP values per input column for a sample of held-out rows (see mlready.explain)."""
        from .explain import explain_model

        return explain_model(self)
