"""Guesses that save the user clicks: the target column and the sensitive columns."""
from __future__ import annotations

import re
from typing import Iterable

TARGET_NAMES = ("target", "label", "class", "outcome", "y", "default", "churn", "creditability", "survived",
                "fraud", "response", "converted", "price", "risk", "deny", "denied", "approved", "approval",
                "defaulted", "churned", "diagnosis")
# Words of a column name that suggest a protected attribute (or a close stand-in for one). Whole words only: 'age'
# matches 'age', 'age_years' and 'AgeBand', never 'page', 'usage', 'stage' or 'mileage'.
SENSITIVE_WORDS = {"sex", "gender", "female", "male", "females", "males", "woman", "women", "man", "men",
                   "age", "ages", "aged", "dob", "birth", "birthdate", "birthday", "birthyear", "yob",
                   "race", "racial", "ethnicity", "ethnic", "religion", "religious", "faith", "nationality",
                   "citizenship", "citizen", "foreign", "immigrant", "marital", "married", "marriage", "spouse",
                   "disability", "disabled", "handicap", "pregnancy", "pregnant", "maternity", "orientation",
                   "senior", "elderly"}
# A name written as one word that starts with one of these and goes on with one of the endings: 'ageband',
# 'agegroup', 'dateofbirth', 'sexcode'.
SENSITIVE_PREFIXES = ("age", "sex", "gender", "birth", "race", "marital", "religion")
SENSITIVE_ENDINGS = ("band", "bands", "group", "groups", "years", "year", "yrs", "cat", "category", "bucket",
                     "range", "bin", "class", "code", "status", "type", "date", "day", "place")
SENSITIVE_PHRASES = ("dateofbirth", "birthdate", "yearofbirth", "placeofbirth", "countryofbirth")


def words(column: str) -> set[str]:
    """The words in a column name: 'MaritalStatus' and 'marital_status' give {'marital', 'status'}."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(column))
    return {w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w}


def suggest_target(columns: Iterable[str]) -> str:
    """The column most likely to be the outcome: a typical outcome name, else the last column."""
    names = list(columns)
    for candidate in TARGET_NAMES:
        for column in names:
            if str(column).strip().lower() == candidate:
                return column
    for column in names:
        if words(column) & {"target", "label", "outcome"}:
            return column
    return names[-1]


def target_by_name(columns: Iterable[str]) -> bool:
    """True when `suggest_target` found the outcome by its name, False when it fell back on the last column (a guess
    the page must point out)."""
    names = list(columns)
    guess = suggest_target(names)
    return guess != names[-1] or str(guess).strip().lower() in TARGET_NAMES or bool(
        words(guess) & {"target", "label", "outcome"})


def suggest_sensitive(columns: Iterable[str]) -> list[str]:
    """Columns whose names suggest a protected attribute (sex, age, race, religion, nationality, marital status,
    disability, pregnancy, …): a whole word of the name, or a one-word name such as 'ageband' or 'dateofbirth'."""
    return [c for c in columns if is_sensitive_name(c)]


def is_sensitive_name(column: str) -> bool:
    """True when a column's name suggests a protected attribute (see `suggest_sensitive`)."""
    found = words(column)
    if found & SENSITIVE_WORDS:
        return True
    for word in found:
        if any(phrase in word for phrase in SENSITIVE_PHRASES):
            return True
        for prefix in SENSITIVE_PREFIXES:
            if word.startswith(prefix) and word[len(prefix):] in SENSITIVE_ENDINGS:
                return True
    return False


def default_positive_class(target):
    """For a two-class target, the outcome of interest by default: the rarer one (on a tie, the last by name)."""
    counts = target.dropna().value_counts()
    if counts.iloc[0] != counts.iloc[-1]:
        return counts.index[-1]
    return sorted(counts.index, key=str)[-1]


# Words that say an outcome is adverse for the person it is about, or favourable (a decision's wording).
ADVERSE_WORDS = {"bad", "default", "defaulted", "defaults", "defaulter", "fraud", "fraudulent", "churn", "churned",
                 "churner", "attrition", "reject", "rejected", "rejection", "refuse", "refused", "refusal", "deny",
                 "denied", "denial", "decline", "declined", "fail", "failed", "failure", "delinquent", "delinquency",
                 "arrest", "arrested", "recidivism", "recidivist", "reoffend", "reoffended", "overdue", "writeoff",
                 "chargeoff", "dismissed", "fired", "terminated", "bankrupt", "bankruptcy"}
FAVOURABLE_WORDS = {"good", "approve", "approved", "approval", "accept", "accepted", "acceptance", "grant", "granted",
                    "hire", "hired", "admit", "admitted", "pass", "passed", "paid", "repaid", "survive", "survived",
                    "released", "success", "successful", "eligible", "promoted", "creditworthy", "offer", "offered"}
NEGATIONS = {"not", "non", "no", "never"}
YES_LABELS = {"yes", "y", "true", "t", "1", "1.0"}
NO_LABELS = {"no", "n", "false", "f", "0", "0.0"}


def outcome_meaning(text) -> int:
    """+1 when a name says favourable ('approved', 'good'), -1 adverse ('bad', 'default', 'not approved'), else 0."""
    found = words(str(text))
    meaning = (1 if found & FAVOURABLE_WORDS else 0) - (1 if found & ADVERSE_WORDS else 0)
    return -meaning if found & NEGATIONS and len(found) > 1 else meaning


def default_favourable_outcome(classes, target: str):
    """For a two-class target, the favourable outcome when the names say which it is, else None.

    An outcome named as adverse (bad, default, fraud, churn, reject…) makes the other one favourable, and one named
    as favourable (good, approved, hired…) is. For yes/no outcomes (yes/no, 1/0, true/false) the target's name
    decides: 'churn' or 'default' make 'no' favourable, 'approved' or 'survived' make 'yes' favourable.
    """
    classes = list(classes)
    if len(classes) != 2:
        return None
    meanings = [outcome_meaning(c) for c in classes]
    if sorted(meanings) in ([-1, 1], [0, 1]):
        return classes[meanings.index(1)]
    if sorted(meanings) == [-1, 0]:
        return classes[meanings.index(0)]
    labels = [str(c).strip().lower() for c in classes]
    if sum(label in YES_LABELS for label in labels) == 1 and sum(label in NO_LABELS for label in labels) == 1:
        yes = next(i for i, label in enumerate(labels) if label in YES_LABELS)
        target_meaning = outcome_meaning(target)
        if target_meaning < 0:
            return classes[1 - yes]
        if target_meaning > 0:
            return classes[yes]
    return None


def favourable_outcome(classes, target: str, task: str, requested=None) -> tuple[object, str | None]:
    """(the favourable outcome, 'given' | 'guessed') or (None, None): the requested one (an InputError names the
    option when it is not an outcome of the target), else the one the names say (two classes only). An empty
    string requests none: no outcome is taken as favourable, and none is guessed."""
    from .errors import InputError

    if requested is not None and str(requested).strip() == "":
        return None, "given"
    if requested is not None:
        if task != "classification":
            raise InputError(f"A favourable outcome ('{requested}') applies only to a classification target, and "
                             f"'{target}' is assessed as regression; leave the favourable outcome out.")
        for label in classes:
            if str(label) == str(requested).strip():
                return label, "given"
        raise InputError(f"The favourable outcome '{requested}' is not a value of '{target}'; use one of: "
                         f"{', '.join(map(str, classes))}.")
    if task != "classification":
        return None, None
    guessed = default_favourable_outcome(classes, target)
    return (guessed, "guessed") if guessed is not None else (None, None)
