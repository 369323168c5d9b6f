"""The words of robustness (noise, unexpected inputs), directions of effect, and single decisions with their reasons
and what would change them."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .base import NOTES, TEMPLATES, is_value, num, pct, readable


def one_in(share: float) -> str:
    """A share as a phrase that goes before 'decisions': '1 in 12', '40% of', 'none of the'."""
    if share <= 0:
        return "none of the"
    if share < 0.001:
        return "fewer than 1 in 1,000"
    if share >= 0.3:
        return f"{pct(share)} of"
    return f"1 in {round(1 / share):,}"


_PROBE_INPUT = {
    "missing": "'{column}' empty",
    "unseen": "'{column}' with a label never seen in training",
    "far": "'{column}' far outside the range seen in training",
}
_PROBE_OUTCOME = {
    "crashed": "the model stopped with an error ({detail})",
    "crashed_again": "the model stopped with the same error",
    "not_a_number": "the model answered with something that is not a number",
    "swings": "{share} decisions changed, more than with an ordinary value",
    "swings_regression": "predictions moved far outside anything seen ({share} of cases)",
}


def probe_list(probes: Iterable[Any], task: str, limit: int = 5) -> str:
    """What each unexpected input did, joined into one sentence part."""
    items, errors_said = [], set()
    for probe in probes:
        outcome = probe.outcome
        if outcome == "swings" and task == "regression" and probe.kind == "far":
            outcome = "swings_regression"
        if outcome == "crashed":  # each error message once: the same one five times says nothing more
            outcome = "crashed_again" if probe.detail in errors_said else outcome
            errors_said.add(probe.detail)
        share = one_in(probe.share) if outcome == "swings" else pct(probe.share)
        items.append(_PROBE_INPUT[probe.kind].format(column=probe.column) + ": "
                     + _PROBE_OUTCOME[outcome].format(detail=probe.detail, share=share))
    shown, rest = items[:limit], len(items) - limit
    return "; ".join(shown) + (f"; and {rest} more {'try' if rest == 1 else 'tries'} like these" if rest > 0 else "")


def direction_curve_sentence(column: str, direction: str, turn: float | None, positive: Any, target: str) -> str:
    """How one number column moves the average prediction over its range, in words."""
    outcome = f"the chance of '{positive}'" if positive is not None else f"the predicted {readable(target)}"
    name = f"'{column}'"
    if direction == "raises":
        return f"Higher {name} raises {outcome} across its range."
    if direction == "lowers":
        return f"Higher {name} lowers {outcome} across its range."
    if direction == "flat":
        return f"{name[0].upper()}{name[1:]} barely moves {outcome} on average."
    first, second = ("raises", "lowers") if direction == "reverses_up_down" else ("lowers", "raises")
    return (f"Higher {name} {first} {outcome} up to about {num(turn)}, then {second} it: its effect reverses. "
            "Check with the business whether that makes sense.")


def noise_result(changed: float, unexpected: float, close: float, margin: float, task: str) -> str:
    """The noise result in a sentence, for the notes."""
    if task == "regression":
        return f"Result: {one_in(changed)} predictions moved by more than the stated amount."
    return (f"Result: {one_in(changed)} decisions changed; {pct(close)} of cases were close calls (chance within "
            f"{pct(margin)} of the decision line), and {one_in(unexpected)} decisions changed although the model was "
            "confident.")


# ----- single decisions ----------------------------------------------------------------------------------------
def reason_sentence(rank: int, column: str, value: Any, towards: str) -> str:
    """One principal reason, the way adverse-action notices list them."""
    return f"{rank}. {is_value(column, value)}: this pushed the decision towards {towards}."


def change_phrase(column: str, before: Any, after: Any) -> str:
    """One change of a counterfactual: 'credit amount' 1,500 lower (3,000 instead of 4,500)."""
    name = f"'{column}'"
    if isinstance(before, (int, float, np.number)) and isinstance(after, (int, float, np.number)) and before == before:
        difference = after - before
        word = "higher" if difference > 0 else "lower"
        return f"{name} were {num(abs(difference))} {word} ({num(after)} instead of {num(before)})"
    shown = "missing" if before is None or before != before else before
    return f"{name} were '{after}' instead of '{shown}'"


def counterfactual_sentence(new_outcome: Any, changes: list[str]) -> str:
    """'The model would predict 'good' instead if …'."""
    return f"The model would predict '{new_outcome}' instead if " + " and ".join(changes) + "."


NO_COUNTERFACTUAL = ("No realistic change to the columns that may change (within the values seen in the data) turns "
                     "this decision around; it rests on columns that were kept fixed.")
COUNTERFACTUAL_METHOD = (
    "How this was found: among real rows the model decides the other way, the nearest ones (counting only the "
    "columns that may change) whose values turn this case's decision were tried; their values were copied into this "
    "case one column at a time, the most helpful first, until the decision turned, and each number was then moved "
    "back towards this case's own value as far as the decision allows (nearest unlike neighbour, as in NICE, "
    "Brughmans et al. 2021). Sensitive, identifying and fixed columns are never changed, and every new value lies "
    "within what the data holds.")


TEMPLATES.update({
    "model.sensitive_to_noise": (
        "Small changes to the inputs flip many decisions",
        "When the inputs are changed as much as real data typically varies, {changed} decisions change, and "
        "{unexpected} decisions change although the model was confident about them (its chance more than {margin} "
        "from the decision line). Only {close} of cases are close calls that any noise could flip. The most "
        "sensitive input: {amount} alone changes {column_change} decisions. Two cases that are nearly the same "
        "can get different answers.",
        "Ask for a smoother model (for example fewer or shallower trees, or more data). Check how precisely "
        "the most sensitive inputs are measured.",
    ),
    "model.sensitive_to_noise:regression": (
        "Small changes to the inputs move many predictions a lot",
        "When the inputs are changed as much as real data typically varies, {changed} predictions move by more than "
        "a quarter of the usual spread of predictions. The most sensitive input: {amount} alone moves "
        "{column_change} predictions that much. Two cases that are nearly the same can get very different predictions.",
        "Ask for a smoother model (for example fewer or shallower trees, or more data). Check how precisely "
        "the most sensitive inputs are measured.",
    ),
    "model.breaks_on_unexpected_input": (
        "The model fails or swings on unexpected inputs: {columns}",
        "Real data is full of surprises. Tried one at a time on held-out cases: {happened}.",
        "Put a check in front of the model that rejects or repairs such inputs (empty fields, new labels, "
        "out-of-range values) with a clear message, and ask the team to make the model handle them.",
    ),
    "model.breaks_on_unexpected_input:far_only": (
        "Far-off values move the model's decisions a lot: {columns}",
        "A value far outside the range seen in training (like a typing error with an extra digit) changes many "
        "decisions: {happened}. Models that extend a trend, such as linear models, do this; the decision then rests "
        "on a likely error.",
        "Reject or cap values outside the training range before they reach the model.",
    ),
    "model.breaks_on_unexpected_input:order_silently_different": (
        "The model reads its inputs by position, not by name",
        "When the same cases are sent with the columns in another order, {share} answers change, without any error. "
        "If the production system ever sends the columns in a different order, decisions will be silently wrong.",
        "Make the serving code pass the columns by name in the training order, or save the model with its column "
        "names (for example as a scikit-learn pipeline trained on a table).",
    ),
    "model.breaks_on_unexpected_input:order_crashed": (
        "The model stops with an error on ordinary cases",
        "Asked about ordinary held-out cases, the model stopped with an error ({detail}), so unexpected inputs could "
        "not be tried.",
        "Ask the team to check the model runs on data shaped like this table before any other review.",
    ),
})

NOTES.update({
    "noise": "Small changes: {rows} held-out rows, each perturbed {draws} times: numbers moved by random noise of "
             "{level} of their spread (standard deviation){errors}, rounded for whole numbers and kept within the "
             "training range; labels swapped for a similar common label (closest outcome rate) in {level} of cases. "
             "A changed decision counts against the model only when it was confident (chance more than {margin} from "
             "the decision line).",
    "probed_top_columns": "{what}: this table has {total} input columns, so the column-by-column tries were made on "
                          "the {count} that matter most to the model (by its explanation); the rest were left out to "
                          "keep the time and memory in bounds.",
    "noise_skipped": "Small changes: not checked, because the model reads no column that can be varied.",
    "unexpected_inputs": "Unexpected inputs: on {rows} held-out rows, each input emptied, given a label never seen, "
                         "or a value far outside the training range (the maximum plus {factor} times the range), and "
                         "the columns sent in reverse order; a swing is {swing} more decisions changing than when "
                         "the column holds an ordinary value (its median or most common label; for a far-off value, "
                         "the largest value seen).",
    "effect_directions": "Direction of effects: the average prediction as each of the {count} most influential number "
                  "columns sweeps from its 5th to its 95th percentile (partial dependence), on {rows} held-out rows; "
                  "effects that reverse: {reversing}.",
    "directions_skipped": "Direction of effects: not checked for a target with more than two outcomes.",
    "directions_none": "Direction of effects: no influential number column to check.",
})
