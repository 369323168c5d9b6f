"""The shared, lazily computed state every check reads: data, split, model, predictions (inputs are
checked first, in `validation`)."""
from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.base import clone
from scipy.stats import rankdata
from sklearn.model_selection import train_test_split

from . import narrative, threads, validation
from .column_types import apply_column_types, parse_dates
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
EARLY_STOPPING_MIN_ROWS = 20  # per outcome: fewer, and the reference model trains a fixed number of rounds
FOLD_RESAMPLES = 100          # resamples of each cross-validation fold, for the part of the spread that is sampling


@dataclass(frozen=True)
class CrossValidation:
    """Copies of the model retrained on k-1 folds of the (sampled) training rows, each scored on its own left-out
    fold: `scores` one per fold, `rows` the training rows used, `noise` the standard deviation a fold's score has
    from the rows it is scored on alone (resamples of each left-out fold with its copy's predictions, pooled), the
    part of the spread that says the evidence is thin rather than that the model changes; `held_out_scores` each
    fold's copy scored on the (same) held-out rows, whose spread is how much copies differ on those rows."""

    scores: tuple[float, ...]
    rows: int
    folds: int
    noise: float = 0.0  # how much a fold's score moves with the rows it is scored on alone (resampling its fold)
    held_out_scores: tuple[float, ...] = ()  # each fold's copy scored on the held-out rows

    @property
    def mean(self) -> float:
        return float(np.mean(self.scores))

    @property
    def std(self) -> float:
        return float(np.std(self.scores))


@dataclass(frozen=True)
class HeldOutReview:
    """Has an uploaded model most likely been trained on the rows used as held-out data?

    `model_score` is its score on the held-out rows; `copy_score` the mean score there of copies retrained (same
    settings) without them: on the (sampled) training rows, and on each cross-validation fold's training part;
    `full_copy_score` that of the copy on all the (sampled) training rows alone, the one the other checks use;
    `cv_mean`/`cv_std` the copies' cross-validated scores;
    `allowance` the gain the model may have over the copy from learning on more rows than the copy did (from the
    learning curve's last doubling; 0 unless the copies learn from a sample); `test_sd` the spread of the model's
    held-out score over resamples of the held-out rows. `gap` = model - copy - allowance.
    """

    model_score: float
    train_score: float
    copy_score: float
    cv_mean: float
    cv_std: float
    cv_max: float
    allowance: float
    test_sd: float
    seen: bool
    full_copy_score: float = float("nan")  # the copy retrained on all (sampled) training rows alone

    @property
    def gap(self) -> float:
        return self.model_score - self.copy_score - self.allowance


SAMPLED_MIN_CLASS_ROWS = 1_000  # default of Settings.sampled_min_class_rows


def stratified_positions(y: pd.Series, limit: int, seed: int, by_outcome: bool,
                         min_class_rows: int = SAMPLED_MIN_CLASS_ROWS) -> np.ndarray | None:
    """Positions (ascending) of a reproducible sample of at most `limit` of the rows whose outcomes are `y`,
    stratified by outcome when `by_outcome` (every outcome keeps its share); None when all rows are to be used: there
    are no more than `limit`, or (by outcome) the rarest outcome would keep fewer than `min_class_rows` rows in the
    sample. A rare outcome's rows are the evidence every judgement about it rests on: a sample that keeps its share
    of 18 rows keeps 8, and turns a critical gap into a warning. The same seed gives the same rows."""
    total = len(y)
    if total <= limit:
        return None
    if by_outcome:
        counts = y.astype(str).value_counts()
        if counts.min() * limit / total < min_class_rows:
            return None
        chosen, _ = train_test_split(np.arange(total), train_size=int(limit), random_state=seed,
                                     stratify=y.astype(str).to_numpy())
    else:
        chosen = np.random.default_rng(seed).choice(total, int(limit), replace=False)
    return np.sort(chosen)


def checks_positions(y: pd.Series, limit: int, seed: int, by_outcome: bool, keep_each: int) -> np.ndarray | None:
    """Positions (ascending) of the rows the retraining checks learn from: at most `limit` (about), each outcome
    keeping its share, and at least `keep_each` rows (all it has, when fewer) of every outcome, so that no copy
    misses an outcome the model knows. None when there are no more than `limit` rows."""
    total = len(y)
    if total <= limit:
        return None
    rng = np.random.default_rng(seed)
    if not by_outcome:
        return np.sort(rng.choice(total, int(limit), replace=False))
    labels = y.astype(str).to_numpy()
    chosen = []
    for label in sorted(set(labels)):
        rows = np.flatnonzero(labels == label)
        take = min(len(rows), max(keep_each, int(round(len(rows) * limit / total))))
        chosen.append(rng.choice(rows, take, replace=False))
    return np.sort(np.concatenate(chosen))


def held_out_seen(model_score: float, train_score: float, copy_score: float, cv_scores, allowance: float,
                  thresholds, test_sd: float = 0.0, copies_on_held_out=()) -> bool:
    """The rule: the model's held-out score is above the copy's by `held_out_seen_gap` points and by
    `held_out_seen_spreads` times what two models that never saw these rows may differ by. That spread combines, as
    variances: the copies' cross-validated scores (standard deviation, n-1); `test_sd`, how much the model's own
    held-out score moves over resamples of the held-out rows; and twice the variance of `copies_on_held_out`, the
    fold copies scored on the same held-out rows (how much two such models differ there). Or the model is
    near-perfect on training and held-out rows alike while the copies are not (and it is ahead by the gap)."""
    gap = model_score - copy_score - allowance
    if not np.isfinite(gap) or gap < thresholds.held_out_seen_gap:
        return False
    sd = lambda values: float(np.std(values, ddof=1)) if len(values) > 1 else 0.0  # noqa: E731
    spread = float(np.sqrt(sd(cv_scores) ** 2 + test_sd ** 2 + 2 * sd(copies_on_held_out) ** 2))
    if gap >= thresholds.held_out_seen_spreads * spread:
        return True
    perfect = thresholds.near_perfect
    return bool(model_score >= perfect and train_score >= perfect and copy_score < perfect
                and max(cv_scores) < perfect)


def roc_auc(truth: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve of `scores` for the boolean `truth` (ties count half), as scikit-learn's
    roc_auc_score gives it, computed from ranks (Mann-Whitney U / (positives x negatives)); NaN with one outcome."""
    truth = np.asarray(truth, dtype=bool)
    positives = int(truth.sum())
    negatives = len(truth) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(np.asarray(scores, dtype=float))
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


class ResampledAUC:
    """ROC AUC of fixed scores on resamples of their rows, each resample given as how many times it draws each row.

    The scores are sorted once (tied scores form one group); a resample's AUC is then the Mann-Whitney count over the
    groups in one pass: each drawn positive row counts the drawn negative rows with a lower score, plus half of
    those with the same score, divided by positives x negatives. With whole-number counts every sum is exact, so the
    value equals `roc_auc` on the resampled rows (ties count half); NaN when a resample has one outcome only.
    """

    def __init__(self, truth: np.ndarray, scores: np.ndarray) -> None:
        _, self.group = np.unique(np.asarray(scores, dtype=float), return_inverse=True)
        self.groups = int(self.group.max()) + 1 if len(self.group) else 0
        self.truth = np.asarray(truth, dtype=bool)

    def score(self, counts: np.ndarray) -> float:
        """The AUC on the resample drawing row i `counts[i]` times."""
        positives = np.bincount(self.group, weights=counts * self.truth, minlength=self.groups)
        negatives = np.bincount(self.group, weights=counts * ~self.truth, minlength=self.groups)
        p, n = positives.sum(), negatives.sum()
        if p == 0 or n == 0:
            return float("nan")
        below = np.cumsum(negatives) - negatives
        return float(np.sum(positives * (below + 0.5 * negatives)) / (p * n))


def balanced_accuracy(truth: np.ndarray, predicted: np.ndarray) -> float:
    """The share right averaged over the outcomes the true values hold (labels compared as text), as
    scikit-learn's balanced_accuracy_score gives it; NaN without rows."""
    truth, predicted = np.asarray(truth).astype(str), np.asarray(predicted).astype(str)
    if len(truth) == 0:
        return float("nan")
    return float(np.mean([np.mean(predicted[truth == label] == label) for label in np.unique(truth)]))


def r_squared(truth: np.ndarray, predicted: np.ndarray) -> float:
    """The coefficient of determination, as scikit-learn's r2_score gives it; NaN with fewer than two distinct
    true values."""
    truth, predicted = np.asarray(truth, dtype=float), np.asarray(predicted, dtype=float)
    if len(truth) < 2 or np.all(truth == truth[0]):
        return float("nan")
    return float(1.0 - np.sum((truth - predicted) ** 2) / np.sum((truth - truth.mean()) ** 2))


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
        self.identifiers_the_model_leaves_out = self._identifiers_outside_the_model(model, target, column_types)
        for column in self.identifiers_the_model_leaves_out:
            self.column_types[column] = "ignore"
        self._date_readings: dict[tuple[int, str], Any] = {}
        self.frame = self._typed_frame(data)
        self.task = task or infer_task(self.frame[target])
        if self.task not in ("classification", "regression"):
            raise InputError(f"The task '{self.task}' is unknown; use 'classification' or 'regression'.")
        self.train_frame, self.rows_without_target = validation.rows_with_target(self.frame, data.name, target, self.task)
        if positive_class is not None and self.task != "classification":
            raise InputError(f"A positive class ('{positive_class}') applies only to a classification target, and "
                             f"'{target}' is assessed as regression; leave the positive class out.")
        self.positive_class = (validation.positive_class(self.train_frame[target], self.classes, positive_class)
                               if self.task == "classification" else None)
        if self.task == "classification":  # an outcome the training data never has would be scored as a class
            for other, role in ((test, "held-out data"), (new_data, "new data")):
                if other is not None:
                    validation.check_outcome_labels(other, role, target, self.column_types.get(target), self.classes)
        # the outcome that is good for the person concerned (fairness rates refer to it); None when not known
        self.favourable_outcome, self.favourable_source = favourable_outcome_for(self.classes, target, self.task,
                                                                                 favourable_outcome)

    def _identifiers_outside_the_model(self, model: LoadedModel | None, target: str,
                                       chosen: dict[str, str]) -> list[str]:
        """Columns read as identifiers (a row number, a customer number) that an uploaded model was trained without,
        when it records its input names and the data has all of them: left out of the assessment, as the model
        leaves them out (passed to the model, they made it fail, and the model was set aside for the reference
        model). A type the user chose is kept."""
        names = getattr(getattr(model, "estimator", None), "feature_names_in_", None)
        if names is None:
            return []
        declared = {str(n).strip() for n in names}
        present = {str(c).strip() for c in self.data.frame.columns}
        if not declared <= present:
            return []
        return [c for c, kind in self.column_types.items() if kind == "identifier" and c not in declared
                and c != target and c not in chosen]

    def typed(self, table: Table) -> pd.DataFrame:
        """Another table of the user's with this data's column types applied."""
        return self._typed_frame(table)

    def _typed_frame(self, table: Table) -> pd.DataFrame:
        """`table`'s frame with the column types applied, without what the loader noted while reading (that stays
        on `table`): pandas deep-copies a frame's notes on every operation, once per column on a wide table."""
        bare = table.frame.copy(deep=False)
        bare.attrs = {}
        for column, kind in self.column_types.items():  # dates read once: the reading is kept for the input checks
            if kind == "date" and column in bare.columns and not pd.api.types.is_datetime64_any_dtype(bare[column]):
                bare[column] = self.date_reading(table, column).values
        return apply_column_types(bare, self.column_types, decimal_hint=table.reading.get("decimal"))

    def date_reading(self, table: Table, column: str):
        """How `table`'s `column` reads as dates (`column_types.parse_dates`), computed once per table and column."""
        key = (id(table), column)
        if key not in self._date_readings:
            self._date_readings[key] = parse_dates(table.frame[column])
        return self._date_readings[key]

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
    def compared_features(self) -> list[str]:
        """The input columns rows are compared on when looking for repeated rows and copies: every input column
        except identifiers (a row number makes every row unique and hid records exported twice), unless nothing
        else is left."""
        kept = [c for c in self.features if self.column_types.get(c) != "identifier"]
        return kept or list(self.features)

    @cached_property
    def reference_features(self) -> list[str]:
        """The columns mlready's own reference model reads: every input column except identifiers (nothing general
        can be learned from them) and sensitive columns (so the reference model does not decide by them)."""
        return [c for c in self.features if self.column_types.get(c) != "identifier" and c not in self.sensitive
                and c not in self.empty_training_columns]

    @cached_property
    def empty_training_columns(self) -> list[str]:
        """Input columns with no usable value in the rows the reference model learns from (every cell empty, blank,
        infinite or unreadable as the column's type): nothing can be learned from them, so the reference model
        leaves them out (a booster cannot even bin a column without a value)."""
        rows, _ = self._reference_training()
        return [c for c in self.features if c in rows.columns and not rows[c].notna().any()]

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
            return self.train_frame, self._scored_held_out(test_frame), f"the held-out file '{self.test.name}'"
        y = self.train_frame[self.target]
        stratify = y if self.task == "classification" and y.value_counts().min() >= 2 else None
        train, test = train_test_split(self.train_frame, test_size=self.settings.test_share,
                                       random_state=self.settings.seed, stratify=stratify)
        share = round(self.settings.test_share * 100)
        return (train.reset_index(drop=True), self._scored_held_out(test.reset_index(drop=True)),
                f"a random {share}% of the training data, set aside with seed {self.settings.seed}")

    def _scored_held_out(self, test_frame: pd.DataFrame) -> pd.DataFrame:
        """The held-out rows every judgement is made on: all of them up to `Settings.max_rows_scored`, else a
        stratified sample of that many (each outcome keeps its share; the same seed gives the same rows). How many
        there were is `held_out_total_rows`."""
        self._held_out_total_rows = len(test_frame)
        rows = stratified_positions(test_frame[self.target], self.settings.max_rows_scored, self.settings.seed,
                                    self.task == "classification", self.settings.sampled_min_class_rows)
        return test_frame if rows is None else test_frame.iloc[rows].reset_index(drop=True)

    @property
    def held_out_total_rows(self) -> int:
        """How many held-out rows (with a target value) there are, sampled or not."""
        self._split  # noqa: B018 - the split counts them
        return self._held_out_total_rows

    @property
    def held_out_sampled(self) -> bool:
        """Whether the held-out judgements use a sample of the held-out rows (see `_scored_held_out`)."""
        return self.held_out_total_rows > len(self._split[1])

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
        frame = self.X_train.assign(__y=self.y_train.to_numpy())
        rows = checks_positions(self.y_train, self.settings.max_rows_checks, self.settings.seed,
                                self.task == "classification", keep_each=self.settings.thresholds.cv_folds)
        return frame if rows is None else frame.iloc[rows]

    def sample_rows(self, frame: pd.DataFrame, limit: int) -> pd.DataFrame:
        """A reproducible sample of at most `limit` rows (the whole frame when smaller)."""
        return frame if len(frame) <= limit else frame.sample(limit, random_state=self.settings.seed)

    def capped_training_positions(self, limit: int, min_class_rows: int | None = None) -> np.ndarray | None:
        """Positions (ascending) of a reproducible sample of at most `limit` training rows, stratified by outcome for
        classification (every outcome keeps its share); None when there are no more than `limit` rows, or the
        rarest outcome would keep fewer than `min_class_rows` (use them all). The same seed gives the same rows."""
        least = self.settings.sampled_min_class_rows if min_class_rows is None else min_class_rows
        return stratified_positions(self.y_train, limit, self.settings.seed, self.task == "classification", least)

    @cached_property
    def model_rows(self) -> np.ndarray | None:
        """Positions in the training rows that mlready's reference model learns from: None for all of them, else a
        stratified sample of `Settings.max_rows_model` rows (see `capped_training_positions`). An uploaded model is
        never retrained here on them."""
        return self.capped_training_positions(self.settings.max_rows_model, self.settings.model_min_class_rows)

    @property
    def reference_fit_rows(self) -> int:
        """How many training rows mlready's reference model learns from."""
        return len(self.X_train) if self.model_rows is None else len(self.model_rows)

    def _reference_training(self) -> tuple[pd.DataFrame, pd.Series]:
        """The inputs and outcomes the reference model learns from (the training rows, or their capped sample)."""
        rows = self.model_rows
        if rows is None:
            return self.X_train, self.y_train
        return self.X_train.iloc[rows], self.y_train.iloc[rows]

    @cached_property
    def train_score_rows(self) -> np.ndarray | None:
        """Positions in the training rows the training score is measured on: None for all of them; else a stratified
        sample of `Settings.max_rows_scored` of them, for the reference model taken from the rows it learned from
        (all of them when there are no more)."""
        limit = self.settings.max_rows_scored
        if self.model_source != "reference":
            return self.capped_training_positions(limit)
        if self.model_rows is None:
            return self.capped_training_positions(limit)
        if len(self.model_rows) <= limit:
            return self.model_rows
        inner = stratified_positions(self.y_train.iloc[self.model_rows].reset_index(drop=True), limit,
                                     self.settings.seed, self.task == "classification",
                                     self.settings.sampled_min_class_rows)
        return self.model_rows if inner is None else self.model_rows[inner]

    @cached_property
    def y_train_scored(self) -> pd.Series:
        """The outcomes of the rows `train_scores` refers to (see `train_score_rows`)."""
        rows = self.train_score_rows
        return self.y_train if rows is None else self.y_train.iloc[rows].reset_index(drop=True)

    # ----- model ---------------------------------------------------------------------------------
    @cached_property
    def _model(self) -> tuple[Any, str, str | None]:
        problem = None
        if self.uploaded_model is not None:
            problem = self._model_mismatch(self.uploaded_model.estimator)
            if problem is None:
                return self.uploaded_model.estimator, "uploaded", None
        X, y = self._reference_training()  # noqa: N806
        with threads.limited(threads.kind_for_rows(len(X)), self.settings.threads):
            fitted = self.new_reference_model().fit(X, y)
        return fitted, "reference", problem

    def new_reference_model(self):
        """A fresh, untrained reference model for this data and seed."""
        return reference_model(self.X_train, self.task, self.settings.seed, rounds=self.reference_rounds,
                               columns=self.reference_features)

    @cached_property
    def reference_rounds(self) -> int | None:
        """None when every outcome has enough training rows for each fit (retrained copies included) to stop early
        on validation rows of its own. Otherwise a fixed number of boosting rounds, used by every fit: the rounds
        early stopping picks once on the training rows, so that a rare outcome never turns early stopping off
        and lets mlready's own model memorise its rows."""
        if self.task == "regression":
            return None
        X, y = self._reference_training()  # noqa: N806 - the rows the reference model learns from
        counts = y.value_counts()
        if counts.min() >= EARLY_STOPPING_MIN_ROWS:
            return None
        usable = y.isin(counts[counts >= 2].index).to_numpy()  # a validation split needs 2 rows an outcome
        if len(set(y[usable])) < 2:
            return 100
        probe = reference_model(self.X_train, self.task, self.settings.seed, columns=self.reference_features)
        with threads.limited(threads.kind_for_rows(int(usable.sum())), self.settings.threads), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            probe.fit(X[usable], y[usable])
        return max(int(probe[-1].n_iter_), 10)

    @property
    def model(self) -> Any:
        """The model being assessed (uploaded, or the reference model)."""
        return self._model[0]

    @property
    def model_source(self) -> str:
        """'uploaded' or 'reference' (known without training the reference model when no model was uploaded)."""
        return "reference" if self.uploaded_model is None else self._model[1]

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
        """A fresh copy of the assessed model, trained with the same settings on X, y, with its threads limited for
        the rows (a check called on its own is as safe on a busy machine as one the runner calls)."""
        with threads.limited(threads.kind_for_rows(len(X)), self.settings.threads):
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
        """The headline metric of `scores` (from `scores_for`) against the true values y; NaN when the rows do not
        allow it (ROC AUC with one outcome only, R² with fewer than two distinct values)."""
        y = np.asarray(y)
        if self.metric.name == "roc_auc":
            return roc_auc(y == self.positive_class, scores)
        if self.metric.name == "balanced_accuracy":
            return balanced_accuracy(y, scores)
        return r_squared(y, scores)

    def bootstrap_scores(self, *score_sets: np.ndarray, y: pd.Series | None = None) -> np.ndarray:
        """The metric of each of `score_sets` (held-out scores from `scores_for`) on the same `bootstrap_rounds`
        resamples (with replacement) of the held-out rows: an array (rounds kept, len(score_sets)). Resamples on
        which any score is undefined are dropped. The same seed gives the same resamples."""
        y = (self.y_test if y is None else y).to_numpy()
        rng = np.random.default_rng(self.settings.seed)
        rows = []
        if self.metric.name == "roc_auc":  # the same numbers, without sorting every resample again
            truth = y == self.positive_class
            ranked = [ResampledAUC(truth, s) for s in score_sets]
        for _ in range(self.settings.bootstrap_rounds):
            index = rng.integers(0, len(y), len(y))
            if self.metric.name == "roc_auc":
                counts = np.bincount(index, minlength=len(y)).astype(float)
                values = [r.score(counts) for r in ranked]
            else:
                values = [self.score(y[index], np.asarray(s)[index]) for s in score_sets]
            if all(np.isfinite(values)):
                rows.append(values)
        return np.asarray(rows, dtype=float).reshape(len(rows), len(score_sets))

    @property
    def test_score(self) -> float:
        """The model's headline metric on the held-out rows (NaN when they do not allow it)."""
        return self.shared("test_score", lambda: self.score(self.y_test, self.test_scores))

    @property
    def train_score(self) -> float:
        """The model's headline metric on the training rows (balanced accuracy: over the outcomes the held-out rows
        hold, so that the two scores average the same outcomes)."""
        def compute():
            y = self.y_train_scored
            if self.metric.name != "balanced_accuracy":
                return self.score(y, self.train_scores)
            keep = y.astype(str).isin(set(self.y_test.astype(str))).to_numpy()
            return self.score(y[keep], self.train_scores[keep])
        return self.shared("train_score", compute)

    @property
    def test_score_resamples(self) -> np.ndarray:
        """The model's held-out score on resamples of the held-out rows (see `bootstrap_scores`), shape (rounds,)."""
        return self.shared("test_score_resamples", lambda: self.bootstrap_scores(self.test_scores)[:, 0])

    # ----- held-out rows: enough of each outcome, and unseen by the model ---------------------------
    @cached_property
    def held_out_class_counts(self) -> dict:
        """Held-out rows per outcome (classification; every outcome of the training data, 0 when absent), else {}."""
        if self.task != "classification":
            return {}
        counts = self.y_test.astype(str).value_counts()
        return {c: int(counts.get(str(c), 0)) for c in self.classes}

    @property
    def thin_held_out(self) -> dict:
        """Outcomes with fewer held-out rows than `held_out_min_class_rows`: {outcome: rows}."""
        least = self.settings.thresholds.held_out_min_class_rows
        return {c: n for c, n in self.held_out_class_counts.items() if n < least}

    @property
    def thin_held_out_note(self) -> str | None:
        """What few held-out rows of an outcome mean for the judgements, in a sentence (None when enough)."""
        thin = self.thin_held_out
        return narrative.generalization.thin_held_out(thin, len(self.y_test)) if thin else None

    def cross_validation(self) -> CrossValidation | None:
        """Cross-validated scores of copies of the model (None when it cannot be retrained here); shared."""
        return self.shared("cross_validation", self._cross_validate)

    def _cross_validate(self) -> CrossValidation | None:
        from sklearn.model_selection import KFold, StratifiedKFold

        folds = self.settings.thresholds.cv_folds
        sample = self.training_rows
        X, y = sample.drop(columns="__y"), sample["__y"]  # noqa: N806
        if self.task == "classification" and y.value_counts().min() >= folds:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.settings.seed)
        else:
            splitter = KFold(folds, shuffle=True, random_state=self.settings.seed)
        # an outcome with fewer rows than folds is in some folds' left-out rows and not others: averaging its
        # one-row recall into those folds' balanced accuracy would make the spread a matter of a row or two
        counts = y.astype(str).value_counts()
        rare = set(counts[counts < folds].index) if self.metric.name == "balanced_accuracy" else set()
        scored = ~y.astype(str).isin(rare).to_numpy()
        scores, variances, held_out = [], [], []
        rng = np.random.default_rng(self.settings.seed)
        try:
            for train_index, test_index in splitter.split(X, y):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = self.refit_clone(X.iloc[train_index], y.iloc[train_index])
                test_index = test_index[scored[test_index]]
                truth, predicted = y.iloc[test_index].to_numpy(), self.scores_for(model, X.iloc[test_index])
                if self.model_source == "uploaded":  # only the held-out review of an uploaded model reads these
                    held_out.append(self.score(self.y_test, self.scores_for(model, self.X_test)))
                scores.append(self.score(truth, predicted))
                resampled = [self.score(truth[i], predicted[i]) for i in
                             (rng.integers(0, len(truth), len(truth)) for _ in range(FOLD_RESAMPLES))]
                resampled = [r for r in resampled if np.isfinite(r)]
                if len(resampled) > 1:
                    variances.append(float(np.var(resampled, ddof=1)))
        except Exception:  # noqa: BLE001 - any failure means this model cannot be retrained here
            return None
        scores = [s for s in scores if np.isfinite(s)]
        noise = float(np.sqrt(np.mean(variances))) if variances else 0.0
        held_out = tuple(h for h in held_out if np.isfinite(h))
        return CrossValidation(tuple(scores), len(X), folds, noise, held_out) if len(scores) >= 2 else None

    @property
    def can_refit(self) -> bool:
        """Whether copies of the model can be retrained here (scikit-learn's clone and fit)."""
        return self.cross_validation() is not None

    def copy_scores(self) -> np.ndarray | None:
        """Held-out scores (as `scores_for` gives) of a copy retrained on the (sampled) training rows; shared."""
        def compute():
            sample = self.training_rows
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = self.refit_clone(sample.drop(columns="__y"), sample["__y"])
                return self.scores_for(model, self.X_test)
            except Exception:  # noqa: BLE001
                return None
        return self.shared("copy_scores", compute)

    @cached_property
    def held_out_review(self) -> HeldOutReview | None:
        """For an uploaded model that can be retrained: its held-out score against copies retrained without the
        held-out rows (see `held_out_seen`); None otherwise."""
        if self.model_source != "uploaded" or not self.can_refit:
            return None
        copy = self.copy_scores()
        cv = self.cross_validation()
        if copy is None or cv is None:
            return None
        model_score = self.test_score
        # the copy retrained on the training rows and the fold copies, all scored on the held-out rows: their mean is
        # what a model of this kind that never saw those rows scores there
        full_copy = self.score(self.y_test, copy)
        copies = [c for c in (full_copy, *cv.held_out_scores) if np.isfinite(c)]
        if not np.isfinite(model_score) or not copies:
            return None
        copy_score = float(np.mean(copies))
        allowance = self._learning_allowance()
        resamples = self.test_score_resamples
        test_sd = float(np.std(resamples, ddof=1)) if len(resamples) > 1 else 0.0
        seen = held_out_seen(model_score, self.train_score, copy_score, cv.scores, allowance, self.settings.thresholds,
                             test_sd, cv.held_out_scores)
        return HeldOutReview(model_score, self.train_score, copy_score, cv.mean, cv.std, max(cv.scores), allowance,
                             test_sd, seen, full_copy)

    def _learning_allowance(self) -> float:
        """When the copies learn from a sample, the gain a model trained on all training rows may have over them:
        the learning curve's gain per doubling over its upper half (least squares on log2 rows; generous, as an
        allowance should be), times the doublings from the sample to the full size."""
        if len(self.training_rows) >= len(self.X_train):
            return 0.0
        from .checks.learning import growing_fits

        fits = growing_fits(self)
        upper = [(r, s) for r, _, s in fits or () if r >= fits[-1][0] / 2 and np.isfinite(s)]
        if len(upper) < 2:
            return 0.0
        per_doubling = np.polyfit(np.log2([r for r, _ in upper]), [s for _, s in upper], 1)[0]
        return float(max(per_doubling, 0.0) * np.log2(len(self.X_train) / fits[-1][0]))

    @property
    def held_out_seen(self) -> bool:
        """True when an uploaded model has most likely been trained on the rows used as held-out data, so that
        judgements graded on those rows (calibration, segments, fairness) must not be made."""
        review = self.held_out_review
        return bool(review is not None and review.seen)

    @property
    def held_out_problem(self) -> str | None:
        """Why the held-out rows cannot be trusted for this model, in words (None when they can)."""
        if not self.held_out_seen:
            return None
        review = self.held_out_review
        return narrative.generalization.held_out_seen_problem(
            narrative.metric_value(self.metric.name, review.model_score),
            narrative.metric_value(self.metric.name, review.full_copy_score), self.metric.label, self.split_description)

    @cached_property
    def train_scores(self) -> np.ndarray:
        """What the metric is computed on, for the training rows in `train_score_rows` (all of them below
        `Settings.max_rows_model`); their outcomes are `y_train_scored`."""
        rows = self.train_score_rows
        return self.scores_for(self.model, self.X_train if rows is None else self.X_train.iloc[rows])

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
