"""The assessment: scores, verdict, findings and the numbers behind them; JSON in and out."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from . import narrative, scoring
from .findings import PILLARS, Finding, PillarResult

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Assessment:
    """One complete assessment, as the contract's JSON describes it."""

    inputs: Mapping[str, Any]
    pillars: Mapping[str, PillarResult]
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    tool_version: str = ""
    environment: Mapping[str, str] = field(default_factory=dict)

    # ----- scores --------------------------------------------------------------------------------
    @property
    def findings(self) -> list[Finding]:
        """All findings, pillar by pillar."""
        return [f for p in PILLARS if p in self.pillars for f in self.pillars[p].findings]

    @property
    def pillar_scores(self) -> dict[str, int | None]:
        """Each pillar's score (None when not assessed)."""
        return {p: (scoring.pillar_score(r.findings) if r.assessed else None) for p, r in self.pillars.items()}

    @property
    def score(self) -> int:
        """The overall score: the weakest assessed pillar's."""
        return scoring.overall_score(self.pillar_scores)

    @property
    def verdict(self) -> str:
        """'ready', 'ready_with_caveats' or 'not_ready'."""
        return scoring.verdict(self.score, self.findings)

    @property
    def metrics(self) -> dict[str, float]:
        """The headline numbers of every pillar in one mapping."""
        merged: dict[str, float] = {}
        for pillar in PILLARS:
            if pillar in self.pillars:
                merged.update(self.pillars[pillar].metrics)
        return merged

    @property
    def verdict_sentence(self) -> str:
        """What the verdict means, in one sentence."""
        return narrative.verdict_sentence(self.verdict, any(f.severity.rank == 2 for f in self.findings),
                                          reference=self.inputs.get("model", {}).get("source") == "reference")

    def top_actions(self, count: int = 3) -> list[Finding]:
        """The findings whose actions come first."""
        return scoring.top_actions(self.findings, count)

    def pillar_summary(self, pillar: str) -> str:
        """One plain sentence on a pillar."""
        result = self.pillars[pillar]
        if not result.assessed:
            return narrative.not_assessed(result.not_assessed_reason or "")
        return narrative.pillar_summary(pillar, result.findings, narrative.pillar_headline(pillar, result))

    # ----- contract sections ---------------------------------------------------------------------
    @property
    def explanations(self) -> dict | None:
        """The contract's `explanations` section."""
        result = self.pillars.get("interpretability")
        if result is None or "global" not in result.data:
            return None
        return {"method": result.data["method"], "sample_rows": int(result.data["sample_rows"]),
                "global": [{k: e[k] for k in ("feature", "importance", "direction", "sentence")}
                           for e in result.data["global"]]}

    @property
    def scalability(self) -> dict | None:
        """The contract's `scalability` section."""
        metrics = self.pillars["scalability"].metrics if "scalability" in self.pillars else {}
        if "latency_ms_p50" not in metrics:
            return None
        return {"latency_ms_p50": metrics["latency_ms_p50"], "latency_ms_p95": metrics["latency_ms_p95"],
                "throughput_rows_per_s": metrics.get("throughput_rows_per_s"),
                "model_bytes": metrics.get("model_bytes"), "peak_memory_mb": metrics.get("peak_memory_mb")}

    def to_dict(self) -> dict:
        """The contract's JSON shape (schema_version 1), plus per-pillar chart data and notes."""
        scores = self.pillar_scores
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "mlready", "version": self.tool_version},
            "created": self.created,
            "inputs": dict(self.inputs),
            "score": self.score,
            "verdict": self.verdict,
            "pillars": {p: {"score": scores[p], "status": scoring.pillar_status(r), "summary": self.pillar_summary(p),
                            "notes": list(r.notes), "metrics": dict(r.metrics), "data": _plain(dict(r.data)),
                            **({"reason": r.not_assessed_reason} if not r.assessed else {})}
                        for p, r in self.pillars.items()},
            "findings": [f.to_dict() for f in scoring.ranked_findings(self.findings)],
            "metrics": self.metrics,
            "explanations": self.explanations,
            "scalability": self.scalability,
            "environment": dict(self.environment),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The assessment as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def write_json(self, path: str | Path) -> None:
        """Write the assessment JSON to a file."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Assessment":
        """Rebuild an assessment from its JSON shape (for re-rendering)."""
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"unsupported schema_version {data.get('schema_version')!r}")
        findings = [Finding.from_dict(f) for f in data.get("findings", [])]
        pillars = {}
        for pillar, entry in data["pillars"].items():
            pillars[pillar] = PillarResult(
                pillar, tuple(f for f in findings if f.pillar == pillar), entry.get("metrics", {}),
                entry.get("data", {}), tuple(entry.get("notes", ())),
                entry.get("reason", "not assessed") if entry["status"] == "not_assessed" else None)
        return cls(inputs=data["inputs"], pillars=pillars, created=data["created"],
                   tool_version=data["tool"]["version"], environment=data.get("environment", {}))

    @classmethod
    def from_json(cls, text: str) -> "Assessment":
        """Rebuild an assessment from JSON text."""
        return cls.from_dict(json.loads(text))

    def to_pdf(self) -> bytes:
        """The PDF scorecard as bytes."""
        from .pdf import render_pdf

        return render_pdf(self)


def _plain(value: Any) -> Any:
    """Chart data as JSON-safe values (NaN becomes null)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value
