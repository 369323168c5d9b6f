"""Every threshold and sample size in one place, with its meaning.

Change them with `Settings(thresholds=Thresholds(...))` in Python, or `--threshold NAME=VALUE`
on the command line.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace


@dataclass(frozen=True)
class Thresholds:
    """When a check speaks up, and how loudly. Shares are fractions (0.3 = 30%)."""

    # data quality
    missing_info: float = 0.05            # a column with at least this share missing is mentioned
    missing_warning: float = 0.30         # ... and is a warning from this share on
    target_missing_critical: float = 0.50  # share of rows with no target that blocks a launch
    duplicate_info: float = 0.0           # any exact duplicate row is mentioned
    duplicate_warning: float = 0.05
    minority_info: float = 0.20           # the rarest class below this share is mentioned
    minority_warning: float = 0.05
    leakage_score_critical: float = 0.99  # one column alone scores this well on held-out rows: it gives the answer away
    leakage_score_info: float = 0.95      # ... this well: suspiciously strong, worth a question
    id_like_unique_share: float = 0.95    # a column with this share of distinct values is an identifier
    high_cardinality_levels: int = 50     # a text column with more distinct values than this
    rows_per_feature: int = 10            # fewer rows than this per column is a small sample
    min_rows_per_class: int = 50
    # generalization
    overfit_gap_warning: float = 0.05     # train minus held-out, in metric points
    overfit_relative_warning: float = 0.10  # ... and as a share of the training score above chance
    overfit_gap_critical: float = 0.15
    overfit_relative_critical: float = 0.40
    baseline_lift_critical: float = 0.05  # share of the possible improvement over a trivial guess
    baseline_lift_warning: float = 0.15
    cv_std_warning: float = 0.05
    cv_std_critical: float = 0.12
    cv_folds: int = 5
    # scalability
    large_model_mb_warning: float = 100.0
    large_model_mb_critical: float = 1000.0
    high_memory_mb_warning: float = 500.0
    capacity_headroom: float = 10.0       # one core should handle this many times the daily volume
    # interpretability
    dominant_share_warning: float = 0.50  # one column carries this share of all influence
    direction_correlation: float = 0.2    # below this, a column's effect is called mixed
    # fairness
    min_group_rows: int = 30              # smaller groups are too small to judge
    accuracy_gap_warning: float = 0.10
    accuracy_gap_critical: float = 0.20
    outcome_ratio_warning: float = 0.80   # the four-fifths rule
    outcome_ratio_critical: float = 0.50
    fairness_p_value: float = 0.01        # a gap is critical only if this unlikely by chance

    def with_overrides(self, overrides: dict[str, str | float]) -> "Thresholds":
        """A copy with some values changed; unknown names raise ValueError."""
        known = {f.name: f.type for f in fields(self)}
        changes = {}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"unknown threshold '{name}'; known ones: {', '.join(sorted(known))}")
            changes[name] = int(value) if known[name] == "int" else float(value)
        return replace(self, **changes)


@dataclass(frozen=True)
class Settings:
    """How an assessment runs: the user's targets, the seed and the sample sizes."""

    seed: int = 0
    latency_target_ms: float = 100.0
    daily_predictions: int | None = None
    test_share: float = 0.2
    max_rows_checks: int = 20_000         # larger data is sampled for the expensive checks
    explain_rows: int = 200               # rows explained with SHAP
    explain_background_rows: int = 50
    latency_repeats: int = 100
    throughput_rows: int = 5_000
    profile_max_rows: int = 20_000
    thresholds: Thresholds = field(default_factory=Thresholds)
