"""Interpretability: which columns drive the model, said in words."""
from __future__ import annotations

from .. import narrative
from ..explain import column_direction
from ..findings import Severity
from . import CheckResult

PILLAR = "interpretability"


def check_global_importance(ctx) -> CheckResult:
    """SHAP importance per input column with its direction; warn when one column dominates."""
    t = ctx.settings.thresholds
    explanation = ctx.explanation
    importance = explanation.importance()
    total = float(importance.sum()) or 1.0
    entries = []
    for column, value in importance.items():
        direction, category = column_direction(explanation, column, t.direction_correlation)
        entries.append({
            "feature": column, "importance": float(value), "share": float(value) / total, "direction": direction,
            "sentence": narrative.direction_sentence(column, direction, ctx.task, ctx.positive_class, category,
                                                     ctx.target),
        })
    top = entries[0]
    findings = ()
    if top["share"] >= t.dominant_share_warning:
        findings = (narrative.finding("explain.dominant_feature", PILLAR, Severity.WARNING, [top["feature"]],
                                      {"importance_share": top["share"]}, share=narrative.pct(top["share"])),)
    notes = (f"Explanations: {explanation.method} on {len(explanation.rows):,} held-out rows.",)
    data = {"method": explanation.method, "sample_rows": len(explanation.rows), "global": entries}
    return CheckResult(findings, metrics={"top_feature_share": top["share"]}, data=data, notes=notes)


CHECKS = (("what drives the model", check_global_importance),)
