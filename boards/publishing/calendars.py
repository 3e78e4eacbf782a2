"""iCalendar of a board's meetings (…/meetings.ics): every live, public meeting, in Europe/London.

The same body for every viewer, cached under a digest of everything it is made from.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from boards.models import MeetingPage


@functools.cache
def _vtimezone(tzid):
    """The VTIMEZONE of a zone, built once per process (icalendar computes its transitions from 1970 to 2038)."""
    return Timezone.from_tzid(tzid)


def board_calendar(request, board):
    """text/calendar of a board's published meetings, in Europe/London with its VTIMEZONE.

    The body is cached under a digest of everything it is made from (the board's title, its URL, the zone and every
    column written of every live public meeting, read in one query): any publish, unpublish, edit, move or view
    restriction changes the rows and so the key; the feed is the same for every viewer.
    """
    # Columns, not pages: a meeting's URL is its board's plus the rest of its url_path, as Wagtail builds it.
    board_url = board.get_full_url(request)
    meetings = list(
        MeetingPage.objects.child_of(board)
        .live()
        .public()
        .order_by("starts_at", "pk")
        .values_list("translation_key", "status", "starts_at", "ends_at", "venue", "url_path", "last_published_at")
    )
    zone = timezone.get_current_timezone_name()
    made_of = repr((board.pk, board.title, board_url, board.url_path, zone, meetings)).encode()
    key = "boards:ical:" + hashlib.sha256(made_of).hexdigest()
    body = cache.get(key)
    if body is None:
        body = _calendar_body(board, board_url, meetings, zone)
        cache.set(key, body, settings.PUBLIC_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{board.slug}-meetings.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def _calendar_body(board, board_url, meetings, zone):
    cal = Calendar()
    cal.add("prodid", "-//Partnership Records//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Meetings of {board.title}")
    cal.add("x-wr-timezone", "Europe/London")
    now = timezone.now()
    for translation_key, status, starts_at, ends_at, venue, url_path, last_published_at in meetings:
        event = Event()
        # translation_key is a UUID fixed when the page is created: stable across edits, moves and date changes.
        event.add("uid", f"{translation_key}@partnership-records")
        event.add("dtstamp", now)
        cancelled = status == MeetingPage.Status.CANCELLED
        event.add("summary", f"{board.title}" + (" (cancelled)" if cancelled else ""))
        event.add("dtstart", timezone.localtime(starts_at))
        event.add("dtend", timezone.localtime(ends_at or starts_at + datetime.timedelta(hours=2)))
        if venue:
            event.add("location", venue)
        if board_url:
            event.add("url", board_url + url_path[len(board.url_path) :])
        ical_status = {
            MeetingPage.Status.CANCELLED: "CANCELLED",
            MeetingPage.Status.POSTPONED: "TENTATIVE",
        }.get(status, "CONFIRMED")
        event.add("status", ical_status)
        if last_published_at:
            event.add("last-modified", last_published_at)
        cal.add_component(event)
    if cal.subcomponents:
        # Every local time is in the current zone (dtstamp and last-modified are UTC): its one VTIMEZONE first.
        cal.subcomponents.insert(0, _vtimezone(zone))
    return cal.to_ical()
