"""Calibration: when the model says 80%, is it right 80% of the time?

The binned expected calibration error (ECE) is biased upwards: even a perfectly calibrated model shows one, the
larger the fewer rows. So the observed ECE is compared with its distribution under perfect calibration, obtained
by drawing outcomes from the model's own chances many times (a parametric bootstrap, as in Bröcker & Smith 2007,
"Increasing the reliability of reliability diagrams", Weather and Forecasting 22). Spiegelhalter's z (1986,
Statistics in Medicine 5) is reported alongside as a second, bin-free view.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"
BINS = 10
ROWS_PER_BIN = 30


def bin_index(probabilities: np.ndarray) -> np.ndarray:
    """Equal-count bins of predicted chance (ties broken by position): the bin of each row, 0 = lowest."""
    probabilities = np.asarray(probabilities, dtype=float)
    bins = min(BINS, max(2, len(probabilities) // ROWS_PER_BIN))
    ranks = pd.Series(probabilities).rank(method="first").to_numpy()
    return pd.qcut(ranks, bins, labels=False).astype(int)


def reliability(probabilities: np.ndarray, outcomes: np.ndarray) -> pd.DataFrame:
    """Per bin of predicted chance (equal-count bins): mean predicted chance, observed rate, rows."""
    frame = pd.DataFrame({"predicted": np.asarray(probabilities, float), "observed": np.asarray(outcomes, float),
                          "bin": bin_index(probabilities)})
    return frame.groupby("bin").agg(predicted=("predicted", "mean"), observed=("observed", "mean"),
                                    rows=("observed", "size")).reset_index(drop=True)


def expected_calibration_error(probabilities: np.ndarray, outcomes: np.ndarray) -> float:
    """Row-weighted mean |predicted - observed| over equal-count bins of predicted chance (0 to 1)."""
    return float(_ece(np.asarray(probabilities, float), np.asarray(outcomes, float)[None, :],
                      bin_index(probabilities))[0])


def _ece(probabilities: np.ndarray, outcomes: np.ndarray, bins: np.ndarray) -> np.ndarray:
    """ECE of each row of `outcomes` (simulations x rows) against the same predicted chances and bins."""
    count = np.bincount(bins).astype(float)
    predicted = np.bincount(bins, weights=probabilities) / count
    one_hot = np.zeros((len(bins), len(count)))
    one_hot[np.arange(len(bins)), bins] = 1.0
    observed = (outcomes @ one_hot) / count
    return np.abs(observed - predicted) @ count / count.sum()


@dataclass(frozen=True)
class CalibrationTest:
    """The observed ECE against its distribution when the outcomes really follow the stated chances.

    `excess` is the observed ECE minus the ECE a perfectly calibrated model shows on average with these chances and
    rows (the binning bias); `p_value` the share of simulations with an ECE at least as large as observed.
    """

    ece: float
    null_mean: float
    null_95: float
    p_value: float
    excess: float
    spiegelhalter_z: float
    spiegelhalter_p: float


def calibration_test(probabilities: np.ndarray, outcomes: np.ndarray, simulations: int = 500,
                     seed: int = 0) -> CalibrationTest:
    """Test whether chances `probabilities` (n,) match 0/1 `outcomes` (n,) beyond calibration noise.

    Outcomes are drawn `simulations` times from Bernoulli(probabilities), each scored with the same bins; the
    p-value is (1 + simulated ECEs >= observed) / (1 + simulations).
    """
    p = np.clip(np.asarray(probabilities, float), 0.0, 1.0)
    y = np.asarray(outcomes, float)
    bins = bin_index(p)
    observed = float(_ece(p, y[None, :], bins)[0])
    rng = np.random.default_rng(seed)
    simulated = _ece(p, (rng.random((simulations, len(p))) < p).astype(float), bins)
    variance = float(np.sum((1 - 2 * p) ** 2 * p * (1 - p)))
    z = float(np.sum((y - p) * (1 - 2 * p)) / np.sqrt(variance)) if variance > 0 else 0.0
    return CalibrationTest(ece=observed, null_mean=float(simulated.mean()), null_95=float(np.quantile(simulated, 0.95)),
                           p_value=float((1 + np.sum(simulated >= observed - 1e-12)) / (1 + simulations)),
                           excess=observed - float(simulated.mean()), spiegelhalter_z=z,
                           spiegelhalter_p=float(2 * norm.sf(abs(z))))


def calibration_severity(test: CalibrationTest, thresholds) -> Severity | None:
    """Warning or mention only when the error is beyond calibration noise and its excess over that noise matters."""
    if test.p_value >= thresholds.calibration_p_value or test.excess < thresholds.ece_info:
        return None
    return Severity.WARNING if test.excess >= thresholds.ece_warning else Severity.INFO


def check_calibration(ctx) -> CheckResult:
    """Reliability curve, Brier score and expected calibration error of the predicted chances, judged against what
    a perfectly calibrated model would show on the same rows."""
    if not ctx.has_probabilities:
        return CheckResult(notes=(narrative.note("calibration_skipped"),))
    if ctx.held_out_seen:
        return CheckResult(notes=(narrative.note("not_graded_seen", what="Calibration"),))
    t = ctx.settings.thresholds
    probabilities = ctx.test_probabilities
    classes = [str(c) for c in ctx.model.classes_]
    truth = ctx.y_test.astype(str).to_numpy()
    if ctx.positive_class is not None:
        chance = probabilities[:, classes.index(str(ctx.positive_class))]
        outcome = truth == str(ctx.positive_class)
        about = f"'{ctx.positive_class}'"
        happens = f"'{ctx.positive_class}' actually happens"
    else:  # several classes: the chance the model gives its own top answer, against how often it is right
        chance = probabilities.max(axis=1)
        outcome = np.asarray(classes)[probabilities.argmax(axis=1)] == truth
        about = "its answer"
        happens = "it is right"
    table = reliability(chance, outcome)
    test = calibration_test(chance, outcome, ctx.settings.null_simulations, ctx.settings.seed)
    brier = float(np.mean((chance - outcome) ** 2))
    worst = table.loc[(table["predicted"] - table["observed"]).abs().idxmax()]
    evidence = {"expected_calibration_error": test.ece, "ece_expected_if_calibrated": test.null_mean,
                "ece_excess": test.excess, "p_value": test.p_value, "spiegelhalter_z": test.spiegelhalter_z,
                "brier_score": brier, "worst_bin_predicted": float(worst["predicted"]),
                "worst_bin_observed": float(worst["observed"])}
    severity = calibration_severity(test, t)
    notes = [narrative.note("calibration", groups=len(table), about=about, noise=narrative.num(test.null_mean * 100, 1),
                            simulations=f"{ctx.settings.null_simulations:,}")]
    if severity is not None and (ctx.thin_held_out or ctx.model_source == "reference"):
        severity = Severity.INFO  # too few rows of an outcome, or mlready's own model: mention, never grade
    if ctx.thin_held_out:
        notes.append(ctx.thin_held_out_note)
    findings = ()
    if severity is not None:
        findings = (narrative.finding("model.poorly_calibrated", PILLAR, severity, (), evidence,
                                      variant="reference" if ctx.model_source == "reference" else None,
                                      said=narrative.pct(worst["predicted"]), right=narrative.pct(worst["observed"]),
                                      about=about, outcome=happens, ece=narrative.num(test.ece * 100, 1),
                                      noise=narrative.num(test.null_mean * 100, 1)),)
    data = {"reliability_predicted": table["predicted"].tolist(), "reliability_observed": table["observed"].tolist()}
    metrics = {"expected_calibration_error": test.ece, "ece_excess": test.excess, "brier_score": brier}
    return CheckResult(findings, metrics=metrics, data=data, notes=tuple(notes))
