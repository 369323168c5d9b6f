"""Run a pillar's checks on the shared context; a failing check becomes a finding, never a crash."""
from __future__ import annotations

from .checks import data_quality, fairness, generalization, interpretability, operations, robustness, scalability
from .context import AssessmentContext, Progress
from .findings import PILLAR_TITLES, PILLARS, PillarResult
from . import narrative, threads
from .progress import reporting_to

PILLAR_CHECKS = {
    "data_quality": data_quality.CHECKS,
    "generalization": generalization.CHECKS + robustness.CHECKS,
    "scalability": scalability.CHECKS,
    "interpretability": interpretability.CHECKS + robustness.INTERPRETABILITY_CHECKS,
    "fairness": fairness.CHECKS,
    "operations": operations.CHECKS,
}


def not_assessed_reason(ctx: AssessmentContext, pillar: str) -> str | None:
    """Why a pillar cannot be checked with these inputs, or None."""
    if pillar == "fairness" and not ctx.sensitive:
        return "no sensitive column (such as sex, age or nationality) was named"
    if pillar == "operations" and not getattr(ctx, "practices", None):
        return operations.NOT_ANSWERED
    if pillar == "fairness" and getattr(ctx, "held_out_seen", False):  # issue 8: never graded on rows the model saw
        return narrative.fairness.not_graded_reason(getattr(ctx, "held_out_problem", None))
    return None


def run_pillar(ctx: AssessmentContext, pillar: str, progress: Progress | None = None,
               again: bool = False) -> PillarResult:
    """The pillar's result, computed once per context and then reused (`again`: computed anew, for timings)."""
    with ctx.lock:
        if pillar in ctx.results and not again:
            return ctx.results[pillar]
        reason = not_assessed_reason(ctx, pillar)
        if reason is not None:
            result = PillarResult(pillar, not_assessed_reason=reason)
            if progress is not None:
                progress(f"{PILLAR_TITLES[pillar]}: not checked", 1.0)
        else:
            result = _run_checks(ctx, pillar, progress)
        ctx.results[pillar] = result
        return result


def _run_checks(ctx: AssessmentContext, pillar: str, progress: Progress | None) -> PillarResult:
    findings, metrics, data, notes = [], {}, {}, []
    checks = PILLAR_CHECKS[pillar]
    for index, (name, check) in enumerate(checks):
        step = f"{PILLAR_TITLES[pillar]}: {name}"
        if progress is not None:
            progress(step, index / len(checks))

        def within(fraction: float, detail: str | None, step=step, index=index) -> None:  # a check's own progress
            if progress is not None:
                progress(f"{step} ({detail})" if detail else step, (index + fraction) / len(checks))
        try:
            with threads.limited("small", ctx.settings.threads), reporting_to(within):
                out = check(ctx)
        except Exception as error:  # noqa: BLE001 - a broken check must not abort the assessment
            findings.append(narrative.check_failed(pillar, name, error))
            continue
        findings.extend(f for f in out.findings if not _already_reported(f, findings))
        metrics.update(out.metrics)
        data.update(out.data)
        notes.extend(out.notes)
    if progress is not None:
        progress(f"{PILLAR_TITLES[pillar]}: done", 1.0)
    return PillarResult(pillar, tuple(findings), metrics, data, tuple(dict.fromkeys(notes)))


def _already_reported(candidate, findings) -> bool:
    return any(f.code == candidate.code and set(f.columns) & set(candidate.columns) for f in findings
               if f.columns and candidate.columns)


def run_all(ctx: AssessmentContext, progress: Progress | None = None) -> dict[str, PillarResult]:
    """Every pillar, in order, with overall progress from 0 to 1."""
    results = {}
    for position, pillar in enumerate(PILLARS):
        def scaled(step: str, fraction: float, position=position) -> None:
            if progress is not None:
                progress(step, (position + fraction) / len(PILLARS))
        results[pillar] = run_pillar(ctx, pillar, scaled)
    return results
