"""Every page type renders for an anonymous visitor."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_lists_boards_and_next_meetings(client, board):
    response = client.get("/")
    assert response.status_code == 200
    assert board.title in response.content.decode()


def test_board_index_lists_board_with_partners(client, partnered_board):
    response = client.get("/boards/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "One Barnet Partnership Board" in html
    assert "NHS Barnet" in html


def test_board_page_lists_each_meeting_as_pageurl_and_the_date_filter_would(client, board):
    """The board's list is built from values (BoardPage.meeting_listing): links and times must be the page's own."""
    import datetime

    from django.template import engines
    from django.test import RequestFactory

    from tests import factories

    tz = datetime.UTC
    meetings = [
        factories.MeetingPageFactory(board=board, starts_at=datetime.datetime(2016, 1, 5, 14, tzinfo=tz)),
        # British Summer Time: 18:30 UTC prints as 19:30.
        factories.MeetingPageFactory(board=board, starts_at=datetime.datetime(2016, 7, 5, 18, 30, tzinfo=tz)),
        factories.MeetingPageFactory(
            board=board, starts_at=datetime.datetime(2016, 9, 6, 10, tzinfo=tz), status="cancelled"
        ),
        factories.MeetingPageFactory(board=board, starts_at=datetime.datetime(2099, 3, 3, 10, tzinfo=tz)),
    ]
    hidden = factories.MeetingPageFactory(board=board, starts_at=datetime.datetime(2016, 3, 1, 9, tzinfo=tz))
    hidden.unpublish()
    html = client.get(board.url).content.decode().replace("\n", "")
    expected = engines["django"].from_string(
        '{% load wagtailcore_tags %}<a class="govuk-link" href="{% pageurl meeting %}">'
        '{% include "includes/meeting_when.html" %}</a>'
    )
    request = RequestFactory().get(board.url)
    for meeting in meetings:
        link = expected.render({"meeting": meeting, "request": request}).replace("\n", "")
        assert link in html, link
    assert "Tuesday 5 July 2016, 19:30" in html
    assert '<strong class="govuk-tag govuk-tag--red">Cancelled</strong>' in html
    assert hidden.url not in html
