"""Checks: plain functions of the shared context, grouped by pillar."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..findings import Finding


@dataclass(frozen=True)
class CheckResult:
    """What one check returns: findings plus the numbers behind them."""

    findings: tuple[Finding, ...] = ()
    metrics: Mapping[str, float] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

