"""The words of the generalization pillar: finding texts, how checks worked, scores and errors in words."""
from __future__ import annotations

from typing import Any

from .base import NOTES, TEMPLATES, num, pct, readable


def average_error(target: str, train_mae: float, test_mae: float) -> str:
    """Regression error in words."""
    return (f"On average its predictions of '{readable(target)}' are off by {num(test_mae)} on new rows, "
            f"against {num(train_mae)} on the rows it learned from. ")


def confusion_in_words(positive: Any, negative: Any, recall: float, false_alarm: float) -> str:
    """The confusion matrix at the model's threshold, per 100 cases."""
    caught = round(recall * 100)
    flagged = round(false_alarm * 100)
    return (f"Out of 100 '{positive}' cases, the model catches {caught} and misses {100 - caught}; "
            f"it wrongly flags {flagged} of 100 '{negative}' ones.")


def spread_in_words(low: str, high: str, metric: str) -> str:
    """The spread of a score across samples."""
    return (f"Copies of the model retrained on different parts of the training data score between {low} and {high} "
            f"({metric}): a guide to how much any single score can move.")


def segment_name(key) -> str:
    """A slice as words: 'purpose' is 'education' and 'age' is 19 to 25."""
    return " and ".join(f"'{readable(column)}' is '{value}'" for column, value in key)


def segment_sentence(name: str, rows: int, error: float, overall: float, kind: str) -> str:
    """One weak slice against the whole."""
    if kind == "mae":
        return f"when {name} ({rows} cases), predictions are off by {num(error)} on average, against {num(overall)} overall"
    return f"when {name} ({rows} cases), it is right {pct(1 - error)} of the time, against {pct(1 - overall)} overall"


TEMPLATES.update({
    "model.overfitting": (
        "Much better on training data than on new data",
        "The model scores {train} ({metric}) on the rows it learned from, but {test} on rows it never saw "
        "({split}). {extra}It has partly memorised its training data, so expect results closer to {test} in production.",
        "Ask for a simpler or more regularised model, or more data; judge it only on held-out results.",
    ),
    "model.no_better_than_baseline": (
        "Barely better than a trivial guess",
        "The model scores {test} ({metric}); {guess} scores {baseline}. "
        "It closes only {lift} of the gap between that guess and a perfect model.",
        "Check that the inputs really relate to the outcome; without better data the model has little value.",
    ),
    "model.no_better_than_baseline:simple": (
        "A much simpler model does as well",
        "A simple linear model, trained on the same rows, scores {simple} against the model's {test} ({metric}). "
        "The more complex model ({kind}) adds little, but costs more to run and is harder to explain.",
        "Ask whether the simpler model would do; it is easier to explain, check and maintain.",
    ),
    "model.no_better_than_baseline:simple_better": (
        "A much simpler model does better",
        "A simple linear model, trained on the same rows, scores {simple} against the model's {test} ({metric}). "
        "The more complex model ({kind}) is worse, costs more to run and is harder to explain.",
        "Ask why the complex model was chosen; consider the simpler one.",
    ),
    "model.unreadable": (
        "The model file could not be used with this data",
        "The model '{name}' could not be used: {problem}. The other results describe mlready's own "
        "reference model instead.",
        "Ask your team for the model that was trained on exactly these columns and outcomes.",
    ),
    "model.unreadable:no_probabilities": (
        "The model gives no probabilities",
        "'{name}' only gives an answer; it does not say how sure it is. So its ranking quality and whether its "
        "confidence can be trusted cannot be checked; plain accuracy is used instead.",
        "Ask for a model that also gives the chance of each outcome, or accept a less complete check.",
    ),
    "model.unstable": (
        "Results change a lot with the sample",
        "Depending on which rows it learns from and is tested on, the model scores between {low} and {high} "
        "({metric}). Any single number you were shown could be off by that much.",
        "Ask for more data or a simpler model; report the range, not one number.",
    ),
    "model.more_data_would_help": (
        "More data would likely improve the model",
        "Trained on {small} rows the model scored {before}; on {large} rows, {after} ({metric}), and it is still "
        "rising. With about {doubled} rows it would likely reach about {expected}.",
        "Collect more labelled examples before investing in a more complex model.",
    ),
    "model.poorly_calibrated": (
        "The model's confidence cannot be taken at face value",
        "When the model gives {about} a chance of {said}, {outcome} {right} of the time. On average its "
        "stated chances are off by {ece} percentage points. Decisions that use the chance itself (pricing, limits, triage) "
        "will be off too.",
        "Ask for the model to be calibrated on held-out data, or use its ranking rather than its stated chances.",
    ),
    "model.weak_segment": (
        "The model is much weaker for some groups of cases",
        "{described}. These groups were found among many tried and still stand out after allowing for chance.",
        "Look at these cases with the business: collect more examples of them, add information that describes "
        "them, or route them to a person.",
    ),
})

NOTES.update({
    "held_out": "Held-out rows: {split} ({rows} rows). Main measure: {meaning}",
    "comparisons": "Comparisons: always guessing the most common answer (or the average), and a simple linear model "
                   "(logistic or ridge regression) trained on the same rows.",
    "cross_validation": "{folds}-fold cross-validation of a fresh copy of the model on {rows} of the training data.",
    "bootstrap": "The model could not be retrained here, so its held-out score was recomputed on {rounds} random "
                 "resamples of the held-out rows.",
    "learning_no_refit": "Learning curve: not drawn, because the model could not be retrained here.",
    "learning_too_small": "Learning curve: not drawn, too few rows for several training sizes.",
    "learning": "Learning curve: copies of the model trained on {sizes} rows and scored on the held-out rows.",
    "calibration_skipped": "Calibration: not checked, because the model gives no probabilities.",
    "calibration": "Calibration: held-out rows in {groups} equal-sized groups by predicted chance of {about}; the "
                   "expected calibration error is the average gap between predicted and observed rates.",
    "segments": "Weak segments: {tried} slices of the held-out rows tried (each label value, number quarters, and "
                "pairs of the weakest), at least {min_rows} rows each, Bonferroni-corrected.",
})
