"""Single decisions: principal reasons and counterfactuals (nearest unlike neighbour, NICE-style), known answers."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlready import InputError, threads
from mlready.counterfactual import case_labels, explain_decision, find_counterfactual, fixed_columns

from conftest import context


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    with threads.limited("small"):
        yield


def loans(seed: int = 0, n: int = 1500) -> pd.DataFrame:
    """Refused ('bad') more often for larger loans, longer durations and, planted, for older applicants."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"amount": rng.uniform(1000, 10000, n).round(-1), "duration": rng.integers(6, 61, n),
                          "age": rng.integers(20, 70, n)})
    logit = (frame.amount - 5000) / 1000 + (frame.duration - 30) / 10 + (frame.age - 45) / 10
    frame["outcome"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "bad", "good")
    return frame


@pytest.fixture(scope="module")
def fitted():
    frame = loans()
    X = frame.drop(columns="outcome")  # noqa: N806
    model = make_pipeline(StandardScaler(), LogisticRegression(C=100)).fit(X, frame["outcome"])
    return frame, X, model


def _boundary_amount(model, case: pd.DataFrame) -> float:
    """The loan amount at which this logistic model's decision turns, the other columns as they are."""
    low, high = case.assign(amount=0.0), case.assign(amount=20000.0)
    f_low, f_high = model.decision_function(low)[0], model.decision_function(high)[0]
    return float(-f_low / (f_high - f_low) * 20000.0)


def test_the_smallest_change_is_the_decision_boundary_on_the_one_column_allowed(fitted):
    frame, X, model = fitted  # noqa: N806
    refused = X[(model.predict(X) == "bad") & (X.amount > 6000)].head(8)
    reachable = 0
    for index in refused.index:
        case = X.loc[[index]].reset_index(drop=True)
        found = find_counterfactual(model, case, X, ["amount"], "good")
        boundary = _boundary_amount(model, case)
        if boundary < X.amount.min():  # only a loan smaller than any seen would do: no realistic change
            assert found is None
            continue
        reachable += 1
        assert found is not None and found.outcome_after == "good" and found.chance_after >= 0.5
        ((column, before, after),) = found.changes
        assert column == "amount" and after < before
        assert boundary - 150 <= after <= boundary, (after, boundary)  # just past the line, a round number
        assert after % 10 == 0
    assert reachable >= 5


def test_fixed_columns_are_never_changed_and_fewest_changes_win(fitted):
    frame, X, model = fitted  # noqa: N806
    case = X[(model.predict(X) == "bad")].head(6)
    for index in case.index:
        one = X.loc[[index]].reset_index(drop=True)
        found = find_counterfactual(model, one, X, ["amount", "duration"], "good")
        if found is None:
            continue
        assert {c for c, _, _ in found.changes} <= {"amount", "duration"}
        assert len(found.changes) <= 2
        for column, _, value in found.changes:
            assert X[column].min() <= value <= X[column].max()
    nothing = find_counterfactual(model, X.loc[[case.index[0]]], X, [], "good")
    assert nothing is None


def test_no_counterfactual_when_only_fixed_columns_decide():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"age": rng.integers(20, 70, 800), "noise": rng.normal(size=800)})
    y = np.where(frame.age > 45, "bad", "good")
    model = LogisticRegression().fit(frame, y)
    old = frame[frame.age > 60].head(1).reset_index(drop=True)
    assert find_counterfactual(model, old, frame, ["noise"], "good") is None


def test_sensitive_named_and_identifier_columns_are_always_fixed():
    fixed = fixed_columns(["amount", "age_years", "Gender", "customer_id", "duration"], ["duration"],
                          {"customer_id": "identifier"}, immutable=["amount"])
    assert fixed == ["amount", "age_years", "Gender", "customer_id", "duration"]
    assert fixed_columns(["amount", "purpose"], [], {}) == []


@pytest.fixture(scope="module")
def with_ids() -> pd.DataFrame:
    frame = loans(seed=2, n=500)
    frame.insert(0, "customer_id", [f"C{i:05d}" for i in range(len(frame))])
    return frame


def test_a_case_is_picked_by_its_identifier_with_reasons_and_a_counterfactual(with_ids):
    ctx = context(with_ids, "outcome", positive_class="bad")
    labels = case_labels(ctx)
    assert labels[0].startswith("C") and ctx.column_types["customer_id"] == "identifier"
    refused = [label for label, answer in zip(labels, ctx.model.predict(ctx.explanation.rows)) if answer == "bad"]
    decision = explain_decision(ctx, refused[0])
    assert decision.case == refused[0] and "'bad'" in decision.prediction
    assert 1 <= len(decision.reasons) <= 4 and decision.reasons[0].startswith("1. ")
    assert all("towards 'bad'" in r for r in decision.reasons)
    # each reason quotes this case's own value of its column (the row also holds the identifier, which the model
    # does not read: a value looked up by position would be the neighbouring column's)
    from mlready.narrative import is_value
    case = with_ids.set_index("customer_id").loc[refused[0]]
    for reason in decision.reasons:
        column = reason.split("'")[1]
        assert is_value(column, case[column]) in reason, (reason, column, case[column])
    assert decision.counterfactual.startswith("The model would predict 'good' instead if ")
    changed = {c for c, _, _ in decision.changes}
    assert changed and not changed & {"age", "customer_id"}  # 'age' is named like a protected attribute
    fixed_duration = explain_decision(ctx, refused[0], immutable=["duration"])
    assert "duration" not in {c for c, _, _ in fixed_duration.changes}
    with pytest.raises(InputError, match="no explained held-out case 'nobody'"):
        explain_decision(ctx, "nobody")
    with pytest.raises(InputError, match="'salary' marked as fixed is not an input column"):
        explain_decision(ctx, refused[0], immutable=["salary"])


def test_the_app_section_explains_one_decision_by_identifier(with_ids):
    from streamlit.testing.v1 import AppTest

    from ui.state import Source, Spec

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=240)
    at.run()
    # straight to the step (the upload page itself is tested elsewhere): the spec the Upload step would have made
    at.session_state["spec"] = Spec(data=Source.of("loans.csv", with_ids.to_csv(index=False).encode()),
                                    target="outcome", task="classification", positive_class="bad")
    at.switch_page("views/explanations.py").run()
    assert not at.exception, [e.value for e in at.exception]
    picker = at.selectbox(key="decision_case")
    assert picker.options[0].startswith("C")
    picker.set_value(picker.options[3]).run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Principal reasons" in text and "What would change it" in text
    assert "The model would predict" in text or "No realistic change" in text


def test_the_command_line_explains_one_decision(with_ids, tmp_path, capsys):
    from mlready.cli import main

    data = tmp_path / "loans.csv"
    with_ids.to_csv(data, index=False)
    assert main(["explain", str(data), "--target", "outcome", "--positive-class", "bad", "--fixed", "duration"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Case: C") and "Principal reasons:" in out and "1. '" in out
    assert "What would change it:" in out and "Never changed: customer_id, duration, age." in out
    assert main(["explain", str(data), "--target", "outcome", "--case", "nobody"]) == 2
    assert "no explained held-out case 'nobody'" in capsys.readouterr().err
