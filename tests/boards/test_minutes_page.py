"""The public minutes page and the meeting page's link to it: exempt entries withheld, restricted viewers
see everything labelled, unpublishing removes them at once."""

import pytest

from boards.models import MinutesPage
from tests.boards.minutes_helpers import (
    EXEMPT_DISCUSSION,
    EXEMPT_RESOLUTION,
    EXEMPT_SUMMARY,
    PUBLIC_DISCUSSION,
    PUBLIC_RESOLUTION,
    held_meeting,
    published_minutes,
    write_minutes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(partnered_board, secretariat_user):
    return published_minutes(partnered_board, secretary=secretariat_user)[0]


def test_public_page_shows_attendance_declarations_and_public_minutes_only(client, minutes):
    html = client.get(minutes.url).content.decode()
    assert "Ann Present" in html and "Bob Apologetic" in html
    assert "Dee Clarer" in html and "trustee of a local charity" in html
    assert PUBLIC_DISCUSSION.replace("£", "&pound;") in html or PUBLIC_DISCUSSION in html
    assert PUBLIC_RESOLUTION in html
    assert "2. </span> Contract for leisure services" in html or "Contract for leisure services" in html
    assert "Exempt information — Schedule 12A paragraph 3" in html
    assert EXEMPT_SUMMARY in html
    assert "Zanzibarquux" not in html and "Xylophonic" not in html
    assert "Approved as a correct record" in html and "Published" in html


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_exempt_minutes_are_withheld_from_the_public_and_other_agencies(client, minutes, outsider_user, who):
    if who == "outsider":
        client.force_login(outsider_user)
    html = client.get(minutes.url).content.decode()
    assert EXEMPT_DISCUSSION not in html and EXEMPT_RESOLUTION not in html
    assert "minutes-full.pdf" not in html


@pytest.mark.parametrize("who", ["council", "secretariat"])
def test_restricted_viewers_see_everything_labelled(client, minutes, council_user, secretariat_user, who):
    client.force_login(council_user if who == "council" else secretariat_user)
    html = client.get(minutes.url).content.decode()
    assert EXEMPT_DISCUSSION in html and EXEMPT_RESOLUTION in html
    assert "Restricted: visible to partner agencies only." in html
    assert "minutes-full.pdf" in html


def test_meeting_page_links_to_published_minutes(client, minutes, django_assert_max_num_queries):
    html = client.get(minutes.meeting.url).content.decode()
    assert f'href="{minutes.url}"' in html
    assert "Minutes not yet published" not in html
    assert "Agenda published" in html


def test_meeting_page_says_minutes_not_yet_published_for_drafts(client, board, secretariat_user):
    meeting, _public, _exempt = held_meeting(board)
    draft = write_minutes(meeting, secretariat_user)
    html = client.get(meeting.url).content.decode()
    assert "Minutes not yet published" in html
    assert f'href="{draft.url}"' not in html and "/minutes/" not in html.split("</header>")[-1].split("<footer")[0]


def test_unpublishing_removes_minutes_from_page_and_meeting(client, minutes):
    url, meeting_url = minutes.url, minutes.meeting.url
    MinutesPage.objects.get(pk=minutes.pk).unpublish()
    assert client.get(url).status_code == 404
    assert "Minutes not yet published" in client.get(meeting_url).content.decode()


def test_minutes_page_query_count_is_bounded(client, minutes, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(minutes.url).status_code == 200
