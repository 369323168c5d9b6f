"""The words of the generalization pillar: finding texts, how checks worked, scores and errors in words."""
from __future__ import annotations

from typing import Any

from .base import NOTES, TEMPLATES, metric_words, name_list, num, pct, split_words


def average_error(target: str, train_mae: float, test_mae: float) -> str:
    """Regression error in words."""
    return (f"On average its predictions of '{target}' are off by {num(test_mae)} on new rows, "
            f"against {num(train_mae)} on the rows it learned from. ")


def confusion_in_words(positive: Any, negative: Any, recall: float | None, false_alarm: float | None) -> str:
    """The confusion matrix at the model's threshold, per 100 cases (None: no held-out case of that outcome)."""
    if recall is None:
        caught = f"There are no '{positive}' cases among the held-out rows, so how many the model catches cannot be measured"
    else:
        caught = round(recall * 100)
        caught = f"Out of 100 '{positive}' cases, the model catches {caught} and misses {100 - caught}"
    if false_alarm is None:
        return f"{caught}; there are no '{negative}' cases among the held-out rows to count false alarms on."
    return f"{caught}; it wrongly flags {round(false_alarm * 100)} of 100 '{negative}' ones."


def spread_in_words(low: str, high: str, metric: str, retrained: bool = True) -> str:
    """The spread of a score across samples: of retrained copies, or of the held-out score over resamples."""
    if low == high:  # the same once rounded: 'between 98 and 98' says less than this
        who = ("Tested on other random picks of the held-out rows, the model" if not retrained
               else "Copies of the model trained on other parts of the data")
        return (f"{who} all score about {low} ({metric_words(metric)}): the score hardly moves from one sample to "
                "the next.")
    if not retrained:
        return (f"Tested on other random picks of the held-out rows, the model scores between {low} and {high} "
                f"({metric_words(metric)}). So any single score can move by about that much.")
    return (f"Copies of the model trained on other parts of the data score between {low} and {high} "
            f"({metric_words(metric)}). So any single score can move by about that much.")


def segment_name(key) -> str:
    """A slice as words: 'purpose' is 'education' and 'age' is 19 to 25."""
    return " and ".join(f"'{column}' is '{value}'" for column, value in key)


def segment_sentence(name: str, rows: int, error: float, overall: float, kind: str,
                     expected: float | None = None) -> str:
    """One weak slice against the whole (and against what the model's own chances expect there)."""
    if kind == "mae":
        return f"when {name} ({rows} cases), predictions are off by {num(error)} on average, against {num(overall)} overall"
    said = "" if expected is None else f", though its own stated chances there expect {pct(1 - expected)}"
    return f"when {name} ({rows} cases), it is right {pct(1 - error)} of the time, against {pct(1 - overall)} overall{said}"


def held_out_seen_problem(model: str, copy: str, metric: str, split: str) -> str:
    """Why an uploaded model's held-out rows cannot be trusted, in a clause."""
    return (f"it scores {model} ({metric_words(metric)}) on the held-out rows ({split_words(split)}), while copies "
            f"of it retrained without those rows score {copy} there, so it was most likely trained on them")


def thin_held_out(thin: dict, rows: int) -> str:
    """What a handful of held-out rows of an outcome means for the judgements."""
    parts = [f"{n} of '{c}'" for c, n in thin.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    one = len(parts) == 1
    return (f"Only {listed} among the {rows:,} held-out rows: scores that depend on {'that outcome' if one else 'those outcomes'} "
            "are too uncertain, so a training-vs-held-out gap cannot block a launch, and calibration and weak "
            "segments are only mentioned, not graded. Held-out data with more rows of every outcome would settle it.")


def reference_columns(identifiers: list[str], sensitive: list[str], empty: list[str] = ()) -> str:
    """Which columns mlready's own reference model leaves out, in a sentence ('' when none)."""
    parts = []
    if empty:
        parts.append(f"the column{'s' if len(empty) > 1 else ''} {name_list(list(empty))}, which "
                     f"{'have' if len(empty) > 1 else 'has'} no usable value in the training rows")
    if identifiers:
        parts.append(f"the identifier column{'s' if len(identifiers) > 1 else ''} {name_list(identifiers)}, "
                     "from which nothing general can be learned")
    if sensitive:
        parts.append(f"the sensitive column{'s' if len(sensitive) > 1 else ''} {name_list(sensitive)}, so that it "
                     "does not decide by them")
    return ("mlready's reference model does not read " + " or ".join(parts) + ".") if parts else ""


TEMPLATES.update({
    "model.overfitting": (
        "Much better on training data than on new data",
        "The model scores {train} ({metric}) on the rows it learned from, but {test} on rows it never saw "
        "({split}). {extra}It has partly memorised its training data, so expect results closer to {test} in production.",
        "Ask for a simpler model, or one held back from fitting its training rows so closely, or for more data. "
        "Judge it only on rows it never saw.",
    ),
    "model.overfitting:held_out_seen": (
        "The model has most likely been trained on the rows used to test it",
        "The model scores {test} ({metric}) on the held-out rows ({split}). But a copy of it retrained without those "
        "rows scores only {copy} there, and copies trained on parts of the training rows score {low} to {high} on "
        "the rows each left out. So it was most likely "
        "trained on these rows, and its held-out score says nothing about new cases{memorised}. Expect results "
        "closer to {copy} in production.",
        "Give mlready held-out data the model has never seen, such as the rows your team set aside before "
        "training (--test); until then calibration, weak segments and fairness are not judged.",
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
        "The more complex model ({kind}) adds little, but it costs more to run and is harder to explain.",
        "Ask whether the simpler model would do; it is easier to explain, check and maintain.",
    ),
    "model.no_better_than_baseline:simple_better": (
        "A much simpler model does better",
        "A simple linear model, trained on the same rows, scores {simple} against the model's {test} ({metric}). "
        "The more complex model ({kind}) is worse, costs more to run and is harder to explain.",
        "Ask why the complex model was chosen; consider the simpler one.",
    ),
    "model.no_better_than_baseline:simple_same_kind": (
        "A plain model of the same kind does better",
        "A plain linear model that mlready trained on the same rows scores {simple} against the model's {test} "
        "({metric}). The model is of the same kind ({kind}), so the difference lies in how it was prepared or "
        "trained (its inputs, how they were prepared, its settings or its training rows).",
        "Ask your team how the model was prepared and trained, and why a plain refit on these rows does better.",
    ),
    "model.no_better_than_baseline:simple_reference": (
        "A simpler model does as well on this data",
        "A simple linear model trained on the same rows scores {simple}, against {test} ({metric}) for the "
        "gradient-boosted trees mlready trained as its reference. The inputs seem to relate to the outcome "
        "in simple, straight-line ways.",
        "When you build the model, start with a simple linear one: it is easier to explain, check and maintain.",
    ),
    "model.unreadable": (
        "The model file could not be used with this data",
        "The model '{name}' could not be used: {problem}. The other results describe mlready's own "
        "reference model instead.",
        "Ask your team for the model that was trained on exactly these columns and outcomes.",
    ),
    "model.unreadable:no_probabilities": (
        "The model does not say how sure it is",
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
    "model.unstable:reference": (
        "Results change a lot with the sample",
        "Depending on which rows it learns from and is tested on, a model trained on this data scores between {low} "
        "and {high} ({metric}). Any single number you were shown could be off by that much.",
        "Report the range, not one number; more rows would make the scores firmer.",
    ),
    "model.unstable:bootstrap": (
        "The score depends a lot on which rows it is tested on",
        "Tested on other random picks of the held-out rows, the model scores between {low} and {high} "
        "({metric}). Any single number you were shown could be off by that much.",
        "Test the model on more held-out rows; report the range, not one number.",
    ),
    "model.more_data_would_help": (
        "More data would likely improve the model",
        "{who} trained on {small} rows scored {before}; on {large} rows, {after} ({metric}), still rising at the "
        "last step. Going by that last doubling, with about {doubled} rows it would likely reach about {expected}.",
        "Collect more examples with known outcomes before you pay for a more complex model.",
    ),
    "model.poorly_calibrated": (
        "The model's confidence cannot be taken at face value",
        "When the model gives {about} a chance of {said}, {outcome} {right} of the time. On average its "
        "stated chances are off by {ece} percentage points, where a well-calibrated model would be off by about "
        "{noise} on this many rows by chance alone. Decisions that use the chance itself (pricing, limits, triage) "
        "will be off too.",
        "Ask for the model to be calibrated on held-out data, or use its ranking rather than its stated chances.",
    ),
    "model.poorly_calibrated:reference": (
        "The reference model's stated chances are off",
        "When mlready's reference model gives {about} a chance of {said}, {outcome} {right} of the time. On "
        "average its stated chances are off by {ece} percentage points, where a well-calibrated model would be off "
        "by about {noise} on this many rows by chance alone.",
        "If the model you build will use its stated chances (pricing, limits, triage), calibrate it on held-out data.",
    ),
    "model.weak_segment": (
        "The model is much weaker for some groups of cases",
        "{described}. These groups were found among {tried} tried and still stand out after allowing for the "
        "whole search.",
        "Look at these cases with the business: collect more examples of them, add information that describes "
        "them, or route them to a person.",
    ),
})

NOTES.update({
    "held_out": "Held-out rows: {split} ({rows} rows). Main measure: {meaning}",
    "score_undefined": "{metric} on the held-out rows cannot be measured: they hold only {outcomes}. The scores "
                       "that need every outcome (the training-vs-held-out gap, the comparisons and the learning "
                       "curve) were left out; what can be measured is reported.",
    "reference_gap": "mlready's reference model scores {train} ({metric}) on the rows it learned from and {test} on "
                     "held-out rows. That gap comes from how mlready trained its own model, so it is not judged: "
                     "the held-out score is what this data supports.",
    "reference_sampled": "To save time on this large table, mlready's reference model learned from {rows} of the "
                         "{total} training rows ({how}, the same every run with seed {seed}).",
    "train_score_sampled": "To save time on this large table, the training score is measured on {rows} of the {total} "
                           "{which} ({how}, seed {seed}).",
    "held_out_sampled": "To save time on this large table, every held-out judgement uses {rows} of the {total} "
                        "held-out rows ({how}, seed {seed}{rule}). That many rows pin a score down to within about "
                        "a hundredth.",
    "held_out_verified": "Were the held-out rows used in training? Copies of the model retrained without them score "
                         "{copy} there and the model {model} ({metric}), within what the copies' spread allows, so "
                         "nothing suggests it.",
    "held_out_seen": "The held-out rows cannot be trusted for this model: {problem}.",
    "held_out_unverifiable": "The model could not be retrained here, so mlready could not check whether it was "
                             "trained on the held-out rows ({split}); if it was, every held-out score is too good. "
                             "Held-out data the model has never seen would settle it.",
    "not_graded_seen": "{what}: not judged, because the model has most likely been trained on the held-out rows.",
    "comparisons": "Comparisons: always guessing the most common answer (or the average), and a simple linear model "
                   "(logistic or ridge regression) trained on the same rows.",
    "comparisons_seen": "Comparisons: the model has most likely been trained on the held-out rows, so a copy of it "
                        "retrained without them stands in for it against always guessing the most common answer (or "
                        "the average) and a simple linear model trained on the same rows.",
    "comparisons_undefined": "Comparisons with a trivial guess and a simple linear model: not made, because the "
                             "held-out score cannot be measured.",
    "cross_validation": "{folds}-fold cross-validation of a fresh copy of the model on {rows} of the training data. "
                        "Scored on its few left-out rows alone, a fold's score moves by about {sampling} ({metric}); "
                        "a spread no larger than that says the evidence is thin, not that the model changes, so it "
                        "is a warning at most; only a spread surely beyond it (at its 95% lower bound) blocks a "
                        "launch.",
    "bootstrap": "The model could not be retrained here, so its held-out score was recomputed on {rounds} random "
                 "resamples of the held-out rows.",
    "learning_no_refit": "Learning curve: not drawn, because the model could not be retrained here.",
    "learning_too_small": "Learning curve: not drawn, too few rows for several training sizes.",
    "learning_undefined": "Learning curve: not drawn, because the held-out score cannot be measured.",
    "learning": "Learning curve: {who} trained on {sizes} rows and scored on the held-out rows; the likely gain from "
                "more data is read from the last doubling only, and counts only if it is clear of the noise of the "
                "held-out rows.",
    "learning_sampled": "Learning curve: the copies learned from a sample of {rows} of the {total} training rows, so "
                        "the gain from more data is not judged for the model itself.",
    "stability_undefined": "Stability: not measured, because the held-out score cannot be measured on resamples of "
                           "the held-out rows.",
    "calibration_skipped": "Calibration: not checked, because the model gives no probabilities.",
    "calibration": "Calibration: held-out rows in {groups} equal-sized groups by predicted chance of {about}; the "
                   "expected calibration error is the average gap between predicted and observed rates. Even a "
                   "perfectly calibrated model shows a gap on a sample (here about {noise} points, from "
                   "{simulations} sets of outcomes drawn from the model's own chances); only a gap well beyond that "
                   "counts.",
    "segments": "Weak segments: {tried} slices of the held-out rows tried (each label value, number quarters, and "
                "pairs of the slices that stand out most), at least {min_rows} rows each. A slice counts only if it "
                "stands out more than the most extreme slice of the same search usually does when {null} "
                "({simulations} simulated searches).",
})


TEMPLATES.update({
    "model.held_out_unusable": (
        "The held-out rows cannot test the model",
        "The rows used to test the model ({split}) hold only {outcomes}, so its main score ({metric}) on new cases "
        "cannot be measured. Nothing here says the model is bad; it has simply not been tested.",
        "Give mlready held-out data with rows of every outcome (--test), such as a larger sample set aside before "
        "training.",
    ),
})
