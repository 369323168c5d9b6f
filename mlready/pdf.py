"""The PDF scorecard: a one-page verdict for a board, a section per pillar, then how it was checked."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from . import charts, narrative, scoring
from .assessment import Assessment
from .findings import PILLAR_TITLES, PILLARS, Finding, Severity
from .narrative.evidence import labelled_evidence

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
VERDICT_COLOURS = {"ready": (46, 125, 50), "ready_with_caveats": (230, 140, 0), "not_ready": (198, 40, 40)}
STATUS_WORDS = {"pass": "Pass", "warn": "Warning", "fail": "Fail", "not_assessed": "Not checked"}
SEVERITY_COLOURS = {Severity.CRITICAL: (198, 40, 40), Severity.WARNING: (230, 140, 0), Severity.INFO: (21, 101, 192)}


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(FONT_DIR / "DejaVuSans.ttf")).getBestCmap())


def printable(text: object) -> str:
    """Text with characters the font cannot draw (most emoji) replaced by '?'."""
    known = _font_characters()
    return "".join(ch if ord(ch) in known or ch in "\n\t" else "?" for ch in str(text))


class _Scorecard(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, printable(f"{self.footer_text}   ·   page {self.page_no()}"), align="C")
        self.set_text_color(0, 0, 0)

    def text_block(self, text: str, size: float = 10, style: str = "", height: float = 5.2,
                   colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 15) -> None:
        self.ln(2)
        self.text_block(text, size, "B", height=size * 0.5)
        self.ln(1)

    def png(self, data: bytes, max_width: float = 150) -> None:
        """A chart at the size it was drawn (110 dots per inch), shrunk only to fit the page."""
        from PIL import Image

        pixels_wide, pixels_high = Image.open(io.BytesIO(data)).size
        width = min(max_width, pixels_wide / 110 * 25.4)
        if self.get_y() + width * pixels_high / pixels_wide > self.h - 20:
            self.add_page()
        self.image(io.BytesIO(data), w=width, x=(self.w - width) / 2)
        self.ln(2)


def render_pdf(assessment: Assessment) -> bytes:
    """Render the assessment as a PDF scorecard and return its bytes."""
    inputs = assessment.inputs
    pdf = _Scorecard(f"mlready {assessment.tool_version} · {inputs['data']['name']} · "
                     f"{narrative.readable_time(assessment.created)}")
    _cover(pdf, assessment)
    for pillar in PILLARS:
        if pillar in assessment.pillars:
            _pillar_section(pdf, assessment, pillar)
    _method(pdf, assessment)
    return bytes(pdf.output())


def _cover(pdf: _Scorecard, a: Assessment) -> None:
    inputs = a.inputs
    pdf.add_page()
    pdf.text_block("Production-readiness scorecard", 20, "B", 10)
    pdf.text_block(f"Created {narrative.readable_time(a.created)} by mlready {a.tool_version}", 9, colour=(90, 90, 90))
    pdf.ln(3)
    data = inputs["data"]
    model = inputs["model"]
    model_text = (f"uploaded file '{model.get('name')}': {narrative.model_words(model['kind'])}"
                  if model["source"] == "uploaded"
                  else f"reference model trained by mlready: {narrative.model_words(model['kind'])}")
    lines = [f"Data: '{data['name']}', {data['rows']:,} rows, {data['columns']} columns (file fingerprint {data['sha256'][:12]})",
             f"Predicts: '{inputs['target']}' ({inputs['task']})", f"Model: {model_text}"]
    if inputs.get("test"):
        lines.append(f"Held-out data: '{inputs['test']['name']}', {inputs['test']['rows']:,} rows")
    for line in lines:
        pdf.text_block(line, 10)
    pdf.ln(4)
    if model["source"] == "reference":  # said before the verdict: it speaks of the data, not of a model of theirs
        pdf.text_block(narrative.REFERENCE_SCORECARD_NOTE, 10, "B")
        pdf.ln(2)
    pdf.text_block(narrative.VERDICT_TEXT[a.verdict].upper(), 30, "B", 14, VERDICT_COLOURS[a.verdict])
    pdf.text_block(f"Overall score {a.score} / 100. {a.verdict_sentence}", 11)
    pdf.ln(3)
    scores = a.pillar_scores
    for pillar in PILLARS:
        if pillar not in a.pillars:
            continue
        status = scoring.pillar_status(a.pillars[pillar])
        colour = tuple(int(charts.STATUS_COLOURS[status][i:i + 2], 16) for i in (1, 3, 5))
        pdf.set_fill_color(*colour)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(5, 6, "", fill=True)
        pdf.cell(52, 6, f"  {PILLAR_TITLES[pillar]}")
        pdf.set_font(FONT, "", 10)
        score_text = "—" if scores[pillar] is None else f"{scores[pillar]} / 100"
        pdf.cell(25, 6, score_text)
        pdf.cell(0, 6, STATUS_WORDS[status], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.text_block(narrative.SCORING_RULE, 8.5, colour=(70, 70, 70), height=4.4)
    pdf.heading("What to do first", 13)
    actions = a.top_actions()
    if not actions:
        pdf.text_block(narrative.NOTHING_URGENT, 10)
    for number, finding in enumerate(actions, 1):
        pdf.text_block(f"{number}. {finding.title}", 10, "B")
        pdf.text_block(finding.action, 10)
        pdf.ln(1)


def _pillar_section(pdf: _Scorecard, a: Assessment, pillar: str) -> None:
    result = a.pillars[pillar]
    pdf.add_page()
    score = a.pillar_scores[pillar]
    pdf.heading(f"{PILLAR_TITLES[pillar]}: {'not checked' if score is None else f'{score} / 100'}", 16)
    pdf.text_block(a.pillar_summary(pillar), 10)
    for sentence in narrative.pillar_sentences(result):
        pdf.text_block(sentence, 10)
    pdf.ln(2)
    if not result.assessed:
        pdf.text_block(narrative.NOT_CHECKED_NOTE, 10)
        return
    for finding in scoring.ranked_findings(result.findings):
        _finding(pdf, finding)
    if not result.findings:
        pdf.text_block("No problems found in this area.", 10)
    for png in charts.pillar_pngs(pillar, result.data):
        pdf.png(png)
    if pillar == "interpretability" and result.data.get("global"):
        pdf.heading("In words", 11)
        for entry in list(result.data["global"])[:6]:
            pdf.text_block(f"• {entry['sentence']}", 9.5)
    if pillar == "interpretability" and result.data.get("direction_sentences"):
        pdf.heading("Direction of effects", 11)
        for sentence in result.data["direction_sentences"]:
            pdf.text_block(f"• {sentence}", 9.5)
    if pillar == "operations" and result.data.get("practices"):
        _practice_answers(pdf, result.data["practices"])


def _practice_answers(pdf: _Scorecard, answers) -> None:
    """The deployment-practice questions with the answers given."""
    pdf.heading("The answers given", 11)
    for entry in answers:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(24, 4.8, printable(entry["answer"]))
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.8, printable(entry["question"]), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)


def _finding(pdf: _Scorecard, finding: Finding) -> None:
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(255, 255, 255)
    pdf.set_fill_color(*SEVERITY_COLOURS[finding.severity])
    pdf.cell(20, 5, finding.severity.value.upper(), fill=True, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5, printable(f"  {finding.title}"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.text_block(finding.message, 9.5, height=4.8)
    pdf.text_block(f"What to do: {finding.action}", 9.5, height=4.8, colour=(30, 30, 120))
    if finding.evidence:
        evidence = "; ".join(f"{label}: {value}" for label, value in labelled_evidence(finding))
        pdf.text_block(f"Evidence: {evidence}", 7.5, height=3.8, colour=(100, 100, 100))
    pdf.ln(2)


def _method(pdf: _Scorecard, a: Assessment) -> None:
    inputs = a.inputs
    pdf.add_page()
    pdf.heading("How it was checked", 16)
    model = inputs["model"]
    facts = [narrative.model_note(model["source"], model["kind"], model.get("problem")), f"Held-out rows: {inputs.get('split', 'n/a')}.", f"Random seed: {inputs['seed']}; the same inputs and "
             "seed give the same scores.", f"Latency target: {inputs.get('latency_target_ms')} ms."]
    if inputs.get("daily_predictions"):
        facts.append(f"Expected volume: {inputs['daily_predictions']:,} predictions a day.")
    if inputs.get("rows_without_target"):
        facts.append(f"{inputs['rows_without_target']:,} rows without a target value were left out.")
    for pillar in PILLARS:
        if pillar in a.pillars:
            facts.extend(a.pillars[pillar].notes)
    for fact in dict.fromkeys(facts):
        pdf.text_block(f"• {fact}", 9.5)
    pdf.heading("Words used", 12)
    for term, meaning in narrative.GLOSSARY:
        pdf.text_block(f"{term}: {meaning}", 9.5)
    pdf.ln(2)
    pdf.text_block("Software: " + ", ".join(f"{k} {v}" for k, v in a.environment.items()), 8.5, colour=(90, 90, 90))
