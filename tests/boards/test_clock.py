"""The statutory clock: 5 clear working days, weekends and England bank holidays excluded (holidays package,
offline), and the admin's list of upcoming meetings without a published agenda."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.meetings import clock
from tests import factories

D = datetime.date


def test_a_plain_week():
    # Published Monday 6 June 2011 for Monday 13 June: Tue–Fri are the clear working days.
    assert clock.clear_working_days_between(D(2011, 6, 6), D(2011, 6, 13)) == 4


def test_across_the_easter_bank_holiday_weekend_2011():
    # Good Friday 22 April and Easter Monday 25 April 2011 are bank holidays in England.
    assert clock.is_working_day(D(2011, 4, 21))
    assert not clock.is_working_day(D(2011, 4, 22))
    assert not clock.is_working_day(D(2011, 4, 25))
    # Published Tuesday 19 April for Friday 29 April: Wed 20, Thu 21, Tue 26, Wed 27, Thu 28 = 5.
    assert clock.clear_working_days_between(D(2011, 4, 19), D(2011, 4, 29)) == 5
    # Royal wedding, Friday 29 April 2011, was a bank holiday too: for Tuesday 3 May (after the May Day
    # Monday), publishing on Tuesday 26 April leaves only Wed 27 and Thu 28.
    assert clock.clear_working_days_between(D(2011, 4, 26), D(2011, 5, 3)) == 2


def test_the_may_bank_holiday_weekend_makes_an_agenda_late():
    # Spring bank holiday Monday 30 May 2011. Meeting Wednesday 8 June 2011 at 18:30.
    meeting = SimpleNamespace(starts_at=timezone.make_aware(datetime.datetime(2011, 6, 8, 18, 30)))
    # Published Tuesday 31 May: clear days Wed 1, Thu 2, Fri 3, Mon 6, Tue 7 = 5 — on time.
    assert clock.working_days_left(meeting, D(2011, 5, 31)) == 5
    assert not clock.agenda_would_be_late(meeting, D(2011, 5, 31))
    # Published Friday 27 May: the bank holiday Monday does not count, so it is 6 — still fine.
    assert clock.working_days_left(meeting, D(2011, 5, 27)) == 6
    # Published Wednesday 1 June: 4 — late.
    assert clock.agenda_would_be_late(meeting, D(2011, 6, 1))


def test_christmas_and_boxing_day_substitutes():
    # 25 and 26 December 2010 fell on a weekend: the substitute days 27 and 28 are bank holidays.
    assert not clock.is_working_day(D(2010, 12, 27))
    assert not clock.is_working_day(D(2010, 12, 28))
    assert clock.clear_working_days_between(D(2010, 12, 23), D(2011, 1, 5)) == 5  # 24, 29, 30, 31 Dec, 4 Jan


@pytest.mark.django_db
def test_dashboard_lists_upcoming_meetings_without_a_published_agenda(client, board, secretariat_user):
    soon = factories.MeetingPageFactory(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=3), title="Soon meeting"
    )
    factories.MeetingPageFactory(
        board=board,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        title="Ready meeting",
        agenda_published_at=timezone.now(),
    )
    factories.MeetingPageFactory(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=5), cancelled=True, title="Off meeting"
    )
    client.force_login(secretariat_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Agendas to publish" in html
    assert "Soon meeting" in html
    assert "Ready meeting" not in html and "Off meeting" not in html
    assert f"{clock.working_days_left(soon)} — <strong>late" in html
