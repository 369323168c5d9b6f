"""Every threshold and sample size in one place, with its meaning.

Change them with `Settings(thresholds=Thresholds(...))` in Python, `--threshold NAME=VALUE` on the
command line, or the app's advanced settings. `threshold_help(name)` gives a threshold's meaning.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Mapping


def _t(default: float, meaning: str):
    return field(default=default, metadata={"help": meaning})


@dataclass(frozen=True)
class Thresholds:
    """When a check speaks up, and how loudly. Shares are fractions (0.3 = 30%)."""

    # data quality
    missing_info: float = _t(0.01, "a column with at least this share of empty cells is mentioned")
    missing_warning: float = _t(0.30, "from this share of empty cells on, a warning")
    target_missing_critical: float = _t(0.50, "share of rows without an outcome that blocks a launch")
    missingness_ratio: float = _t(1.5, "outcome rate when a value is missing vs present, at least this many times apart, is called out")
    missingness_p_value: float = _t(0.001, "... and only if this unlikely by chance (corrected for the number of columns)")
    duplicate_warning: float = _t(0.05, "share of rows that copy another row beyond what chance gives that is a warning (fewer: mentioned)")
    repeats_p_value: float = _t(0.001, "repeated rows, held-out rows found in training, and rows with identical inputs count as copies only if this unlikely by chance")
    minority_info: float = _t(0.20, "the rarest outcome below this share is mentioned")
    minority_warning: float = _t(0.05, "the rarest outcome below this share is a warning")
    leakage_score_critical: float = _t(0.99, "a column alone scoring this well on held-out rows is near-perfect (on the ROC AUC scale; other metrics are compared by their share of the way from chance to perfect)")
    leakage_score_info: float = _t(0.80, "a column alone scoring this well (ROC AUC scale) is examined as a leak suspect")
    leakage_name_score: float = _t(0.75, "a column named like an after-the-fact record (paid, closed, outcome…) scoring this well alone (ROC AUC scale) is examined too")
    leakage_lead_ratio: float = _t(0.5, "far ahead: the column leaves at most this share of the next best column's distance to perfect…")
    leakage_lead_min: float = _t(0.10, "… and is at least this much further from chance (0 chance, 1 perfect), beyond doubt on resampled held-out rows")
    leakage_work_share: float = _t(0.50, "the model leans on a column: removing it costs this share of the model's edge over chance, or it carries this share of the explanations")
    leakage_work_overwhelming: float = _t(0.80, "… this share: it does almost all of the model's work")
    leakage_near_perfect: float = _t(0.97, "a model this close to perfect (share of the way from chance; ROC AUC 0.985) is checked for a column that carries it: each of its most influential columns is dropped from a retrained copy")
    leakage_error_growth: float = _t(2.0, "… a column without which the copy's distance to perfect grows this many times, beyond doubt on resampled held-out rows, may give the answer away (with another column, as a recorded arrival time with the scheduled one)")
    leakage_min_rows: int = _t(20, "fewer held-out rows than this (in the rarest outcome) are too few to call a column near-perfect for sure")
    id_like_unique_share: float = _t(0.95, "a column with this share of distinct values is an identifier")
    high_cardinality_levels: int = _t(50, "a category column with more distinct values than this")
    mixed_types_share: float = _t(0.02, "numbers and text mixed: the rarer kind makes up at least this share of a column")
    outlier_iqr_factor: float = _t(3.0, "a value this many spreads (the interquartile range, or the 10-90% range when that is wider) beyond the quartiles is extreme")
    outlier_share_info: float = _t(0.005, "a column with at least this share of extreme values is mentioned")
    placeholder_share: float = _t(0.01, "one value repeated in this share of rows and set apart from all other values looks like a placeholder (999, -1)")
    placeholder_gap: float = _t(3.0, "… set apart: at least this many interquartile ranges of the other values beyond them (and further than any two of them are apart)")
    conflict_warning: float = _t(0.05, "share of rows whose identical inputs carry different outcomes that is a warning, when identical inputs are more common than chance explains")
    overlap_inflation: float = _t(0.03, "held-out score minus the score on held-out rows not found in training (metric points) from which copies block a launch")
    overlap_p_value: float = _t(0.05, "… and only if a random set of as many held-out rows scores that far below all of them this rarely")
    rows_per_feature: int = _t(10, "fewer rows than this per input column is a small sample")
    min_rows_per_class: int = _t(50, "fewer rows than this for an outcome is a small sample")
    psi_info: float = _t(0.10, "population stability index from which a column's change is mentioned")
    psi_warning: float = _t(0.25, "population stability index from which a change is a warning")
    drift_p_value: float = _t(0.05, "a change counts only if this unlikely by chance (corrected for the number of columns)")
    empty_column_share: float = _t(0.95, "a column the model reads that is empty in this share of new rows (and was mostly filled) blocks a launch")
    unseen_warning: float = _t(0.05, "share of held-out or new rows with a label the training data never had that is a warning")
    # generalization
    overfit_gap_warning: float = _t(0.05, "training minus held-out score, in metric points, for a warning")
    overfit_relative_warning: float = _t(0.10, "... and as a share of the training score above chance")
    overfit_gap_critical: float = _t(0.15, "training minus held-out score that blocks a launch")
    overfit_relative_critical: float = _t(0.40, "... and as a share of the training score above chance")
    overfit_p_value: float = _t(0.05, "a gap counts only if it still holds at this one-sided level, given how much the held-out score moves when its rows are resampled")
    held_out_seen_gap: float = _t(0.05, "an uploaded model scoring this many points above copies retrained without the held-out rows has most likely seen them")
    held_out_seen_spreads: float = _t(3.0, "... and by at least this many standard deviations of the copies' cross-validated scores")
    near_perfect: float = _t(0.98, "a score this high on training and held-out rows, while retrained copies stay below it, means the held-out rows were seen")
    held_out_min_class_rows: int = _t(10, "fewer held-out rows than this of an outcome: gaps cannot block a launch, calibration and weak segments are only mentioned")
    baseline_lift_critical: float = _t(0.05, "share of the possible improvement over a trivial guess below which the model is useless")
    baseline_lift_warning: float = _t(0.15, "share of the possible improvement over a trivial guess below which it is weak")
    cv_std_warning: float = _t(0.05, "spread (standard deviation) of cross-validation scores for a warning")
    cv_std_critical: float = _t(0.12, "spread of cross-validation scores that blocks a launch")
    cv_folds: int = _t(5, "folds of cross-validation")
    simple_model_margin: float = _t(0.01, "a simple linear model within this many points of the model is 'about as good'")
    simple_model_better: float = _t(0.02, "a simple linear model this many points better than the model is a warning")
    simple_model_p_value: float = _t(0.05, "... and only if that lead is this unlikely to come from the held-out rows drawn (paired resampling)")
    learning_gain_info: float = _t(0.01, "expected gain from doubling the data that is worth mentioning")
    learning_gain_warning: float = _t(0.03, "expected gain from doubling the data that is a warning")
    learning_p_value: float = _t(0.10, "a rise over the last doubling counts only if this unlikely to come from the held-out rows drawn (paired resampling)")
    ece_info: float = _t(0.05, "calibration error beyond what chance gives a perfectly calibrated model (predicted vs observed chance) that is mentioned")
    ece_warning: float = _t(0.10, "calibration error beyond chance that is a warning")
    calibration_p_value: float = _t(0.01, "a calibration error counts only if a perfectly calibrated model would show one this large less often than this")
    segment_min_rows: int = _t(30, "smallest slice of held-out rows judged for a weak segment")
    segment_error_gap: float = _t(0.10, "a slice's error rate this many points above the overall rate, and above the model's own expected error there, is weak")
    segment_mae_ratio: float = _t(1.5, "regression: a slice's average error this many times the overall is weak")
    segment_p_value: float = _t(0.05, "a slice counts only if this unlikely by chance, allowing for the whole search (every slice and pair tried)")
    # scalability
    large_model_mb_warning: float = _t(100.0, "model file size (MB) for a warning")
    large_model_mb_critical: float = _t(1000.0, "model file size (MB) that blocks a launch")
    high_memory_mb_warning: float = _t(500.0, "peak memory (MB) while predicting a batch for a warning")
    capacity_headroom: float = _t(10.0, "one core should handle this many times the daily volume")
    training_exponent_warning: float = _t(1.5, "training time growing with the rows to this power or more is a warning")
    training_seconds_noticeable: float = _t(1.0, "... but only when training on all rows takes at least this many seconds")
    # interpretability
    dominant_share_warning: float = _t(0.50, "one column carrying this share of all influence is a warning")
    direction_correlation: float = _t(0.2, "below this correlation, a column's effect is called mixed")
    direction_confidence: float = _t(0.95, "a column's direction is stated only when this sure it is not chance (judged "
                                           "from copies of the model retrained on resamples)")
    influence_share_min: float = _t(0.05, "a column with less of the influence than this share has little or no effect: no direction is "
                                          "given for it, and it is left out when explanations are compared for stability")
    explanation_agreement_warning: float = _t(0.7, "agreement (correlation of the influential columns' shares) between the "
                                                   "model's explanation and copies retrained on resamples below this is a warning")
    proxy_score_warning: float = _t(0.5, "an influential column telling sensitive groups apart this well (0 chance, 1 perfect)")
    # fairness
    min_group_rows: int = _t(30, "groups with fewer held-out rows than this are too small to judge")
    accuracy_gap_warning: float = _t(0.10, "difference in share right, or in an error rate, between groups for a warning")
    accuracy_gap_critical: float = _t(0.20, "difference in the share of deserving people refused the favourable outcome between "
                                            "groups that blocks a launch (equal opportunity)")
    outcome_ratio_warning: float = _t(0.80, "lowest over highest favourable-outcome rate below this is a warning (four-fifths rule)")
    outcome_ratio_critical: float = _t(0.50, "lowest over highest favourable-outcome rate below this, when the model widens the gap "
                                             "the data has, blocks a launch")
    outcome_widening_points: float = _t(0.10, "the model's gap in favourable-outcome rates exceeds the gap in the data by this "
                                              "many points: it widens the gap")
    error_ratio_warning: float = _t(1.5, "regression: worst group's average error this many times the best group's")
    error_ratio_critical: float = _t(2.0, "regression: ... this many times, and unlikely by chance, blocks a launch")
    prediction_gap_sd: float = _t(0.5, "regression: group averages of the prediction this many standard deviations of the target apart")
    fairness_warning_p_value: float = _t(0.05, "a gap between groups is reported only if this unlikely by chance (corrected for "
                                               "the pairs of groups compared)")
    fairness_p_value: float = _t(0.01, "a gap blocks a launch only if this unlikely by chance (corrected for the pairs of groups)")
    fairness_power: float = _t(0.8, "groups are big enough when a gap of the warning size would be seen at least this often")
    # robustness (generalization pillar; mlready/checks/robustness.py)
    noise_level: float = _t(0.05, "realistic input noise: this share of each number column's spread (standard deviation), and this share of labels swapped for a similar one")
    noise_margin: float = _t(0.10, "a case whose chance is within this of the decision line is a close call that any noise may flip")
    noise_unexpected_warning: float = _t(0.05, "share of confident decisions (not close calls) that change under realistic noise, for a warning")
    noise_unexpected_info: float = _t(0.03, "... for a mention")
    noise_regression_move: float = _t(0.25, "regression: a prediction moving by more than this share of the predictions' spread has changed")
    swing_share: float = _t(0.25, "an empty field, a new category or a far-off value changing this share of decisions more than an ordinary value does is a swing")

    def with_overrides(self, overrides: dict[str, str | float]) -> "Thresholds":
        """A copy with some values changed; unknown names raise ValueError."""
        known = {f.name: f.type for f in fields(self)}
        changes = {}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"unknown threshold '{name}'; see mlready/config.py for the names")
            try:
                changes[name] = int(value) if known[name] == "int" else float(value)
            except (TypeError, ValueError):
                raise ValueError(f"the threshold '{name}' needs a number, not '{value}'") from None
        return replace(self, **changes)


def threshold_help(name: str) -> str:
    """What a threshold means, in a phrase."""
    return next(f.metadata["help"] for f in fields(Thresholds) if f.name == name)


@dataclass(frozen=True)
class Settings:
    """How an assessment runs: the user's targets, the seed and the sample sizes."""

    seed: int = 0
    latency_target_ms: float = 100.0
    daily_predictions: int | None = None
    test_share: float = 0.2
    max_rows_checks: int = 20_000         # larger data is sampled for the expensive checks
    max_rows_model: int = 100_000         # the reference model learns from at most this many training rows (a
                                          # stratified sample)
    max_rows_scored: int = 50_000         # held-out rows (and training rows a training score is measured on) beyond
                                          # this are a stratified sample of this many: ample for every held-out
                                          # judgement (a score's spread on 50,000 rows is a few thousandths)
    sampled_min_class_rows: int = 1_000   # held-out rows and training-score rows are sampled only when every outcome
                                          # keeps at least this many in the sample (a rare outcome's rows are all used)
    model_min_class_rows: int = 200       # ... the same for the rows the reference model learns from
    explain_rows: int = 200               # rows explained with SHAP
    explain_background_rows: int = 50
    latency_repeats: int = 100
    throughput_rows: int = 5_000
    profile_max_rows: int = 20_000
    bootstrap_rounds: int = 200           # resamples of the held-out rows (score spread, paired comparisons)
    null_simulations: int = 500           # outcomes simulated from the model's own chances (calibration, weak segments)
    learning_curve_sizes: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 1.0)
    profile_full_max_cells: int = 50_000   # rows x columns up to which the profile runs in full mode
    threads: int | None = None            # OpenMP/BLAS threads for every kind of work; None: decided in mlready.threads
    robustness_rows: int = 400            # held-out rows perturbed by the robustness checks
    measurement_error: Mapping[str, float] = field(default_factory=dict, hash=False)  # column -> typical error, in its units
    thresholds: Thresholds = field(default_factory=Thresholds)
