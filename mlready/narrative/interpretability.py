"""The words of the explanations pillar: finding texts, how checks worked, directions and single cases."""
from __future__ import annotations

from typing import Any

from .base import NOTES, TEMPLATES, is_value, num, pct, readable


def direction_sentence(column: str, direction: str, task: str, positive: Any, category: str | None = None,
                       target: str = "the outcome", effect: str = "clear") -> str:
    """How one input column moves the prediction, in words.

    `effect` is 'clear' (the direction holds), 'little' (too small a share of the influence to claim a direction),
    'unstable' (copies of the model retrained on other samples disagree on the direction) or 'sizes' (several
    outcomes: only how much a column weighs is known)."""
    name = str(column)
    if effect == "little":
        return f"'{name}' has little or no effect on the predictions."
    if effect == "unstable":
        return (f"'{name}' has some influence, but which way it pushes is not reliable: copies of the model "
                "retrained on other samples of the data disagree too much for it to be more than chance.")
    if effect == "sizes":
        return f"'{name}' weighs in the model's choice between the outcomes."
    outcome = f"predictions towards '{positive}'" if positive is not None else f"the predicted {readable(target)} up"
    opposite = f"predictions away from '{positive}'" if positive is not None else f"the predicted {readable(target)} down"
    if category is not None and direction in ("raises", "lowers"):
        return f"When {is_value(column, category)}, the model pushes {outcome if direction == 'raises' else opposite}."
    subject = f"Higher '{name}'"
    if direction == "raises":
        return f"{subject} pushes {outcome}."
    if direction == "lowers":
        return f"{subject} pushes {opposite}."
    return f"'{name}' matters, but its effect goes both ways depending on the case."


def case_sentence(column: str, value: Any, contribution: float, positive: Any, target: str, signed: bool) -> str:
    """Why one case got its prediction, one column at a time."""
    if not signed:
        return f"{is_value(column, value)}: this weighed strongly in this decision."
    towards = (f"towards '{positive}'" if positive is not None else f"the predicted {readable(target)} up")
    away = (f"away from '{positive}'" if positive is not None else f"the predicted {readable(target)} down")
    return f"{is_value(column, value)}: this pushed the case {towards if contribution > 0 else away}."


def case_prediction(outcome: Any, positive: Any, target: str) -> str:
    """What the model says about one case: a chance, a predicted value, or (several classes) an answer."""
    if isinstance(outcome, str):
        return f"The model predicts '{outcome}' for this case."
    if positive is not None:
        return f"The model gives this case a {pct(outcome)} chance of '{positive}'."
    return f"The model predicts {num(outcome)} for '{target}'."


SINGLE_CASE_NOTE = ("A single case can go against the general pattern above: how much one column counts depends on "
                    "the case's other values.")


TEMPLATES.update({
    "explain.opaque_model": (
        "The model type is hard to explain",
        "The model is {kind_words}: no one can read the reasons for a decision off it directly. The reasons "
        "shown here are estimates, worked out from how it behaves.",
        "If you must explain decisions to customers or to a regulator, check that such estimates are good enough. "
        "Or ask whether a simpler model does nearly as well.",
    ),
    "explain.dominant_feature": (
        "One column drives most decisions: {columns}",
        "{columns} accounts for {share} of the model's reasoning. If that column is wrong, missing or "
        "changes meaning, almost every decision changes with it.",
        "Check that this column is reliable and known at the time of the decision, and that it is fair to rely on it.",
    ),
    "explain.unstable_explanations": (
        "The explanations change with the sample",
        "Copies of the model trained on other samples of the data lean on its top columns by quite different "
        "amounts. Their agreement is {agreement}, where 1 would mean they agree fully. So the top reasons shown "
        "may not hold in general.",
        "Treat the ranking as rough; explain on more cases before relying on it.",
    ),
    "explain.proxy_feature": (
        "{columns} stands in for '{sensitive}'",
        "{columns} is among the columns that drive the model most, and it predicts '{sensitive}' well on its "
        "own (score {score}; {scale}). The model can treat groups differently through it, even though "
        "'{sensitive}' itself may not be used.",
        "Get a fairness review of {columns}: is it needed, and does it disadvantage a group?",
    ),
})

NOTES.update({
    "explanations": "Explanations: {method} on {rows} held-out rows, for the {columns} columns the model reads.",
    "directions": "Directions: stated only for columns with at least {share} of the influence whose direction is "
                  "clearly more than chance (judged from {resamples} copies of the model retrained on {sample} samples "
                  "of the training rows); the others are said to have little or no effect, or an unreliable direction.",
    "directions_unchecked": "Directions: stated only for columns with at least {share} of the influence; the model "
                            "could not be retrained here, so whether they hold on other samples was not checked.",
    "explanation_stability_none": "Stability of explanations: not compared, because no column carries {share} of "
                                  "the influence (the model leans on nothing in particular).",
    "explanation_stability_skipped": "Stability of explanations: not checked, because the model could not be "
                                     "retrained here.",
    "explanation_stability": "Stability of explanations: {resamples} copies retrained on {sample} samples of the "
                             "training rows; agreement of the shares of influence of the {top} columns with at least "
                             "{share} of it with the model's own (columns with less are left out: their order is noise).",
    "proxies": "Stand-ins: each of the {count} most influential columns alone, its values' share of each group "
               "learned out of fold (5 folds), predicting each sensitive attribute.",
})
