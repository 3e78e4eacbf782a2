"""boards.dates: memoised dates print exactly what Django's date filter prints, per time zone and language."""

import datetime

from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from boards.dates import meeting_when, short_date

WINTER = datetime.datetime(2016, 1, 5, 14, 0, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2016, 7, 5, 23, 30, tzinfo=datetime.UTC)  # 00:30 the next day in London


def as_filter(value, fmt):
    return date_filter(timezone.template_localtime(value) if isinstance(value, datetime.datetime) else value, fmt)


def test_the_same_text_as_the_date_filter():
    for value in (WINTER, SUMMER):
        assert meeting_when(value) == (as_filter(value, "c"), as_filter(value, "l j F Y, H:i"))
        assert short_date(value) == as_filter(value, "j M Y")
    assert meeting_when(SUMMER)[1] == "Wednesday 6 July 2016, 00:30"
    assert short_date(datetime.date(2017, 3, 7)) == "7 Mar 2017"
    assert short_date(None) == ""


def test_another_time_zone_or_language_is_not_served_the_memoised_text():
    london = meeting_when(SUMMER)
    with timezone.override("America/New_York"):
        assert meeting_when(SUMMER) == (as_filter(SUMMER, "c"), as_filter(SUMMER, "l j F Y, H:i"))
        assert meeting_when(SUMMER) != london
        assert short_date(SUMMER) == "5 Jul 2016"
    assert short_date(datetime.date(2017, 3, 7)) == "7 Mar 2017"
    with translation.override("de"):
        german = short_date(datetime.date(2017, 3, 7))
        assert german == as_filter(datetime.date(2017, 3, 7), "j M Y") == "7 Mär 2017"
    assert meeting_when(SUMMER) == london
