"""The words of the data-quality pillar: finding texts, how checks worked, shifts and gaps in words."""
from __future__ import annotations

from typing import Any

from .base import METRIC_NAMES, is_value, NOTES, TEMPLATES, metric_value, metric_words, num, pct


def spread_words(value: float) -> str:
    """A shift measured in spreads, in words: 0.8 -> '0.8 of its usual spread', 2.4 -> '2.4 times its usual spread'."""
    return f"{num(value, 1)} of its usual spread" if value < 1 else f"{num(value, 1)} times its usual spread"


def numeric_shift(column: str, mean_before: float, mean_after: float, spread_before: float,
                  spread_after: float | None = None) -> str:
    """How a number column moved between the training data and the new data, in means and spreads (standard
    deviations), which hold for every column: centred on zero, counts, or amounts."""
    name = f"'{column}'"
    if not spread_before:
        if mean_after == mean_before:
            return f"{name} is spread differently in the new data (always {num(mean_before)} before)"
        return f"{name} was always {num(mean_before)} before; in the new data it averages {num(mean_after)}"
    moved = (mean_after - mean_before) / spread_before
    parts = []
    if abs(moved) >= 0.05:
        parts.append(f"{name} moved {'up' if moved > 0 else 'down'} by {spread_words(abs(moved))} "
                     f"(average {num(mean_after)} against {num(mean_before)})")
    if spread_after is not None and spread_before and not 0.67 <= spread_after / spread_before <= 1.5:
        grew = "widened" if spread_after > spread_before else "narrowed"
        subject = "its spread" if parts else f"the spread of {name}"
        parts.append(f"{subject} {grew} from {num(spread_before)} to {num(spread_after)}")
    if not parts:
        return f"{name} is spread differently in the new data (average {num(mean_after)} against {num(mean_before)})"
    return "; ".join(parts)


def category_shift(column: str, label: str, before: float, after: float) -> str:
    """How the share of one label moved between the training data and the new data."""
    return f"{is_value(column, label)} in {pct(after)} of new rows, against {pct(before)} before"


def missing_shift(column: str, before: float, after: float) -> str:
    """How the share of empty cells moved between the training data and the new data."""
    if after >= 0.999:
        return f"'{column}' is empty in every new row (against {pct(before)} before)"
    return f"'{column}' is empty in {pct(after)} of new rows against {pct(before)} before"


def unseen_values(column: str, values: list[tuple[str, int]], rows: int, where: str) -> str:
    """Labels a file holds that the training data never had: values are (label, rows with it); `where` is
    'held-out' or 'new'."""
    shown = ", ".join(f"'{label}' ({count:,} {where} rows, {pct(count / rows)})" for label, count in values[:3])
    more = f" and {len(values) - 3} more" if len(values) > 3 else ""
    if len(values) == 1:
        label, count = values[0]
        return (f"{is_value(column, label)} in {count:,} {where} rows ({pct(count / rows)}), a value the training "
                f"data never has")
    return f"'{column}' has values never seen in training: {shown}{more}"


UNSEEN_HANDLING = {
    "reference": "the model treats such values as missing",
    "uploaded": "how the model handles them depends on how it was built (it may fail, or treat them as missing "
                "or as some other value)",
    "unused": "the model does not read these columns",
}

OVERLAP_UNMEASURED = ("Too few held-out rows are new to the model to measure how much the copies flatter the "
                      "score.")
OVERLAP_MOSTLY = ("So the held-out scores measure what the model remembers, not how it does on cases it has never "
                  "seen: none of them can be trusted.")


def overlap_effect(metric: str, score_all: float, score_unseen: float, inflated: bool) -> str:
    """What held-out rows found in training do to the held-out score."""
    name = METRIC_NAMES.get(metric, "")
    every, unseen = metric_value(name, score_all), metric_value(name, score_unseen)
    if inflated:
        return (f"On the held-out rows the model scores {every} ({metric_words(metric)}), but only {unseen} on "
                f"the rows it has not seen. The copies make it look better than it is.")
    return (f"On the held-out rows the model scores {every} ({metric_words(metric)}), and {unseen} on the rows it "
            f"has not seen. The copies do not change the result much.")


def missing_changes_rate(column: str, positive: Any, ratio: float) -> str:
    """How the outcome rate differs when a value is missing (ratio: rate when missing / rate when present)."""
    if ratio >= 1:
        return f"when '{column}' is missing, '{positive}' is {num(ratio, 1)} times as likely"
    return f"when '{column}' is missing, '{positive}' is only {pct(ratio)} as likely as when it is filled"


def missing_changes_mean(column: str, target: str, when_missing: float, when_present: float) -> str:
    """How the average target differs when a value is missing."""
    return (f"when '{column}' is missing, '{target}' averages {num(when_missing)} against "
            f"{num(when_present)} when it is filled")


TEMPLATES.update({
    "data.missing_values": (
        "Empty cells in {n_columns}",
        "{columns} {has_have} empty cells (up to {worst} of rows). The model has to guess the missing values, "
        "and the guesses may be wrong in ways nobody sees.",
        "Ask why the values are missing and whether they can be filled at the source; "
        "check that production data is missing in the same way.",
    ),
    "data.missing_values:target": (
        "The outcome is missing for {share} of rows",
        "The column the model predicts, '{target}', is empty in {count} rows. Those rows cannot be used, "
        "and they may be exactly the cases that matter.",
        "Find out why outcomes are missing before trusting any result; record them for all cases.",
    ),
    "data.missing_values:informative": (
        "Missing values in '{columns_plain}' say something about the outcome",
        "{columns} is empty in {share} of rows, and {effect}. The gap itself carries information: if it is "
        "filled differently in production, the model's decisions will shift.",
        "Ask why the value is missing and whether it will be missing in the same way when the model is used.",
    ),
    "data.duplicate_rows": (
        "{count} repeated rows",
        "{share} of rows appear more than once{apart}, where chance alone would give about {chance}. Repeats give some "
        "cases extra weight and can make the model look better than it is when a copy lands among the rows used "
        "for testing.",
        "Ask whether the repeats are real events or copies from an export; remove copies.",
    ),
    "data.constant_column": (
        "{n_columns} never {change_changes}",
        "{columns} {holds_hold} the same value in every row, so {it_they} {tells_tell} the model nothing.",
        "Drop {it_them}, or check whether the export lost the real values.",
    ),
    "data.constant_column:flag": (
        "{columns}: one value or empty",
        "{columns} {holds_hold} a single value ({value}) or nothing: {it_they} {works_work} as a yes/blank flag, "
        "where an empty cell is the other answer ({share} of rows are empty). That can be a useful signal.",
        "Check that an empty cell really means 'no' here, and that production data leaves it empty in the same "
        "way; never fill the gaps with the one value, or the signal is lost.",
    ),
    "data.id_like_column": (
        "An ID column is used as an input: {columns}",
        "{columns} {has_have} a different value in almost every row, like a customer number. "
        "A model can memorise such values but cannot learn anything general from them.",
        "Take ID columns out of the model's inputs.",
    ),
    "data.high_cardinality": (
        "Very many different labels in {columns}",
        "'{worst_column}' has {most} different labels. Most labels are seen only a few times, so the model "
        "learns little from them and may latch onto noise.",
        "Group rare labels into broader categories, or drop the column.",
    ),
    "data.mixed_types": (
        "Numbers and text mixed in {columns}",
        "{columns} holds mostly {majority} but also {kind} such as {examples} ({share} of filled cells); "
        "{treatment}. Mixed entries often mean the data came from more than one place, or was typed by hand.",
        "Ask for one consistent format in this column, and find out what the odd entries mean.",
    ),
    "data.outliers": (
        "Extreme values in {columns}",
        "In '{worst}', {share} of values are far from the rest (for example {high}, where the typical value "
        "is {median}). They may be errors or rare real cases.",
        "Check a few of these rows with someone who knows the data; correct errors at the source.",
    ),
    "data.outliers:placeholder": (
        "{columns} uses {value} like a code",
        "The value {value} appears in {share} of rows of {columns}, apart from all other values ({apart}). It looks "
        "like a code for 'unknown' or 'not applicable' rather than a real amount, and the model will read it as one.",
        "Ask what {value} means here; if it means unknown, record it as missing.",
    ),
    "data.class_imbalance": (
        "Few rows with the outcome '{label}': {share}",
        "Only {count} rows have the outcome '{label}'. A model can look accurate while missing most of "
        "these cases, and they are often the ones that matter.",
        "Judge the model on how many '{label}' cases it catches, not on overall accuracy; collect more of them if you can.",
    ),
    "data.target_leakage": (
        "{columns} gives the answer away",
        "On its own, {columns} predicts the outcome on rows the model never saw with a score of {score} ({scale}); "
        "{reasons}. Such a column is usually recorded after the outcome is known, so it will not be available, "
        "or not mean the same, when the model is used for real.",
        "Ask when this column is filled in. If it is known only after the outcome, remove it and retrain.",
    ),
    "data.target_leakage:after_outcome_critical": (
        "{columns} gives the answer away",
        "Its name suggests it is filled in after the outcome is known ('{word}'), and on its own it predicts the "
        "outcome on rows the model never saw with a score of {score} ({scale}); {reasons}. It will not be "
        "available, or not mean the same, when the model is used for real.",
        "Ask when {columns} is filled in. If only after the outcome, remove it and retrain.",
    ),
    "data.target_leakage:suspect": (
        "{columns} may give the answer away",
        "On its own, {columns} scores {score} on rows the model never saw ({scale}), and {reasons}. Genuine "
        "predictors rarely stand out like this; a column filled in after the outcome does.",
        "Ask when {columns} is filled in, and whether it is known, in the same form, before the decision is made. "
        "If not, remove it and retrain.",
    ),
    "data.target_leakage:thin": (
        "{columns} may give the answer away",
        "On its own, {columns} predicts the outcome almost perfectly on rows the model never saw (score {score}; "
        "{scale}); {reasons}.",
        "Ask when {columns} is filled in; assess again with more held-out rows to be sure.",
    ),
    "data.target_leakage:unused": (
        "{columns} gives the answer away, but the model does not read it",
        "On its own, {columns} predicts the outcome on rows the model never saw with a score of {score} ({scale}); "
        "{reasons}. The assessed model does not use it, so it does not inflate these results, but any model "
        "retrained with it would learn the answer from it.",
        "Ask when {columns} is filled in; keep it out of every model if it is known only after the outcome.",
    ),
    "data.target_leakage:carries_model": (
        "{columns} may give the answer away, together with other columns",
        "The model scores {model} on rows it never saw ({metric}): it is almost never wrong, which is rare for a "
        "real-world outcome. Retrained without {first}, it scores {without}: it gets {growth} as far from "
        "perfect, and no other column stands in for it ({first} carries {share} of the model's reasoning).{also} "
        "A column that gives "
        "the answer away only next to another (an arrival time next to the scheduled one gives the delay) is "
        "usually recorded after the outcome.",
        "Ask when {columns} {is_are} filled in, and whether {it_they} known, in the same form, before the decision "
        "is made. If not, remove {it_them} and retrain.",
    ),
    "data.target_leakage:after_outcome": (
        "{columns} may be recorded after the outcome",
        "Its name suggests it is filled in after the outcome is known ('{word}'), and on its own it scores {score} "
        "on rows the model never saw ({scale}); {reasons}. If so, it will not be available when the model "
        "is used for real.",
        "Ask when {columns} is filled in. If only after the outcome, remove it and retrain.",
    ),
    "data.conflicting_labels": (
        "{count} rows contradict each other",
        "{share} of rows have exactly the same inputs as another row but a different outcome, and identical inputs "
        "are more common here than chance explains (copied rows). No model can get all of them right; it may mean "
        "labelling mistakes or copies with edited outcomes.",
        "Check a few of these pairs; if the labels are right, ask which information would tell them apart.",
    ),
    "data.train_test_overlap:file": (
        "{count} held-out rows also appear in the training data",
        "{share} of the rows in {split} are identical to training rows, where chance alone would give about "
        "{chance}. {effect}",
        "Remove the repeated rows from the held-out data and assess again.",
    ),
    "data.train_test_overlap:split": (
        "{count} held-out rows repeat training rows",
        "Because the data contains copied rows, {share} of the rows set aside for testing also appear in the "
        "training rows, where chance alone would give about {chance}. {effect}",
        "Remove copied rows from the data (or give a separate held-out file) and assess again.",
    ),
    "data.small_sample": (
        "Few rows to learn from",
        "There are {rows} training rows for {features} input columns{class_part}. "
        "With so little data, results can change a lot with a different sample.",
        "Collect more rows, or use fewer input columns.",
    ),
    "data.small_sample:rare_outcome": (
        "Few examples of the outcome '{label}'",
        "There are {rows} training rows, but only {count} with the outcome '{label}'. A model learns little about an "
        "outcome it has seen so rarely: what it predicts for '{label}', and every score for it, can change a lot "
        "with a different sample.",
        "Collect more examples of '{label}', or, if it makes sense for the decision, merge it with a similar outcome.",
    ),
    "data.drift": (
        "The new data differs from the training data in {n_columns}",
        "In the recent data, {described}. A model is only reliable for data like the data it learned from.",
        "Ask whether the change is real (new customers, new products) or a change in how data is recorded; "
        "retrain on recent data if it is real.",
    ),
    "data.drift:empty": (
        "{columns} {is_are} empty in the new data",
        "In the recent data, {described}. The model reads {it_them} but will get nothing: its decisions will "
        "rest on guesses for {it_them}.",
        "Find out why production stopped filling {it_them} (a renamed field, a broken feed) and fix it before "
        "launch.",
    ),
    "data.unseen_categories": (
        "Labels the training data never had, in {columns}",
        "{described}; {handling}. Results for these rows cannot be trusted the way the others can.",
        "Ask what the new labels mean; map them to known ones if they are renamings, or retrain on data that "
        "includes them.",
    ),
})

NOTES.update({
    "profile": "Data profile by fg-data-profiling ({mode} mode) on {rows}; its alerts: {alerts}{covered}.",
    "leakage": "Target leakage: each of {columns} columns alone (numbers in quantile bins, labels as they are, empty "
               "cells as a value of their own; each level's smoothed outcome rate learned on {rows}), scored on "
               "{held_out} held-out rows and compared with the next best column; the model retrained without the "
               "strongest {retrained} suspect(s), and their share of the explanations.",
    "overlap_natural": "Held-out rows found in training: {share}, no more than chance gives for rows that can take "
                       "few different values (about {chance}), so they are not copies.",
    "repeats_natural": "Repeated rows: {share} of rows repeat another, no more than chance gives for rows that can "
                       "take few different values (about {chance}), so they are not copies.",
    "conflicts_natural": "Rows with the same inputs but a different outcome: {share}; identical inputs are no more "
                         "common than chance gives here, so this is the outcome's own noise, not a data problem.",
    "outliers": "Extreme values: more than {factor} spreads beyond the quartiles; a placeholder is one value, "
                "repeated, set apart from all other values of its column.",
    "drift_skipped": "Drift: not checked, because no recent production data was given.",
    "drift": "Drift: {rows} new rows against the training data; per column, the population stability index over "
             "ten bins (labels for categories) plus a bin for empty cells, and a test (Kolmogorov-Smirnov on the "
             "filled numbers, Fisher's exact test on the share of empty cells, chi-squared on labels), "
             "Bonferroni-corrected for {columns} columns.",
    "unseen": "Unseen labels: category columns of {files} compared with the labels of the training data.",
})


NOTES.update({
    "leakage_set_aside": "The held-out rows hold only one outcome, so each column alone was scored on {rows} "
                         "training rows set aside for it instead (a quarter, with every outcome in its share).",
})


TEMPLATES.update({
    "data.missing_values:held_out_empty": (
        "Columns the model needs are empty in the held-out file",
        "{described}. The scores and explanations measured on these rows show the model working without "
        "these inputs, not the model as it will run, so they can be wrong in either direction.",
        "Check how the held-out file was exported (a column left out or renamed), fill the column, and assess again.",
    ),
})
