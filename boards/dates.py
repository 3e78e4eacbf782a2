"""Dates as the public pages print them, memoised: a board page prints the same hundred meeting times each request.

Formatting is Django's own (date_format in the current time zone and language); only the result is kept.
"""

import datetime
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.formats import date_format


def meeting_when(value):
    """(ISO 8601, "Tuesday 7 March 2017, 10:00") of an aware datetime, as includes/meeting_when.html prints it."""
    return _meeting_when(value, timezone.get_current_timezone_name(), translation.get_language())


@lru_cache(maxsize=8192)
def _meeting_when(value, tz_name, language):
    # tz_name and language are the key's part of what localtime() and date_format() read from the request.
    local = timezone.localtime(value)
    return local.isoformat(), date_format(local, "l j F Y, H:i")


def short_date(value):
    """ "7 Mar 2017" of a date, or of an aware datetime in the current time zone, as |date:"j M Y" prints it."""
    if value is None:
        return ""
    return _short_date(value, timezone.get_current_timezone_name(), translation.get_language())


@lru_cache(maxsize=8192)
def _short_date(value, tz_name, language):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "j M Y")


def meeting_slug(starts_at):
    """The ISO date of a meeting in London time: its page slug."""
    return timezone.localtime(starts_at).date().isoformat()
