"""The deployment-practice questions of the `operations` pillar: their ids, what a 'no' costs, and reading answers.

Answers are `{"<question id>": "yes" | "no" | "unsure"}` (JSON or YAML for `--practices FILE`, a mapping for the
Python API's `practices=`). YAML's own yes/no (read as true/false) and 'not sure' are accepted too. Every mistake is
an `InputError` with one sentence naming the file, the question id or the answer.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError
from .findings import Severity
from .narrative.operations import ANSWER_WORDS, QUESTIONS

ANSWERS = ("yes", "no", "unsure")
_SYNONYMS = {"yes": "yes", "y": "yes", "true": "yes", "no": "no", "n": "no", "false": "no", "unsure": "unsure",
             "not sure": "unsure", "not_sure": "unsure", "unknown": "unsure", "don't know": "unsure"}


@dataclass(frozen=True)
class Practice:
    """One question: its id, the finding code a gap raises, and how serious a 'no' is.

    `people_critical`: a 'no' is critical when the model decides about people (sensitive columns named), a warning
    otherwise. 'not sure' counts as a gap one step less serious than 'no' when 'no' would be critical (never invent a
    critical from a missing answer), and as serious as 'no' otherwise: a practice nobody can confirm is not in place.
    """

    id: str
    code: str
    no: Severity
    people_critical: bool = False

    @property
    def question(self) -> str:
        return QUESTIONS[self.id]


PRACTICES: tuple[Practice, ...] = (
    Practice("reproducible_training", "ops.training_not_reproducible", Severity.WARNING),
    Practice("versioning", "ops.no_versioning", Severity.WARNING),
    Practice("serving_plan", "ops.no_serving_plan", Severity.WARNING),
    Practice("load_test", "ops.no_load_test", Severity.WARNING),
    Practice("monitoring", "ops.no_monitoring", Severity.WARNING, people_critical=True),
    Practice("rollback", "ops.no_rollback", Severity.WARNING, people_critical=True),
    Practice("owner", "ops.no_owner", Severity.WARNING),
    # answered 'no' only when the model does decide about people (the question says to answer yes otherwise)
    Practice("human_oversight", "ops.no_human_oversight", Severity.CRITICAL),
    Practice("documentation", "ops.undocumented", Severity.WARNING),
)
QUESTION_IDS: tuple[str, ...] = tuple(p.id for p in PRACTICES)


def severity(practice: Practice, answer: str | None, about_people: bool) -> Severity | None:
    """How serious this answer is (None for 'yes'); an unanswered question counts as 'not sure'."""
    if answer == "yes":
        return None
    serious = Severity.CRITICAL if practice.people_critical and about_people else practice.no
    if answer == "no":
        return serious
    return Severity.WARNING if serious is Severity.CRITICAL else serious


def answer_words(answer: str | None) -> str:
    """'yes', 'no', 'not sure' or 'not answered'."""
    return ANSWER_WORDS[answer]


def parse_answers(answers: Mapping[str, Any], source: str = "the practices answers") -> dict[str, str]:
    """Check and normalise answers: {question id: 'yes' | 'no' | 'unsure'}, in question order.

    Raises InputError naming `source` and the wrong id or answer.
    """
    if not isinstance(answers, Mapping):
        raise InputError(f"{_capital(source)} must map each question id to yes, no or unsure; "
                         "run 'mlready practices' for the ids.")
    if not answers:
        raise InputError(f"{_capital(source)} answers no question; run 'mlready practices' for the ids.")
    clean = {}
    for key, value in answers.items():
        question = str(key).strip()
        if question not in QUESTION_IDS:
            close = difflib.get_close_matches(question, QUESTION_IDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InputError(f"{_capital(source)} has an unknown question id '{question}'{hint}; "
                             "run 'mlready practices' for the ids.")
        answer = _SYNONYMS.get(str(value).strip().lower()) if value is not None else None
        if answer is None:
            raise InputError(f"{_capital(source)} answers '{question}' with '{value}'; answer yes, no or unsure.")
        clean[question] = answer
    return {q: clean[q] for q in QUESTION_IDS if q in clean}


def load_answers(path: str | Path) -> dict[str, str]:
    """Read answers from a JSON or YAML file (InputError naming the file when it is missing or wrong)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"The practices file '{path}' does not exist; check the path.")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".json":
        try:
            answers = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"The practices file '{path.name}' is not valid JSON (line {error.lineno}); "
                             "fix it or write it as YAML.") from None
    else:
        import yaml

        try:
            answers = yaml.safe_load(text)
        except yaml.YAMLError:
            raise InputError(f"The practices file '{path.name}' is neither valid JSON nor valid YAML; "
                             "write one 'question_id: yes | no | unsure' per line.") from None
    return parse_answers(answers if answers is not None else {}, f"the practices file '{path.name}'")


def listing() -> str:
    """The question ids and their questions, one per line, for `mlready practices`."""
    width = max(len(q) for q in QUESTION_IDS)
    lines = [f"{p.id:<{width}}  {p.question}" for p in PRACTICES]
    lines.append("")
    lines.append("Answer each with yes, no or unsure in a JSON or YAML file, e.g. 'monitoring: yes', and pass it "
                 "with 'mlready assess ... --practices FILE'.")
    return "\n".join(lines) + "\n"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
