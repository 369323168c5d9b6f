"""Scores, statuses and the verdict. The rule is stated in words in `narrative.SCORING_RULE`."""
from __future__ import annotations

from typing import Iterable, Mapping

from .findings import PILLARS, Finding, PillarResult, Severity

PENALTY = {Severity.CRITICAL: 35, Severity.WARNING: 12, Severity.INFO: 3}
CRITICAL_CAP = 40     # a pillar with a critical finding scores at most this
READY_SCORE = 80      # below this the verdict is at best "ready with caveats"
NOT_READY_SCORE = 50  # below this the verdict is "not ready"


def pillar_score(findings: Iterable[Finding]) -> int:
    """100 minus a penalty per finding by severity; at most 40 with any critical finding."""
    found = list(findings)
    score = max(0, 100 - sum(PENALTY[f.severity] for f in found))
    if any(f.severity is Severity.CRITICAL for f in found):
        score = min(score, CRITICAL_CAP)
    return score


def pillar_status(result: PillarResult) -> str:
    """'not_assessed', 'fail' (a critical finding, or a score below NOT_READY_SCORE: warnings that add up to a
    'not ready' verdict), 'warn' (a warning) or 'pass'."""
    if not result.assessed:
        return "not_assessed"
    severities = {f.severity for f in result.findings}
    if Severity.CRITICAL in severities or pillar_score(result.findings) < NOT_READY_SCORE:
        return "fail"
    if Severity.WARNING in severities:
        return "warn"
    return "pass"


def overall_score(scores: Mapping[str, int | None]) -> int:
    """The weakest assessed pillar's score (pillars not assessed are left out)."""
    assessed = [s for s in scores.values() if s is not None]
    return min(assessed) if assessed else 0


def verdict(score: int, findings: Iterable[Finding]) -> str:
    """'not_ready' with any critical finding or a low score; 'ready_with_caveats' with warnings; else 'ready'."""
    severities = {f.severity for f in findings}
    if Severity.CRITICAL in severities or score < NOT_READY_SCORE:
        return "not_ready"
    if Severity.WARNING in severities or score < READY_SCORE:
        return "ready_with_caveats"
    return "ready"


def ranked_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; ties keep pillar order."""
    order = {p: i for i, p in enumerate(PILLARS)}
    return sorted(findings, key=lambda f: (-f.severity.rank, order.get(f.pillar, 99)))


def top_actions(findings: Iterable[Finding], count: int = 3) -> list[Finding]:
    """The findings whose actions come first: critical, then warnings, never plain information."""
    chosen: list[Finding] = []
    for finding in ranked_findings(findings):
        if finding.severity is not Severity.INFO and all(f.action != finding.action for f in chosen):
            chosen.append(finding)
    return chosen[:count]
