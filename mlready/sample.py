"""The built-in sample: the UCI German credit data and a model trained on it (see assets/README.md)."""
from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SAMPLE_DATA = ASSETS / "german_credit.csv"
SAMPLE_MODEL = ASSETS / "german_credit_model.skops"
SAMPLE_OPTIONS = {
    "target": "creditability",
    "positive_class": "bad",
    "sensitive": ("personal_status_and_sex", "age_in_years"),
}
