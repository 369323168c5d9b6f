"""The words of the data-quality pillar: finding texts, how checks worked, shifts and gaps in words."""
from __future__ import annotations

from typing import Any

from .base import NOTES, TEMPLATES, num, pct, readable


def numeric_shift(column: str, before: float, after: float) -> str:
    """How a number column moved between the training data and the new data."""
    if not before:
        return f"'{readable(column)}' is spread differently in the new data"
    change = (after - before) / abs(before)
    return (f"'{readable(column)}' is {pct(abs(change))} {'higher' if change > 0 else 'lower'} in the new data "
            f"(typical value {num(after)} against {num(before)})")


def category_shift(column: str, label: str, before: float, after: float) -> str:
    """How the share of one label moved between the training data and the new data."""
    return f"'{readable(column)}' = '{label}' makes up {pct(after)} of new rows against {pct(before)} before"


def missing_changes_rate(column: str, positive: Any, ratio: float) -> str:
    """How the outcome rate differs when a value is missing (ratio: rate when missing / rate when present)."""
    if ratio >= 1:
        return f"when '{column}' is missing, '{positive}' is {num(ratio, 1)} times as likely"
    return f"when '{column}' is missing, '{positive}' is only {pct(ratio)} as likely as when it is filled"


def missing_changes_mean(column: str, target: str, when_missing: float, when_present: float) -> str:
    """How the average target differs when a value is missing."""
    if not when_present:
        return f"when '{column}' is missing, '{readable(target)}' averages {num(when_missing)} against {num(when_present)}"
    change = (when_missing - when_present) / abs(when_present)
    return (f"when '{column}' is missing, '{readable(target)}' is {pct(abs(change))} "
            f"{'higher' if change > 0 else 'lower'} on average")


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
        "{share} of rows appear more than once. Repeats give some cases extra weight and can make "
        "the model look better than it is when a copy lands among the rows used for testing.",
        "Ask whether the repeats are real events or copies from an export; remove copies.",
    ),
    "data.constant_column": (
        "{n_columns} never {change_changes}",
        "{columns} {holds_hold} the same value in every row, so {it_they} {tells_tell} the model nothing.",
        "Drop {it_them}, or check whether the export lost the real values.",
    ),
    "data.id_like_column": (
        "Identifier used as an input: {columns}",
        "{columns} {has_have} a different value in almost every row, like a customer number. "
        "A model can memorise such values but cannot learn anything general from them.",
        "Remove identifiers from the model's inputs.",
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
        "{treatment}. Mixed entries usually mean different sources or manual typing.",
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
        "The value {value} appears in {share} of rows of {columns}, far from the other values. It looks like "
        "a code for 'unknown' or 'not applicable' rather than a real amount, and the model will read it as one.",
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
        "On its own, {columns} predicts the outcome almost perfectly on rows the model never saw "
        "(score {score}; {scale}). Such a column is usually recorded after the outcome is known, "
        "so it will not be available, or not mean the same, when the model is used for real.",
        "Ask when this column is filled in. If it is known only after the outcome, remove it and retrain.",
    ),
    "data.target_leakage:strong": (
        "{columns} alone predicts the outcome very well",
        "On its own, {columns} scores {score} on rows the model never saw ({scale}). That can be genuine, "
        "but it is also how a column recorded after the outcome looks.",
        "Confirm that {columns} is known before the decision is made, in the same form as in this data.",
    ),
    "data.target_leakage:after_outcome": (
        "{columns} may be recorded after the outcome",
        "Its name suggests it is filled in after the outcome is known ('{word}'), and on its own it predicts "
        "the outcome well (score {score}; {scale}). If so, it will not be available when the model "
        "is used for real.",
        "Ask when {columns} is filled in. If only after the outcome, remove it and retrain.",
    ),
    "data.conflicting_labels": (
        "{count} rows contradict each other",
        "{share} of rows have exactly the same inputs as another row but a different outcome. No model can get "
        "all of them right; it may mean labelling mistakes or that important information is missing.",
        "Check a few of these pairs; if the labels are right, ask which information would tell them apart.",
    ),
    "data.train_test_overlap:file": (
        "{count} held-out rows also appear in the training data",
        "{share} of the rows in {split} are identical to training rows. The model has seen them, so its "
        "held-out results look better than they will be in production.",
        "Remove the repeated rows from the held-out data and assess again.",
    ),
    "data.train_test_overlap:split": (
        "{count} held-out rows repeat training rows",
        "Because the data contains repeated rows, {share} of the rows set aside for testing also appear in the "
        "training rows. Results on new data will be worse than they look here.",
        "Remove repeated rows from the data (or give a separate held-out file) and assess again.",
    ),
    "data.small_sample": (
        "Few rows to learn from",
        "There are {rows} training rows for {features} input columns{class_part}. "
        "With so little data, results can change a lot with a different sample.",
        "Collect more rows, or use fewer input columns.",
    ),
    "data.drift": (
        "The new data differs from the training data in {n_columns}",
        "In the recent data, {described}. A model is only reliable for data like the data it learned from.",
        "Ask whether the change is real (new customers, new products) or a change in how data is recorded; "
        "retrain on recent data if it is real.",
    ),
})

NOTES.update({
    "profile": "Data profile by fg-data-profiling ({mode} mode) on {rows}; its alerts: {alerts}{covered}.",
    "leakage": "Target leakage: each column alone, a small decision tree trained on {rows} and scored on the "
               "held-out rows.",
    "drift_skipped": "Drift: not checked, because no recent production data was given.",
    "drift": "Drift: {rows} new rows against the training data; per column, the population stability index and a "
             "Kolmogorov-Smirnov or chi-squared test, Bonferroni-corrected for {columns} columns.",
})
