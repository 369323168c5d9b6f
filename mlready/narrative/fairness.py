"""The words of the fairness pillar: finding texts, group names, how groups were compared."""
from __future__ import annotations

from typing import Iterable

from .base import NOTES, TEMPLATES, name_list, num, pct, readable


def could_be_chance(p_value: float) -> str:
    """A closing remark when a gap between groups could well be chance."""
    if p_value < 0.05:
        return ""
    return (f" With groups this small, this gap could be chance: luck alone gives one this large {times_in(p_value)}. "
            "Check again with more data.")


def times_in(p_value: float) -> str:
    """A chance as a frequency a person reads: 0.08 -> 'about 8 times in 100'; 0.004 -> 'about 4 times in 1,000'."""
    if p_value >= 0.01:
        return f"about {max(1, round(p_value * 100))} times in 100"
    return f"about {max(1, round(p_value * 1000))} times in 1,000" if p_value >= 0.001 else "less than once in 1,000"


def not_graded_reason(problem: str | None) -> str:
    """Why fairness is not graded when the held-out rows are not new to the model."""
    why = f" ({problem})" if problem else ""
    return ("the held-out rows are most likely rows the uploaded model was trained on" + why + ", so how it treats "
            "groups of new people cannot be judged from them; give held-out data the model never saw")


def chance_sentence(p_value: float, tests: int) -> str:
    """A closing remark on a gap that was found: nothing when the evidence is strong, a caution when moderate."""
    if p_value < 0.01:
        return ""
    comparisons = f" (allowing for the {tests} comparisons made)" if tests > 1 else ""
    return (f" The evidence is only moderate: luck alone would give a gap this large {times_in(p_value)}"
            f"{comparisons}. Check again with more data before drawing firm conclusions.")


def yes_no_group(column: str, yes: bool) -> str:
    """The name of a group of a yes/no column: 'senior citizen: yes'."""
    return f"{readable(column)}: {'yes' if yes else 'no'}"


def outcome_name(target: str, value, yes_no: bool) -> str:
    """An outcome for a sentence: its value, or 'rejected: no' when the outcomes are yes/no-like."""
    return f"{readable(target)}: {'yes' if str(value).strip().lower() in YES_WORDS else 'no'}" if yes_no else str(value)


YES_WORDS = {"1", "1.0", "true", "yes", "y", "t"}


def data_gap_sentence(outcome: str, low: str, high: str, observed_low: float, observed_high: float,
                      widening: float, widens: bool, decisions_widen: bool, on_chances: bool) -> str:
    """What the data itself shows for the two groups, and whether the model follows or widens that gap."""
    data = (f" In the held-out data itself, {pct(observed_low)} of '{low}' and {pct(observed_high)} of '{high}' "
            f"really had '{outcome}'")
    points = round(widening * 100)
    if widens and on_chances:
        return (data + f": the model widens that gap. Its chances of '{outcome}' for '{low}', compared with "
                f"'{high}', are {points} percentage points below what really happened.")
    if decisions_widen and on_chances:
        return (data + f": the model's decisions widen that gap by {points} percentage points, although its "
                "chances follow the data more closely; the decision threshold turns a small difference into a "
                "large one.")
    if decisions_widen:
        return data + f": the model's decisions widen that gap by {points} percentage points."
    if observed_high - observed_low >= 0.05:
        return (data + ": the model's decisions follow a gap the data already has. Whether that gap is justified "
                "is a question for people, not for statistics.")
    return data + ": the data shows little gap, but the model's decisions do."


def error_judgement(critical: bool, on_chances: bool) -> str:
    """Why a gap in refusals of deserving people is or is not called blocking."""
    if critical:
        return (" The model's chances also understate how often people in that group really deserve it, so this "
                "is the model's doing, not only a difference between the groups.")
    if on_chances:
        return (" The model's chances do not clearly understate this group's real outcomes, so this can come from "
                "a real difference between the groups; it needs a human judgement.")
    return (" The model gives no chances to tell its own part from a real difference between the groups; it needs "
            "a human judgement.")


def data_mean_sentence(low: str, high: str, observed_low: float, observed_high: float, widening_sd: float,
                       widens: bool) -> str:
    """Regression: what the data itself shows for the two groups."""
    data = (f" In the held-out data itself, the real average is {num(observed_low)} for '{low}' and "
            f"{num(observed_high)} for '{high}'")
    if widens and widening_sd > 0:
        return data + ": the model makes the difference larger than it really is."
    return data + ": the predictions follow a difference the data already has."


def power_sentence_rates(small: str, large: str, n_small: int, n_large: int, power: float, rate: float,
                         line: float, seen: float | None) -> str:
    """Groups too small to see a four-fifths gap in the outcome's rates."""
    visible = (f" Only a larger gap, about {pct(rate * seen)} against {pct(rate)}, would be seen reliably."
               if seen is not None else " Even a much larger gap could go unseen.")
    return (f"With {n_small:,} held-out rows in '{small}' and {n_large:,} in '{large}', a gap of the warning size "
            f"(a rate of {pct(rate * line)} against {pct(rate)}) would be found only {pct(power)} of the time.{visible} "
            "Finding no gap here does not show there is none.")


def power_sentence_right(small: str, large: str, n_small: int, n_large: int, power: float, gap: float) -> str:
    """Groups too small to see an accuracy gap of the warning size."""
    return (f"With {n_small:,} held-out rows in '{small}' and {n_large:,} in '{large}', a difference of "
            f"{pct(gap)} in the share right would be found only {pct(power)} of the time. Finding no gap here does "
            "not show there is none.")


def power_sentence_errors(small: str, large: str, n_small: int, n_large: int, power: float, ratio: float) -> str:
    """Regression: groups too small to see an error gap of the warning size."""
    return (f"With {n_small:,} held-out rows in '{small}' and {n_large:,} in '{large}', an average error "
            f"{num(ratio, 1)} times as large in one group would be found only {pct(power)} of the time. Finding no "
            "gap here does not show there is none.")


def small_groups_sentence(groups: Iterable[str], min_rows: int) -> str:
    """Groups under the minimum size."""
    names = list(groups)
    has = "has" if len(names) == 1 else "have"
    them = "it" if len(names) == 1 else "them"
    return (f"{name_list(names)} {has} fewer than {min_rows} held-out rows, so results for {them} cannot be judged "
            "reliably.")


def share_sentence(share: float | None, minimum: float) -> str:
    """How much a sensitive input weighs in the model's reasoning."""
    if share is None:
        return ""
    if share < minimum:
        return f" It carries little of the model's reasoning ({pct(share, 1)}), but the model can still use it."
    return f" It carries {pct(share)} of the model's reasoning."


def outcome_note(outcome: str, other: str | None, favourable: bool, source: str | None) -> str:
    """Which outcome the rates are about, and why."""
    if favourable:
        how = "as given" if source == "given" else "guessed from the names of the outcomes; change it if wrong"
        return (f"Fairness: rates are of the favourable outcome '{outcome}' ({how}); the four-fifths rule compares "
                "how often each group gets it.")
    return (f"Fairness: it was not said which outcome is favourable, so rates are of '{outcome}' and both outcomes' "
            f"ratios are reported{f' (the rate of {other!r} is 100% minus that of {outcome!r})' if other else ''}; "
            "gaps are graded at most as warnings until the favourable outcome is named.")


def _with_interval(rate, low, high) -> str:
    if rate is None or rate != rate:
        return "–"
    if low is None or high is None or low != low or high != high:
        return pct(rate)
    return f"{pct(rate)} ({pct(low)}–{pct(high)})"


def group_rows(table: dict, task: str, label: str | None) -> list[dict[str, str]]:
    """A group table (from the fairness check's data) as rows of plain headers and formatted values: rates with
    their 95% intervals in brackets."""
    groups = list(table.get("group", []))
    rows = []
    for i, group in enumerate(groups):
        def cell(name: str):
            values = table.get(name)
            return None if values is None else values[i]

        row = {"Group": str(group), "Held-out rows": f"{int(cell('rows')):,}"}
        if task == "regression":
            row["Real average"] = num(cell("observed_mean"))
            row["Predicted average"] = num(cell("mean_prediction"))
            error, low, high = cell("mean_error"), cell("mean_error_low"), cell("mean_error_high")
            row["Average error"] = (f"{num(error)} ({num(low)}–{num(high)})" if low == low and high == high
                                    else num(error))
            row["Predicted minus real, on average"] = num(cell("mean_signed_error"))
        elif label is None or cell("observed_rate") is None:
            row["Right"] = _with_interval(cell("accuracy"), cell("accuracy_low"), cell("accuracy_high"))
        else:
            row[f"Really '{label}'"] = _with_interval(cell("observed_rate"), cell("observed_rate_low"),
                                                      cell("observed_rate_high"))
            row[f"Predicted '{label}'"] = _with_interval(cell("positive_rate"), cell("positive_rate_low"),
                                                         cell("positive_rate_high"))
            row["Right"] = _with_interval(cell("accuracy"), cell("accuracy_low"), cell("accuracy_high"))
            row[f"Given '{label}', of those really '{label}'"] = _with_interval(cell("tpr"), cell("tpr_low"),
                                                                               cell("tpr_high"))
            row[f"Given '{label}', of the others"] = _with_interval(cell("fpr"), cell("fpr_low"), cell("fpr_high"))
        rows.append(row)
    return rows


GROUP_TABLE_NOTE = ("Percentages in brackets are 95% ranges: with this many held-out rows, the group's true rate is "
                    "most likely within them. 'Given … of those really …' is the true-positive rate (equal "
                    "opportunity); 'of the others' the false-positive rate (with it, equalized odds).")


TEMPLATES.update({
    "fairness.performance_gap": (
        "Accuracy is not the same for all groups of {columns}",
        "The model is right {best_rate} of the time for '{best}' but only {worst_rate} for '{worst}'. "
        "People in the weaker group get worse decisions.{chance}",
        "Investigate why the model is weaker for '{worst}' (too few examples? different data?) before launch.",
    ),
    "fairness.performance_gap:refused": (
        "Deserving people are refused more often in some groups of {columns}",
        "Among people who really had the favourable outcome '{outcome}', the model refuses it to {worst_rate} of "
        "'{worst}' but to {best_rate} of '{best}' (equal opportunity). Deserving people in '{worst}' are turned down "
        "more often.{judgement}{chance}",
        "Find out why the model errs against '{worst}' (a stand-in column? too few examples?) and fix it before "
        "launch; get a fairness review.",
    ),
    "fairness.performance_gap:granted": (
        "The model wrongly grants '{outcome}' more often in some groups of {columns}",
        "Among people who did not have the favourable outcome '{outcome}', the model still gives it to "
        "{worst_rate} of '{worst}' but to {best_rate} of '{best}'. Its mistakes are not spread evenly: check what "
        "they cost each group.{chance}",
        "Find out why the model is less often right for '{worst}'. Decide whether its uneven mistakes are fair.",
    ),
    "fairness.performance_gap:missed": (
        "The model misses '{outcome}' more often in some groups of {columns}",
        "Among real '{outcome}' cases, the model misses {worst_rate} in '{worst}' but {best_rate} in '{best}'. "
        "If '{other}' is the favourable outcome, this only costs you; if '{outcome}' is, deserving people in "
        "'{worst}' are turned down more often, which would block a launch.{chance}",
        "Say which outcome is favourable (on the Upload page, or with --favourable-outcome), then investigate why "
        "the model errs more for '{worst}'.",
    ),
    "fairness.performance_gap:false_alarm": (
        "The model wrongly predicts '{outcome}' more often in some groups of {columns}",
        "Among cases that were not '{outcome}', the model wrongly predicts '{outcome}' for {worst_rate} of "
        "'{worst}' but {best_rate} of '{best}'. If '{other}' is the favourable outcome, deserving people in "
        "'{worst}' are turned down more often, which would block a launch.{chance}",
        "Say which outcome is favourable (on the Upload page, or with --favourable-outcome), then investigate why "
        "the model errs more for '{worst}'.",
    ),
    "fairness.performance_gap:regression": (
        "Predictions are less accurate for some groups of {columns}",
        "For '{worst}', predictions are off by {worst_error} on average; for '{best}', by {best_error} "
        "({ratio} times as large). People in the weaker group get less reliable decisions.{chance}",
        "Investigate why the model is weaker for '{worst}' (too few examples? different data?) before launch.",
    ),
    "fairness.outcome_gap": (
        "Different outcomes by {columns}",
        "The model gives the favourable outcome '{outcome}' to {low_rate} of '{low}' but {high_rate} of '{high}' "
        "(ratio {ratio}; below {line} fails the common four-fifths rule).{data_sentence}{chance}",
        "Decide, with someone who knows the business and the law, whether this difference is justified by "
        "legitimate factors, and record why before launch.",
    ),
    "fairness.outcome_gap:widens": (
        "The model widens a gap in outcomes by {columns}",
        "The model gives the favourable outcome '{outcome}' to {low_rate} of '{low}' but {high_rate} of '{high}' "
        "(ratio {ratio}; below {line} fails the common four-fifths rule).{data_sentence}{chance}",
        "Find out why the model gives '{low}' fewer '{outcome}' decisions than the data supports (a stand-in "
        "column? the cut-off?). Fix it before launch and get a fairness review.",
    ),
    "fairness.outcome_gap:unknown": (
        "Different outcomes by {columns}",
        "The model predicts '{outcome}' for {low_rate} of '{low}' but {high_rate} of '{high}' (ratio {ratio}), and "
        "'{other}' for {other_low_rate} against {other_high_rate} (ratio {other_ratio}). Below {line} fails the "
        "common four-fifths rule, which applies to the favourable outcome; which one that is was not said."
        "{data_sentence}{chance}",
        "Say which outcome is favourable (on the Upload page, or with --favourable-outcome), and decide with "
        "someone who knows the business and the law whether the difference is justified.",
    ),
    "fairness.outcome_gap:regression": (
        "Different predictions by {columns}",
        "The model predicts {high_value} for '{target}' on average for '{high}' but {low_value} for '{low}'."
        "{data_sentence}",
        "Check whether good reasons explain the gap. Get a fairness review before launch.",
    ),
    "fairness.underrepresented_group": (
        "Too few examples to judge some groups of {columns}",
        "{small_sentence}{power_sentence}",
        "Collect more held-out data for these groups, or judge them separately with care.",
    ),
    "fairness.underrepresented_group:power": (
        "Groups of {columns} are too small to see a gap",
        "{power_sentence}",
        "Judge fairness on more held-out rows (a larger held-out file) before relying on this result.",
    ),
    "fairness.sensitive_feature_used": (
        "The model reads the sensitive column {columns}",
        "The uploaded model uses {columns} as an input, so it can decide by it directly.{share_sentence} In many "
        "uses, such as credit, jobs, housing and insurance, the law forbids deciding by such a trait unless there "
        "is a good reason.",
        "Confirm with legal or compliance that using {columns} is allowed and needed here; otherwise retrain the "
        "model without it (and check the columns that stand in for it).",
    ),
})

NOTES.update({
    "fairness": "Fairness: groups compared on {rows} held-out rows; groups under {min_rows} rows are too small to "
                "judge; a gap between groups is reported only when chance would give one that large less than "
                "{p_value} of the time, allowing for the number of groups compared.",
    "fairness_reference": "Fairness: mlready's reference model does not read the sensitive columns ({columns}); any "
                          "gap it shows comes through other columns that go with them.",
    "fairness_not_graded": "Fairness: not graded, because the held-out rows are not new to the model ({problem}).",
})


def no_gap_note(column: str, groups: list[str], predicted: list[float], observed: list[float] | None, outcome: str,
                line: float) -> str:
    """For a sensitive column with no gap reported: what each judged group gets, from the model and in the data, in
    a sentence (groups in table order; rates as shares)."""
    given = ", ".join(f"{pct(r)} of '{g}'" for g, r in zip(groups, predicted))
    data = "" if observed is None else " (in the data: " + ", ".join(pct(r) for r in observed) + ")"
    low, high = min(predicted), max(predicted)
    if high <= 0:
        judged = "no group gets it"
    elif low / high >= line:
        judged = (f"the lowest rate is {num(low / high, 2)} of the highest, above the {num(line, 2)} line (the "
                  "four-fifths rule)")
    else:
        judged = (f"the lowest rate is {num(low / high, 2)} of the highest, below the {num(line, 2)} line (the "
                  "four-fifths rule), but on these few rows a difference that large could be chance")
    return (f"'{column}': no gap large enough to report. The model gives '{outcome}' to {given}{data}; {judged}.")


def no_gap_note_right(column: str, groups: list[str], right: list[float]) -> str:
    """The same for a target with several outcomes: each group's share of decisions right."""
    shares = ", ".join(f"{pct(r)} for '{g}'" for g, r in zip(groups, right))
    return f"'{column}': no gap large enough to report. The model is right {shares}."
