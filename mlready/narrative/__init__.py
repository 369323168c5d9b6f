"""All the words mlready says to a person: finding texts, summaries, verdicts, rules.

Checks pass facts (numbers, column names); this package turns them into short, plain sentences. Words shared by
every pillar live in `base`; each pillar's finding texts, notes and sentences live in its own module and register
their templates in `base.TEMPLATES` and `base.NOTES` when imported here.
"""
from __future__ import annotations

from .base import *  # noqa: F401,F403 - the shared words are this package's interface
from .base import NOTES, TEMPLATES  # noqa: F401
from .glossary import GLOSSARY  # noqa: F401 - (term, definition) pairs, for the app and the PDF
from .data_quality import category_shift, missing_changes_mean, missing_changes_rate, numeric_shift  # noqa: F401
from .fairness import could_be_chance  # noqa: F401
from .generalization import (  # noqa: F401
    average_error, confusion_in_words, segment_name, segment_sentence, spread_in_words,
)
from .interpretability import SINGLE_CASE_NOTE, case_prediction, case_sentence, direction_sentence  # noqa: F401
from . import inputs, scalability  # noqa: F401 - registers the texts on reading inputs, and on scalability
from . import operations, robustness  # noqa: F401 - registers the operations and robustness texts
