"""Calibration: when the model says 80%, is it right 80% of the time?"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import narrative
from ..findings import Severity
from . import CheckResult

PILLAR = "generalization"
BINS = 10
ROWS_PER_BIN = 30


def reliability(probabilities: np.ndarray, outcomes: np.ndarray) -> pd.DataFrame:
    """Per bin of predicted chance (equal-count bins): mean predicted chance, observed rate, rows."""
    frame = pd.DataFrame({"predicted": probabilities, "observed": outcomes.astype(float)})
    bins = min(BINS, max(2, len(frame) // ROWS_PER_BIN))
    frame["bin"] = pd.qcut(frame["predicted"].rank(method="first"), bins, labels=False)
    return frame.groupby("bin").agg(predicted=("predicted", "mean"), observed=("observed", "mean"),
                                    rows=("observed", "size")).reset_index(drop=True)


def check_calibration(ctx) -> CheckResult:
    """Reliability curve, Brier score and expected calibration error of the predicted chances."""
    if not ctx.has_probabilities:
        return CheckResult(notes=(narrative.note("calibration_skipped"),))
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
    ece = float(np.sum(table["rows"] * (table["predicted"] - table["observed"]).abs()) / table["rows"].sum())
    brier = float(np.mean((chance - outcome) ** 2))
    worst = table.loc[(table["predicted"] - table["observed"]).abs().idxmax()]
    evidence = {"expected_calibration_error": ece, "brier_score": brier,
                "worst_bin_predicted": float(worst["predicted"]), "worst_bin_observed": float(worst["observed"])}
    findings = ()
    if ece >= t.ece_info:
        severity = Severity.WARNING if ece >= t.ece_warning else Severity.INFO
        findings = (narrative.finding("model.poorly_calibrated", PILLAR, severity, (), evidence,
                                      said=narrative.pct(worst["predicted"]), right=narrative.pct(worst["observed"]),
                                      about=about, outcome=happens, ece=narrative.num(ece * 100, 1)),)
    notes = (narrative.note("calibration", groups=len(table), about=about),)
    data = {"reliability_predicted": table["predicted"].tolist(), "reliability_observed": table["observed"].tolist()}
    return CheckResult(findings, metrics={"expected_calibration_error": ece, "brier_score": brier}, data=data, notes=notes)
