"""The PDF scorecard for a board: page 1 is the executive summary (verdict, why, score per area with traffic lights,
what to fix first, which model and which data), then a section per area, then how it was checked and the glossary.

Sections flow on from one another (a new area starts on the same page when it fits); a section that runs onto
another page repeats its heading there; every page says "Page X of Y". Every text the user supplied (file, column
and category names) goes through `printable`: DejaVu Sans draws Latin, Greek and Cyrillic text and most symbols, a
CJK fallback font (Droid Sans Fallback, Debian's fonts-droid-fallback, when installed) draws Chinese, Japanese and
Korean; a character no font has (most emoji) becomes '?' instead of breaking the PDF.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
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
FONT, FALLBACK = "DejaVu", "Fallback"
VERDICT_COLOURS = {"ready": (46, 125, 50), "ready_with_caveats": (214, 120, 0), "not_ready": (198, 40, 40)}
STATUS_WORDS = {"pass": "Pass", "warn": "Warning", "fail": "Fail", "not_assessed": "Not checked"}
SEVERITY_COLOURS = {Severity.CRITICAL: (198, 40, 40), Severity.WARNING: (214, 120, 0), Severity.INFO: (21, 101, 192)}
SEVERITY_WORDS = {Severity.CRITICAL: "CRITICAL", Severity.WARNING: "WARNING", Severity.INFO: "FOR INFORMATION"}
GREY_TEXT = (90, 90, 90)
SECTION_MIN_MM = 55  # a new area starts on the current page only if this much room is left (heading + a finding)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _fallback_font() -> Path | None:
    return charts.fallback_font()


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    known = set(TTFont(str(FONT_DIR / "DejaVuSans.ttf")).getBestCmap())
    if _fallback_font() is not None:
        known |= set(TTFont(str(_fallback_font()), lazy=True).getBestCmap())
    return frozenset(known)


def printable(text: object) -> str:
    """Text with characters no available font can draw (most emoji) replaced by '?'."""
    known = _font_characters()
    return "".join(ch if ord(ch) in known or ch in "\n\t" else "?" for ch in str(text))


class _Scorecard(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.section: str | None = None  # the heading repeated on the pages a section runs onto
        self.section_page = 0
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        if _fallback_font() is not None:
            self.add_font(FALLBACK, "", str(_fallback_font()))
            self.set_fallback_fonts([FALLBACK], exact_match=False)
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 14, 18)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.section is not None and self.page_no() > self.section_page:
            self.set_font(FONT, "B", 10)
            self.set_text_color(*GREY_TEXT)
            self.multi_cell(0, 5, printable(f"{self.section} (continued)"), align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_draw_color(200, 200, 200)
            self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
            self.set_text_color(0, 0, 0)
            self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, printable(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    @property
    def room(self) -> float:
        """Millimetres left on the page above the bottom margin."""
        return self.page_break_trigger - self.get_y()

    def need(self, height: float) -> None:
        """A new page unless `height` millimetres are left (keeps a block together)."""
        if self.room < height:
            self.add_page()

    def text_height(self, text: str, size: float = 10, style: str = "", height: float = 5.2) -> float:
        """The height `text_block` would take for this text, in millimetres."""
        self.set_font(FONT, style, size)
        return float(self.multi_cell(0, height, printable(text), dry_run=True, output="HEIGHT"))

    def start_section(self, title: str, status: str | None = None, size: float = 15, keep: float = 0.0) -> None:
        """A section's heading: on the current page when the section's start (the heading and `keep` millimetres
        after it) fits, else on a new one; repeated on every page the section runs onto."""
        self.section = None
        if self.page_no() == 0 or self.room < max(SECTION_MIN_MM, keep + 20):
            self.add_page()
        elif self.get_y() > self.t_margin + 1:
            self.ln(4)
            self.set_draw_color(180, 180, 180)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)
        self.section, self.section_page = title, self.page_no()
        if status is not None:
            self.light(status, size * 0.32)
        self.text_block(title, size, "B", height=size * 0.5)
        self.ln(1)

    def light(self, status: str, diameter: float, x: float | None = None) -> None:
        """A traffic light: a filled circle in the status colour, left of the next text (the word is printed too)."""
        x = self.l_margin if x is None else x
        self.set_fill_color(*_rgb(charts.STATUS_COLOURS[status]))
        y = self.get_y()
        self.ellipse(x, y + 0.6, diameter, diameter, style="F")
        self.set_x(x + diameter + 2)
        self.set_left_margin(x + diameter + 2)

    def text_block(self, text: str, size: float = 10, style: str = "", height: float = 5.2,
                   colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_left_margin(18)
        self.set_x(self.l_margin)

    def heading(self, text: str, size: float = 12) -> None:
        self.need(25)
        self.ln(2)
        self.text_block(text, size, "B", height=size * 0.5)
        self.ln(1)

    def png(self, data: bytes, max_width: float = 150) -> None:
        """A chart at the size it was drawn (110 dots per inch), shrunk to fit the page; shrunk to fit the room left
        on this page when that keeps at least 70% of its size, rather than leaving the rest of the page empty."""
        from PIL import Image

        pixels_wide, pixels_high = Image.open(io.BytesIO(data)).size
        width = min(max_width, pixels_wide / 110 * 25.4)
        height = width * pixels_high / pixels_wide
        if height > self.room:
            if height * 0.7 <= self.room - 2:
                width *= (self.room - 2) / height
            else:
                self.add_page()
        self.image(io.BytesIO(data), w=width, x=(self.w - width) / 2)
        self.ln(2)


def render_pdf(assessment: Assessment) -> bytes:
    """Render the assessment as a PDF scorecard and return its bytes."""
    inputs = assessment.inputs
    pdf = _Scorecard(f"mlready {assessment.tool_version} · {inputs['data']['name']} · "
                     f"{narrative.readable_time(assessment.created)}")
    _metadata(pdf, assessment)
    _cover(pdf, assessment)
    pdf.add_page()  # page 1 is the executive summary alone; the areas follow one after another
    for pillar in PILLARS:
        if pillar in assessment.pillars:
            _pillar_section(pdf, assessment, pillar)
    _method(pdf, assessment)
    _glossary(pdf)
    return bytes(pdf.output())


def _metadata(pdf: _Scorecard, a: Assessment) -> None:
    inputs = a.inputs
    pdf.set_title(printable(f"Production-readiness scorecard: {inputs['data']['name']}"))
    pdf.set_author(f"mlready {a.tool_version}".strip())
    pdf.set_creator(f"mlready {a.tool_version}".strip())
    pdf.set_subject(printable(f"Is the model that predicts '{inputs['target']}' ready for production? "
                              f"Verdict: {narrative.VERDICT_TEXT[a.verdict]}, {a.score} / 100."))
    pdf.set_keywords("machine learning, production readiness, model review")
    pdf.set_lang("en")
    try:
        created = datetime.fromisoformat(a.created)
    except (TypeError, ValueError):
        created = datetime.now(timezone.utc)
    pdf.set_creation_date(created if created.tzinfo else created.replace(tzinfo=timezone.utc))


def model_words(inputs) -> str:
    """Which model the scorecard describes: the user's own, or mlready's reference model."""
    model = inputs["model"]
    if model["source"] == "uploaded":
        return f"your model (uploaded file '{model.get('name')}'): {narrative.model_words(model['kind'])}"
    return f"mlready's reference model, trained on your data (no model file was given): " \
           f"{narrative.model_words(model['kind'])}"


def first_actions(a: Assessment, count: int = 3) -> list[tuple[Finding, bool]]:
    """The actions page 1 lists, with whether each is urgent: the critical and warning findings first; when there are
    fewer than `count`, the information findings' actions fill up the list, marked as not urgent."""
    chosen = [(f, True) for f in a.top_actions(count)]
    for finding in scoring.ranked_findings(a.findings):
        if len(chosen) >= count:
            break
        if finding.severity is Severity.INFO and all(f.action != finding.action for f, _ in chosen):
            chosen.append((finding, False))
    return chosen


def _cover(pdf: _Scorecard, a: Assessment) -> None:
    inputs = a.inputs
    pdf.add_page()
    pdf.text_block("Production-readiness scorecard", 20, "B", 10)
    pdf.text_block(f"Is the model that predicts '{inputs['target']}' ready for production?", 11, colour=GREY_TEXT)
    pdf.ln(2)
    # which model, said before the verdict: with mlready's reference model, the verdict speaks of the data
    pdf.text_block(f"Model checked: {model_words(inputs)}.", 10, "B")
    if inputs["model"]["source"] == "reference":
        pdf.text_block(narrative.REFERENCE_SCORECARD_NOTE, 9.5, colour=GREY_TEXT, height=4.8)
    pdf.ln(2)
    # the verdict, large, on its colour
    colour = VERDICT_COLOURS[a.verdict]
    pdf.set_fill_color(*colour)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(0, 16, f"  {narrative.VERDICT_TEXT[a.verdict].upper()}", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.text_block(f"Overall score {a.score} / 100. {a.verdict_sentence}", 11, height=5.6)
    # the score per area, with traffic lights
    pdf.heading("Score per area", 13)
    scores = a.pillar_scores
    for pillar in PILLARS:
        if pillar not in a.pillars:
            continue
        status = scoring.pillar_status(a.pillars[pillar])
        pdf.set_fill_color(*_rgb(charts.STATUS_COLOURS[status]))
        y = pdf.get_y()
        pdf.ellipse(pdf.l_margin + 0.5, y + 1.2, 4.2, 4.2, style="F")
        pdf.set_x(pdf.l_margin + 7)
        pdf.set_font(FONT, "B", 10.5)
        pdf.cell(52, 6.6, PILLAR_TITLES[pillar])
        pdf.set_font(FONT, "", 10.5)
        pdf.cell(24, 6.6, "—" if scores[pillar] is None else f"{scores[pillar]} / 100")
        pdf.cell(0, 6.6, STATUS_WORDS[status], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.text_block(narrative.SCORING_RULE, 8, colour=GREY_TEXT, height=4)
    # what to do first
    pdf.heading("What to fix first", 13)
    actions = first_actions(a)
    if not any(urgent for _, urgent in actions):
        pdf.text_block(narrative.NOTHING_URGENT + (" Worth doing when convenient:" if actions else ""), 10)
        pdf.ln(1)
    for number, (finding, urgent) in enumerate(actions, 1):
        pdf.text_block(f"{number}. {finding.title}" + ("" if urgent else " (not urgent)"), 10, "B")
        pdf.set_left_margin(23)
        pdf.set_x(23)
        pdf.text_block(finding.action, 10, height=5)
        pdf.ln(1)
    # which data
    pdf.heading("What was checked", 11)
    data = inputs["data"]
    lines = [f"Data: '{data['name']}', {data['rows']:,} rows, {data['columns']} columns; content fingerprint "
             f"{data['sha256'][:16]} (SHA-256)",
             f"Predicted column: '{inputs['target']}' ({inputs['task']})"]
    for key, label in (("test", "Held-out data"), ("new_data", "Recent production data")):
        if inputs.get(key):
            extra = inputs[key]
            lines.append(f"{label}: '{extra['name']}', {extra['rows']:,} rows"
                         + (f"; fingerprint {extra['sha256'][:16]}" if extra.get("sha256") else ""))
    if inputs.get("sensitive"):
        lines.append("Sensitive columns: " + ", ".join(f"'{c}'" for c in inputs["sensitive"]))
    lines.append(f"Checked on {narrative.readable_time(a.created)} by mlready {a.tool_version}")
    for line in lines:
        pdf.text_block(line, 9, height=4.6, colour=(50, 50, 50))


def _pillar_section(pdf: _Scorecard, a: Assessment, pillar: str) -> None:
    result = a.pillars[pillar]
    score = a.pillar_scores[pillar]
    status = scoring.pillar_status(result)
    opening = [a.pillar_summary(pillar), *narrative.pillar_sentences(result)]
    first = 30 if result.findings else 0  # the first finding's badge, title and first lines stay with the heading
    pdf.start_section(f"{PILLAR_TITLES[pillar]}: " + ("not checked" if score is None else
                                                      f"{score} / 100 ({STATUS_WORDS[status]})"), status,
                      keep=sum(pdf.text_height(text) for text in opening) + first)
    for text in opening:
        pdf.text_block(text, 10)
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
        pdf.need(10)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(24, 4.8, printable(entry["answer"]))
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 4.8, printable(entry["question"]), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)


def _finding(pdf: _Scorecard, finding: Finding) -> None:
    evidence = "; ".join(f"{label}: {value}" for label, value in labelled_evidence(finding)) if finding.evidence else ""
    whole = (pdf.text_height(f"{SEVERITY_WORDS[finding.severity]}    {finding.title}", 10, "B", 5)
             + pdf.text_height(finding.message, 9.5, height=4.8)
             + pdf.text_height(f"What to do: {finding.action}", 9.5, height=4.8)
             + (pdf.text_height(f"Evidence: {evidence}", 7.5, height=3.8) if evidence else 0))
    pdf.need(min(whole + 2, 100))  # a finding is kept on one page (a very long one may still run on)
    pdf.set_font(FONT, "B", 7.5)
    pdf.set_text_color(255, 255, 255)
    pdf.set_fill_color(*SEVERITY_COLOURS[finding.severity])
    word = SEVERITY_WORDS[finding.severity]
    pdf.cell(pdf.get_string_width(word) + 4, 5, word, fill=True, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5, printable(f"  {finding.title}"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.text_block(finding.message, 9.5, height=4.8)
    pdf.text_block(f"What to do: {finding.action}", 9.5, height=4.8, colour=(30, 30, 120))
    if evidence:
        pdf.text_block(f"Evidence: {evidence}", 7.5, height=3.8, colour=(100, 100, 100))
    pdf.ln(2.5)


def _method(pdf: _Scorecard, a: Assessment) -> None:
    inputs = a.inputs
    pdf.start_section("How it was checked", size=15)
    model = inputs["model"]
    facts = [narrative.model_note(model["source"], model["kind"], model.get("problem")),
             f"Held-out rows: {inputs.get('split', 'n/a')}.",
             f"Random seed: {inputs['seed']}; the same inputs and seed give the same scores.",
             f"Latency target: {inputs.get('latency_target_ms')} ms."]
    if inputs.get("daily_predictions"):
        facts.append(f"Expected volume: {inputs['daily_predictions']:,} predictions a day.")
    if inputs.get("rows_without_target"):
        facts.append(f"{inputs['rows_without_target']:,} rows without a target value were left out.")
    for pillar in PILLARS:
        if pillar in a.pillars:
            facts.extend(a.pillars[pillar].notes)
    for fact in dict.fromkeys(facts):
        pdf.text_block(f"• {fact}", 9, height=4.6)
    pdf.ln(2)
    pdf.text_block("Software: " + ", ".join(f"{k} {v}" for k, v in a.environment.items()), 8, colour=GREY_TEXT,
                   height=4)


def _glossary(pdf: _Scorecard) -> None:
    """The words used, each with its meaning: the same glossary as the app's."""
    pdf.start_section("Words used", size=15)
    for term, meaning in narrative.GLOSSARY:
        pdf.need(10)
        pdf.set_font(FONT, "B", 9.5)
        pdf.write(5, printable(f"{term}: "))
        pdf.set_font(FONT, "", 9.5)
        pdf.write(5, printable(meaning))
        pdf.ln(6)
