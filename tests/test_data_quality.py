"""Each data-quality check fires on a planted problem and stays quiet on clean data."""
from __future__ import annotations

import numpy as np
import pandas as pd

from mlready.checks import data_quality as dq
from mlready.findings import Severity
from mlready.runner import run_pillar

from conftest import codes, context


def test_missing_values_planted_and_clean(clean_frame):
    assert dq.check_missing_values(context(clean_frame, "outcome")).findings == ()
    planted = clean_frame.copy()
    planted.loc[planted.index[:500], "income"] = np.nan   # 42%: warning
    planted.loc[planted.index[:100], "tenure"] = np.nan   # 8%: information
    findings = dq.check_missing_values(context(planted, "outcome")).findings
    by_severity = {f.severity: f for f in findings}
    assert by_severity[Severity.WARNING].columns == ("income",)
    assert by_severity[Severity.WARNING].evidence["worst_missing_share"] > 0.4
    assert by_severity[Severity.INFO].columns == ("tenure",)


def test_mostly_missing_target_is_critical(clean_frame):
    planted = clean_frame.copy()
    planted.loc[planted.index[:700], "outcome"] = None
    finding = dq.check_missing_values(context(planted, "outcome")).findings[0]
    assert finding.severity is Severity.CRITICAL and finding.columns == ("outcome",)
    assert finding.evidence["rows_missing"] == 700


def test_duplicate_rows(clean_frame):
    assert dq.check_duplicate_rows(context(clean_frame, "outcome")).findings == ()
    planted = pd.concat([clean_frame, clean_frame.head(120)], ignore_index=True)
    finding = dq.check_duplicate_rows(context(planted, "outcome")).findings[0]
    assert finding.code == "data.duplicate_rows" and finding.evidence["duplicate_rows"] == 120
    assert finding.severity is Severity.WARNING


def test_constant_column(clean_frame):
    assert dq.check_constant_columns(context(clean_frame, "outcome")).findings == ()
    planted = clean_frame.assign(country="DE")
    finding = dq.check_constant_columns(context(planted, "outcome")).findings[0]
    assert finding.code == "data.constant_column" and finding.columns == ("country",)


def test_class_imbalance(clean_frame):
    assert dq.check_class_imbalance(context(clean_frame, "outcome")).findings == ()
    planted = clean_frame.copy()
    planted["outcome"] = "no"
    planted.loc[planted.index[:40], "outcome"] = "yes"   # 3.3%
    finding = dq.check_class_imbalance(context(planted, "outcome")).findings[0]
    assert finding.severity is Severity.WARNING and "'yes' is rare" in finding.title
    assert finding.evidence["minority_rows"] == 40


def test_leaked_column_is_caught(clean_frame):
    quiet = dq.check_target_leakage(context(clean_frame, "outcome"))
    assert quiet.findings == ()
    assert quiet.metrics["best_single_column_score"] < 0.9
    planted = clean_frame.copy()
    rng = np.random.default_rng(1)
    planted["days_in_collections"] = np.where(planted["outcome"] == "yes", rng.integers(30, 90, len(planted)), 0)
    finding = dq.check_target_leakage(context(planted, "outcome")).findings[0]
    assert finding.code == "data.target_leakage" and finding.severity is Severity.CRITICAL
    assert finding.columns == ("days_in_collections",)
    assert finding.evidence["single_column_score"] >= 0.95


def test_leakage_in_regression():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"x": rng.normal(size=600), "noise": rng.normal(size=600)})
    frame["price"] = 3 * frame["x"] + rng.normal(size=600)
    frame["price_with_tax"] = frame["price"] * 1.2
    findings = dq.check_target_leakage(context(frame, "price")).findings
    assert [f.columns for f in findings] == [("price_with_tax",)]


def test_small_sample(clean_frame):
    assert dq.check_small_sample(context(clean_frame, "outcome")).findings == ()
    finding = dq.check_small_sample(context(clean_frame.head(60), "outcome")).findings[0]
    assert finding.code == "data.small_sample" and finding.evidence["training_rows"] == 48


def test_profile_alerts_feed_identifier_finding(clean_frame):
    planted = clean_frame.assign(customer_id=range(100_000, 100_000 + len(clean_frame)))
    result = dq.check_profile(context(planted, "outcome"))
    assert [f.columns for f in result.findings if f.code == "data.id_like_column"] == [("customer_id",)]
    assert result.data["profile_columns"] and result.data["profile_rows"] == len(planted)
    assert dq.check_profile(context(clean_frame, "outcome")).findings == ()


def test_pillar_reports_each_problem_once(clean_frame):
    planted = clean_frame.assign(country="DE")
    result = run_pillar(context(planted, "outcome"), "data_quality")
    constant = [f for f in result.findings if f.code == "data.constant_column"]
    assert len(constant) == 1


def test_real_public_tables_have_no_invented_critical_findings(german, breast_cancer):
    for frame, target in ((german, "creditability"), (breast_cancer, "diagnosis")):
        result = run_pillar(context(frame, target), "data_quality")
        assert not [f for f in result.findings if f.severity is Severity.CRITICAL], (target, result.findings)
        assert not [f for f in result.findings if f.code.endswith("check_failed")]


def test_a_failing_check_becomes_an_error_finding(clean_frame, monkeypatch):
    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(dq, "CHECKS", (("broken check", broken), *dq.CHECKS[:1]))
    from mlready import runner

    monkeypatch.setitem(runner.PILLAR_CHECKS, "data_quality", dq.CHECKS)
    result = run_pillar(context(clean_frame, "outcome"), "data_quality")
    failed = [f for f in result.findings if f.code == "data.check_failed"]
    assert len(failed) == 1 and "broken check" in failed[0].title and "boom" in failed[0].message
    assert "missing_share" in result.data  # the next check still ran
