"""The PDF scorecard: it parses, holds the verdict and the pillars, and prints any column name."""
from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

import mlready
from mlready import narrative

from conftest import FAST


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_sample_scorecard_pdf(sample_reference_assessment):
    assessment = sample_reference_assessment
    pdf = assessment.to_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    text = _text(pdf)
    assert narrative.VERDICT_TEXT[assessment.verdict].upper() in text
    for title in ("Data quality", "Generalization", "Scalability", "Explanations", "Fairness"):
        assert title in text
    assert "How it was checked" in text and "weakest" in text
    assert f"{assessment.score} / 100" in text


def test_unicode_names_print_without_error():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"Größe (€)": rng.normal(size=300), "naïve 😀 ✓": rng.choice(["ja", "nein"], 300),
                          "Ziel→ 🦜": rng.choice(["Ø", "Å"], 300)})
    assessment = mlready.assess(frame, "Ziel→ 🦜", sensitive=["naïve 😀 ✓"], settings=FAST)
    text = _text(assessment.to_pdf())
    assert "Größe (€)" in text and "naïve 😀 ✓" in text
    assert "Ziel→ ?" in text  # a glyph the font lacks is replaced, not an error


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_poppler_reads_the_pdf(tmp_path, sample_reference_assessment):
    assessment = sample_reference_assessment
    path = tmp_path / "card.pdf"
    path.write_bytes(assessment.to_pdf())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Production-readiness scorecard" in text
