"""The scoring rules: penalties, the critical cap, the weakest pillar, and the verdict."""
from __future__ import annotations

import re

from mlready import narrative, scoring
from mlready.findings import Finding, PillarResult, Severity


def _finding(severity: str, pillar: str = "generalization", code: str = "model.overfitting",
             action: str | None = None) -> Finding:
    return Finding(code, pillar, Severity(severity), "t", "m", action or f"do something about {code}")


def test_pillar_score_penalties_and_critical_cap():
    assert scoring.pillar_score([]) == 100
    assert scoring.pillar_score([_finding("info")]) == 97
    assert scoring.pillar_score([_finding("warning"), _finding("warning")]) == 76
    assert scoring.pillar_score([_finding("critical")]) == 40
    assert scoring.pillar_score([_finding("warning")] * 10) == 0


def test_overall_is_the_weakest_assessed_pillar_not_an_average():
    scores = {"data_quality": 100, "generalization": 100, "scalability": 100, "interpretability": 100,
              "fairness": 28}
    assert scoring.overall_score(scores) == 28
    assert scoring.overall_score({**scores, "fairness": None}) == 100


def test_verdict_rules():
    assert scoring.verdict(100, []) == "ready"
    assert scoring.verdict(97, [_finding("info")]) == "ready"
    assert scoring.verdict(88, [_finding("warning")]) == "ready_with_caveats"
    assert scoring.verdict(90, [_finding("critical")]) == "not_ready"  # a critical finding decides alone
    assert scoring.verdict(45, [_finding("warning")]) == "not_ready"


def test_status_and_top_actions():
    assert scoring.pillar_status(PillarResult("fairness", not_assessed_reason="x")) == "not_assessed"
    assert scoring.pillar_status(PillarResult("generalization", (_finding("warning"),))) == "warn"
    assert scoring.pillar_status(PillarResult("generalization", (_finding("critical"),))) == "fail"
    assert scoring.pillar_status(PillarResult("generalization", (_finding("info"),))) == "pass"
    findings = [_finding("info"), _finding("warning", "fairness", "fairness.outcome_gap"),
                _finding("critical", "scalability", "scale.slow_prediction"), _finding("warning")]
    top = scoring.top_actions(findings)
    assert [f.code for f in top] == ["scale.slow_prediction", "model.overfitting", "fairness.outcome_gap"]
    same_action = [_finding("warning", "fairness", "fairness.outcome_gap", "review"),
                   _finding("warning", "fairness", "fairness.outcome_gap", "review"),
                   _finding("warning", "fairness", "fairness.performance_gap", "investigate")]
    assert [f.action for f in scoring.top_actions(same_action)] == ["review", "investigate"]


def test_rule_is_stated_with_the_numbers_the_scoring_uses():
    rule = narrative.SCORING_RULE
    assert "weakest" in rule and "not ready" in rule and "ready with caveats" in rule
    for number in (*scoring.PENALTY.values(), scoring.CRITICAL_CAP, scoring.NOT_READY_SCORE, scoring.READY_SCORE):
        assert re.search(rf"(?<![0-9]){number}(?![0-9])", rule), number


def test_an_area_whose_warnings_add_up_to_not_ready_fails():
    """Six fairness warnings scored 28 and showed an amber 'Warning' beside a red 'Fail' at 40 (a new user): an area
    below the not-ready line fails, as the verdict does."""
    five = PillarResult("fairness", tuple(_finding("warning", "fairness", "fairness.outcome_gap") for _ in range(5)))
    four = PillarResult("fairness", tuple(_finding("warning", "fairness", "fairness.outcome_gap") for _ in range(4)))
    assert scoring.pillar_score(five.findings) == 40 < scoring.NOT_READY_SCORE
    assert scoring.pillar_status(five) == "fail"
    assert scoring.pillar_score(four.findings) == 52 and scoring.pillar_status(four) == "warn"
