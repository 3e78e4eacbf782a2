"""The statutory clock: an agenda is due 5 clear working days before its meeting.

Clear days exclude the day of publication and the day of the meeting; weekends and England bank holidays do not count.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

CLEAR_WORKING_DAYS = 5


@lru_cache(maxsize=64)
def _england_holidays(year):
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day):
    return day.weekday() < 5 and day not in _england_holidays(day.year)


def clear_working_days_between(published_on, meeting_on):
    """Working days strictly after `published_on` and strictly before `meeting_on`."""
    count = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        if is_working_day(day):
            count += 1
        day += datetime.timedelta(days=1)
    return count


def working_days_left(meeting, today=None):
    today = today or timezone.localdate()
    return clear_working_days_between(today, timezone.localtime(meeting.starts_at).date())


def agenda_would_be_late(meeting, today=None):
    return working_days_left(meeting, today) < CLEAR_WORKING_DAYS
