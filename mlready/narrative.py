"""All the words mlready says to a person: finding texts, summaries, verdicts, rules.

Checks pass facts (numbers, column names); this module turns them into short, plain sentences.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from .findings import CODE_PREFIX, PILLAR_TITLES, Finding, Severity

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
SCORING_RULE = (
    "Each area gets a score from 0 to 100 from what was found in it; the overall score is the score of the "
    "weakest area checked, because a model is only as ready as its weakest part. "
    "Any critical finding makes the verdict 'not ready', whatever the score."
)
SINGLE_CASE_NOTE = ("A single case can go against the general pattern above: how much one column counts depends on "
                    "the case's other values.")
NOTHING_URGENT = "Nothing urgent: no critical problems or warnings were found."
NOT_CHECKED_NOTE = ("This area was not checked, so it does not count in the overall score. "
                    "Check it before launch if it applies.")
REFERENCE_MODEL_NOTE = (
    "No model file was given, so mlready trained its own reference model (gradient-boosted trees) on the "
    "training data; the results describe that model, not yours."
)


def verdict_sentence(verdict: str, has_critical: bool) -> str:
    """What the verdict means, in one sentence."""
    if verdict == "not_ready" and not has_critical:
        return VERDICT_SENTENCE["not_ready_low_score"]
    return VERDICT_SENTENCE[verdict]


SCALES = {
    "ROC AUC": "0.5 is a coin toss, 1 is perfect",
    "R²": "0 is no better than the average, 1 is perfect",
    "balanced accuracy": "1 is always right",
}


def scale(metric_label: str) -> str:
    """What a score on this metric means, in a phrase."""
    return SCALES.get(metric_label, "1 is perfect")


def pct(share: float, digits: int = 0) -> str:
    """0.234 -> '23%'."""
    return f"{share * 100:.{digits}f}%"


def num(value: float, digits: int = 2) -> str:
    """A number for a sentence: thousands separated, a few digits."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if "." in f"{value:.{digits}f}" else f"{value}"


def could_be_chance(p_value: float) -> str:
    """A closing remark when a gap between groups could well be chance."""
    if p_value < 0.05:
        return ""
    return (f" With groups this small, a gap this large could also happen by chance (p = {num(p_value)}); "
            "check again with more data.")


GLOSSARY = (
    ("Held-out rows", "rows the model did not learn from, used to test it as if they were new cases."),
    ("ROC AUC", "how well the model ranks the cases of interest above the others: 0.5 is a coin toss, 1 is perfect."),
    ("R²", "the share of the variation in the target the model explains: 0 is no better than the average."),
    ("Calibration", "whether a stated chance of 30% comes true about 30% of the time."),
    ("SHAP", "a standard way to share a prediction out among the input columns that led to it."),
    ("Cross-validation", "retraining copies of the model on different parts of the data to see how much results move."),
)


def plural(count: int, noun: str) -> str:
    """'1 warning', '3 warnings'."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def rows_used(used: int, total: int) -> str:
    """'1,000 rows', or '20,000 of 200,000 rows (a random sample)'."""
    return f"{used:,} rows" if used >= total else f"{used:,} of {total:,} rows (a random sample)"


def name_list(columns: Iterable[str], limit: int = 4) -> str:
    """'a', 'b' and 'c' (and 2 more)."""
    items = [f"'{c}'" for c in columns]
    shown, rest = items[:limit], len(items) - limit
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return text + (f" (and {rest} more)" if rest > 0 else "")


def readable(column: str) -> str:
    """A column name as words: 'credit_amount' -> 'credit amount'."""
    return str(column).replace("_", " ").strip()


# code -> (title, message, action); `{...}` are filled from the check's facts and from `finding`'s
# grammar helpers: {columns} (quoted names), {n_columns} ("1 column", "3 columns"), {is_are}, {has_have}.
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "data.missing_values": (
        "Empty cells in {n_columns}",
        "{columns} {has_have} empty cells (up to {worst} of rows). The model has to guess the missing values, "
        "and the guesses may be wrong in ways nobody sees.",
        "Ask why the values are missing and whether they can be filled at the source; "
        "check that production data is missing in the same way.",
    ),
    "data.missing_values:target": (
        "The outcome is missing for {share} of rows",
        "The column the model predicts, '{target}', is empty in {count} rows. Those rows cannot be used, "
        "and they may be exactly the cases that matter.",
        "Find out why outcomes are missing before trusting any result; record them for all cases.",
    ),
    "data.missing_values:informative": (
        "Missing values in '{columns_plain}' say something about the outcome",
        "{columns} is empty in {share} of rows, and {effect}. The gap itself carries information: if it is "
        "filled differently in production, the model's decisions will shift.",
        "Ask why the value is missing and whether it will be missing in the same way when the model is used.",
    ),
    "data.duplicate_rows": (
        "{count} repeated rows",
        "{share} of rows appear more than once. Repeats give some cases extra weight and can make "
        "the model look better than it is when a copy lands among the rows used for testing.",
        "Ask whether the repeats are real events or copies from an export; remove copies.",
    ),
    "data.constant_column": (
        "{n_columns} never {change_changes}",
        "{columns} {holds_hold} the same value in every row, so {it_they} {tells_tell} the model nothing.",
        "Drop {it_them}, or check whether the export lost the real values.",
    ),
    "data.id_like_column": (
        "Identifier used as an input: {columns}",
        "{columns} {has_have} a different value in almost every row, like a customer number. "
        "A model can memorise such values but cannot learn anything general from them.",
        "Remove identifiers from the model's inputs.",
    ),
    "data.high_cardinality": (
        "Very many different labels in {columns}",
        "'{worst_column}' has {most} different labels. Most labels are seen only a few times, so the model "
        "learns little from them and may latch onto noise.",
        "Group rare labels into broader categories, or drop the column.",
    ),
    "data.mixed_types": (
        "Numbers and text mixed in {columns}",
        "{columns} holds mostly {majority} but also {kind} such as {examples} ({share} of filled cells); "
        "{treatment}. Mixed entries usually mean different sources or manual typing.",
        "Ask for one consistent format in this column, and find out what the odd entries mean.",
    ),
    "data.outliers": (
        "Extreme values in {columns}",
        "In '{worst}', {share} of values are far from the rest (for example {high}, where the typical value "
        "is {median}). They may be errors or rare real cases.",
        "Check a few of these rows with someone who knows the data; correct errors at the source.",
    ),
    "data.outliers:placeholder": (
        "{columns} uses {value} like a code",
        "The value {value} appears in {share} of rows of {columns}, far from the other values. It looks like "
        "a code for 'unknown' or 'not applicable' rather than a real amount, and the model will read it as one.",
        "Ask what {value} means here; if it means unknown, record it as missing.",
    ),
    "data.class_imbalance": (
        "Few rows with the outcome '{label}': {share}",
        "Only {count} rows have the outcome '{label}'. A model can look accurate while missing most of "
        "these cases, and they are often the ones that matter.",
        "Judge the model on how many '{label}' cases it catches, not on overall accuracy; collect more of them if you can.",
    ),
    "data.target_leakage": (
        "{columns} gives the answer away",
        "On its own, {columns} predicts the outcome almost perfectly on rows the model never saw "
        "(score {score}; {scale}). Such a column is usually recorded after the outcome is known, "
        "so it will not be available, or not mean the same, when the model is used for real.",
        "Ask when this column is filled in. If it is known only after the outcome, remove it and retrain.",
    ),
    "data.target_leakage:strong": (
        "{columns} alone predicts the outcome very well",
        "On its own, {columns} scores {score} on rows the model never saw ({scale}). That can be genuine, "
        "but it is also how a column recorded after the outcome looks.",
        "Confirm that {columns} is known before the decision is made, in the same form as in this data.",
    ),
    "data.target_leakage:after_outcome": (
        "{columns} may be recorded after the outcome",
        "Its name suggests it is filled in after the outcome is known ('{word}'), and on its own it predicts "
        "the outcome well (score {score}; {scale}). If so, it will not be available when the model "
        "is used for real.",
        "Ask when {columns} is filled in. If only after the outcome, remove it and retrain.",
    ),
    "data.conflicting_labels": (
        "{count} rows contradict each other",
        "{share} of rows have exactly the same inputs as another row but a different outcome. No model can get "
        "all of them right; it may mean labelling mistakes or that important information is missing.",
        "Check a few of these pairs; if the labels are right, ask which information would tell them apart.",
    ),
    "data.train_test_overlap:file": (
        "{count} held-out rows also appear in the training data",
        "{share} of the rows in {split} are identical to training rows. The model has seen them, so its "
        "held-out results look better than they will be in production.",
        "Remove the repeated rows from the held-out data and assess again.",
    ),
    "data.train_test_overlap:split": (
        "{count} held-out rows repeat training rows",
        "Because the data contains repeated rows, {share} of the rows set aside for testing also appear in the "
        "training rows. Results on new data will be worse than they look here.",
        "Remove repeated rows from the data (or give a separate held-out file) and assess again.",
    ),
    "data.small_sample": (
        "Few rows to learn from",
        "There are {rows} training rows for {features} input columns{class_part}. "
        "With so little data, results can change a lot with a different sample.",
        "Collect more rows, or use fewer input columns.",
    ),
    "data.drift": (
        "The new data differs from the training data in {n_columns}",
        "In the recent data, {described}. A model is only reliable for data like the data it learned from.",
        "Ask whether the change is real (new customers, new products) or a change in how data is recorded; "
        "retrain on recent data if it is real.",
    ),
    "model.overfitting": (
        "Much better on training data than on new data",
        "The model scores {train} ({metric}) on the rows it learned from, but {test} on rows it never saw "
        "({split}). {extra}It has partly memorised its training data, so expect results closer to {test} in production.",
        "Ask for a simpler or more regularised model, or more data; judge it only on held-out results.",
    ),
    "model.no_better_than_baseline": (
        "Barely better than a trivial guess",
        "The model scores {test} ({metric}); {guess} scores {baseline}. "
        "It closes only {lift} of the gap between that guess and a perfect model.",
        "Check that the inputs really relate to the outcome; without better data the model has little value.",
    ),
    "model.no_better_than_baseline:simple": (
        "A much simpler model does as well",
        "A simple linear model, trained on the same rows, scores {simple} against the model's {test} ({metric}). "
        "The more complex model ({kind}) adds little, but costs more to run and is harder to explain.",
        "Ask whether the simpler model would do; it is easier to explain, check and maintain.",
    ),
    "model.no_better_than_baseline:simple_better": (
        "A much simpler model does better",
        "A simple linear model, trained on the same rows, scores {simple} against the model's {test} ({metric}). "
        "The more complex model ({kind}) is worse, costs more to run and is harder to explain.",
        "Ask why the complex model was chosen; consider the simpler one.",
    ),
    "model.unreadable": (
        "The model file could not be used with this data",
        "The model '{name}' could not be used: {problem}. The other results describe mlready's own "
        "reference model instead.",
        "Ask your team for the model that was trained on exactly these columns and outcomes.",
    ),
    "model.unreadable:no_probabilities": (
        "The model gives no probabilities",
        "'{name}' only gives an answer; it does not say how sure it is. So its ranking quality and whether its "
        "confidence can be trusted cannot be checked; plain accuracy is used instead.",
        "Ask for a model that also gives the chance of each outcome, or accept a less complete check.",
    ),
    "model.unstable": (
        "Results change a lot with the sample",
        "Depending on which rows it learns from and is tested on, the model scores between {low} and {high} "
        "({metric}). Any single number you were shown could be off by that much.",
        "Ask for more data or a simpler model; report the range, not one number.",
    ),
    "model.more_data_would_help": (
        "More data would likely improve the model",
        "Trained on {small} rows the model scored {before}; on {large} rows, {after} ({metric}), and it is still "
        "rising. With about {doubled} rows it would likely reach about {expected}.",
        "Collect more labelled examples before investing in a more complex model.",
    ),
    "model.poorly_calibrated": (
        "The model's confidence cannot be taken at face value",
        "When the model gives {about} a chance of {said}, {outcome} {right} of the time. On average its "
        "stated chances are off by {ece} percentage points. Decisions that use the chance itself (pricing, limits, triage) "
        "will be off too.",
        "Ask for the model to be calibrated on held-out data, or use its ranking rather than its stated chances.",
    ),
    "model.weak_segment": (
        "The model is much weaker for some groups of cases",
        "{described}. These groups were found among many tried and still stand out after allowing for chance.",
        "Look at these cases with the business: collect more examples of them, add information that describes "
        "them, or route them to a person.",
    ),
    "scale.slow_prediction": (
        "Single predictions are slow",
        "One prediction takes {p95} ms in the slowest 5% of cases (typical: {p50} ms); the target is {target} ms.",
        "Ask for a lighter model or faster serving, or agree on a slower target with the business.",
    ),
    "scale.low_throughput": (
        "Not enough capacity for the expected volume",
        "One processor core handles about {per_day} predictions a day; the business expects {daily}. "
        "Peaks need at least {headroom} times headroom.",
        "Plan more machines or a faster model before launch.",
    ),
    "scale.large_model": (
        "The model file is very large ({size_mb} MB)",
        "Large models are slow to load, costly to host and hard to update.",
        "Ask whether a smaller model does as well.",
    ),
    "scale.high_memory": (
        "Predicting uses a lot of memory ({memory_mb} MB)",
        "Predicting {rows} rows needed {memory_mb} MB at its peak. Memory costs money and limits how many "
        "copies can run side by side.",
        "Predict in smaller batches or ask for a lighter model.",
    ),
    "scale.training_cost_growth": (
        "Training time grows faster than the data",
        "Training on {small} rows took {small_seconds} s and on {large} rows {large_seconds} s: time grows "
        "roughly with the data to the power {exponent}. With ten times the data, training would take about "
        "{tenfold} times as long.",
        "Plan retraining time and cost for the data volumes you expect, or ask for a model that scales better.",
    ),
    "explain.opaque_model": (
        "The model type is hard to explain",
        "The model is {kind_words}. Its individual decisions cannot be read off directly; the explanations "
        "here are estimates computed from its behaviour.",
        "If decisions must be justified to customers or regulators, check that these estimates are accepted, "
        "or ask whether a simpler model does nearly as well.",
    ),
    "explain.dominant_feature": (
        "One column drives most decisions: {columns}",
        "{columns} accounts for {share} of the model's reasoning. If that column is wrong, missing or "
        "changes meaning, almost every decision changes with it.",
        "Check that this column is reliable and available at decision time, and that relying on it is acceptable.",
    ),
    "explain.unstable_explanations": (
        "The explanations change with the sample",
        "Explained on different samples of cases, the ranking of what matters most changes a lot (agreement "
        "{agreement} on a scale where 1 is identical). The top reasons shown may not hold in general.",
        "Treat the ranking as rough; explain on more cases before relying on it.",
    ),
    "explain.proxy_feature": (
        "{columns} stands in for '{sensitive}'",
        "{columns} is among the columns that drive the model most, and it predicts '{sensitive}' well on its "
        "own (score {score}; {scale}). The model can treat groups differently through it, even though "
        "'{sensitive}' itself may not be used.",
        "Get a fairness review of {columns}: is it needed, and does it disadvantage a group?",
    ),
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
    "check_failed": (
        "A check could not run: {check}",
        "The check '{check}' stopped with an error, so this part was not verified. (Technical detail: {error}.)",
        "Report this to the mlready maintainers with the data's shape; the other results still stand.",
    ),
}


def finding(code: str, pillar: str, severity: Severity | str, columns: Iterable[str] = (),
            evidence: Mapping[str, float] | None = None, variant: str | None = None, **facts: Any) -> Finding:
    """Build a Finding whose title, message and action come from this module's templates."""
    columns = tuple(str(c) for c in columns)
    key = f"{code}:{variant}" if variant else code
    if code.endswith(".check_failed"):
        key = "check_failed"
    title, message, action = TEMPLATES[key]
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


def direction_sentence(column: str, direction: str, task: str, positive: Any, category: str | None = None,
                       target: str = "the outcome") -> str:
    """How one input column moves the prediction, in words."""
    outcome = f"predictions towards '{positive}'" if positive is not None else f"the predicted {readable(target)} up"
    opposite = f"predictions away from '{positive}'" if positive is not None else f"the predicted {readable(target)} down"
    if category is not None:
        subject = f"Having '{readable(column)}' = '{category}'"
        verb = "pushes"
    else:
        subject = f"Higher '{readable(column)}'"
        verb = "pushes"
    if direction == "raises":
        return f"{subject} {verb} {outcome}."
    if direction == "lowers":
        return f"{subject} {verb} {opposite}."
    return f"'{readable(column)}' matters, but its effect goes both ways depending on the case."


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
        test = next((k for k in m if k.startswith("test_")), None)
        if test:
            label = test.removeprefix("test_").replace("_", " ").replace("roc auc", "ROC AUC").replace("r2", "R²")
            return (f"On held-out data the model scores {num(m[test])} {label} "
                    f"(training: {num(m['train_' + test.removeprefix('test_')])})")
    if pillar == "scalability" and "latency_ms_p50" in m:
        size = f"; the saved model is {num(m['model_bytes'] / 2**20, 1)} MB" if "model_bytes" in m else ""
        return f"One prediction takes about {num(m['latency_ms_p50'], 1)} ms{size}"
    if pillar == "interpretability" and d.get("global"):
        top = d["global"][0]
        return f"The most influential column is '{top['feature']}' ({pct(top['share'])} of the model's reasoning)"
    if pillar == "fairness" and "groups" in d:
        return f"{plural(len(d['groups']), 'sensitive column')} compared across groups"
    return None


def case_sentence(column: str, value: Any, contribution: float, positive: Any, target: str, signed: bool) -> str:
    """Why one case got its prediction, one column at a time."""
    shown = "missing" if value is None or value != value else value
    if not signed:
        return f"'{readable(column)}' = '{shown}' weighed strongly in this decision."
    towards = (f"towards '{positive}'" if positive is not None else f"the predicted {readable(target)} up")
    away = (f"away from '{positive}'" if positive is not None else f"the predicted {readable(target)} down")
    return f"'{readable(column)}' = '{shown}' pushed this case {towards if contribution > 0 else away}."


def case_prediction(outcome: Any, positive: Any, target: str) -> str:
    """What the model says about one case: a chance, a predicted value, or (several classes) an answer."""
    if isinstance(outcome, str):
        return f"The model predicts '{outcome}' for this case."
    if positive is not None:
        return f"The model gives this case a {outcome:.0%} chance of '{positive}'."
    return f"The model predicts {num(outcome)} for '{readable(target)}'."


METRIC_MEANING = {
    "roc_auc": "ROC AUC, how well the model ranks the cases of interest above the others (0.5 is guessing, 1 is perfect).",
    "balanced_accuracy": "balanced accuracy, the share right averaged over the outcomes, so rare outcomes count as much.",
    "r2": "R², the share of the variation in the target the model explains (0 is no better than the average, 1 is perfect).",
}


def metric_value(name: str, value: float) -> str:
    """A metric value for a sentence: a percentage for accuracy-like metrics, else a number."""
    return pct(value) if name == "balanced_accuracy" else num(value)


def metric_meaning(name: str) -> str:
    """What the headline metric measures, in a sentence."""
    return METRIC_MEANING[name]


def average_error(target: str, train_mae: float, test_mae: float) -> str:
    """Regression error in words."""
    return (f"On average its predictions of '{readable(target)}' are off by {num(test_mae)} on new rows, "
            f"against {num(train_mae)} on the rows it learned from. ")


def confusion_in_words(positive: Any, negative: Any, recall: float, false_alarm: float) -> str:
    """The confusion matrix at the model's threshold, per 100 cases."""
    caught = round(recall * 100)
    flagged = round(false_alarm * 100)
    return (f"Out of 100 '{positive}' cases, the model catches {caught} and misses {100 - caught}; "
            f"it wrongly flags {flagged} of 100 '{negative}' ones.")


def spread_in_words(low: str, high: str, metric: str) -> str:
    """The spread of a score across samples."""
    return (f"Copies of the model retrained on different parts of the training data score between {low} and {high} "
            f"({metric}): a guide to how much any single score can move.")


def segment_name(key) -> str:
    """A slice as words: 'purpose' is 'education' and 'age' is 19 to 25."""
    return " and ".join(f"'{readable(column)}' is '{value}'" for column, value in key)


def segment_sentence(name: str, rows: int, error: float, overall: float, kind: str) -> str:
    """One weak slice against the whole."""
    if kind == "mae":
        return f"when {name} ({rows} cases), predictions are off by {num(error)} on average, against {num(overall)} overall"
    return f"when {name} ({rows} cases), it is right {pct(1 - error)} of the time, against {pct(1 - overall)} overall"


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


def model_words(kind: str) -> str:
    """A model type in words, with its technical name: 'gradient-boosted trees (HistGradientBoostingClassifier)'."""
    inner = kind.removeprefix("Pipeline(").removesuffix(")")
    words = next((w for key, w in MODEL_WORDS.items() if inner.startswith(key)), None)
    return f"{words} ({inner})" if words else inner


def numeric_shift(column: str, before: float, after: float) -> str:
    """How a number column moved between the training data and the new data."""
    if not before:
        return f"'{readable(column)}' is spread differently in the new data"
    change = (after - before) / abs(before)
    return (f"'{readable(column)}' is {pct(abs(change))} {'higher' if change > 0 else 'lower'} in the new data "
            f"(typical value {num(after)} against {num(before)})")


def category_shift(column: str, label: str, before: float, after: float) -> str:
    """How the share of one label moved between the training data and the new data."""
    return f"'{readable(column)}' = '{label}' makes up {pct(after)} of new rows against {pct(before)} before"


def missing_changes_rate(column: str, positive: Any, ratio: float) -> str:
    """How the outcome rate differs when a value is missing (ratio: rate when missing / rate when present)."""
    if ratio >= 1:
        return f"when '{column}' is missing, '{positive}' is {num(ratio, 1)} times as likely"
    return f"when '{column}' is missing, '{positive}' is only {pct(ratio)} as likely as when it is filled"


def missing_changes_mean(column: str, target: str, when_missing: float, when_present: float) -> str:
    """How the average target differs when a value is missing."""
    if not when_present:
        return f"when '{column}' is missing, '{readable(target)}' averages {num(when_missing)} against {num(when_present)}"
    change = (when_missing - when_present) / abs(when_present)
    return (f"when '{column}' is missing, '{readable(target)}' is {pct(abs(change))} "
            f"{'higher' if change > 0 else 'lower'} on average")


# How each check worked, for the "How this was checked" sections of the app and the PDF.
NOTES = {
    "profile": "Data profile by fg-data-profiling ({mode} mode) on {rows}; its alerts: {alerts}{covered}.",
    "leakage": "Target leakage: each column alone, a small decision tree trained on {rows} and scored on the "
               "held-out rows.",
    "drift_skipped": "Drift: not checked, because no recent production data was given.",
    "drift": "Drift: {rows} new rows against the training data; per column, the population stability index and a "
             "Kolmogorov-Smirnov or chi-squared test, Bonferroni-corrected for {columns} columns.",
    "held_out": "Held-out rows: {split} ({rows} rows). Main measure: {meaning}",
    "comparisons": "Comparisons: always guessing the most common answer (or the average), and a simple linear model "
                   "(logistic or ridge regression) trained on the same rows.",
    "cross_validation": "{folds}-fold cross-validation of a fresh copy of the model on {rows} of the training data.",
    "bootstrap": "The model could not be retrained here, so its held-out score was recomputed on {rounds} random "
                 "resamples of the held-out rows.",
    "learning_no_refit": "Learning curve: not drawn, because the model could not be retrained here.",
    "learning_too_small": "Learning curve: not drawn, too few rows for several training sizes.",
    "learning": "Learning curve: copies of the model trained on {sizes} rows and scored on the held-out rows.",
    "calibration_skipped": "Calibration: not checked, because the model gives no probabilities.",
    "calibration": "Calibration: held-out rows in {groups} equal-sized groups by predicted chance of {about}; the "
                   "expected calibration error is the average gap between predicted and observed rates.",
    "segments": "Weak segments: {tried} slices of the held-out rows tried (each label value, number quarters, and "
                "pairs of the weakest), at least {min_rows} rows each, Bonferroni-corrected.",
    "latency": "Latency: {rounds} rounds of {repeats} single-row predictions, one at a time, after a warm-up; the "
               "calmest round counts.",
    "throughput": "Throughput: one batch of {rows} rows on one process.",
    "memory": "Memory: peak Python allocations while predicting {rows} rows.",
    "training_no_refit": "Training cost: not measured, because the model could not be retrained here.",
    "training": "Training cost: copies of the model retrained on {sizes} rows took {seconds} s.",
    "explanations": "Explanations: {method} on {rows} held-out rows.",
    "explanation_stability_skipped": "Stability of explanations: not checked, because the model could not be "
                                     "retrained here.",
    "explanation_stability": "Stability of explanations: {resamples} copies retrained on resamples of the training "
                             "rows; rank agreement of the top {top} columns with the model's own ranking.",
    "proxies": "Stand-ins: each of the {count} most influential columns alone, a small decision tree predicting "
               "each sensitive attribute (cross-validated).",
    "fairness": "Fairness: groups compared on {rows} held-out rows; groups under {min_rows} rows are too small to judge.",
}


def note(key: str, **facts: Any) -> str:
    """How a check worked, in a sentence."""
    return NOTES[key].format(**facts)


def readable_time(iso: str) -> str:
    """'2026-11-28T21:49:26+00:00' -> '28 November 2026, 21:49 UTC'."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(iso).astimezone(timezone.utc)
    except ValueError:
        return iso
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"
