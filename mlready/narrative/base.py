"""Words shared by every pillar: verdicts, the scoring rule, number formats, the finding builder, notes.

Each pillar's finding texts and notes live in the module of that pillar and register themselves here.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..findings import CODE_PREFIX, PILLAR_TITLES, Finding, Severity
from . import numbers

VERDICT_TEXT = {
    "ready": "Ready",
    "ready_with_caveats": "Ready with caveats",
    "not_ready": "Not ready",
}
VERDICT_SENTENCE = {
    "ready": "Nothing found should stop this model going into production.",
    "ready_with_caveats": "The model can go ahead, but the warnings below should be dealt with or accepted knowingly.",
    "not_ready": "Do not put this model into production until the critical problems below are fixed.",
    "not_ready_low_score": "Do not put this model into production yet: too many problems add up, even though none "
                           "is critical on its own.",
}


def _scoring_words() -> tuple[str, str]:
    from ..scoring import CRITICAL_CAP, NOT_READY_SCORE, PENALTY, READY_SCORE

    pillar = (f"Each area starts at 100. It loses {PENALTY[Severity.CRITICAL]} points for each critical problem, "
              f"{PENALTY[Severity.WARNING]} for each warning and {PENALTY[Severity.INFO]} for each finding that is "
              f"for information only. With any critical problem, it scores {CRITICAL_CAP} at most, and it fails; "
              f"it fails too when its score falls below {NOT_READY_SCORE}.")
    verdict = (f"The overall score is the score of the weakest area checked, because a model is only as ready as "
               f"its weakest part. Any critical problem makes the verdict 'not ready', and so does an overall score "
               f"below {NOT_READY_SCORE}. Warnings, or a score below {READY_SCORE}, make it 'ready with caveats'. "
               f"Otherwise it is 'ready'. Areas that were not checked do not count.")
    return pillar, verdict


#: How one area's score is made, in words (the pillar pages' score help).
PILLAR_SCORE_RULE = _scoring_words()[0]
#: The whole scoring rule in words: the scorecard, the PDF and the README state it this way.
SCORING_RULE = " ".join(_scoring_words())


NOTHING_URGENT = "Nothing urgent: no critical problems or warnings were found."


NOT_CHECKED_NOTE = ("This area was not checked, so it does not count in the overall score. "
                    "Check it before launch if it applies.")


REFERENCE_MODEL_NOTE = (
    "No model file was given, so mlready trained its own reference model (gradient-boosted trees) on the "
    "training data; the results describe that model, not yours."
)


# When no model was given, the results describe mlready's own reference model: the verdict speaks of the data.
REFERENCE_VERDICT_SENTENCE = {
    "ready": "These results are for a model mlready trained to test your data, not for a model of yours. Your data "
             "can support a model as good as the one measured here, and nothing found stands in the way. Check the "
             "model you build on it the same way before it goes live.",
    "ready_with_caveats": "These results are for a model mlready trained to test your data, not for a model of "
                          "yours. Your data can support a model as good as the one measured here. But deal with the warnings below, or "
                          "accept them knowingly, before you build a model on it.",
    "not_ready": "These results are for a model mlready trained to test your data, not for a model of yours. Fix "
                 "the critical problems below before you build a model on this data.",
    "not_ready_low_score": "These results are for a model mlready trained to test your data, not for a model of "
                           "yours. Too many problems add up in this data, even though none is critical on its own.",
}


REFERENCE_SCORECARD_NOTE = (
    "No model file was given: these results describe a reference model mlready trained on your data. They tell "
    "what quality of model your data can support; a model built on it needs its own check before production."
)


def verdict_sentence(verdict: str, has_critical: bool, reference: bool = False) -> str:
    """What the verdict means, in one sentence; about the data when the results describe mlready's reference model."""
    sentences = REFERENCE_VERDICT_SENTENCE if reference else VERDICT_SENTENCE
    if verdict == "not_ready" and not has_critical:
        return sentences["not_ready_low_score"]
    return sentences[verdict]


SCALES = {
    "ROC AUC": "0.5 is a coin toss, 1 is perfect",
    "R²": "0 is no better than the average, 1 is perfect",
    "balanced accuracy": "1 is always right",
}

# The model's main score in plain words. Sentences give it on a scale a person reads: the ranking score (ROC AUC)
# as times out of 100 that a pair of cases is put in the right order, R² and balanced accuracy as percentages.
# The method notes keep the exact name, with the scale it is shown on.
METRIC_WORDS = {
    "ROC AUC": "ranking score out of 100, where 50 is a coin toss",
    "R²": "share of the differences explained",
    "balanced accuracy": "share right, averaged over the outcomes",
}
METRIC_NOTE_WORDS = {
    "ROC AUC": "ROC AUC shown out of 100",
    "R²": "R² shown as a percentage",
    "balanced accuracy": "balanced accuracy",
}
METRIC_NAMES = {"ROC AUC": "roc_auc", "R²": "r2", "balanced accuracy": "balanced_accuracy"}


def metric_words(label: str) -> str:
    """The plain name of a score for a sentence: 'ROC AUC' -> 'ranking score out of 100, where 50 is a coin toss'."""
    return METRIC_WORDS.get(label, label)


def metric_note_words(label: str) -> str:
    """The exact name of a score for the method notes, with the scale sentences show it on."""
    return METRIC_NOTE_WORDS.get(label, label)


_SEED = re.compile(r",? set aside with seed \d+")


def split_words(split: str) -> str:
    """Which rows were held out, without the random seed (the method notes keep it):
    'a random 20% of the training data, set aside with seed 0' -> 'a random 20% of the training data'."""
    return _SEED.sub("", str(split))


# A score given on a 0-to-1 scale with its meaning (`scale`) is shown on the scale the main score uses in sentences.
SCALE_SHOWN = {
    SCALES["ROC AUC"]: ("roc_auc", "out of 100, where 50 is a coin toss and 100 is perfect"),
    SCALES["R²"]: ("r2", "where 0% is no better than the average and 100% is perfect"),
    SCALES["balanced accuracy"]: ("balanced_accuracy", "where 100% is always right"),
}


def shown_on_scale(score: str, meaning: str) -> tuple[str, str]:
    """('0.97', '0.5 is a coin toss, 1 is perfect') -> ('97', 'out of 100, where 50 is a coin toss and 100 is
    perfect'): a column's own score written like the model's main score. Unreadable scores are left as they are."""
    name, words = SCALE_SHOWN[meaning]
    try:
        value = float(score.replace(",", ""))
    except ValueError:
        return score, meaning
    return metric_value(name, value), words


def scale(metric_label: str) -> str:
    """What a score on this metric means, in a phrase."""
    return SCALES.get(metric_label, "1 is perfect")


def pct(share: float, digits: int | None = None) -> str:
    """0.234 -> '23%' (see `numbers.percent`: '4.5%' near the edges, never '-0%')."""
    return numbers.percent(share, digits)


def num(value: float, digits: int | None = None) -> str:
    """A number for a sentence (see `numbers.number`): thousands separated, a few digits, never '-0'."""
    return numbers.number(value, digits)


def plural(count: int, noun: str) -> str:
    """'1 warning', '3 warnings'."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def rows_used(used: int, total: int) -> str:
    """'1,000 rows', or '20,000 of 200,000 rows (a random sample)'."""
    return f"{used:,} rows" if used >= total else f"{used:,} of {total:,} rows (a random sample)"


def count_words(value: float) -> str:
    """A large count as people say it: '26 billion', '3.4 million'; below a million, with thousands separators
    ('35,000'). Two significant figures: the capacity of a machine is not known to the prediction."""
    value = float(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = value / size
            return f"{scaled:.1f} {word}".replace(".0 ", " ") if scaled < 10 else f"{scaled:,.0f} {word}"
    return f"{value:,.0f}"


def name_list(columns: Iterable[str], limit: int = 4) -> str:
    """'a', 'b' and 'c' (and 2 more)."""
    items = [f"'{c}'" for c in columns]
    shown, rest = items[:limit], len(items) - limit
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {rest} more)" if rest > 0 else "")


def readable(column: str) -> str:
    """A column name as words: 'credit_amount' -> 'credit amount'."""
    return str(column).replace("_", " ").strip()


def value_words(value: Any) -> str:
    """A value of a column for a sentence: a number as a number ('30', '1,250', also when stored as text '30'),
    a label in quotes ("'car'"), a missing value as 'empty'."""
    if value is None or (isinstance(value, float) and value != value):
        return "empty"
    if numbers.is_number(value) or hasattr(value, "dtype") and numbers._finite(value) is not None:
        return num(value)
    text = str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", text.strip()):
        return num(float(text))
    return "empty" if text.strip().lower() in ("", "nan", "none") else f"'{text}'"


def is_value(column: str, value: Any) -> str:
    """A column holding a value, read as text: "'duration' is 30", "'purpose' is 'car'", "'income' is empty"."""
    return f"'{column}' is {value_words(value)}"


# code -> (title, message, action), filled by each pillar's module; `{...}` are filled from the check's facts and from
# `finding`'s grammar helpers: {columns} (quoted names), {n_columns} ("1 column", "3 columns"), {is_are}, {has_have}.
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "check_failed": (
        "A check could not run: {check}",
        "The check '{check}' stopped with an error, so this part was not verified. (Technical detail: {error}.)",
        "Report this to the mlready maintainers with the data's shape; the other results still stand.",
    ),
}
# How each check worked, for the "How this was checked" sections of the app and the PDF; filled by each pillar's module.
NOTES: dict[str, str] = {}


def finding(code: str, pillar: str, severity: Severity | str, columns: Iterable[str] = (),
            evidence: Mapping[str, float] | None = None, variant: str | None = None, **facts: Any) -> Finding:
    """Build a Finding whose title, message and action come from this module's templates."""
    columns = tuple(str(c) for c in columns)
    key = f"{code}:{variant}" if variant else code
    if code.endswith(".check_failed"):
        key = "check_failed"
    title, message, action = TEMPLATES[key]
    if isinstance(facts.get("metric"), str):
        facts["metric"] = metric_words(facts["metric"])
    if isinstance(facts.get("split"), str):
        facts["split"] = split_words(facts["split"])
    if facts.get("scale") in SCALE_SHOWN and isinstance(facts.get("score"), str):
        facts["score"], facts["scale"] = shown_on_scale(facts["score"], facts["scale"])
    for name in ("kind", "kind_words"):  # the model type in words; the class name stays in the notes and the PDF
        if isinstance(facts.get(name), str):
            facts[name] = plain_model_words(facts[name])
    one = len(columns) == 1
    facts.setdefault("columns", name_list(columns) if columns else "")
    facts.setdefault("columns_plain", columns[0] if columns else "")
    facts.setdefault("count", len(columns))
    facts.setdefault("n_columns", "1 column" if one else f"{len(columns)} columns")
    for key, single, several in (("is_are", "is", "are"), ("has_have", "has", "have"), ("holds_hold", "holds", "hold"),
                                 ("it_they", "it", "they"), ("it_them", "it", "them"), ("tells_tell", "tells", "tell"),
                                 ("change_changes", "changes", "change")):
        facts.setdefault(key, single if one else several)
    facts.setdefault("majority", "numbers" if facts.get("kind") == "text" else "text")
    return Finding(code=code, pillar=pillar, severity=Severity(severity), title=title.format(**facts),
                   message=message.format(**facts), action=action.format(**facts), columns=columns,
                   evidence=evidence or {})


def check_failed(pillar: str, check: str, error: BaseException) -> Finding:
    """The finding that stands for a check that raised an exception."""
    text = str(error).splitlines()[0][:160] if str(error) else type(error).__name__
    return finding(f"{CODE_PREFIX[pillar]}.check_failed", pillar, Severity.WARNING, check=check, error=text)


def pillar_summary(pillar: str, findings: Iterable[Finding], headline: str | None = None) -> str:
    """One sentence on a pillar: its headline fact and what was found."""
    found = list(findings)
    critical = sum(f.severity is Severity.CRITICAL for f in found)
    warnings = sum(f.severity is Severity.WARNING for f in found)
    if critical:
        tail = f"{plural(critical, 'critical problem')} must be fixed first"
    elif warnings:
        tail = f"{plural(warnings, 'warning')} to look at"
    else:
        tail = "no problems that need action"
    lead = headline or f"{PILLAR_TITLES[pillar]} checked"
    return f"{lead}; {tail}."


def not_assessed(reason: str) -> str:
    """The summary of a pillar that was not checked."""
    return f"Not checked: {reason}."


def model_note(source: str, kind: str, problem: str | None = None) -> str:
    """Which model the report describes."""
    if source == "uploaded":
        return f"The results describe the uploaded model: {model_words(kind)}."
    if problem:
        return f"The uploaded model could not be used ({problem}). {REFERENCE_MODEL_NOTE}"
    return REFERENCE_MODEL_NOTE


def pillar_headline(pillar: str, result) -> str | None:
    """The pillar's key fact as the start of a sentence, from its metrics and data."""
    m, d = result.metrics, result.data
    if pillar == "data_quality" and "missing_share" in d:
        return f"{len(d['missing_share'])} columns checked"
    if pillar == "generalization":
        name = d.get("metric_name") or next((k.removeprefix("test_") for k in m if k.startswith("test_")
                                             and f"train_{k.removeprefix('test_')}" in m), None)
        if name is None:
            return None
        test, train, copy = m.get(f"test_{name}"), m.get(f"train_{name}"), m.get(f"copy_test_{name}")
        if test is None:
            return "The model's score on the held-out rows cannot be measured"
        if d.get("held_out_seen") and copy is not None:
            return (f"The model has most likely learned from the rows kept back to test it: "
                    f"{score_phrase(name, test, d)} on them, but copies retrained without them score only "
                    f"{metric_value(name, copy)}{' out of 100' if name == 'roc_auc' else ''}")
        training = f" ({metric_value(name, train)} on the rows it learned from)" if train is not None else ""
        return f"On rows it never saw, {score_phrase(name, test, d)}{training}"
    if pillar == "scalability" and "latency_ms_p50" in m:
        size = f"; the saved model is {numbers.size(m['model_bytes'])}" if "model_bytes" in m else ""
        return f"One prediction takes about {numbers.milliseconds(m['latency_ms_p50'])}{size}"
    if pillar == "interpretability" and d.get("global"):
        top = d["global"][0]
        return f"The most influential column is '{top['feature']}' ({pct(top['share'])} of the model's reasoning)"
    if pillar == "fairness" and "groups" in d:
        return f"Groups compared for {plural(len(d['groups']), 'sensitive column')}"
    return None


METRIC_MEANING = {
    "roc_auc": "ROC AUC shown out of 100: how many times out of 100 the model, shown one case of interest and one "
               "other, ranks the case of interest higher (50 is a coin toss, 100 is perfect).",
    "balanced_accuracy": "balanced accuracy, the share right averaged over the outcomes, so rare outcomes count as much.",
    "r2": "R² shown as a percentage: the share of the differences in the target the model explains (0% is no better "
          "than always predicting the average, 100% is perfect).",
}


def score_phrase(name: str, value: float, data: Mapping[str, Any] | None = None) -> str:
    """The main score as a clause a person reads, in the outcome's and the target's own words where known:
    'shown one 'bad' case and one 'good' case, the model ranks them right 82 times out of 100'."""
    data = data or {}
    if name == "roc_auc":
        outcomes = data.get("outcome_names") or ()
        pair = (f"shown one '{outcomes[0]}' case and one '{outcomes[1]}' case" if len(outcomes) == 2
                else "shown one case of each outcome")
        return f"{pair}, the model ranks them right {metric_value(name, value)} times out of 100"
    if name == "r2":
        target = data.get("target")
        of = f" in '{target}'" if target else ""
        if value < 0:
            return f"the model does worse than always predicting the average{of}"
        return f"the model explains {metric_value(name, value)} of the differences{of}"
    if name == "balanced_accuracy":
        return f"the model is right {metric_value(name, value)} of the time, averaged over the outcomes"
    return f"the model scores {num(value)}"


def metric_value(name: str, value: float) -> str:
    """A value of the main score for a sentence: the ranking score (ROC AUC) out of 100 ('82'), R² and balanced
    accuracy as percentages ('79%')."""
    if name == "roc_auc":
        hundred = float(value) * 100 if numbers._finite(value) is not None else float("nan")
        return num(hundred, 1 if 99 < hundred < 100 else 0)
    if name in ("balanced_accuracy", "r2"):
        return numbers.percent(value)
    return num(value)


def metric_meaning(name: str) -> str:
    """What the headline metric measures, in a sentence."""
    return METRIC_MEANING[name]


SENTENCE_KEYS = ("confusion_sentence", "error_sentence", "spread_sentence")


def pillar_sentences(result) -> list[str]:
    """Plain sentences a pillar's checks left in its data (the confusion matrix in words, the spread…)."""
    return [str(result.data[k]).strip() for k in SENTENCE_KEYS if result.data.get(k)]


MODEL_WORDS = {
    "HistGradientBoosting": "gradient-boosted trees", "GradientBoosting": "gradient-boosted trees",
    "RandomForest": "a random forest", "ExtraTrees": "an ensemble of randomised trees",
    "DecisionTree": "a decision tree", "LogisticRegression": "a logistic regression", "Ridge": "a ridge regression",
    "LinearRegression": "a linear regression", "Lasso": "a lasso regression", "MLP": "a neural network",
    "SVC": "a support-vector machine", "SVR": "a support-vector machine", "KNeighbors": "a nearest-neighbours model",
    "XGB": "gradient-boosted trees", "LGBM": "gradient-boosted trees",
}


def plain_model_words(text: str) -> str:
    """A model type in words only: 'gradient-boosted trees (HistGradientBoostingClassifier)' -> 'gradient-boosted
    trees'; a type without words is left as it is."""
    words = re.sub(r" \([A-Za-z0-9_.]+\)$", "", str(text))
    return words or str(text)


def model_words(kind: str) -> str:
    """A model type in words, with its technical name: 'gradient-boosted trees (HistGradientBoostingClassifier)'."""
    inner = kind.removeprefix("Pipeline(").removesuffix(")")
    words = next((w for key, w in MODEL_WORDS.items() if inner.startswith(key)), None)
    return f"{words} ({inner})" if words else inner


def note(key: str, **facts: Any) -> str:
    """How a check worked, in a sentence (a score keeps its exact name, with the scale its numbers are shown on)."""
    if isinstance(facts.get("metric"), str) and key not in NOTES_WITHOUT_VALUES:
        facts["metric"] = metric_note_words(facts["metric"])
    return NOTES[key].format(**facts)


#: Notes that name the main score without giving any of its values: they keep its bare exact name.
NOTES_WITHOUT_VALUES = {"score_undefined"}


def readable_time(iso: str) -> str:
    """'2026-11-28T21:49:26+00:00' -> '28 November 2026, 21:49 UTC'."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(iso).astimezone(timezone.utc)
    except ValueError:
        return iso
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def beside_line(value: float, line: float) -> str:
    """A number compared with a line, with enough decimals that it never reads as the line itself: 0.7994 beside
    0.8 is '0.799' (it fails a rule that 0.8 passes), 0.8312 stays '0.83'."""
    for digits in range(2, 7):
        text = num(value, digits)
        if (float(text.replace(",", "")) == line) == (value == line):
            return text
    return num(value, 6)
