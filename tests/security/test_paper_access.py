"""Papers are private until published: /documents/<id>/<name> serves a paper to the public only when a live, public
page's published content uses it on a published agenda (non-exempt item) or links it from public rich text.

Each case is asked of four viewers: anonymous, another agency, the board's own agency, the secretariat.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from boards import grants, permissions
from boards.models import MeetingPage
from tests import factories
from tests.boards import minutes_helpers as mh
from tests.security.conftest import make_document

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "outsider", "partner", "secretariat")


@pytest.fixture
def users(partnered_board, council_user, outsider_user, secretariat_user):
    grants.sync_all()
    return {"anonymous": None, "outsider": outsider_user, "partner": council_user, "secretariat": secretariat_user}


def fetch(client, user, document):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(document.url)


def allowed(client, users, document):
    """Which viewers get the file (200 with its bytes); every other answer must be a refusal, never a 5xx."""
    got = set()
    for name in VIEWERS:
        response = fetch(client, users[name], document)
        if response.status_code == 200:
            assert b"%PDF" in b"".join(response.streaming_content)
            got.add(name)
        else:
            assert response.status_code in (403, 404), (name, response.status_code)
    return got


def published_meeting(board, agenda_published=True, **kwargs):
    meeting = factories.MeetingPageFactory(board=board, agenda_published=agenda_published, **kwargs)
    meeting.save_revision().publish()
    return MeetingPage.objects.get(pk=meeting.pk)


def item_with_paper(meeting, title, exempt=False, number="1"):
    paper = make_document(title, f"{title.lower().replace(' ', '-')}.pdf")
    item = factories.AgendaItemFactory(meeting=meeting, number=number, title=title, exempt_item=exempt)
    item.papers.add(paper)
    item.save()
    MeetingPage.objects.get(pk=meeting.pk).save_revision().publish()
    return paper


def test_the_paper_of_a_published_public_item_is_public(client, users, partnered_board):
    paper = item_with_paper(published_meeting(partnered_board), "Library report")
    assert allowed(client, users, paper) == set(VIEWERS)


def test_a_paper_attached_only_in_a_draft_of_a_live_meeting_is_the_boards(client, users, partnered_board):
    meeting = published_meeting(partnered_board)
    factories.AgendaItemFactory(meeting=meeting, number="1", title="Leisure contract")
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    meeting.save_revision().publish()
    paper = make_document("Draft tender prices", "draft-tender.pdf")
    draft = meeting.get_latest_revision_as_object()
    draft.agenda_items.first().papers.add(paper)
    draft.save_revision()
    assert MeetingPage.objects.get(pk=meeting.pk).live
    assert allowed(client, users, paper) == {"partner", "secretariat"}
    # Publishing the draft publishes the paper with it.
    MeetingPage.objects.get(pk=meeting.pk).get_latest_revision().publish()
    assert allowed(client, users, paper) == set(VIEWERS)


def test_a_paper_attached_to_nothing_is_the_secretariats_only(client, users):
    paper = make_document("Just uploaded", "just-uploaded.pdf")
    assert allowed(client, users, paper) == {"secretariat"}


def test_the_paper_of_an_exempt_item_is_the_boards(client, users, partnered_board):
    paper = item_with_paper(published_meeting(partnered_board), "Price schedule", exempt=True)
    assert allowed(client, users, paper) == {"partner", "secretariat"}


def test_a_paper_used_by_a_public_and_an_exempt_item_is_the_boards(client, users, partnered_board):
    # An exempt use marks the paper confidential: a public item of the same or another meeting does not publish it.
    meeting = published_meeting(partnered_board)
    paper = item_with_paper(meeting, "Shared appendix")
    other = factories.AgendaItemFactory(meeting=meeting, number="2", title="Exempt", exempt_item=True)
    other.papers.add(paper)
    other.save()
    MeetingPage.objects.get(pk=meeting.pk).save_revision().publish()
    assert allowed(client, users, paper) == {"partner", "secretariat"}


def test_the_paper_of_an_unpublished_agenda_is_the_boards(client, users, partnered_board):
    paper = item_with_paper(published_meeting(partnered_board, agenda_published=False), "Early report")
    assert allowed(client, users, paper) == {"partner", "secretariat"}


def test_the_paper_of_a_draft_meeting_is_the_boards(client, users, partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board, agenda_published=True, live=False)
    paper = make_document("Unpublished meeting paper", "unpublished.pdf")
    item = factories.AgendaItemFactory(meeting=meeting, number="1", title="Draft business")
    item.papers.add(paper)
    item.save()
    assert not MeetingPage.objects.get(pk=meeting.pk).live
    assert allowed(client, users, paper) == {"partner", "secretariat"}


@pytest.mark.parametrize("on", ["board", "meeting"])
def test_the_paper_of_a_private_board_or_meeting_is_the_boards(client, users, partnered_board, on):
    meeting = published_meeting(partnered_board)
    paper = item_with_paper(meeting, "Private board report")
    assert "anonymous" in allowed(client, users, paper)
    restriction = PageViewRestriction.objects.create(
        page=partnered_board if on == "board" else meeting, restriction_type=PageViewRestriction.LOGIN
    )
    assert allowed(client, users, paper) == {"partner", "secretariat"}
    restriction.delete()
    assert allowed(client, users, paper) == set(VIEWERS)


def test_the_paper_of_an_unpublished_board_is_the_boards(client, users, partnered_board):
    paper = item_with_paper(published_meeting(partnered_board), "Board gone dark")
    partnered_board.unpublish()
    assert allowed(client, users, paper) == {"partner", "secretariat"}


def test_another_boards_agency_does_not_get_its_exempt_paper(client, users, partnered_board, outsider_org):
    # The outsider's agency sits on a board of its own: that grants nothing on this one.
    elsewhere = factories.BoardPageFactory(title="Fire Board", slug="fire-board", code="FIRE")
    factories.BoardPartnerFactory(board=elsewhere, organisation=outsider_org)
    grants.sync_all()
    paper = item_with_paper(published_meeting(partnered_board), "Not yours", exempt=True)
    assert allowed(client, users, paper) == {"partner", "secretariat"}


def test_an_agency_on_two_boards_gets_the_papers_of_both_and_no_other(
    client, users, partnered_board, outsider_org, outsider_user
):
    # The outsider's agency sits on two boards of its own, one with a live meeting holding an unpublished draft.
    fire = factories.BoardPageFactory(title="Fire Board", slug="fire-board", code="FIRE")
    rescue = factories.BoardPageFactory(title="Rescue Board", slug="rescue-board", code="RESC")
    for board in (fire, rescue):
        factories.BoardPartnerFactory(board=board, organisation=outsider_org)
    grants.sync_all()
    fire_paper = item_with_paper(published_meeting(fire), "Fire appliances", exempt=True)
    rescue_meeting = published_meeting(rescue)
    rescue_paper = item_with_paper(rescue_meeting, "Rescue boats", exempt=True)
    draft = MeetingPage.objects.get(pk=rescue_meeting.pk).get_latest_revision_as_object()
    draft.venue = "Changed in a draft"
    draft.save_revision()
    not_theirs = item_with_paper(published_meeting(partnered_board), "Not yours", exempt=True)
    assert "outsider" in allowed(client, users, fire_paper)
    assert "outsider" in allowed(client, users, rescue_paper)
    assert "outsider" not in allowed(client, users, not_theirs)


def link(document):
    return f'<p>See <a linktype="document" id="{document.pk}">the appendix</a>.</p>'


def test_a_paper_linked_from_a_live_public_pages_rich_text_is_public(client, users, partnered_board):
    paper = make_document("Remit appendix", "remit-appendix.pdf")
    partnered_board.remit = link(paper)
    partnered_board.save_revision().publish()
    assert allowed(client, users, paper) == set(VIEWERS)
    PageViewRestriction.objects.create(page=partnered_board, restriction_type=PageViewRestriction.LOGIN)
    assert "anonymous" not in allowed(client, users, paper)


def test_a_paper_linked_from_an_unpublished_pages_rich_text_is_not_public(client, users, partnered_board):
    paper = make_document("Remit appendix", "remit-appendix.pdf")
    partnered_board.remit = link(paper)
    partnered_board.save_revision().publish()
    assert "anonymous" in allowed(client, users, paper)
    partnered_board.unpublish()  # the page row keeps the link; only its being live changed
    assert "anonymous" not in allowed(client, users, paper)


def test_a_paper_linked_only_from_a_draft_of_rich_text_is_not_public(client, users, partnered_board):
    paper = make_document("Draft remit appendix", "draft-remit-appendix.pdf")
    partnered_board.save_revision().publish()
    draft = partnered_board.get_latest_revision_as_object()
    draft.remit = link(paper)
    draft.save_revision()
    assert allowed(client, users, paper) == {"secretariat"}


@pytest.mark.parametrize("exempt", [False, True])
def test_a_paper_linked_from_a_minute_is_public_only_from_a_public_minute(client, users, partnered_board, exempt):
    secretary = factories.UserFactory(username="minute-taker", secretariat=True)
    chair = mh.make_chair(partnered_board)
    meeting, _public, _exempt = mh.held_meeting(partnered_board)
    paper = make_document("Minute appendix", "minute-appendix.pdf")
    page = mh.write_minutes(meeting, user=secretary)
    draft = page.get_latest_revision_as_object()
    for entry in draft.entries.all():
        if entry.agenda_item.exempt == exempt:
            entry.discussion = link(paper)
    draft.save_revision(user=secretary)
    assert "anonymous" not in allowed(client, users, paper)  # draft minutes
    mh.approve(page, chair, secretary)
    got = allowed(client, users, paper)
    assert ("anonymous" in got) is (not exempt)
    assert "outsider" not in got or not exempt


@pytest.mark.parametrize(
    "change",
    ["approval cleared", "minutes restricted", "meeting unpublished", "minutes unpublished", "board unpublished"],
)
def test_a_minutes_link_stops_being_public_with_its_minutes(client, users, partnered_board, change):
    from boards.models import BoardPage, MinutesPage

    secretary = factories.UserFactory(username="minute-taker", secretariat=True)
    meeting, _public, _exempt = mh.held_meeting(partnered_board)
    # Another live meeting of the board: the rule must ask about the minutes' own meeting, not any.
    published_meeting(partnered_board, slug="another-meeting")
    paper = make_document("Minute appendix", "minute-appendix.pdf")
    page = mh.write_minutes(meeting, user=secretary)
    draft = page.get_latest_revision_as_object()
    for entry in draft.entries.all():
        if entry.agenda_item.number == "1":
            entry.discussion = link(paper)
    draft.save_revision(user=secretary)
    page = mh.approve(page, mh.make_chair(partnered_board), secretary)
    assert "anonymous" in allowed(client, users, paper)
    if change == "approval cleared":  # live without an approval, as a copy of approved minutes once arrived
        MinutesPage.objects.filter(pk=page.pk).update(approved_on=None)
    elif change == "minutes restricted":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif change == "meeting unpublished":
        MeetingPage.objects.get(pk=meeting.pk).unpublish()
    elif change == "minutes unpublished":
        MinutesPage.objects.get(pk=page.pk).unpublish()
    else:  # the board alone: its meetings and minutes stay live below it
        BoardPage.objects.get(pk=partnered_board.pk).unpublish()
    assert allowed(client, users, paper) == {"secretariat"}


def count_queries(user, document):
    user = users_fresh(user)
    with CaptureQueriesContext(connection) as queries:
        permissions.can_download_document(user, document)
    return len(queries)


def users_fresh(user):
    # A new user object: nothing cached on it from an earlier question.
    return type(user).objects.get(pk=user.pk) if user is not None else None


@pytest.mark.parametrize("meetings", [1, 4])
def test_the_rule_takes_a_fixed_number_of_queries(users, partnered_board, meetings):
    """Asked on every download: the count must not grow with the meetings, items or drafts using the paper."""
    exempt = make_document("Counted exempt", "counted-exempt.pdf")
    public = make_document("Counted public", "counted-public.pdf")
    for _n in range(meetings):
        meeting = published_meeting(partnered_board)
        for number, paper, is_exempt in (("1", public, False), ("2", exempt, True)):
            item = factories.AgendaItemFactory(meeting=meeting, number=number, exempt_item=is_exempt)
            item.papers.add(paper)
            item.save()
        MeetingPage.objects.get(pk=meeting.pk).save_revision().publish()
        MeetingPage.objects.get(pk=meeting.pk).save_revision()  # a draft to read
    counts = {
        "anonymous public": count_queries(None, public),
        "anonymous refused": count_queries(None, exempt),
        "outsider refused": count_queries(users["outsider"], exempt),
        "partner allowed": count_queries(users["partner"], exempt),
    }
    assert counts == {"anonymous public": 2, "anonymous refused": 1, "outsider refused": 5, "partner allowed": 8}
