"""A page's query count does not grow with the number of items on it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit", "a page-cache hit measures the cache, not the page"
    return len(ctx.captured_queries)


def meeting_with_items(board, n):
    meeting = factories.MeetingPageFactory(board=board, agenda_published=True, held=True)
    lead = factories.OrganisationFactory()
    for i in range(n):
        item = factories.AgendaItemFactory(
            meeting=meeting,
            number=str(i + 1),
            lead_organisation=lead,
            exempt=(i % 5 == 4),
            exemption_paragraph=(3 if i % 5 == 4 else None),
        )
        item.tags.add("libraries", f"topic {i}")
        item.save()
        factories.AttendanceFactory(meeting=meeting, person=factories.PersonFactory())
    return meeting


def test_meeting_page_queries_constant(client, partnered_board):
    small = meeting_with_items(partnered_board, 5)
    large = meeting_with_items(partnered_board, 50)
    assert count_queries(client, large.url) == count_queries(client, small.url)


def test_board_page_queries_constant(client):
    def board_with_meetings(n):
        board = factories.BoardPageFactory()
        for i in range(n):
            factories.MeetingPageFactory(
                board=board,
                starts_at=datetime.datetime(2005, 1, 3, 10, tzinfo=datetime.UTC) + datetime.timedelta(days=30 * i),
            )
            factories.MembershipFactory(board=board)
            factories.BoardPartnerFactory(board=board)
        return board

    small = board_with_meetings(5)
    large = board_with_meetings(50)
    assert count_queries(client, large.url) == count_queries(client, small.url)
