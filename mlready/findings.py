"""Typed, frozen results: findings and per-pillar results."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any, Mapping

PILLARS: tuple[str, ...] = ("data_quality", "generalization", "scalability", "interpretability", "fairness",
                            "operations")

PILLAR_TITLES: Mapping[str, str] = MappingProxyType({
    "data_quality": "Data quality",
    "generalization": "Generalization",
    "scalability": "Scalability",
    "interpretability": "Explanations",
    "fairness": "Fairness",
    "operations": "Deployment practices",
})

CODE_PREFIX: Mapping[str, str] = MappingProxyType({
    "data_quality": "data",
    "generalization": "model",
    "scalability": "scale",
    "interpretability": "explain",
    "fairness": "fairness",
    "operations": "ops",
})


class Severity(str, Enum):
    """How much a finding matters; `critical` blocks a launch."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "critical": 2}[self.value]


def _frozen_numbers(values: Mapping[str, Any]) -> Mapping[str, float]:
    clean = {}
    for name, value in values.items():
        if value is None:
            continue
        number = float(value)
        if number == number and abs(number) != float("inf"):
            clean[str(name)] = number
    return MappingProxyType(clean)


@dataclass(frozen=True)
class Finding:
    """One problem found by a check, worded for a manager."""

    code: str
    pillar: str
    severity: Severity
    title: str
    message: str
    action: str
    columns: tuple[str, ...] = ()
    evidence: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "columns", tuple(str(c) for c in self.columns))
        object.__setattr__(self, "evidence", _frozen_numbers(self.evidence))

    def to_dict(self) -> dict:
        return {
            "code": self.code, "pillar": self.pillar, "severity": self.severity.value,
            "title": self.title, "message": self.message, "action": self.action,
            "columns": list(self.columns), "evidence": dict(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Finding":
        return cls(code=data["code"], pillar=data["pillar"], severity=Severity(data["severity"]),
                   title=data["title"], message=data["message"], action=data["action"],
                   columns=tuple(data.get("columns", ())), evidence=data.get("evidence", {}))


@dataclass(frozen=True)
class PillarResult:
    """What one pillar's checks found.

    `metrics` are headline numbers; `data` holds plain numbers and labels that charts
    are drawn from (never a chart itself); `notes` say how it was checked.
    """

    pillar: str
    findings: tuple[Finding, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    not_assessed_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", tuple(self.findings))
        object.__setattr__(self, "metrics", _frozen_numbers(self.metrics))
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def assessed(self) -> bool:
        return self.not_assessed_reason is None
