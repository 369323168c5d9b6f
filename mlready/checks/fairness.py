"""Fairness: for each sensitive column, per group of held-out rows, the outcome the data really has next to the
model's decisions and its error rates, and whether a gap between groups is real, mirrors the data or is the model's.

Per group (fairlearn's `MetricFrame`): the observed rate of the outcome, the predicted rate (selection rate), the
share right, the true-positive rate (equal opportunity) and the false-positive rate (with the former, equalized
odds), each with a 95% Wilson interval; for regression, the observed and predicted averages and the average error.

Significance: only the two most distant groups can make a finding, and they were chosen after looking, so their
gap is tested with Fisher's exact test and the p-value multiplied by the number of pairs of groups (and of rates)
that could have been chosen (Bonferroni); a gap is reported only when "no gap" is excluded at
`fairness_warning_p_value`. When no gap is found and the groups are too small to see one of the warning size, a
power statement says so.

Judgement: the four-fifths rule applies to the favourable outcome (`ctx.favourable_outcome`). A gap in decisions
that mirrors the gap in the data is a warning that asks for a human judgement. It blocks a launch only when the
model clearly widens it (the favourable-outcome ratio below `outcome_ratio_critical` and the model's gap larger
than the data's by `outcome_widening_points`, both very unlikely by chance), or when the people who deserve the
favourable outcome are refused it far more often in one group (equal opportunity). Without a favourable outcome
both outcomes' rates are reported and nothing is graded above a warning.

Rows the model was trained on are not graded (`ctx.held_out_seen`, the runner leaves the pillar unassessed).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, count, equalized_odds_difference, mean_prediction, selection_rate
from scipy.stats import fisher_exact, mannwhitneyu, ttest_ind
from sklearn.metrics import accuracy_score, mean_absolute_error
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize

from .. import narrative
from ..findings import Severity
from ..narrative import fairness as words
from . import CheckResult

PILLAR = "fairness"
AGE_BANDS = 4
MIN_CONDITIONAL_ROWS = 10  # a group's error rate among its real cases is compared only with at least this many
ERROR_RATES = 3            # share right, refused (or missed) and wrongly granted: tested together
YES = {"1", "1.0", "true", "yes", "y", "t"}
NO = {"0", "0.0", "false", "no", "n", "f"}


# ----- groups ------------------------------------------------------------------------------------------------------
def _is_banded(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and values.nunique() > 10


def _band_edges(values: pd.Series) -> np.ndarray:
    edges = np.quantile(values.dropna(), np.linspace(0, 1, AGE_BANDS + 1)[1:-1])
    whole = bool(np.all(np.mod(values.dropna(), 1) == 0))
    return np.unique(np.round(edges) if whole else edges)  # ages in whole years get whole-year bands


def _band_order(values: pd.Series) -> list[str]:
    edges = _band_edges(values)
    return ([f"up to {edges[0]:g}"] + [f"{lo:g} to {hi:g}" for lo, hi in zip(edges[:-1], edges[1:])]
            + [f"over {edges[-1]:g}"])


def _yes_no(values: pd.Series) -> dict[str, bool] | None:
    """For a column of two yes/no-like values (1/0, True/False, yes/no), each value's meaning; else None."""
    present = {str(v).strip().lower() for v in values.dropna().unique()}
    if len(present) != 2 or not present <= YES | NO or not (present & YES and present & NO):
        return None
    return {v: v in YES for v in present}


def group_labels(values: pd.Series) -> pd.Series:
    """Groups of a sensitive column: its values ("senior citizen: yes" for a yes/no column), or bands of a
    many-valued number (like age)."""
    if _is_banded(values):
        bands = pd.cut(values, [-np.inf, *_band_edges(values), np.inf], labels=_band_order(values))
        return bands.astype(str).where(values.notna(), "missing")
    answers = _yes_no(values)
    if answers is not None:
        labels = values.map(lambda v: words.yes_no_group(values.name, answers[str(v).strip().lower()])
                            if v == v and v is not None else "missing")
        return labels.astype(str)
    return values.astype(str).where(values.notna(), "missing")


def _order(values: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """Bands in order; other groups largest first."""
    if _is_banded(values):
        order = [g for g in _band_order(values) if g in table.index]
        return table.loc[order + [g for g in table.index if g not in order]]
    return table.sort_values("rows", ascending=False, kind="stable")


# ----- per-group tables (fairlearn) --------------------------------------------------------------------------------
def _observed_mean(y_true, y_pred) -> float:
    return float(np.mean(y_true))


def _signed_error(y_true, y_pred) -> float:
    return float(np.mean(np.asarray(y_pred, float) - np.asarray(y_true, float)))


def _error_sd(y_true, y_pred) -> float:
    errors = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    return float(np.std(errors, ddof=1)) if len(errors) > 1 else float("nan")


def _wilson(hits: pd.Series, totals: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    low = np.full(len(totals), np.nan)
    high = np.full(len(totals), np.nan)
    some = totals.to_numpy() > 0
    if some.any():
        low[some], high[some] = proportion_confint(hits.to_numpy()[some], totals.to_numpy()[some], alpha=0.05,
                                                   method="wilson")
    return low, high


def rate_table(groups: np.ndarray, truth: np.ndarray, predicted: np.ndarray) -> pd.DataFrame:
    """Per group, for one outcome (truth and predicted are 1 where a row has it, else 0): rows, the observed
    rate, the predicted rate (`positive_rate`, the selection rate), the share right, the true-positive rate (`tpr`,
    among rows that really have the outcome) and the false-positive rate (`fpr`, among the others), with the counts
    behind them and 95% Wilson intervals (`<rate>_low`, `<rate>_high`). Rates without rows are NaN.

    One fairlearn MetricFrame of the selection rate with the truth as control feature gives the true- and
    false-positive rates (selection rate among rows that have the outcome, and among the others: equalized odds);
    the overall rates are sums of its cells."""
    truth, predicted = np.asarray(truth, int), np.asarray(predicted, int)
    frame = MetricFrame(metrics={"rows": count, "rate": selection_rate}, y_true=truth, y_pred=predicted,
                        sensitive_features=pd.Series(groups, name="group"),
                        control_features=pd.Series(truth, name="truth"))
    cells = frame.by_group.astype(float)
    rows = cells["rows"].unstack("truth").reindex(columns=[0, 1]).fillna(0).round().astype(int)
    rates = cells["rate"].unstack("truth").reindex(columns=[0, 1])
    table = pd.DataFrame(index=rows.index.astype(str))
    table.index.name = "group"
    table["rows"] = rows.sum(axis=1).to_numpy()
    table["real"], table["others"] = rows[1].to_numpy(), rows[0].to_numpy()
    table["tpr"] = rates[1].where(rows[1] > 0).to_numpy()
    table["fpr"] = rates[0].where(rows[0] > 0).to_numpy()
    table["found"] = (table["tpr"].fillna(0) * table["real"]).round().astype(int)
    table["false_found"] = (table["fpr"].fillna(0) * table["others"]).round().astype(int)
    table["missed"] = table["real"] - table["found"]
    table["missed_rate"] = 1.0 - table["tpr"]
    table["observed"] = table["real"]
    table["observed_rate"] = table["real"] / table["rows"]
    table["positives"] = table["found"] + table["false_found"]
    table["positive_rate"] = table["positives"] / table["rows"]
    table["right"] = table["found"] + table["others"] - table["false_found"]
    table["accuracy"] = table["right"] / table["rows"]
    for rate, hits, totals in (("observed_rate", "observed", "rows"), ("positive_rate", "positives", "rows"),
                               ("accuracy", "right", "rows"), ("tpr", "found", "real"),
                               ("fpr", "false_found", "others")):
        table[f"{rate}_low"], table[f"{rate}_high"] = _wilson(table[hits], table[totals])
    return table


def right_table(groups: np.ndarray, truth: np.ndarray, predicted: np.ndarray) -> pd.DataFrame:
    """Per group, for a target of several classes: rows and the share right, with its 95% Wilson interval."""
    frame = MetricFrame(metrics={"rows": count, "accuracy": accuracy_score}, y_true=np.asarray(truth, str),
                        y_pred=np.asarray(predicted, str), sensitive_features=pd.Series(groups, name="group"))
    table = frame.by_group.astype(float)
    table["rows"] = table["rows"].round().astype(int)
    table["right"] = (table["accuracy"] * table["rows"]).round().astype(int)
    table["accuracy_low"], table["accuracy_high"] = _wilson(table["right"], table["rows"])
    return table


def value_table(groups: np.ndarray, truth: np.ndarray, predicted: np.ndarray) -> pd.DataFrame:
    """Per group, for a numeric target: rows, the observed and predicted averages, the average error (absolute,
    with a 95% interval) and the average signed error (prediction minus truth)."""
    frame = MetricFrame(metrics={"rows": count, "observed_mean": _observed_mean, "mean_prediction": mean_prediction,
                                 "mean_error": mean_absolute_error, "mean_signed_error": _signed_error,
                                 "error_sd": _error_sd},
                        y_true=np.asarray(truth, float), y_pred=np.asarray(predicted, float),
                        sensitive_features=pd.Series(groups, name="group"))
    table = frame.by_group.astype(float)
    table["rows"] = table["rows"].round().astype(int)
    half = 1.96 * table["error_sd"] / np.sqrt(table["rows"])
    table["mean_error_low"], table["mean_error_high"] = table["mean_error"] - half, table["mean_error"] + half
    return table.drop(columns="error_sd")


# ----- gaps and their significance ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    """The two most distant groups on one rate, and whether the gap between them could be chance.

    `p_value` is Fisher's exact test (or, for averages, the test named by the caller) multiplied by `tests`, the
    number of pairs of groups (times the number of rates) that could have been the most distant (Bonferroni)."""

    low: str
    high: str
    low_rate: float
    high_rate: float
    p_value: float
    tests: int

    @property
    def difference(self) -> float:
        return self.high_rate - self.low_rate

    @property
    def ratio(self) -> float:
        return self.low_rate / self.high_rate if self.high_rate > 0 else 1.0


def pairs(groups: int) -> int:
    """How many pairs of groups there are among `groups` groups."""
    return groups * (groups - 1) // 2


def most_distant(table: pd.DataFrame, rate: str, hits: str, totals: str, min_rows: int, rates: int = 1) -> Gap | None:
    """The groups with the lowest and highest `rate` among those with at least `min_rows` in `totals`, with
    Fisher's exact test of their `hits` out of `totals`, corrected for every pair of groups and for `rates` rates
    tested together. None with fewer than two such groups."""
    usable = table[(table[totals] >= min_rows) & table[rate].notna()]
    if len(usable) < 2:
        return None
    tests = pairs(len(usable)) * rates
    low, high = usable[rate].idxmin(), usable[rate].idxmax()
    if usable.loc[low, rate] == usable.loc[high, rate]:
        return Gap(str(low), str(high), float(usable.loc[low, rate]), float(usable.loc[high, rate]), 1.0, tests)
    counts = [[int(usable.loc[g, hits]), int(usable.loc[g, totals] - usable.loc[g, hits])] for g in (low, high)]
    p_value = float(fisher_exact(counts).pvalue)
    return Gap(str(low), str(high), float(usable.loc[low, rate]), float(usable.loc[high, rate]),
               min(1.0, p_value * tests), tests)


def widening(groups: np.ndarray, truth: np.ndarray, values: np.ndarray, high: str, low: str,
             tests: int) -> tuple[float, float]:
    """How much more the model separates group `high` from group `low` than the data does, in points of the
    outcome's rate: the mean of (model value - truth) in `high` minus that in `low`, where the model value is its
    chance of the outcome (or its 0/1 decision), and the chance of a difference this large if there were none
    (Welch's t-test, multiplied by `tests`). Positive: the model favours `high` beyond what really happens."""
    z = np.asarray(values, float) - np.asarray(truth, float)
    in_high, in_low = z[groups == high], z[groups == low]
    amount = float(in_high.mean() - in_low.mean())
    if np.std(in_high) == 0 and np.std(in_low) == 0:
        return amount, 1.0 if amount == 0 else 0.0
    p_value = float(ttest_ind(in_high, in_low, equal_var=False).pvalue)
    return amount, min(1.0, (p_value if p_value == p_value else 1.0) * tests)


def power_to_see(n_small: int, n_large: int, rate_high: float, rate_low: float, alpha: float) -> float:
    """The chance that a gap between `rate_high` and `rate_low` in two groups of these sizes would be found at
    this (corrected) significance level (normal approximation, Cohen's h)."""
    rate_high, rate_low = (float(np.clip(r, 0.0, 1.0)) for r in (rate_high, rate_low))
    if n_small <= 0 or n_large <= 0 or rate_high == rate_low:
        return 0.0
    effect = abs(float(proportion_effectsize(rate_high, rate_low)))
    return float(NormalIndPower().power(effect, nobs1=n_small, ratio=n_large / n_small, alpha=alpha))


def detectable_ratio(n_small: int, n_large: int, rate_high: float, alpha: float, power: float) -> float | None:
    """The largest ratio of the lower to the higher rate that groups of these sizes would find with at least
    `power` (None when even a rate of zero would not be found reliably)."""
    for step in range(95, -1, -1):
        ratio = step / 100
        if power_to_see(n_small, n_large, rate_high, rate_high * ratio, alpha) >= power:
            return ratio
    return None


# ----- the outcome ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """The outcome the rates are about: the favourable outcome when known, else the positive class. `words` and
    `other` name the outcomes for a reader ('rejected: no' for a yes/no target called 'rejected')."""

    label: Any
    favourable: bool
    words: str
    other: str | None  # the other outcome, for a two-class target

    @classmethod
    def of(cls, ctx) -> "Outcome | None":
        favourable = getattr(ctx, "favourable_outcome", None)
        label = favourable if favourable is not None else ctx.positive_class
        if label is None:
            return None
        others = [c for c in ctx.classes if str(c) != str(label)]
        yes_no = _yes_no(pd.Series([label, *others])) is not None

        def name(value) -> str:
            return words.outcome_name(ctx.target, value, yes_no)

        return cls(label, favourable is not None, name(label), name(others[0]) if len(others) == 1 else None)


# ----- judgements ---------------------------------------------------------------------------------------------------
def outcome_finding(column: str, table: pd.DataFrame, groups: np.ndarray, truth: np.ndarray, predicted: np.ndarray,
                    outcome: Outcome, t, chances: np.ndarray | None = None) -> tuple[Any, Gap | None]:
    """The outcome-gap finding for one column (None when there is no real gap), and the gap looked at.

    `chances` are the model's probabilities of the outcome per row, when it gives them: whether the model widens
    the data's gap is then judged on them (a model can follow the data and still separate its decisions more, at
    its threshold: that is the data's gap, not the model's). Without them, on the decisions, and never critical."""
    gap = most_distant(table, "positive_rate", "positives", "rows", t.min_group_rows)
    if gap is None:
        return None, None
    ratio, other_ratio = gap.ratio, _other_ratio(gap)
    judged_ratio = ratio if outcome.favourable else min(ratio, other_ratio)
    if judged_ratio >= t.outcome_ratio_warning or gap.p_value >= t.fairness_warning_p_value:
        return None, gap
    observed_low, observed_high = float(table.loc[gap.low, "observed_rate"]), float(table.loc[gap.high, "observed_rate"])
    decided, decided_p = widening(groups, truth, predicted, gap.high, gap.low, gap.tests)
    amount, widening_p = (decided, decided_p) if chances is None else widening(groups, truth, chances, gap.high,
                                                                                gap.low, gap.tests)
    widens = amount >= t.outcome_widening_points and widening_p < t.fairness_warning_p_value
    decisions_widen = decided >= t.outcome_widening_points and decided_p < t.fairness_warning_p_value
    critical = (outcome.favourable and chances is not None and ratio < t.outcome_ratio_critical
                and gap.p_value < t.fairness_p_value and amount >= t.outcome_widening_points
                and widening_p < t.fairness_p_value)
    evidence = {"outcome_ratio": ratio, "highest_rate": gap.high_rate, "lowest_rate": gap.low_rate,
                "p_value": gap.p_value, "observed_ratio": observed_low / observed_high if observed_high > 0 else 1.0,
                "observed_highest_rate": observed_high, "observed_lowest_rate": observed_low,
                "widening_points": amount, "widening_p_value": widening_p, "decisions_widening_points": decided,
                "decisions_widening_p_value": decided_p, "pairs_compared": gap.tests}
    if not outcome.favourable:
        evidence["other_outcome_ratio"] = other_ratio
    facts = dict(outcome=outcome.words, other=outcome.other or "", high=gap.high, low=gap.low,
                 high_rate=narrative.pct(gap.high_rate), low_rate=narrative.pct(gap.low_rate),
                 ratio=narrative.beside_line(ratio, t.outcome_ratio_warning),
                 other_ratio=narrative.beside_line(other_ratio, t.outcome_ratio_warning),
                 other_high_rate=narrative.pct(1 - gap.high_rate), other_low_rate=narrative.pct(1 - gap.low_rate),
                 line=narrative.num(t.outcome_ratio_warning),
                 data_sentence=words.data_gap_sentence(outcome.words, gap.low, gap.high, observed_low, observed_high,
                                                       amount if widens else decided, widens,
                                                       decisions_widen, chances is not None),
                 chance=words.chance_sentence(gap.p_value, gap.tests))
    variant = "unknown" if not outcome.favourable else "widens" if widens or decisions_widen else None
    severity = Severity.CRITICAL if critical else Severity.WARNING
    return narrative.finding("fairness.outcome_gap", PILLAR, severity, [column], evidence, variant=variant,
                             **facts), gap


def _other_ratio(gap: Gap) -> float:
    """For the same two groups, the ratio of the other outcome's predicted rates (lowest over highest)."""
    rates = sorted([1 - gap.low_rate, 1 - gap.high_rate])
    return rates[0] / rates[1] if rates[1] > 0 else 1.0


def error_finding(column: str, table: pd.DataFrame, outcome: Outcome | None, t, groups: np.ndarray | None = None,
                  truth: np.ndarray | None = None, chances: np.ndarray | None = None):
    """The performance-gap finding for one column of a classification target (None when there is no real gap).

    With an outcome: the share of real cases of the outcome the model misses (for a favourable outcome: deserving
    people refused it; equal opportunity) and the share of other cases it wrongly gives the outcome (with the
    former, equalized odds), tested together with the share right. The share right itself is reported but not
    judged: a model that gives everyone the same answer is right as often as each group's base rate. Unequal
    error rates also follow from unequal base rates (a model cannot be calibrated and have equal error rates when
    groups differ), so a gap is a warning that asks for judgement; it blocks a launch only when deserving people
    of a group are refused far more often AND the model's chances understate that group's outcome compared with
    the other (`widening`, on the probabilities). Without an outcome (several classes): the share right."""
    rates = ERROR_RATES if outcome is not None else 1
    right = most_distant(table, "accuracy", "right", "rows", t.min_group_rows, rates)
    candidates = []
    if outcome is not None:
        missed = most_distant(table, "missed_rate", "missed", "real", MIN_CONDITIONAL_ROWS, rates)
        wrongly = most_distant(table, "fpr", "false_found", "others", MIN_CONDITIONAL_ROWS, rates)
        candidates += [("refused" if outcome.favourable else "missed", missed),
                       ("granted" if outcome.favourable else "false_alarm", wrongly)]
    else:  # with an outcome, the share right is not judged: it follows each group's base rate (reported only)
        candidates.append((None, right))
    real = [(v, g) for v, g in candidates if g is not None and g.difference >= t.accuracy_gap_warning
            and g.p_value < t.fairness_warning_p_value]
    if not real:
        return None
    variant, gap = real[0]
    evidence = {"p_value": gap.p_value, "pairs_compared": gap.tests}
    critical = False
    if variant == "refused" and chances is not None:
        amount, widening_p = widening(groups, truth, chances, gap.low, gap.high, gap.tests)
        evidence.update(widening_points=amount, widening_p_value=widening_p)
        critical = (gap.difference >= t.accuracy_gap_critical and gap.p_value < t.fairness_p_value
                    and amount >= t.outcome_widening_points and widening_p < t.fairness_p_value)
    elif variant is None and outcome is None:  # several classes and no favourable outcome: the share right
        critical = gap.difference >= t.accuracy_gap_critical and gap.p_value < t.fairness_p_value
    if right is not None:
        evidence.update(accuracy_gap=right.difference, best_accuracy=right.high_rate, worst_accuracy=right.low_rate)
    if outcome is not None:
        for name, g in candidates[:2]:
            if g is not None:
                key = {"refused": "equal_opportunity_gap", "missed": "true_positive_rate_gap",
                       "granted": "false_favourable_gap", "false_alarm": "false_positive_rate_gap"}[name]
                evidence[key] = g.difference
    worse, better = (gap.high, gap.low) if variant else (gap.low, gap.high)
    worse_rate, better_rate = (gap.high_rate, gap.low_rate) if variant else (gap.low_rate, gap.high_rate)
    facts = dict(best=better, worst=worse, best_rate=narrative.pct(better_rate), worst_rate=narrative.pct(worse_rate),
                 outcome=outcome.words if outcome else "", other=(outcome.other or "") if outcome else "",
                 chance=words.chance_sentence(gap.p_value, gap.tests),
                 judgement=words.error_judgement(critical, chances is not None) if variant == "refused" else "")
    return narrative.finding("fairness.performance_gap", PILLAR, Severity.CRITICAL if critical else Severity.WARNING,
                             [column], evidence, variant=variant, **facts)


def regression_findings(column: str, table: pd.DataFrame, groups: np.ndarray, truth: np.ndarray,
                        predicted: np.ndarray, target: str, t) -> list:
    """Regression: the average error and the average prediction compared across groups, each against chance
    (Mann-Whitney on the errors, Welch's t-test on the predictions; corrected for the pairs of groups)."""
    findings = []
    judged = table[table["rows"] >= t.min_group_rows]
    if len(judged) < 2:
        return findings
    tests = pairs(len(judged))
    errors = np.abs(truth - predicted)
    best, worst = judged["mean_error"].idxmin(), judged["mean_error"].idxmax()
    ratio = float(judged.loc[worst, "mean_error"] / max(judged.loc[best, "mean_error"], 1e-12))
    if ratio >= t.error_ratio_warning:
        p_value = min(1.0, float(mannwhitneyu(errors[groups == worst], errors[groups == best]).pvalue) * tests)
        if p_value < t.fairness_warning_p_value:
            severity = (Severity.CRITICAL if ratio >= t.error_ratio_critical and p_value < t.fairness_p_value
                        else Severity.WARNING)
            findings.append(narrative.finding(
                "fairness.performance_gap", PILLAR, severity, [column],
                {"error_ratio": ratio, "best_mean_error": judged.loc[best, "mean_error"],
                 "worst_mean_error": judged.loc[worst, "mean_error"], "p_value": p_value, "pairs_compared": tests},
                variant="regression", best=best, worst=worst, ratio=narrative.num(ratio, 1),
                best_error=narrative.num(judged.loc[best, "mean_error"]),
                worst_error=narrative.num(judged.loc[worst, "mean_error"]),
                chance=words.chance_sentence(p_value, tests)))
    spread = float(np.std(truth)) or 1.0
    high, low = judged["mean_prediction"].idxmax(), judged["mean_prediction"].idxmin()
    gap = float(judged.loc[high, "mean_prediction"] - judged.loc[low, "mean_prediction"]) / spread
    if gap >= t.prediction_gap_sd:
        p_value = min(1.0, float(ttest_ind(predicted[groups == high], predicted[groups == low],
                                           equal_var=False).pvalue) * tests)
        if p_value < t.fairness_warning_p_value:
            observed = float(judged.loc[high, "observed_mean"] - judged.loc[low, "observed_mean"]) / spread
            residual = predicted - truth
            bias_p = min(1.0, float(ttest_ind(residual[groups == high], residual[groups == low],
                                              equal_var=False).pvalue) * tests)
            findings.append(narrative.finding(
                "fairness.outcome_gap", PILLAR, Severity.WARNING, [column],
                {"gap_in_standard_deviations": gap, "observed_gap_in_standard_deviations": observed,
                 "highest_mean_prediction": judged.loc[high, "mean_prediction"],
                 "lowest_mean_prediction": judged.loc[low, "mean_prediction"],
                 "highest_observed_mean": judged.loc[high, "observed_mean"],
                 "lowest_observed_mean": judged.loc[low, "observed_mean"], "p_value": p_value,
                 "widening_p_value": bias_p},
                variant="regression", high=high, low=low, target=narrative.readable(target),
                high_value=narrative.num(judged.loc[high, "mean_prediction"]),
                low_value=narrative.num(judged.loc[low, "mean_prediction"]),
                data_sentence=words.data_mean_sentence(low, high, judged.loc[low, "observed_mean"],
                                                       judged.loc[high, "observed_mean"], gap - observed,
                                                       bias_p < t.fairness_warning_p_value)))
    return findings


# ----- too small to see ---------------------------------------------------------------------------------------------
def power_facts(table: pd.DataFrame, outcome: Outcome | None, task: str, errors: np.ndarray | None, t) -> dict | None:
    """When the two smallest and largest groups that are judged are too small to see a gap of the warning size
    reliably (`fairness_power`), the facts of that statement; else None."""
    judged = table[table["rows"] >= t.min_group_rows]
    if len(judged) < 2:
        return None
    small, large = judged["rows"].idxmin(), judged["rows"].idxmax()
    if small == large:
        large = judged.index[judged.index != small][0]
    n_small, n_large = int(judged.loc[small, "rows"]), int(judged.loc[large, "rows"])
    alpha = t.fairness_warning_p_value / pairs(len(judged))
    facts = {"small": small, "large": large, "small_rows": n_small, "large_rows": n_large}
    if task == "regression":
        spread = float(np.std(errors) / max(np.mean(errors), 1e-12)) or 1.0
        effect = (t.error_ratio_warning - 1) / spread  # an average error this many times another's, in error spreads
        power = float(NormalIndPower().power(effect, nobs1=n_small, ratio=n_large / n_small, alpha=alpha))
        if power >= t.fairness_power:
            return None
        return {**facts, "power": power, "sentence": words.power_sentence_errors(
            small, large, n_small, n_large, power, t.error_ratio_warning)}
    if outcome is None:
        rate = float((judged["accuracy"] * judged["rows"]).sum() / judged["rows"].sum())
        power = power_to_see(n_small, n_large, rate, rate - t.accuracy_gap_warning, alpha)
        if power >= t.fairness_power:
            return None
        return {**facts, "power": power, "sentence": words.power_sentence_right(
            small, large, n_small, n_large, power, t.accuracy_gap_warning)}
    rate = float(judged.loc[large, "positive_rate"])
    if not outcome.favourable:  # either outcome could be the favourable one: judge the rarer one
        rate = min(rate, 1 - rate)
    if rate <= 0:
        return None
    power = power_to_see(n_small, n_large, rate, rate * t.outcome_ratio_warning, alpha)
    if power >= t.fairness_power:
        return None
    seen = detectable_ratio(n_small, n_large, rate, alpha, t.fairness_power)
    return {**facts, "power": power, "sentence": words.power_sentence_rates(
        small, large, n_small, n_large, power, rate, t.outcome_ratio_warning, seen)}


def _small_finding(column: str, table: pd.DataFrame, power: dict | None, t):
    """One `fairness.underrepresented_group` finding per column: groups under `min_group_rows`, and (when no gap
    was found) groups too small to see a gap of the warning size."""
    small = table[table["rows"] < t.min_group_rows]
    if not len(small) and power is None:
        return None
    severity = Severity.WARNING if len(small) == len(table) else Severity.INFO
    evidence = {}
    if len(small):
        evidence.update(small_groups=len(small), smallest_group_rows=int(small["rows"].min()))
    if power is not None:
        evidence.update(power=power["power"], smallest_judged_group_rows=power["small_rows"])
    return narrative.finding(
        "fairness.underrepresented_group", PILLAR, severity, [column], evidence,
        variant=None if len(small) else "power",
        small_sentence=words.small_groups_sentence(list(small.index), t.min_group_rows) if len(small) else "",
        power_sentence=(" " if len(small) else "") + power["sentence"] if power else "")


# ----- the check ------------------------------------------------------------------------------------------------------
def _columns_read(ctx) -> list[str]:
    from ..explain import columns_read

    return columns_read(ctx)


def check_sensitive_inputs(ctx) -> CheckResult:
    """An uploaded model that reads a sensitive column decides by it directly; mlready's reference model never
    reads them (a note)."""
    if ctx.model_source != "uploaded":
        return CheckResult(notes=(narrative.note("fairness_reference", columns=narrative.name_list(ctx.sensitive)),))
    used = [c for c in ctx.sensitive if c in set(_columns_read(ctx))]
    shares = _influence_shares(ctx) if used else {}
    findings = []
    for column in used:
        share = shares.get(column)
        findings.append(narrative.finding(
            "fairness.sensitive_feature_used", PILLAR, Severity.WARNING, [column],
            {} if share is None else {"importance_share": share},
            share_sentence=words.share_sentence(share, ctx.settings.thresholds.influence_share_min)))
    return CheckResult(tuple(findings))


def _influence_shares(ctx) -> dict[str, float]:
    """Each column's share of the model's influence, from the explanations (empty when they cannot be computed)."""
    try:
        importance = ctx.explanation.importance()
    except Exception:  # noqa: BLE001 - the explanations pillar reports its own failure
        return {}
    total = float(importance.sum())
    return {} if total <= 0 else {str(c): float(v) / total for c, v in importance.items()}


def judge_classification(column: str, groups: np.ndarray, truth_labels: np.ndarray, predicted_labels: np.ndarray,
                         outcome: Outcome | None, t, chances: np.ndarray | None = None) -> tuple[pd.DataFrame, list, dict]:
    """For one sensitive column of a classification target: the group table, the findings (gaps that are real,
    small groups, too little power) and the headline metrics. `groups`, `truth_labels` and `predicted_labels` are
    per held-out row; `outcome` says which outcome the rates are about (None: several classes, share right only);
    `chances` are the model's probabilities of that outcome per row, when it gives them."""
    truth_labels, predicted_labels = np.asarray(truth_labels).astype(str), np.asarray(predicted_labels).astype(str)
    groups = np.asarray(groups).astype(str)
    findings, metrics, gap = [], {}, None
    truth = None
    if outcome is not None:
        truth, predicted = truth_labels == str(outcome.label), predicted_labels == str(outcome.label)
        table = rate_table(groups, truth, predicted)
        finding, gap = outcome_finding(column, table, groups, truth, predicted, outcome, t, chances)
        if finding is not None:
            findings.append(finding)
    else:
        table = right_table(groups, truth_labels, predicted_labels)
    error = error_finding(column, table, outcome, t, groups, truth, chances)
    if error is not None:
        findings.append(error)
    judged = table[table["rows"] >= t.min_group_rows]
    if len(judged) >= 2:
        metrics[f"accuracy_gap[{column}]"] = float(judged["accuracy"].max() - judged["accuracy"].min())
        if outcome is not None:
            metrics[f"outcome_ratio[{column}]"] = gap.ratio if gap is not None else 1.0
    power = None if findings else power_facts(table, outcome, "classification", None, t)
    small = _small_finding(column, table, power, t)
    return table, findings + ([small] if small is not None else []), metrics


def judge_regression(column: str, groups: np.ndarray, truth: np.ndarray, predicted: np.ndarray, target: str,
                     t) -> tuple[pd.DataFrame, list, dict]:
    """For one sensitive column of a numeric target: the group table, the findings and the headline metrics."""
    groups, truth, predicted = np.asarray(groups).astype(str), np.asarray(truth, float), np.asarray(predicted, float)
    table = value_table(groups, truth, predicted)
    findings = regression_findings(column, table, groups, truth, predicted, target, t)
    metrics = {}
    judged = table[table["rows"] >= t.min_group_rows]
    if len(judged) >= 2:
        metrics[f"error_ratio[{column}]"] = float(judged["mean_error"].max() / max(judged["mean_error"].min(), 1e-12))
    power = None if findings else power_facts(table, None, "regression", np.abs(truth - predicted), t)
    small = _small_finding(column, table, power, t)
    return table, findings + ([small] if small is not None else []), metrics


def compare_groups(ctx, column: str) -> tuple[pd.DataFrame, list, dict]:
    """One sensitive column's group table (ordered), its findings and its headline metrics, on the held-out rows."""
    t = ctx.settings.thresholds
    values = ctx.X_test[column]
    groups = group_labels(values).to_numpy()
    if ctx.task == "regression":
        table, findings, metrics = judge_regression(column, groups, ctx.y_test.to_numpy(float),
                                                    np.asarray(ctx.test_predictions, float), ctx.target, t)
    else:
        outcome = Outcome.of(ctx)
        chances = None
        if outcome is not None and ctx.has_probabilities:
            classes = [str(c) for c in ctx.model.classes_]
            chances = ctx.test_probabilities[:, classes.index(str(outcome.label))]
        table, findings, metrics = judge_classification(column, groups, ctx.y_test.to_numpy(),
                                                        np.asarray(ctx.test_predictions), outcome, t, chances)
        judged = table.index[table["rows"] >= t.min_group_rows]
        rows = np.isin(groups, judged)
        if outcome is not None and len(judged) >= 2:
            label = str(outcome.label)
            metrics[f"equalized_odds_difference[{column}]"] = float(equalized_odds_difference(
                (ctx.y_test.astype(str).to_numpy() == label)[rows].astype(int),
                (np.asarray(ctx.test_predictions).astype(str) == label)[rows].astype(int),
                sensitive_features=groups[rows]))
    return _order(values, table), findings, metrics


def check_group_gaps(ctx) -> CheckResult:
    """Per sensitive column: per-group observed and predicted rates and error rates, and the gaps that are real."""
    t = ctx.settings.thresholds
    if getattr(ctx, "held_out_seen", False):  # the runner leaves the pillar unassessed; direct callers get a note
        return CheckResult(notes=(narrative.note("fairness_not_graded", problem=getattr(ctx, "held_out_problem", "")
                                                 or "the model has most likely been trained on them"),))
    findings, tables, metrics, quiet = [], {}, {}, []
    outcome = Outcome.of(ctx) if ctx.task == "classification" else None
    for column in ctx.sensitive:
        table, found, numbers = compare_groups(ctx, column)
        tables[column] = table.reset_index().rename(columns={table.index.name or "index": "group"}).to_dict(orient="list")
        findings.extend(found)
        metrics.update(numbers)
        if not any(f.code != "fairness.underrepresented_group" for f in found):
            quiet.extend(_no_gap_note(column, table, outcome, ctx.task, t))
    notes = [narrative.note("fairness", rows=f"{len(ctx.X_test):,}", min_rows=t.min_group_rows,
                            p_value=narrative.pct(t.fairness_warning_p_value)), *quiet]
    if outcome is not None:
        source = getattr(ctx, "favourable_source", None)
        notes.append(words.outcome_note(outcome.words, outcome.other, outcome.favourable, source))
    findings.sort(key=_gravity)
    data = {"groups": tables, "task": ctx.task,
            "positive_label": None if outcome is None else outcome.words,
            "favourable_outcome": None if outcome is None or not outcome.favourable else outcome.words,
            "other_label": None if outcome is None else outcome.other}
    return CheckResult(tuple(findings), metrics=metrics, notes=tuple(notes), data=data)


def _no_gap_note(column: str, table: pd.DataFrame, outcome: Outcome | None, task: str, t) -> list[str]:
    """For a column with no gap reported, what each group that is judged gets, so that a reader sees the numbers
    behind 'nothing found' (a new user read nothing about race and had to find the rates in a table)."""
    judged = table[table["rows"] >= t.min_group_rows]
    if len(judged) < 2 or task != "classification":
        return []
    groups = [str(g) for g in judged.index]
    if outcome is None:
        return [words.no_gap_note_right(column, groups, [float(r) for r in judged["accuracy"]])]
    return [words.no_gap_note(column, groups, [float(r) for r in judged["positive_rate"]],
                              [float(r) for r in judged["observed_rate"]], outcome.words, t.outcome_ratio_warning)]


def _gravity(finding) -> tuple:
    """Most severe first; within a severity, the largest gap (lowest ratio, widest accuracy gap) first."""
    evidence = finding.evidence
    size = -evidence.get("accuracy_gap", 0) - evidence.get("error_ratio", 0) + evidence.get("outcome_ratio", 1)
    return (-finding.severity.rank, size)


CHECKS = (("groups compared", check_group_gaps), ("sensitive columns as inputs", check_sensitive_inputs))
