"""Exempt business and unpublished agendas never reach the public meeting page or papers."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests import factories

pytestmark = pytest.mark.django_db

SECRET_SUMMARY = "Price envelope of eighteen point five million pounds"


def make_paper(title, filename):
    Document = get_document_model()
    doc = Document(title=title)
    doc.file.save(filename, ContentFile(b"%PDF-1.4 paper"), save=False)
    doc.save()
    return doc


@pytest.fixture
def meeting(partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board, agenda_published=True, held=True)
    public = factories.AgendaItemFactory(
        meeting=meeting, number="2", title="Library Strategy", summary="Friern Barnet library to the artsdepot."
    )
    public.papers.add(make_paper("Draft Library Strategy", "draft-library-strategy.pdf"))
    public.save()
    exempt = factories.AgendaItemFactory(
        meeting=meeting,
        number="3",
        title="Procurement: commercial terms",
        summary=SECRET_SUMMARY,
        exempt_item=True,
    )
    exempt.papers.add(make_paper("Bidder price schedule", "bidder-price-schedule.pdf"))
    exempt.save()
    return meeting


def test_public_item_shows_summary_and_paper(client, meeting):
    html = client.get(meeting.url).content.decode()
    assert 'id="item-2"' in html
    assert "Friern Barnet library to the artsdepot." in html
    assert "Draft Library Strategy" in html


def test_exempt_item_shows_only_number_title_and_paragraph(client, meeting):
    html = client.get(meeting.url).content.decode()
    assert 'id="item-3"' in html
    assert "Procurement: commercial terms" in html
    assert "Exempt information — Schedule 12A paragraph 3" in html
    assert SECRET_SUMMARY not in html
    assert "Bidder price schedule" not in html
    assert "bidder-price-schedule" not in html


def test_exempt_paper_refused_to_public_by_direct_url(client, meeting):
    exempt_doc = meeting.agenda_items.get(number="3").papers.get()
    public_doc = meeting.agenda_items.get(number="2").papers.get()
    assert client.get(public_doc.url).status_code == 200
    response = client.get(exempt_doc.url)
    assert response.status_code in (403, 404)
    assert b"PDF" not in response.content


def test_exempt_paper_refused_to_agency_not_on_board(client, meeting, outsider_user):
    client.force_login(outsider_user)
    exempt_doc = meeting.agenda_items.get(number="3").papers.get()
    assert client.get(exempt_doc.url).status_code in (403, 404)
    assert SECRET_SUMMARY not in client.get(meeting.url).content.decode()


def test_partner_agency_sees_exempt_item_and_paper(client, meeting, council_user):
    client.force_login(council_user)
    html = client.get(meeting.url).content.decode()
    assert SECRET_SUMMARY in html
    exempt_doc = meeting.agenda_items.get(number="3").papers.get()
    assert client.get(exempt_doc.url).status_code == 200


def test_unpublished_agenda_shows_no_item(client, partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board)
    factories.AgendaItemFactory(meeting=meeting, number="1", title="Secret draft item title")
    html = client.get(meeting.url).content.decode()
    assert "Agenda not yet published" in html
    assert "Secret draft item title" not in html
    assert 'id="item-1"' not in html


def test_papers_of_unpublished_agenda_refused(client, partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board)
    item = factories.AgendaItemFactory(meeting=meeting, number="1")
    doc = make_paper("Draft paper", "draft-paper.pdf")
    item.papers.add(doc)
    item.save()
    assert client.get(doc.url).status_code in (403, 404)


def test_cancelled_meeting_says_so(client, partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board, cancelled=True)
    html = client.get(meeting.url).content.decode()
    assert "This meeting has been cancelled." in html


def test_attendance_shown_once_held(client, partnered_board, council):
    person = factories.PersonFactory(name="Dr Sarah Whitfield", organisation=council)
    substitute = factories.PersonFactory(name="Tom Hughes", organisation=council)
    meeting = factories.MeetingPageFactory(board=partnered_board, held=True, agenda_published=True)
    factories.AttendanceFactory(meeting=meeting, person=person, status="apologies")
    factories.AttendanceFactory(meeting=meeting, person=substitute, capacity="substitute", substitute_for=person)
    html = client.get(meeting.url).content.decode()
    assert "Apologies" in html and "Dr Sarah Whitfield" in html
    assert "substitute for Dr Sarah Whitfield" in html


def test_meeting_date_is_british_and_machine_readable(client, partnered_board):
    starts_at = datetime.datetime(2011, 6, 29, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    meeting = factories.MeetingPageFactory(board=partnered_board, starts_at=starts_at)
    html = client.get(meeting.url).content.decode()
    assert "Wednesday 29 June 2011, 10:00" in html
    assert 'datetime="2011-06-29T10:00:00+01:00"' in html


def test_items_list_their_topics_and_paper_links(client, meeting, council_user):
    public = meeting.agenda_items.get(number="2")
    public.tags.add("libraries", "arts venues")
    public.save()
    exempt = meeting.agenda_items.get(number="3")
    exempt.tags.add("procurement")
    exempt.save()
    html = client.get(meeting.url).content.decode()
    topics = html.split('<p class="govuk-body tags">Topics: ')
    assert len(topics) == 2  # the public item's only: the exempt item's topics are withheld too
    shown = topics[1].split("</p>")[0]
    assert '<strong class="govuk-tag govuk-tag--grey">libraries</strong>' in shown
    assert '<strong class="govuk-tag govuk-tag--grey">arts venues</strong>' in shown
    assert f'href="{public.papers.get().url}"' in html
    assert "procurement" not in html
    client.force_login(council_user)
    html = client.get(meeting.url).content.decode()
    assert f'href="{exempt.papers.get().url}"' in html
    assert '<strong class="govuk-tag govuk-tag--grey">procurement</strong>' in html
