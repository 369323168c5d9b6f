"""Statistics the data checks share: scores of many columns at once, how far above chance a score is, how sure a
difference between two scores is, and what chance alone produces for repeated rows.

Scores follow the task's headline metric: ROC AUC for two classes (chance 0.5), balanced accuracy for several
(chance 1/classes), R² for regression (chance 0). The "edge" of a score is its share of the way from chance to
perfect: 0 is chance, 1 is perfect, so that scores on different scales can be compared.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata


def chance_level(task: str, classes: int) -> float:
    """The score of a guess that knows nothing: 0.5 ROC AUC, 1/classes balanced accuracy, 0 R²."""
    if task == "regression":
        return 0.0
    return 0.5 if classes == 2 else 1.0 / classes


def edge(score: float | np.ndarray, chance: float) -> float | np.ndarray:
    """Share of the way from chance to perfect (0 chance or worse, 1 perfect)."""
    return np.clip((np.asarray(score, float) - chance) / (1.0 - chance), 0.0, 1.0)


def auc_columns(positive: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """ROC AUC of each column of `scores` (rows, columns) for the 0/1 vector `positive` (Mann-Whitney U, ties
    counted half); NaN when only one class is present."""
    positive = np.asarray(positive, bool)
    n1, n0 = int(positive.sum()), int((~positive).sum())
    if n1 == 0 or n0 == 0:
        return np.full(scores.shape[1], np.nan)
    ranks = rankdata(scores, axis=0)
    return (ranks[positive].sum(axis=0) - n1 * (n1 + 1) / 2) / (n1 * n0)


def balanced_accuracy_columns(truth: np.ndarray, predicted: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Balanced accuracy of each column of `predicted` (rows, columns) against `truth` (rows): the share right
    within each class present, averaged over those classes."""
    recalls = [(predicted[truth == c] == c).mean(axis=0) for c in classes if (truth == c).any()]
    return np.mean(recalls, axis=0)


def r2_columns(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """R² of each column of `predicted` (rows, columns) against `truth`; NaN when `truth` does not vary."""
    truth = np.asarray(truth, float)
    total = ((truth - truth.mean()) ** 2).sum()
    if total == 0:
        return np.full(predicted.shape[1], np.nan)
    return 1.0 - ((predicted - truth[:, None]) ** 2).sum(axis=0) / total


def score_rates(task: str, truth: np.ndarray, rates: np.ndarray, prior: np.ndarray | None = None) -> np.ndarray:
    """The headline score of each column from its encoded outcome rates `rates` (rows, columns, k) on rows with
    outcomes `truth` (from `encoding.outcome_matrix`, shape (rows, k)).

    Two classes: ROC AUC of the rate. Several: balanced accuracy of the class whose rate is highest relative to
    its overall share `prior` (the rule that maximises balanced accuracy). Regression: R² of the level means.
    """
    if task == "regression":
        return r2_columns(truth[:, 0], rates[:, :, 0])
    if truth.shape[1] == 1:
        return auc_columns(truth[:, 0] > 0.5, rates[:, :, 0])
    prior = truth.mean(axis=0) if prior is None else prior
    predicted = np.argmax(rates / np.clip(prior, 1e-12, None), axis=2)
    return balanced_accuracy_columns(np.argmax(truth, axis=1), predicted, np.arange(truth.shape[1]))


def bootstrap_scores(task: str, truth: np.ndarray, rates: np.ndarray, rounds: int = 200, seed: int = 0,
                     prior: np.ndarray | None = None) -> np.ndarray:
    """`score_rates` on `rounds` resamples (with replacement) of the rows: shape (rounds, columns). The same
    resampled rows score every column, so differences between columns keep their pairing."""
    rng = np.random.default_rng(seed)
    prior = truth.mean(axis=0) if prior is None else prior
    out = np.empty((rounds, rates.shape[1]))
    for r in range(rounds):
        rows = rng.integers(0, len(truth), len(truth))
        out[r] = score_rates(task, truth[rows], rates[rows], prior)
    return out


def row_keys(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of `frame`'s values (empty cells equal to each other; a number is the same value
    whatever its type: 60, 60.0 and True == 1 hash alike, so files read with different number types still match)."""
    if frame.shape[1] == 0:
        return np.zeros(len(frame), np.uint64)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c])]
    if numeric:
        frame = frame.astype({c: "float64" for c in numeric})
    try:
        return pd.util.hash_pandas_object(frame.where(frame.notna(), None) if (frame.dtypes == object).any()
                                          else frame, index=False).to_numpy()
    except TypeError:  # unhashable cells (lists from JSON): compare their text
        return pd.util.hash_pandas_object(frame.astype(str).where(frame.notna(), "\x00missing"), index=False).to_numpy()


def repeated_share(keys: np.ndarray) -> float:
    """Share of rows that repeat an earlier row."""
    return float(pd.Series(keys).duplicated().mean()) if len(keys) else 0.0


def independent_columns_null(frame: pd.DataFrame, rounds: int = 3, seed: int = 0,
                             reference: pd.DataFrame | None = None) -> float:
    """What chance alone produces: each column of `frame` shuffled on its own (keeping every column's values and
    their frequencies, breaking any copying of whole rows), averaged over `rounds` shuffles.

    Without `reference`: the share of rows that repeat an earlier row. With `reference` (same columns): the share
    of `reference`'s rows that equal one of `frame`'s rows, both shuffled the same way column by column (so the
    rows are drawn from the same per-column distributions).
    """
    rng = np.random.default_rng(seed)
    shares = []
    for _ in range(rounds):
        if reference is None:
            shuffled = pd.DataFrame({c: rng.permutation(frame[c].to_numpy()) for c in frame.columns})
            shares.append(repeated_share(row_keys(shuffled)))
        else:
            both = pd.concat([frame, reference], ignore_index=True)
            shuffled = pd.DataFrame({c: rng.permutation(both[c].to_numpy()) for c in both.columns})
            keys = row_keys(shuffled)
            inside = set(keys[:len(frame)].tolist())
            shares.append(float(np.isin(keys[len(frame):], list(inside)).mean()) if len(reference) else 0.0)
    return float(np.mean(shares))


def distinct_pattern_null(keys: np.ndarray) -> float:
    """The chance that a new row drawn like these rows repeats one of them, from how often patterns recur
    (Good-Turing: one minus the share of rows whose pattern occurs exactly once). Meaningful when the rows can
    only take few patterns (a survey of multiple-choice answers); copies of rows raise it too."""
    if len(keys) == 0:
        return 0.0
    counts = pd.Series(keys).value_counts()
    return float(1.0 - (counts == 1).sum() / len(keys))


def binomial_excess_p(observed: int, trials: int, expected_share: float) -> float:
    """One-sided p-value that `observed` of `trials` or more happen when each happens with `expected_share`."""
    from scipy.stats import binom

    if trials == 0:
        return 1.0
    return float(binom.sf(observed - 1, trials, min(max(expected_share, 0.0), 1.0)))


NEAR_UNIQUE = 0.2   # a column with at least this share of distinct values among its filled cells is measured-like


MEASURED_MIN_VALUES = 20  # distinct rows (or fractional values) needed before a column can be called measured-like


def can_repeat_naturally(frame: pd.DataFrame) -> bool:
    """Whether rows of `frame` can repeat by nature: no column is measured-like (an amount, a measurement: at
    least a fifth of its filled cells distinct). A survey of multiple-choice answers can; a table with a measured
    amount cannot, so there a repeat is a copy."""
    # judged on the distinct rows: copies lower every column's share of distinct values, and must not make a
    # measured amount look like a multiple-choice answer (20 rows copied 15 times are copies, not a survey)
    distinct_rows = frame.drop_duplicates() if len(frame) else frame
    for column in frame.columns:
        filled = distinct_rows[column].dropna()
        if len(filled) >= MEASURED_MIN_VALUES and filled.nunique() >= NEAR_UNIQUE * len(filled):
            return False
        if pd.api.types.is_float_dtype(filled) and filled.nunique() >= MEASURED_MIN_VALUES \
                and not np.all(np.mod(filled.to_numpy(dtype=float), 1) == 0):
            return False  # many different fractional amounts: a measurement
    return True


def chance_repeat_share(frame: pd.DataFrame, seed: int = 0) -> float:
    """The share of `frame`'s rows that would repeat an earlier row by chance: the shuffled-columns null
    (`independent_columns_null`); when rows can repeat naturally (`can_repeat_naturally`), at least the
    Good-Turing estimate (`distinct_pattern_null`), which also holds when the columns depend on each other (a
    shuffle would then understate the repeats; such tables cannot tell copies from natural repeats)."""
    null = independent_columns_null(frame, seed=seed)
    if len(frame) and can_repeat_naturally(frame):
        null = max(null, distinct_pattern_null(row_keys(frame)))
    return null


def chance_overlap_share(train: pd.DataFrame, test: pd.DataFrame, seed: int = 0) -> float:
    """The share of `test`'s rows that would equal a row of `train` by chance, estimated like
    `chance_repeat_share` (shuffled columns; Good-Turing on `train` when rows can repeat naturally)."""
    null = independent_columns_null(train, seed=seed, reference=test)
    if len(train) and can_repeat_naturally(train):
        null = max(null, distinct_pattern_null(row_keys(train)))
    return null
