"""Feeds of published minutes cost the same number of queries for 2 minutes as for 6 (issue 8's budget).

Each item's description lists its entries: they come in one prefetch, not two queries an item.
"""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.boards.actions_helpers import publish_minutes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def _minuted_meeting(board, day):
    when = timezone.make_aware(datetime.datetime(2011, 3, 1, 10)) + datetime.timedelta(days=7 * day)
    meeting = factories.MeetingPageFactory(board=board, starts_at=when, agenda_published=True, held=True)
    minutes = publish_minutes(meeting)
    for number in range(1, 4):
        item = factories.AgendaItemFactory(meeting=meeting, number=str(number), title=f"Item {day}.{number}")
        factories.MinuteEntryFactory(page=minutes, agenda_item=item, resolution=f"Resolved {day}.{number}.")
    return minutes


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit", "a page-cache hit measures the cache, not the page"
    return len(ctx), feedparser.parse(response.content)


@pytest.mark.parametrize("path", ["feed/rss/", "feed/atom/"])
def test_board_feed_queries_do_not_grow_with_minutes(client, board, path):
    for day in range(2):
        _minuted_meeting(board, day)
    few, feed = _count(client, board.url + path)
    assert len(feed.entries) == 2
    for day in range(2, 6):
        _minuted_meeting(board, day)
    many, feed = _count(client, board.url + path)
    assert len(feed.entries) == 6
    # The descriptions still carry every entry's resolution, in agenda order.
    newest = feed.entries[0]
    text = newest.get("summary") or newest.get("description")
    assert "Resolved 5.1." in text and text.index("Resolved 5.1.") < text.index("Resolved 5.3.")
    assert many == few
