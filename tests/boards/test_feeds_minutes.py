"""RSS, Atom and iCalendar feeds: they parse, link to pages that exist, and carry nothing exempt or unapproved."""

import datetime
from urllib.parse import urlparse

import feedparser
import icalendar
import pytest
from django.utils import timezone

from boards.models import MinutesPage
from tests import factories
from tests.boards.minutes_helpers import (
    EXEMPT_DISCUSSION,
    EXEMPT_RESOLUTION,
    EXEMPT_SUMMARY,
    PUBLIC_RESOLUTION,
    held_meeting,
    published_minutes,
    write_minutes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(partnered_board, secretariat_user):
    return published_minutes(partnered_board, secretary=secretariat_user)[0]


def _path(url):
    return urlparse(url).path


@pytest.mark.parametrize(
    "url", ["/feeds/minutes/rss/", "/feeds/minutes/atom/", "{board}feed/rss/", "{board}feed/atom/"]
)
def test_minutes_feeds_parse_and_link_to_live_pages(client, minutes, partnered_board, url):
    url = url.format(board=partnered_board.url)
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version in ("rss20", "atom10")
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title == minutes.title
    assert client.get(_path(entry.link)).status_code == 200
    assert PUBLIC_RESOLUTION in entry.summary
    assert EXEMPT_SUMMARY in entry.summary
    # The exempt item is listed by number, title and its own exemption label, in agenda order.
    exempt = next(e.agenda_item for e in minutes.entries.all() if e.agenda_item.exempt)
    assert f"2. Contract for leisure services: {exempt.exemption_label}. {EXEMPT_SUMMARY}" in entry.summary
    assert entry.summary.index(PUBLIC_RESOLUTION) < entry.summary.index(exempt.exemption_label)
    assert EXEMPT_DISCUSSION not in entry.summary and EXEMPT_RESOLUTION not in entry.summary
    assert "Xylophonic" not in response.content.decode()


def test_feeds_leave_out_drafts_unpublished_and_other_boards(client, minutes, partnered_board, secretariat_user):
    other = factories.BoardPageFactory(title="Another Board")
    meeting, _public, _exempt = held_meeting(other, when=timezone.make_aware(datetime.datetime(2011, 7, 6, 10)))
    write_minutes(meeting, secretariat_user)  # a draft: never in a feed
    board_feed = feedparser.parse(client.get(partnered_board.url + "feed/rss/").content)
    assert [e.title for e in board_feed.entries] == [minutes.title]
    site_feed = feedparser.parse(client.get("/feeds/minutes/rss/").content)
    assert [e.title for e in site_feed.entries] == [minutes.title]
    MinutesPage.objects.get(pk=minutes.pk).unpublish()
    assert feedparser.parse(client.get("/feeds/minutes/atom/").content).entries == []
    assert feedparser.parse(client.get(partnered_board.url + "feed/rss/").content).entries == []


def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries, board, secretariat_user):
    from tests.boards.minutes_helpers import approve, make_chair

    chair = make_chair(board)
    for day in (1, 8, 15):
        meeting, _p, _e = held_meeting(board, when=timezone.make_aware(datetime.datetime(2011, 9, day, 10)))
        approve(write_minutes(meeting, secretariat_user), chair, secretariat_user)
    with django_assert_max_num_queries(20):
        response = client.get("/feeds/minutes/rss/")
    assert len(feedparser.parse(response.content).entries) == 3


def test_meetings_calendar(client, minutes, partnered_board):
    cancelled = factories.MeetingPageFactory(
        board=partnered_board,
        cancelled=True,
        starts_at=timezone.make_aware(datetime.datetime(2011, 12, 7, 18, 0)),
    )
    response = client.get(partnered_board.url + "meetings.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["url"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2
    timezones = [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    assert timezones == ["Europe/London"]
    held = events[minutes.meeting.get_full_url()]
    assert str(held["status"]) == "CONFIRMED"
    start = held.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/London" and (start.hour, start.minute) == (18, 30)
    assert held["dtstart"].params["TZID"] == "Europe/London"
    assert str(events[cancelled.get_full_url()]["status"]) == "CANCELLED"
    for url in events:
        assert client.get(_path(url)).status_code == 200
    # Stable UIDs: the same on every fetch, and unchanged when the meeting is edited.
    uids = {str(e["uid"]) for e in cal.walk("VEVENT")}
    cancelled.venue = "Somewhere else"
    cancelled.save_revision().publish()
    again = icalendar.Calendar.from_ical(client.get(partnered_board.url + "meetings.ics").content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == uids


def test_pages_announce_their_feeds(client, minutes, partnered_board):
    board_html = client.get(partnered_board.url).content.decode()
    assert 'type="application/rss+xml"' in board_html and 'type="text/calendar"' in board_html
    meeting_html = client.get(minutes.meeting.url).content.decode()
    assert f'href="{minutes.pdf_url}"' in meeting_html
    assert 'rel="alternate" type="application/pdf"' in meeting_html
    minutes_html = client.get(minutes.url).content.decode()
    assert f'<link rel="alternate" type="application/pdf" href="{minutes.pdf_url}"' in minutes_html
    for href in (minutes.pdf_url, partnered_board.calendar_url, partnered_board.url + "feed/atom/"):
        assert client.get(href).status_code == 200


def test_meetings_calendar_cache_follows_publish_unpublish_and_restriction(client, minutes, partnered_board):
    """The calendar body is cached: every change to what it shows must still show at once (issue 8)."""
    from wagtail.models import PageViewRestriction

    from boards.models import MeetingPage

    def venues():
        cal = icalendar.Calendar.from_ical(client.get(partnered_board.url + "meetings.ics").content)
        return sorted(str(e.get("location", "")) for e in cal.walk("VEVENT"))

    meeting = factories.MeetingPageFactory(
        board=partnered_board, venue="Hendon Town Hall", starts_at=timezone.make_aware(datetime.datetime(2011, 12, 7))
    )
    first = venues()
    assert "Hendon Town Hall" in first and venues() == first  # the second answer comes from the cache
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    meeting.venue = "Colindale Office"
    meeting.save_revision()  # a draft: the public calendar keeps the published venue
    assert venues() == first
    meeting.get_latest_revision().publish()
    assert "Colindale Office" in venues() and "Hendon Town Hall" not in venues()
    MeetingPage.objects.get(pk=meeting.pk).unpublish()
    assert "Colindale Office" not in venues() and len(venues()) == len(first) - 1
    MeetingPage.objects.get(pk=meeting.pk).save_revision().publish()
    assert "Colindale Office" in venues()
    restriction = PageViewRestriction.objects.create(page=meeting, restriction_type=PageViewRestriction.LOGIN)
    assert "Colindale Office" not in venues()
    restriction.delete()
    assert "Colindale Office" in venues()
