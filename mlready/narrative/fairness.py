"""The words of the fairness pillar: finding texts and how groups were compared."""
from __future__ import annotations

from .base import NOTES, TEMPLATES, num


def could_be_chance(p_value: float) -> str:
    """A closing remark when a gap between groups could well be chance."""
    if p_value < 0.05:
        return ""
    return (f" With groups this small, a gap this large could also happen by chance (p = {num(p_value)}); "
            "check again with more data.")


TEMPLATES.update({
    "fairness.performance_gap": (
        "Accuracy differs between groups of {columns}",
        "The model is right {best_rate} of the time for '{best}' but only {worst_rate} for '{worst}'. "
        "People in the weaker group get worse decisions.{chance}",
        "Investigate why the model is weaker for '{worst}' (too few examples? different data?) before launch.",
    ),
    "fairness.performance_gap:regression": (
        "Predictions are less accurate for some groups of {columns}",
        "For '{worst}', predictions are off by {worst_error} on average; for '{best}', by {best_error} "
        "({ratio} times as large). People in the weaker group get less reliable decisions.",
        "Investigate why the model is weaker for '{worst}' (too few examples? different data?) before launch.",
    ),
    "fairness.outcome_gap": (
        "Different outcomes by {columns}",
        "The model predicts '{positive}' for {high_rate} of '{high}' but {low_rate} of '{low}' "
        "(ratio {ratio}; below {line} is a common warning line).{chance}",
        "Check whether the difference is justified by legitimate factors; get a fairness review before launch.",
    ),
    "fairness.outcome_gap:regression": (
        "Different predictions by {columns}",
        "The model predicts {high_value} for '{target}' on average for '{high}' but {low_value} for '{low}'.",
        "Check whether the difference is justified by legitimate factors; get a fairness review before launch.",
    ),
    "fairness.underrepresented_group": (
        "Too few examples to judge some groups of {columns}",
        "{groups} {has_have_groups} fewer than {min_rows} held-out rows, so results for {them_groups} cannot be "
        "judged reliably.",
        "Collect more data for these groups, or judge them separately with care.",
    ),
})

NOTES.update({
    "fairness": "Fairness: groups compared on {rows} held-out rows; groups under {min_rows} rows are too small to judge.",
})
