"""Operations: how the model will be run, from the user's answers to the deployment-practice questions.

The answers (`ctx.practices`, set by `api.build_context(practices=...)`) are taken as given; each 'no', 'not sure'
or unanswered question becomes one finding whose severity depends on whether the model decides about people
(sensitive columns named). Without answers the pillar is not assessed (see `runner.not_assessed_reason`).
"""
from __future__ import annotations

from typing import Mapping

from .. import narrative
from ..findings import PillarResult
from ..practices import PRACTICES, answer_words, severity
from . import CheckResult

PILLAR = "operations"
NOT_ANSWERED = "the deployment-practice questions were not answered"


def practice_findings(answers: Mapping[str, str], about_people: bool) -> CheckResult:
    """Findings, numbers and the answers table for these (already checked) answers."""
    findings, table = [], []
    for practice in PRACTICES:
        answer = answers.get(practice.id)
        table.append({"id": practice.id, "question": practice.question, "answer": answer_words(answer)})
        level = severity(practice, answer, about_people)
        if level is None:
            continue
        findings.append(narrative.finding(
            practice.code, PILLAR, level, (),
            {"answered_no": float(answer == "no"), "answered_not_sure": float(answer == "unsure"),
             "not_answered": float(answer not in ("yes", "no", "unsure")), "about_people": float(about_people)},
            variant={"no": None, "unsure": "unsure"}.get(answer, "unanswered"), question=practice.question,
            answer=answer_words(answer)))
    in_place = sum(answers.get(p.id) == "yes" for p in PRACTICES)
    notes = [narrative.note("practices", asked=len(PRACTICES), answered=len(answers))]
    if about_people:
        notes.append(narrative.note("practices_people"))
    metrics = {"practices_in_place": in_place, "practices_asked": len(PRACTICES)}
    return CheckResult(tuple(findings), metrics=metrics, data={"practices": table}, notes=tuple(notes))


def check_practices(ctx) -> CheckResult:
    """The deployment-practice answers given with the assessment."""
    return practice_findings(getattr(ctx, "practices", None) or {}, bool(ctx.sensitive))


def pillar_result(answers: Mapping[str, str] | None, about_people: bool) -> PillarResult:
    """The operations pillar for one person's answers (the app keeps answers per session, not on the shared context)."""
    if not answers:
        return PillarResult(PILLAR, not_assessed_reason=NOT_ANSWERED)
    out = practice_findings(answers, about_people)
    return PillarResult(PILLAR, out.findings, out.metrics, out.data, out.notes)


CHECKS = (("deployment practices", check_practices),)
