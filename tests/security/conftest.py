"""Fixtures for the adversarial suite: a board with public and exempt business, an insider and an outsider.

The secret strings must never appear in anything served to someone outside the board.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from boards import grants
from tests import factories
from tests.boards import minutes_helpers as mh

SECRET_SUMMARY = "Sealed bid of Quuxbridge Holdings for the leisure contract"
SECRET_PAPER_TITLE = "Quuxbridge price schedule"
MINUTES_PAPER_TITLE = "Vexillarium tender appraisal"
MINUTES_PAPER_WORD = "Quokkaplinth"


def make_document(title, filename, content=b"%PDF-1.4\n% test paper\n"):
    Document = get_document_model()
    doc = Document(title=title)
    doc.file.save(filename, ContentFile(content), save=False)
    doc.save()
    return doc


@pytest.fixture
def meeting(partnered_board):
    """A held meeting with a published agenda: item 1 public with a paper, item 2 exempt with a paper."""
    meeting = factories.MeetingPageFactory(board=partnered_board, agenda_published=True, held=True)
    public = factories.AgendaItemFactory(meeting=meeting, number="1", title="Library opening hours", sort_order=1)
    public.papers.add(make_document("Library report", "library-report.pdf"))
    public.save()
    exempt = factories.AgendaItemFactory(
        meeting=meeting,
        number="2",
        title="Leisure contract",
        summary=SECRET_SUMMARY,
        sort_order=2,
        exempt_item=True,
    )
    exempt.papers.add(make_document(SECRET_PAPER_TITLE, "price-schedule.pdf"))
    exempt.save()
    meeting.save_revision().publish()
    return meeting


@pytest.fixture
def exempt_paper(meeting):
    return meeting.agenda_items.get(number="2").papers.get()


@pytest.fixture
def public_paper(meeting):
    return meeting.agenda_items.get(number="1").papers.get()


@pytest.fixture
def minutes(partnered_board, council):
    """Approved, published minutes of a held meeting: a public item, an exempt one with an action on it."""
    secretary = factories.UserFactory(username="minute-taker", secretariat=True)
    chair = mh.make_chair(partnered_board)
    meeting, _public, exempt = mh.held_meeting(partnered_board)
    factories.ActionFactory(
        board=partnered_board,
        meeting=meeting,
        agenda_item=exempt,
        owner=council,
        description="Negotiate the Xylophonic settlement",
    )
    page = mh.approve(mh.write_minutes(meeting, user=secretary), chair, secretary)
    grants.sync_all()
    return page


@pytest.fixture
def paper(minutes):
    """A paper on the minuted exempt item: a secret title and a secret word in the file, published with the agenda."""
    meeting = minutes.get_parent().specific
    exempt = meeting.agenda_items.get(exempt=True)
    document = make_document(
        MINUTES_PAPER_TITLE, "appraisal.pdf", f"%PDF-1.4\n% {MINUTES_PAPER_WORD} bid figures\n".encode()
    )
    exempt.papers.add(document)
    exempt.save()
    meeting.save_revision().publish()
    return document
