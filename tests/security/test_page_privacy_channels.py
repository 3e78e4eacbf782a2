"""Wagtail page privacy is an audience rule: a view restriction on a board, a meeting or minutes takes what it covers
out of every public channel (search, feeds, calendar, sitemap, PDFs, the action log) for anonymous visitors, and
removing it brings it back, without a manual index rebuild.

Canary words are planted in the meeting's venue, an agenda item's title and summary, a minute and an action.
Search results are read from the result list's markup only (the page echoes the query elsewhere).
"""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from boards import grants
from boards.models import MeetingPage, MinutesPage
from tests import factories
from tests.boards import minutes_helpers as mh

pytestmark = pytest.mark.django_db

VENUE = "Quokkaford Pavilion"
ITEM_TITLE = "Wombatine depot tender"
ITEM_SUMMARY = "Report on the zebrafinch procurement"
MINUTE = "Resolved the gibbonette settlement"
ACTION = "Negotiate the narwhalish lease"
CANARIES = {
    "venue": "quokkaford",
    "item": "wombatine",
    "summary": "zebrafinch",
    "minute": "gibbonette",
    "action": "narwhalish",
}
# What each restriction covers: minutes alone take their minutes and the actions minuted in them.
COVERED = {
    "board": set(CANARIES),
    "meeting": set(CANARIES),
    "minutes": {"minute", "action"},
}


class World:
    pass


@pytest.fixture
def world(partnered_board, council):
    w = World()
    w.board = partnered_board
    secretary = factories.UserFactory(username="privacy-secretary", secretariat=True)
    chair = mh.make_chair(partnered_board)
    when = timezone.make_aware(datetime.datetime(2023, 5, 10, 18, 30))
    meeting = factories.MeetingPageFactory(
        board=partnered_board, starts_at=when, held=True, agenda_published=True, venue=VENUE
    )
    item = factories.AgendaItemFactory(meeting=meeting, number="1", title=ITEM_TITLE, summary=ITEM_SUMMARY)
    meeting.save_revision().publish()
    page = mh.draft_minutes(MeetingPage.objects.get(pk=meeting.pk), user=secretary)
    draft = page.get_latest_revision_as_object()
    for entry in draft.entries.all():
        entry.resolution = MINUTE
    draft.save_revision(user=secretary)
    factories.ActionFactory(
        board=partnered_board, meeting=meeting, agenda_item=item, owner=council, description=ACTION
    )
    w.minutes = mh.approve(MinutesPage.objects.get(pk=page.pk), chair, secretary)
    assert w.minutes.live
    w.meeting = MeetingPage.objects.get(pk=meeting.pk)
    # Another board stays open throughout: the channels are not simply empty.
    other = factories.BoardPageFactory(title="Open Board", slug="open-board", code="OPEN")
    factories.MeetingPageFactory(board=other, agenda_published=True, venue="Open venue").save_revision().publish()
    grants.sync_all()
    return w


def search_results_markup(client, query=""):
    response = client.get("/search/", {"q": query} if query else {})
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<ol class="search-results.*?</ol>', html, re.S)
    markup = (found.group(0) if found else "").lower()
    # A page-cache hit has no context: count the listed results instead.
    total = response.context["results"].total if response.context else markup.count('<li class="search-result ')
    return markup, total


def channels(client, w):
    """Everything anonymous visitors get from each channel, lower-cased (non-200 answers count as nothing)."""
    client.logout()

    def body(url):
        response = client.get(url)
        if response.status_code != 200:
            return ""
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return content.decode("utf-8", "replace").lower()

    board_url = w.board.url
    listing, _total = search_results_markup(client)
    got = {
        "search (recent records)": listing,
        "site rss": body("/feeds/minutes/rss/"),
        "site atom": body("/feeds/minutes/atom/"),
        "board rss": body(f"{board_url}feed/rss/"),
        "board atom": body(f"{board_url}feed/atom/"),
        "calendar": body(f"{board_url}meetings.ics"),
        "action log": body(f"{board_url}actions/"),
    }
    for name, canary in CANARIES.items():
        markup, total = search_results_markup(client, canary)
        got[f"search for {name}"] = markup + (f" [{total} hits for {canary}]" if total else "")
    return got


def sitemap_urls(client):
    return client.get("/sitemap.xml").content.decode()


def pdf_status(client, url):
    client.logout()
    return client.get(url).status_code


def leaks(got, words):
    return {(channel, word) for channel, text in got.items() for word in words if CANARIES[word] in text}


@pytest.mark.parametrize("on", ["board", "meeting", "minutes"])
def test_a_restriction_takes_what_it_covers_out_of_every_public_channel(client, world, on):
    w = world
    before = channels(client, w)
    # The control: while public, every canary is found where it belongs.
    for word in CANARIES:
        assert f"search for {word}" in {c for c, _w in leaks(before, [word])}, word
    assert leaks(before, ["minute"]) >= {("site rss", "minute"), ("board rss", "minute"), ("site atom", "minute")}
    assert ("calendar", "venue") in leaks(before, ["venue"]) and ("action log", "action") in leaks(before, ["action"])
    assert w.meeting.url in sitemap_urls(client) and w.minutes.url in sitemap_urls(client)
    assert pdf_status(client, w.meeting.agenda_pdf_url) == 200 and pdf_status(client, w.minutes.pdf_url) == 200

    page = {"board": w.board, "meeting": w.meeting, "minutes": w.minutes}[on]
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    during = channels(client, w)
    assert leaks(during, COVERED[on]) == set()
    # What the restriction does not cover stays public (minutes alone leave the meeting and its agenda).
    uncovered = set(CANARIES) - COVERED[on]
    for word in uncovered:
        assert f"search for {word}" in {c for c, _w in leaks(during, [word])}, word
    sitemap = sitemap_urls(client)
    assert w.minutes.url not in sitemap
    assert (w.meeting.url in sitemap) is (on == "minutes")
    assert pdf_status(client, w.minutes.pdf_url) != 200
    assert (pdf_status(client, w.meeting.agenda_pdf_url) == 200) is (on == "minutes")

    restriction.delete()
    assert channels(client, w) == before
    assert w.minutes.url in sitemap_urls(client) and pdf_status(client, w.minutes.pdf_url) == 200


@pytest.mark.parametrize("on", ["board", "meeting", "minutes"])
def test_the_boards_partners_still_find_their_restricted_records(client, world, council_user, on):
    """A restriction takes things out of the public record, not out of the board's own restricted records."""
    w = world
    page = {"board": w.board, "meeting": w.meeting, "minutes": w.minutes}[on]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(council_user)
    markup, _total = search_results_markup(client, CANARIES["action"])
    assert CANARIES["action"] in markup and "restricted" in markup


def search_finds(client, word):
    client.logout()
    markup, total = search_results_markup(client, CANARIES[word])
    return bool(total) or CANARIES[word] in markup


def test_every_change_of_restriction_reindexes_at_once(client, world):
    """Type, password and group changes, and two restrictions over the same meeting, each reach the index."""
    from django.contrib.auth.models import Group

    w = world
    assert search_finds(client, "item")
    first = PageViewRestriction.objects.create(
        page=w.board, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    assert not search_finds(client, "item")
    second = PageViewRestriction.objects.create(page=w.meeting, restriction_type=PageViewRestriction.LOGIN)
    first.restriction_type = PageViewRestriction.GROUPS
    first.password = ""
    first.save()
    first.groups.add(Group.objects.get_or_create(name="Board readers")[0])
    assert not search_finds(client, "item")
    # Removing one of two restrictions above a meeting leaves it private.
    first.delete()
    assert not search_finds(client, "item") and not search_finds(client, "venue")
    assert leaks(channels(client, w), COVERED["meeting"]) == set()
    second.delete()
    assert search_finds(client, "item") and search_finds(client, "venue")
