"""Words a business reader meets: readable sentences, no jargon outside the method notes, a glossary for the terms
the notes keep, numbers written for people, sensitive-column suggestions and values read as text.

Measured on three real tables: the sample (German credit, 1,000 loan applicants, with its own model), scikit-learn's
breast cancer table (569 tumours, 30 measurements) and the Palmer penguins (344 birds, body mass predicted).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from palmerpenguins import load_penguins

import mlready
from mlready import narrative
from mlready.narrative import numbers
from mlready.narrative.evidence import LABELS, labelled_evidence
from mlready.suggest import suggest_sensitive

from conftest import FAST
from readability import JARGON, jargon_in, reading_ease, sentences

ROOT = Path(__file__).resolve().parents[1]
MIN_EASE = 50           # Flesch reading ease: 50-60 is "fairly difficult", the floor for a business reader
MIN_SHARE_EASY = 0.95   # of all generated sentences


# ----- the three assessments, made once ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def assessments(sample_assessment, breast_cancer):
    """The sample (its own model), breast cancer (mlready's reference model, two outcomes) and penguins
    (reference model, a number to predict, 'sex' named as sensitive), with quick settings."""
    penguins = load_penguins()
    return {
        "german credit": sample_assessment,
        "breast cancer": mlready.assess(breast_cancer, target="diagnosis", settings=FAST),
        "penguins": mlready.assess(penguins, target="body_mass_g", sensitive=("sex",), settings=FAST),
    }


def generated_texts(assessment) -> list[tuple[str, str, str]]:
    """(kind, where, text) for every text mlready writes for a leader: finding titles, messages and actions,
    pillar summaries and sentences, the verdict sentence, the first actions ('what to fix first')."""
    texts = []
    for f in assessment.findings:
        texts += [("title", f.code, f.title), ("message", f.code, f.message), ("action", f.code, f.action)]
    for pillar, result in assessment.pillars.items():
        texts.append(("summary", pillar, assessment.pillar_summary(pillar)))
        texts += [("sentence", pillar, s) for s in narrative.pillar_sentences(result)]
    texts.append(("verdict", assessment.verdict, assessment.verdict_sentence))
    for f in assessment.top_actions():
        texts += [("fix first", f.code, f.title), ("fix first", f.code, f.action)]
    texts.append(("scoring rule", "", narrative.SCORING_RULE))
    return texts


def notes_of(assessment) -> list[str]:
    return [note for result in assessment.pillars.values() for note in result.notes]


def test_every_title_and_action_reads_easily(assessments):
    hard = [(name, where, round(reading_ease(s)), s)
            for name, a in assessments.items() for kind, where, text in generated_texts(a)
            if kind in ("title", "action", "fix first") for s in sentences(text) if reading_ease(s) < MIN_EASE]
    assert not hard, hard


def test_nearly_every_generated_sentence_reads_easily(assessments):
    scored = [(reading_ease(s), s) for a in assessments.values() for _, _, text in generated_texts(a)
              for s in sentences(text)]
    easy = sum(ease >= MIN_EASE for ease, _ in scored)
    assert len(scored) > 100  # the three tables give enough sentences to judge
    assert easy / len(scored) >= MIN_SHARE_EASY, sorted(scored)[:10]


def test_no_jargon_where_a_leader_reads(assessments):
    found = [(name, where, jargon_in(text), text) for name, a in assessments.items()
             for _, where, text in generated_texts(a) if jargon_in(text)]
    labels = [(name, label) for a in assessments.values() for f in a.findings
              for name, (label, _) in [(k, (l, v)) for k, (l, v) in zip(f.evidence, labelled_evidence(f))]
              if jargon_in(label)]
    assert not found, found
    assert not labels, labels


def test_no_template_or_evidence_label_carries_jargon():
    """Every finding text mlready can write, not only those the three tables raise (placeholders removed)."""
    found = []
    for code, texts in narrative.TEMPLATES.items():
        for text in texts:
            plain = re.sub(r"\{[a-z_]+\}", "x", text)
            if jargon_in(plain):
                found.append((code, jargon_in(plain), plain))
    found += [(key, jargon_in(label), label) for key, (label, _) in LABELS.items() if jargon_in(label)]
    found += [(verdict, jargon_in(text), text) for verdict, text in
              {**narrative.VERDICT_SENTENCE, **narrative.REFERENCE_VERDICT_SENTENCE}.items() if jargon_in(text)]
    assert not found, found


def test_jargon_counter_catches_what_it_should():
    """The checks above mean nothing if the counter misses the words it is meant to find."""
    assert jargon_in("The model scores 0.82 ROC AUC") == ["AUC", "ROC"]
    assert jargon_in("this gap has p = 0.08") == ["p ="]
    assert "SHAP" in jargon_in("SHAP values say") and "seed" in jargon_in("set aside with seed 0")
    assert not jargon_in("shown one 'bad' case and one 'good' case, the model ranks them right 82 times out of 100")


# ----- the glossary -----------------------------------------------------------------------------------------------
def test_glossary_keeps_its_name_and_shape():
    assert isinstance(narrative.GLOSSARY, tuple) and len(narrative.GLOSSARY) >= 30
    assert all(isinstance(t, str) and isinstance(d, str) and t and len(d) > 20 for t, d in narrative.GLOSSARY)
    terms = [t.lower() for t, _ in narrative.GLOSSARY]
    assert terms == sorted(terms) and len(set(terms)) == len(terms)


def _defined(term: str) -> bool:
    pattern = r"(?<![A-Za-z0-9])" + re.escape(term.strip().lower()) + r"(?![A-Za-z0-9])"
    return any(re.search(pattern, name.lower()) for name, _ in narrative.GLOSSARY)


def test_every_exact_term_in_the_method_notes_is_in_the_glossary(assessments):
    notes = [n for a in assessments.values() for n in notes_of(a)] + list(narrative.NOTES.values())
    used = {term for note in notes for term in jargon_in(note)}
    assert {"SHAP", "quantile", "cross-validation", "seed", "Bonferroni"} <= used  # the notes keep exact terms
    assert not [t for t in used if not _defined(t)]
    assert not _defined("flux capacitor")  # the lookup does not accept everything
    # exact terms the notes use that are plain English words, but with a precise meaning a reader may look up
    exact = ("population stability index", "partial dependence", "percentile", "expected calibration error",
             "TreeExplainer", "standard deviation", "four-fifths rule", "equal opportunity", "equalized odds",
             "Kolmogorov-Smirnov", "Fisher's exact test", "chi-squared", "fold", "out of fold", "latency",
             "throughput", "calibration")
    text = " ".join(notes).lower()
    assert not [t for t in exact if t.lower() in text and not _defined(t)]


# ----- numbers and the main score in words -----------------------------------------------------------------------
def test_the_main_score_is_said_in_what_it_means():
    data = {"outcome_names": ["bad", "good"], "target": "wages"}
    assert narrative.score_phrase("roc_auc", 0.82, data) == (
        "shown one 'bad' case and one 'good' case, the model ranks them right 82 times out of 100")
    assert narrative.score_phrase("r2", 0.32, data) == "the model explains 32% of the differences in 'wages'"
    assert "worse than always predicting the average" in narrative.score_phrase("r2", -0.2, data)
    assert narrative.metric_value("roc_auc", 0.995) == "99.5" and narrative.metric_value("roc_auc", 0.5) == "50"


def test_a_gap_that_could_be_chance_says_so_in_words():
    from mlready.narrative.fairness import chance_sentence, could_be_chance

    text = could_be_chance(0.08)
    assert "could be chance" in text and "about 8 times in 100" in text and not jargon_in(text)
    assert could_be_chance(0.01) == ""
    assert chance_sentence(0.004, 3) == ""  # strong evidence needs no caution
    moderate = chance_sentence(0.03, 3)
    assert "about 3 times in 100" in moderate and "3 comparisons" in moderate and not jargon_in(moderate)


def test_headline_of_the_sample_speaks_of_its_own_outcomes(sample_assessment):
    summary = sample_assessment.pillar_summary("generalization")
    assert re.search(r"shown one 'bad' case and one 'good' case, the model ranks them right \d+ times out of 100",
                     summary), summary
    metric = sample_assessment.pillars["generalization"].metrics["test_roc_auc"]
    assert f"right {round(metric * 100)} times" in summary  # the number is the held-out score, not the training one


def test_regression_headline_says_how_much_it_explains(assessments):
    summary = assessments["penguins"].pillar_summary("generalization")
    r2 = assessments["penguins"].pillars["generalization"].metrics["test_r2"]
    assert f"the model explains {numbers.percent(r2)} of the differences in 'body_mass_g'" in summary


def test_numbers_are_written_for_people():
    assert narrative.num(31.762791287428378, 0) == "32" and narrative.num(31.762791287428378) == "31.8"
    assert narrative.num(-0.0001, 2) == "0" and narrative.pct(-0.00001) == "0%" and narrative.pct(0.73) == "73%"
    assert numbers.count(12345) == "12,345" and numbers.duration(0.0153) == "15 ms"


def test_profile_table_has_no_none_for_a_number_column():
    from ui.components import NO_VALUE, profile_rows

    frame = pd.DataFrame({"children": [0, 1, 2, 2, 3], "city": list("abcab")})
    profiled = [  # 'children' profiled as labels (few values), so the profiler gave no median
        {"column": "children", "type": "Categorical", "missing_share": 0.0, "distinct": 4, "min": None,
         "median": None, "max": None},
        {"column": "city", "type": "Text", "missing_share": 0.2, "distinct": 3, "min": None, "median": None,
         "max": None},
    ]
    rows = profile_rows(profiled, {"children": "number", "city": "category"}, frame)
    assert (rows[0]["min"], rows[0]["median"], rows[0]["max"]) == ("0", "2", "3")
    assert rows[1]["median"] == NO_VALUE and rows[1]["missing"] == "20%"
    assert "None" not in str(rows)


# ----- evidence labels ---------------------------------------------------------------------------------------------
def _evidence_keys_in_checks() -> set[str]:
    """Keys of the dicts the checks pass as a finding's evidence (read from their source)."""
    keys = set()
    for path in (ROOT / "mlready" / "checks").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def take(node):
            if isinstance(node, ast.Dict):
                keys.update(k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str))

        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and "evidence" in t.id
                                                    for t in node.targets):
                take(node.value)
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name.endswith("finding"):  # narrative.finding and the checks' own wrappers of it
                    for arg in node.args:
                        take(arg)
                take(next((kw.value for kw in node.keywords if kw.arg == "evidence"), None))
    return keys


def test_every_evidence_key_has_a_plain_label(assessments):
    emitted = {key for a in assessments.values() for f in a.findings for key in f.evidence}
    assert emitted and not emitted - set(LABELS), sorted(emitted - set(LABELS))
    written = _evidence_keys_in_checks()
    assert len(written) > 80 and not written - set(LABELS), sorted(written - set(LABELS))


def test_evidence_reads_as_labelled_rounded_values(sample_assessment):
    rows = [row for f in sample_assessment.findings for row in labelled_evidence(f)]
    assert rows and all("_" not in label for label, _ in rows)
    assert not [value for _, value in rows if re.search(r"\d\.\d{4,}", value)]


# ----- sensitive columns and values as text ------------------------------------------------------------------------
SENSITIVE = ["sex", "Gender", "female", "is_male", "SeniorCitizen", "senior", "married", "marital_status",
             "MaritalStatus", "disability", "disabled", "pregnancy", "pregnant", "religion", "age", "age_years",
             "AgeBand", "ageband", "age_group", "dob", "date_of_birth", "DateOfBirth", "birth_year", "ethnicity",
             "race", "nationality", "personal_status_and_sex", "age_in_years"]
NOT_SENSITIVE = ["page", "usage", "stage", "mileage", "damage", "percentage", "average", "storage", "mortgage",
                 "manager", "wage", "message", "language", "seniority", "agent", "amount", "income", "duration"]


def test_sensitive_columns_are_suggested_by_name():
    assert suggest_sensitive(SENSITIVE) == SENSITIVE
    assert suggest_sensitive(NOT_SENSITIVE) == []


def test_values_read_as_text():
    from mlready.narrative.data_quality import category_shift, unseen_values

    assert narrative.is_value("duration", 30) == "'duration' is 30"
    assert narrative.is_value("duration", "30") == "'duration' is 30"
    assert narrative.is_value("purpose", "car") == "'purpose' is 'car'"
    assert narrative.is_value("credit_amount", np.int64(12500)) == "'credit_amount' is 12,500"
    assert narrative.is_value("income", float("nan")) == "'income' is empty"
    assert category_shift("purpose", "car", 0.1, 0.3) == "'purpose' is 'car' in 30% of new rows, against 10% before"
    assert "' = '" not in unseen_values("grade", [("Z", 30)], 200, "held-out")


# ----- the glossary in the app -------------------------------------------------------------------------------------
def test_glossary_page_lists_every_term_and_pillar_pages_link_to_it():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("views/glossary.py").run()
    assert not at.exception and at.title[0].value == "Glossary"
    shown = [m.value.replace("\\", "") for m in at.markdown]
    assert all(any(line.startswith(f"**{term}**") for line in shown) for term, _ in narrative.GLOSSARY)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    next(b for b in at.button if b.label == "Try it with sample data").click().run()
    next(b for b in at.button if b.label == "Start the checks").click().run()
    assert not at.exception and at.title[0].value == "Data quality"
    links = [link.proto for link in at.get("page_link")]
    assert any(link.label.startswith("Glossary") and link.page == "glossary" for link in links), links


def test_readme_states_the_scoring_in_the_apps_own_words():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = " ".join(line[2:] for line in readme.splitlines() if line.startswith("> "))
    assert narrative.SCORING_RULE in quoted
    assert all(reading_ease(s) >= MIN_EASE for s in sentences(narrative.SCORING_RULE))


def test_findings_leave_the_seed_and_class_names_to_the_notes():
    assert narrative.split_words("a random 20% of the training data, set aside with seed 7") == (
        "a random 20% of the training data")
    assert narrative.split_words("the held-out file 'test.csv'") == "the held-out file 'test.csv'"
    assert narrative.plain_model_words(narrative.model_words("HistGradientBoostingClassifier")) == (
        "gradient-boosted trees")
    finding = narrative.finding("model.overfitting", "generalization", "warning", train="93", test="82",
                                metric="ROC AUC", split="a random 20% of the training data, set aside with seed 0",
                                extra="")
    assert not jargon_in(finding.message) and "seed" not in finding.message
    assert narrative.note("held_out", split="a random 20% of the training data, set aside with seed 0", rows="200",
                          meaning="").count("seed 0") == 1  # the method note keeps it
