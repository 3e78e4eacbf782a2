"""Rendering the PDFs of the record: the agenda pack and the minutes of a meeting, public and full.

Public versions withhold exempt business exactly as the page does (labels and public summaries only).
"""

import html
import io
import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from boards.models import AgendaItem, Declaration

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register_fonts():
    """Embed DejaVu Sans (vendored in boards/fonts): it has £ € é ’ ŵ ŷ, which the built-in fonts lack."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return True


@lru_cache(maxsize=1)
def styles():
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, alignment=TA_LEFT, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=8),
        "bold": ParagraphStyle("bold", parent=base, fontName=FONT_BOLD),
        "note": ParagraphStyle("note", parent=base, textColor=colors.HexColor("#505a5f")),
        "restricted": ParagraphStyle(
            "restricted", parent=base, fontName=FONT_BOLD, textColor=colors.HexColor("#942514")
        ),
    }


def para(text, style="body"):
    """A Paragraph of user text: escaped, so `<font>`, `<img>` or `<link>` in a minute stay text."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), styles()[style])


def rich_text_paragraphs(value, style="body"):
    """Wagtail rich text as plain paragraphs: block ends become breaks, tags go, entities are decoded."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|li|h[1-6]|blockquote|div)>", "\n", value or "")
    text = html.unescape(strip_tags(text))
    return [para(line.strip(), style) for line in text.splitlines() if line.strip()]


def table(rows, col_widths):
    t = Table(rows, colWidths=col_widths, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


class NumberedCanvas(pdfcanvas.Canvas):
    """Holds pages back until the end so each footer can say "Page X of Y"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_page_states = []

    def showPage(self):  # noqa: N802 — reportlab's name
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_page_states)
        for state in self._saved_page_states:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _build(story, *, title, subject, header, author):
    register_fonts()
    buffer = io.BytesIO()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, header)
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="Partnership Records",
        lang="en-GB",
        displayDocTitle=True,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def _when(meeting):
    start = timezone.localtime(meeting.starts_at)
    text = date_format(start, "l j F Y, H:i")
    if meeting.ends_at:
        text += " to " + date_format(timezone.localtime(meeting.ends_at), "H:i")
    return text


def _meeting_heading(meeting, board, title):
    story = [para(title, "title"), para(board.title, "h3")]
    rows = [["Date and time", _when(meeting)]]
    if meeting.venue:
        rows.append(["Venue", meeting.venue])
    rows.append(["Status", meeting.get_status_display()])
    story.append(table([[para(a, "bold"), para(b)] for a, b in rows], [40 * mm, 130 * mm]))
    return story


def _attendance(meeting):
    rows = meeting.attendance_rows()
    story = [para("Attendance", "h2")]
    if not rows:
        return story + [para("Attendance has not been recorded.")]
    data = [["Name", "On behalf of", "Attendance", "Capacity"]]
    for a in rows:
        capacity = a.get_capacity_display()
        if a.substitute_for_id:
            capacity += f" for {a.substitute_for.name}"
        data.append(
            [
                para(a.person.name),
                para(a.on_behalf_of.name if a.on_behalf_of_id else "—"),
                para(a.get_status_display()),
                para(capacity),
            ]
        )
    return story + [table(data, [55 * mm, 55 * mm, 25 * mm, 35 * mm])]


def _declarations(meeting):
    rows = list(Declaration.objects.filter(meeting=meeting).select_related("person").order_by("sort_order"))
    story = [para("Declarations of interest", "h2")]
    if not rows:
        return story + [para("None were declared.")]
    for d in rows:
        item = f" (item {d.item})" if d.item else ""
        story.append(para(f"{d.person.name}{item}: {d.nature}"))
    return story


def _author(board):
    return f"{board.title} — {getattr(settings, 'SITE_OWNER_NAME', '')}".strip(" —")


def render_minutes(page, full=False):
    """The minutes as PDF bytes; `full` includes exempt business, labelled restricted."""
    meeting, board = page.meeting, page.board
    day = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    title = f"Minutes — {board.title} — {day}"
    story = _meeting_heading(meeting, board, title)
    if full:
        story.append(
            para("RESTRICTED — full minutes including exempt information. Not for publication.", "restricted")
        )
    if page.approved_on:
        approved = f"Approved as a correct record on {date_format(page.approved_on, 'j F Y')}"
        story.append(para(approved + (f" by {page.approved_by}." if page.approved_by else ".")))
    if page.corrected_at:
        corrected = date_format(timezone.localtime(page.corrected_at), "j F Y")
        story.append(para(f"Corrected on {corrected}: {page.correction_note}".rstrip(": "), "bold"))
    story += _attendance(meeting)
    story += _declarations(meeting)
    story.append(para("Minutes", "h2"))
    for entry in page.entries_for_display():
        item = entry.agenda_item
        block = [para(f"{item.number}. {item.title}", "h3")]
        if item.exempt and not full:
            block.append(para(item.exemption_label, "bold"))
            if entry.public_summary:
                block.append(para(entry.public_summary))
        else:
            if item.exempt:
                block.append(para(f"Restricted — {item.exemption_label}", "restricted"))
                if entry.public_summary:
                    block.append(para(f"Public summary: {entry.public_summary}", "note"))
            block += rich_text_paragraphs(entry.discussion)
            if entry.resolution:
                block.append(para(f"Resolved: {entry.resolution}", "bold"))
        story.append(KeepTogether(block[:2]))
        story += block[2:]
    story.append(Spacer(1, 6 * mm))
    return _build(
        story,
        title=title,
        subject=f"Minutes of the meeting of {board.title} held on {day}" + (" (full, restricted)" if full else ""),
        header=f"{board.title} — {day}",
        author=_author(board),
    )


def render_agenda(meeting, full=False):
    """The agenda pack as PDF bytes: items, their summaries, leads and papers."""
    board = meeting.get_parent().specific
    day = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    title = f"Agenda — {board.title} — {day}"
    story = _meeting_heading(meeting, board, title)
    if full:
        story.append(
            para("RESTRICTED — full agenda pack including exempt information. Not for publication.", "restricted")
        )
    if meeting.agenda_published_at:
        published = date_format(timezone.localtime(meeting.agenda_published_at), "j F Y, H:i")
        story.append(para(f"Agenda published {published}."))
    if meeting.lateness_reason:
        story.append(para(f"Reason the agenda was published late: {meeting.lateness_reason}"))
    story.append(para("Agenda", "h2"))
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("lead_organisation", "presenter")
        .prefetch_related("papers")
        .order_by("sort_order")
    )
    for item in items:
        block = [para(f"{item.number}. {item.title}", "h3")]
        if item.exempt:
            block.append(para(item.exemption_label, "restricted" if full else "bold"))
            if not full:
                story.append(KeepTogether(block))
                continue
        if item.summary:
            block.append(para(item.summary))
        if item.lead_organisation_id:
            block.append(para(f"Lead organisation: {item.lead_organisation.name}", "note"))
        if item.presenter_id:
            block.append(para(f"Presented by: {item.presenter.name}", "note"))
        papers = [doc.title for doc in item.papers.all()]
        if papers:
            block.append(para("Papers: " + "; ".join(papers), "note"))
        story.append(KeepTogether(block))
    return _build(
        story,
        title=title,
        subject=f"Agenda of the meeting of {board.title} on {day}" + (" (full, restricted)" if full else ""),
        header=f"{board.title} — {day}",
        author=_author(board),
    )
