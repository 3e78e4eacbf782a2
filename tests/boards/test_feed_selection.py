"""Which minutes the feeds carry: the newest `limit`, of live meetings of live boards, newest meeting first."""

import datetime

import pytest
from django.utils import timezone

from boards.publishing.feeds import public_minutes
from tests import factories
from tests.boards.actions_helpers import publish_minutes

pytestmark = pytest.mark.django_db


def minuted(board, day):
    when = timezone.make_aware(datetime.datetime(2024, 1, day, 18, 0))
    meeting = factories.MeetingPageFactory(board=board, starts_at=when, held=True, agenda_published=True)
    return publish_minutes(meeting)


def test_the_newest_minutes_first_and_only_as_many_as_asked():
    board = factories.BoardPageFactory(title="Feed Board", slug="feed-board", code="FB")
    first, second, third = (minuted(board, day) for day in (5, 12, 19))
    assert [m.pk for m in public_minutes(board)] == [third.pk, second.pk, first.pk]
    assert [m.pk for m in public_minutes(board, limit=2)] == [third.pk, second.pk]
    # Each comes with its meeting and board, for the feed's titles and links.
    newest = public_minutes(board, limit=1)[0]
    assert newest.meeting.pk == third.get_parent().pk and newest.board.pk == board.pk


def test_an_unpublished_board_takes_its_minutes_out_of_the_site_wide_feed():
    shown = factories.BoardPageFactory(title="Shown Board", slug="shown", code="SB")
    hidden = factories.BoardPageFactory(title="Hidden Board", slug="hidden", code="HB")
    kept = minuted(shown, 5)
    dropped = minuted(hidden, 26)  # the newest: it must not take a place in the limit either
    hidden.unpublish()
    assert [m.pk for m in public_minutes(limit=1)] == [kept.pk]
    assert dropped.pk not in [m.pk for m in public_minutes()]


@pytest.mark.parametrize("restricted", ["board", "meeting", "minutes"])
def test_a_view_restriction_on_the_minutes_or_above_them_keeps_them_out(restricted):
    from wagtail.models import PageViewRestriction

    board = factories.BoardPageFactory(title="Private Board", slug="private-board", code="PB")
    kept_board = factories.BoardPageFactory(title="Open Board", slug="open-board", code="OB")
    hidden = minuted(board, 12)
    kept = minuted(kept_board, 5)
    page = {"board": board, "meeting": hidden.get_parent(), "minutes": hidden}[restricted]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert [m.pk for m in public_minutes()] == [kept.pk]
    assert public_minutes(board) == []
