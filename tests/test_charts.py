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


def test_charts_are_drawn_once_per_data_for_the_pages_and_the_pdf(sample_reference_assessment, monkeypatch):
    """The app's pages and the PDF written later show the same PNGs, drawn once; other data is drawn anew; the
    cache of PNGs stays within its size bound."""
    from types import MappingProxyType

    from mlready import charts

    drawn = []
    real = charts.to_png
    monkeypatch.setattr(charts, "to_png", lambda fig: drawn.append(fig) or real(fig))
    monkeypatch.setattr(charts, "_png_cache", type(charts._png_cache)())  # noqa: SLF001
    data = sample_reference_assessment.pillars["generalization"].data
    first = pillar_pngs("generalization", data)
    count = len(drawn)
    assert count >= 2 and pillar_pngs("generalization", data) == first and len(drawn) == count
    changed = MappingProxyType({**data, "train_score": 0.5 if data.get("train_score") != 0.5 else 0.6})
    pillar_pngs("generalization", changed)
    assert len(drawn) > count  # other numbers: drawn again
    monkeypatch.setattr(charts, "PNG_CACHE_BYTES", 1)
    pillar_pngs("fairness", sample_reference_assessment.pillars["fairness"].data)
    assert len(charts._png_cache) == 1  # noqa: SLF001 - over the bound, only the newest is kept
