"""Evidence numbers as a person reads them: a plain label and a rounded value with its unit.

A finding's `evidence` keeps exact numbers under stable snake_case keys (the JSON contract). People see them through
`labelled_evidence(finding)`: `[("Held-out score", "0.82"), ("Rows affected", "1,204"), ("Share of rows", "12%")]`.
A key listed in `LABELS` gets its own label and kind; any other key is labelled from its words and its kind guessed
from its name (shares and rates as percentages, counts with separators, times with units).
"""
from __future__ import annotations

import re
from typing import Callable, Mapping

from . import numbers

#: How a value is written, by kind.
FORMATS: Mapping[str, Callable[[object], str]] = {
    "percent": numbers.percent,
    "count": numbers.count,
    "number": numbers.number,
    "seconds": numbers.duration,
    "milliseconds": numbers.milliseconds,
    "bytes": numbers.size,
    "flag": lambda value: "yes" if value else "no",
}

#: Evidence key -> (plain label, kind). Pillar modules may add their own keys with `register_labels`.
LABELS: dict[str, tuple[str, str]] = {
    # general
    "p_value": ("Chance of a result this strong by luck alone", "number"),
    "rows": ("Rows", "count"),
    "share": ("Share of rows", "percent"),
    "regression": ("Predicts a number (1 = yes)", "flag"),
    "training_rows": ("Training rows", "count"),
    "features": ("Input columns", "count"),
    "columns_affected": ("Columns affected", "count"),
    # data quality
    "missing_share": ("Share of rows with an empty cell", "percent"),
    "worst_missing_share": ("Largest share of empty cells in one column", "percent"),
    "rows_missing": ("Rows without an outcome", "count"),
    "outcome_rate_when_missing": ("Outcome rate when the cell is empty", "percent"),
    "outcome_rate_when_present": ("Outcome rate when the cell is filled", "percent"),
    "mean_when_missing": ("Average outcome when the cell is empty", "number"),
    "mean_when_present": ("Average outcome when the cell is filled", "number"),
    "duplicate_rows": ("Repeated rows", "count"),
    "duplicate_share": ("Share of rows repeated", "percent"),
    "chance_share": ("Share expected by chance alone", "percent"),
    "lowest_unique_share": ("Smallest share of distinct values", "percent"),
    "identifier_columns": ("Identifier columns", "count"),
    "row_number_columns": ("Row-number columns", "count"),
    "worst_extreme_share": ("Largest share of extreme values in one column", "percent"),
    "smallest_class_rows": ("Rows of the rarest outcome", "count"),
    "minority_share": ("Share of the rarest outcome", "percent"),
    "minority_rows": ("Rows of the rarest outcome", "count"),
    "conflicting_rows": ("Rows that contradict another", "count"),
    "conflicting_share": ("Share of rows that contradict another", "percent"),
    "identical_inputs_share": ("Share of rows with the same inputs as another", "percent"),
    "identical_inputs_chance_share": ("Same-input share expected by chance", "percent"),
    "placeholder_share": ("Share of rows with the code value", "percent"),
    "placeholder_value": ("Value used like a code", "number"),
    "most_distinct_values": ("Most different labels in one column", "count"),
    "classes": ("Outcomes", "count"),
    "constant_columns": ("Columns that never change", "count"),
    "empty_share": ("Share of empty cells", "percent"),
    "number_share": ("Share of cells holding numbers", "percent"),
    # inputs
    "infinite_cells": ("Cells holding infinity", "count"),
    "spreadsheet_error_cells": ("Cells holding spreadsheet errors", "count"),
    "worst_share": ("Largest share of rows affected", "percent"),
    # leakage
    "single_column_score": ("Score of the column alone on held-out rows (0 to 1)", "number"),
    "single_column_edge": ("Share of the way from chance to perfect, column alone", "percent"),
    "next_best_score": ("Score of the next best column alone (0 to 1)", "number"),
    "model_edge_lost": ("Share of the model's skill lost without the column", "percent"),
    "model_score_without_column": ("Model's score without the column (0 to 1)", "number"),
    "explanation_share": ("Share of the model's reasoning", "percent"),
    "model_score": ("Model's score with every column (0 to 1)", "number"),
    "error_growth_without_column": ("Times further from perfect without the column", "number"),
    "overlapping_rows": ("Held-out rows also in the training data", "count"),
    "held_out_rows": ("Held-out rows", "count"),
    "outcomes_present": ("Outcomes present in the held-out rows", "count"),
    "outcomes_expected": ("Outcomes the model can predict", "count"),
    "columns_empty": ("Columns empty in the held-out file", "count"),
    "held_out_empty_share": ("Share of held-out rows empty (worst column)", "percent"),
    "training_empty_share": ("Share of training rows empty (same column)", "percent"),
    "overlap_share": ("Share of held-out rows also in the training data", "percent"),
    "overlap_p_value": ("Chance of this much overlap by luck alone", "number"),
    "score_all_held_out": ("Score on all held-out rows (0 to 1)", "number"),
    "score_unseen_held_out": ("Score on held-out rows not in the training data (0 to 1)", "number"),
    "inflation_p_value": ("Chance of this much flattering by luck alone", "number"),
    # drift
    "columns_moved": ("Columns that changed", "count"),
    "largest_psi": ("Largest change in how a column's values are spread", "number"),
    "largest_empty_share": ("Largest share of empty cells in new data", "percent"),
    "smallest_corrected_p": ("Chance of the largest change by luck alone", "number"),
    "worst_share_of_rows": ("Largest share of rows affected", "percent"),
    "unseen_label_share": ("Share of rows with a label never seen", "percent"),
    # model quality
    "test_score": ("Score on held-out rows (0 to 1)", "number"),
    "train_score": ("Score on training rows (0 to 1)", "number"),
    "gap": ("Difference in score (0 to 1 scale)", "number"),
    "relative_gap": ("Share of the model's skill lost on new rows", "percent"),
    "test_score_sd": ("Usual movement of the held-out score", "number"),
    "copy_score": ("Score of a copy retrained without the held-out rows (0 to 1)", "number"),
    "copies_mean_score": ("Average score of retrained copies (0 to 1)", "number"),
    "allowance": ("Gain allowed for learning from more rows", "number"),
    "baseline_score": ("Score of always guessing the same (0 to 1)", "number"),
    "relative_lift": ("Share of the way from a trivial guess to perfect", "percent"),
    "simple_model_score": ("Score of a simple linear model (0 to 1)", "number"),
    "simple_lead_p_value": ("Chance the simple model's lead is luck", "number"),
    "cv_mean": ("Average score of retrained copies (0 to 1)", "number"),
    "cv_std": ("Usual movement of the score between copies", "number"),
    "cv_min": ("Lowest score of a copy (0 to 1)", "number"),
    "cv_max": ("Highest score of a copy (0 to 1)", "number"),
    "folds": ("Retrained copies", "count"),
    "bootstrap_rounds": ("Resamples of the held-out rows", "count"),
    "sampling_spread": ("Movement expected from the few rows each copy is scored on", "number"),
    "model_spread": ("Movement beyond that expected", "number"),
    "rows_used": ("Rows used", "count"),
    "score_at_half": ("Score when trained on half the rows (0 to 1)", "number"),
    "score_at_full": ("Score when trained on all the rows (0 to 1)", "number"),
    "expected_gain_if_doubled": ("Likely gain with twice the rows", "number"),
    "expected_calibration_error": ("Average gap between stated and real chances", "percent"),
    "ece_expected_if_calibrated": ("Gap expected by chance alone", "percent"),
    "ece_excess": ("Gap beyond chance", "percent"),
    "brier_score": ("Average squared error of the stated chances", "number"),
    "spiegelhalter_z": ("Strength of the gap in stated chances", "number"),
    "worst_bin_predicted": ("Stated chance in the worst group", "percent"),
    "worst_bin_observed": ("Real rate in the worst group", "percent"),
    "segments_found": ("Weak groups found", "count"),
    "slices_tried": ("Groups tried", "count"),
    "worst_rows": ("Rows in the weakest group", "count"),
    "worst_error": ("Error in the weakest group", "number"),
    "worst_expected_error": ("Error expected there from the model's own chances", "number"),
    "overall_error": ("Error overall", "number"),
    "worst_adjusted_p": ("Chance the weakest group stands out by luck alone", "number"),
    # robustness
    "noise_level": ("Size of the small changes (share of usual spread)", "percent"),
    "changed_share": ("Share of predictions changed", "percent"),
    "unexpected_share": ("Share of confident predictions changed", "percent"),
    "close_call_share": ("Share of close calls", "percent"),
    "rows_changed_confidently": ("Confident predictions changed", "count"),
    "share_changed": ("Share of answers changed", "percent"),
    "evaluations": ("Predictions tried", "count"),
    "worst_column_share": ("Predictions changed by the most sensitive input alone", "percent"),
    "inputs_tried": ("Inputs tried", "count"),
    "problems": ("Inputs that caused problems", "count"),
    "crashes": ("Inputs that stopped the model", "count"),
    "swings": ("Inputs that swung predictions", "count"),
    "largest_swing_share": ("Largest share of predictions swung", "percent"),
    # explanations
    "agreement": ("Agreement of explanations between copies (1 = identical)", "number"),
    "rank_agreement": ("Agreement of the column order between copies (1 = identical)", "number"),
    "resamples": ("Retrained copies compared", "count"),
    "columns_compared": ("Columns compared", "count"),
    "importance_share": ("Share of the model's reasoning", "percent"),
    "top_feature_share": ("Share of the model's reasoning in the top column", "percent"),
    "proxy_score": ("How well the column predicts the sensitive one (0 to 1)", "number"),
    # fairness
    "outcome_ratio": ("Ratio of outcome rates (below 0.8 fails the four-fifths rule)", "number"),
    "other_outcome_ratio": ("Ratio of rates of the other outcome", "number"),
    "observed_ratio": ("Ratio of real rates in the data", "number"),
    "lowest_rate": ("Lowest group's rate", "percent"),
    "highest_rate": ("Highest group's rate", "percent"),
    "observed_lowest_rate": ("Real rate of the lowest group", "percent"),
    "observed_highest_rate": ("Real rate of the highest group", "percent"),
    "widening_points": ("Gap the model adds beyond the data", "percent"),
    "widening_p_value": ("Chance the added gap is luck", "number"),
    "decisions_widening_points": ("Gap the decisions add beyond the data", "percent"),
    "decisions_widening_p_value": ("Chance the decisions' added gap is luck", "number"),
    "pairs_compared": ("Pairs of groups compared", "count"),
    "accuracy_gap": ("Difference in share right", "percent"),
    "best_accuracy": ("Share right, best group", "percent"),
    "worst_accuracy": ("Share right, weakest group", "percent"),
    "best_mean_error": ("Average error, best group", "number"),
    "worst_mean_error": ("Average error, weakest group", "number"),
    "error_ratio": ("How many times larger the error is", "number"),
    "gap_in_standard_deviations": ("Gap in predictions (in usual spreads)", "number"),
    "observed_gap_in_standard_deviations": ("Gap in the data itself (in usual spreads)", "number"),
    "lowest_mean_prediction": ("Lowest group's average prediction", "number"),
    "highest_mean_prediction": ("Highest group's average prediction", "number"),
    "lowest_observed_mean": ("Lowest group's real average", "number"),
    "highest_observed_mean": ("Highest group's real average", "number"),
    "small_groups": ("Groups too small to judge", "count"),
    "smallest_group_rows": ("Held-out rows in the smallest group", "count"),
    "smallest_judged_group_rows": ("Held-out rows in the smallest group judged", "count"),
    "power": ("Chance a gap of the warning size would be seen", "percent"),
    # scalability
    "latency_ms_p50": ("Typical time for one prediction", "milliseconds"),
    "latency_ms_p95": ("Time for one prediction, slowest 5%", "milliseconds"),
    "latency_cpu_ms_p95": ("Computing time for one prediction, slowest 5%", "milliseconds"),
    "latency_wall_ms_p95": ("Time that passed per prediction, slowest 5%", "milliseconds"),
    "latency_target_ms": ("Target time", "milliseconds"),
    "latency_round_spread": ("Difference between measurement rounds", "percent"),
    "throughput_round_spread": ("Difference between measurement rounds", "percent"),
    "repeat_spread": ("Difference between repeated trainings", "percent"),
    "machine_load": ("Machine load during the measurement", "number"),
    "throughput_rows_per_s": ("Predictions per second", "number"),
    "capacity_per_day": ("Predictions a day on one core", "count"),
    "daily_predictions": ("Expected predictions a day", "count"),
    "model_bytes": ("Size of the model file", "bytes"),
    "peak_memory_mb": ("Peak memory (MB)", "number"),
    "training_seconds": ("Training time", "seconds"),
    "time_exponent": ("How fast training time grows with the data (1 = in step)", "number"),
    # operations
    "answered_no": ("Answered 'no'", "flag"),
    "answered_not_sure": ("Answered 'not sure'", "flag"),
    "not_answered": ("Not answered", "flag"),
    "about_people": ("The model decides about people", "flag"),
}

_PERCENT = re.compile(r"(^|_)(share|rate|fraction|pct|percent|ratio_missing|missing)($|_)")
_COUNT = re.compile(r"(^|_)(n|rows|count|columns|groups|values|cases|copies|repeats|duplicates)($|_)")


def register_labels(labels: Mapping[str, tuple[str, str]]) -> None:
    """Add plain labels for evidence keys: `{key: (label, kind)}`, kind one of `FORMATS`."""
    for key, (label, kind) in labels.items():
        if kind not in FORMATS:
            raise ValueError(f"unknown evidence kind {kind!r} for {key!r}")
        LABELS[key] = (label, kind)


def guess_kind(key: str) -> str:
    """The kind of an unlisted key, from its name."""
    if key.endswith("_ms"):
        return "milliseconds"
    if key.endswith(("_s", "_seconds")):
        return "seconds"
    if key.endswith("_bytes"):
        return "bytes"
    if _PERCENT.search(key):
        return "percent"
    if _COUNT.search(key):
        return "count"
    return "number"


def label_for(key: str) -> str:
    """A plain label for an evidence key: listed, else its words ('held_out_rows' -> 'Held out rows')."""
    if key in LABELS:
        return LABELS[key][0]
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def format_value(key: str, value: object) -> str:
    """One evidence value written for a person, by its key's kind."""
    kind = LABELS[key][1] if key in LABELS else guess_kind(key)
    return FORMATS[kind](value)


def labelled_evidence(finding) -> list[tuple[str, str]]:
    """`[(label, value text), ...]` for a finding's evidence, in the finding's order."""
    return [(label_for(key), format_value(key, value)) for key, value in finding.evidence.items()]
