"""Charts are drawn from a result's plain data, once, as PNG bytes the app and the PDF share."""
from __future__ import annotations

from mlready.charts import pillar_pngs, scorecard_chart, to_png
from mlready.findings import PILLARS


EXPECTED_AT_LEAST = {"data_quality": 2, "generalization": 4, "scalability": 1, "interpretability": 1, "fairness": 2,
                     "operations": 0}  # operations: answers, no chart


def test_every_pillar_has_charts_and_they_are_pngs(sample_reference_assessment):
    assessment = sample_reference_assessment
    for pillar in PILLARS:
        pngs = pillar_pngs(pillar, assessment.pillars[pillar].data)
        assert len(pngs) >= EXPECTED_AT_LEAST[pillar], pillar
        assert all(png.startswith(b"\x89PNG") for png in pngs)
    card = to_png(scorecard_chart(assessment.pillar_scores, {p: "pass" for p in PILLARS}))
    assert card.startswith(b"\x89PNG")


def test_column_names_are_not_read_as_formulas():
    data = {"missing_share": {"price in $ (net) $x^2$": 0.4, "😀 emoji": 0.1}}
    assert pillar_pngs("data_quality", data)[0].startswith(b"\x89PNG")
