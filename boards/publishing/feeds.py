"""Feeds of the public record: RSS 2.0 and Atom of published minutes, site-wide or of one board.

Only what the public may see: live, unrestricted pages; exempt minutes carry their label and public summary.
"""

import re
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.http import http_date

from boards import permissions
from boards.models import AgendaItem, BoardPage, MeetingPage, MinuteEntry, MinutesPage
from boards.models.meetings import exemption_label

FEED_LENGTH = 50


def public_minutes(board=None, limit=FEED_LENGTH):
    """Published, approved, unrestricted minutes under a live meeting of a live board, newest meeting first.

    Each page gets `.meeting` and `.board` set; six queries whatever the number of minutes.
    """
    step = MinutesPage.steplen
    minutes = permissions.public_minutes()
    if board is not None:
        minutes = minutes.descendant_of(board)
    path_of_meeting = {path[:-step]: path for path in minutes.values_list("path", flat=True)}
    # public() above already left out minutes below any view restriction (Wagtail's private_q covers a restricted
    # page and all its descendants), so their meetings and boards are public: only liveness is left to check.
    boards = {b.path: b for b in BoardPage.objects.live().filter(path__in={p[:-step] for p in path_of_meeting})}
    # Only meetings of live boards, and only the newest `limit` of them, become page objects.
    meetings = list(
        MeetingPage.objects.live()
        .filter(path__in=[p for p in path_of_meeting if p[:-step] in boards])
        .order_by("-starts_at", "path")[:limit]
    )
    pages = {p.path: p for p in MinutesPage.objects.filter(path__in=[path_of_meeting[m.path] for m in meetings])}
    result = []
    for meeting in meetings:
        page = pages[path_of_meeting[meeting.path]]
        page._meeting_cache, page._board_cache = meeting, boards[meeting.path[:-step]]
        result.append(page)
    # Each item's description lists its entries: fetch the few columns it shows for all of them in one query, as
    # tuples (building 400 MinuteEntry and AgendaItem cluster models cost more than the rest of the feed).
    lines = {page.pk: [] for page in result}
    entries = list(
        MinuteEntry.objects.filter(page_id__in=list(lines))
        .order_by("sort_order", "pk")
        .values_list("page_id", "agenda_item_id", "sort_order", "public_summary", "resolution")
    )
    # The items by id, in a query of their own: joined, PostgreSQL hashed all 28,000 agenda items for 700 entries.
    items = {
        row[0]: row[1:]
        for row in AgendaItem.objects.filter(pk__in={e[1] for e in entries}).values_list(
            "pk", "sort_order", "number", "title", "exempt", "exemption_paragraph"
        )
    }
    for page_id, item_id, entry_order, public_summary, resolution in entries:
        item_order, number, title, exempt, paragraph = items.get(item_id, (0, None, None, None, None))
        line = FeedEntryLine(number, title, exempt, paragraph, public_summary, resolution)
        lines[page_id].append(((item_order or 0, entry_order or 0), line))
    for page in result:
        page._feed_entry_lines = [line for _, line in sorted(lines[page.pk], key=lambda pair: pair[0])]
    return result


class FeedEntryLine(NamedTuple):
    """What a feed shows of one minute entry (in agenda order, as MinutesPage.entries_for_display)."""

    number: str
    title: str
    exempt: bool
    exemption_paragraph: int | None
    public_summary: str
    resolution: str

    def text(self):
        if self.exempt:
            label = exemption_label(self.exemption_paragraph)
            return label + (f". {self.public_summary}" if self.public_summary else "")
        return self.resolution or "Noted."


# XML 1.0 cannot carry C0 control characters (a Word soft line break is \x0b): Django's feed writer raises
# on them, so user text loses them here rather than the feed becoming a 500.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    return XML_ILLEGAL.sub(" ", value) if isinstance(value, str) else value


def public_summary_text(page):
    """A plain-text summary of the minutes for feed readers: public resolutions, exempt items by label only."""
    lines = [f"Minutes of {page.board.title}, {date_format(timezone.localtime(page.meeting.starts_at), 'j F Y')}."]
    if page.approved_on:
        lines.append(f"Approved on {date_format(page.approved_on, 'j F Y')}.")
    if page.corrected_at:
        corrected = date_format(timezone.localtime(page.corrected_at), "j F Y")
        lines.append(f"Corrected on {corrected}: {page.correction_note}")
    for line in page._feed_entry_lines:  # set by public_minutes
        lines.append(f"{line.number}. {line.title}: {line.text()}")
    return "\n".join(lines)


class MinutesRSSFeed(Feed):
    """RSS 2.0 of published minutes, site-wide or (with board_id) of one board."""

    description_template = None

    def __call__(self, request, *args, **kwargs):
        # Django's Feed.__call__, with the XML built in memory and given to the response once: written into the
        # response, it went through 1,500 small writes a feed (a tenth of its time).
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        feedgen = self.get_feed(obj, request)
        response = HttpResponse(feedgen.writeString("utf-8"), content_type=feedgen.content_type)
        response.headers["Last-Modified"] = http_date(feedgen.latest_post_date().timestamp())
        return response

    def get_object(self, request, board_id=None):
        self.request = request
        if board_id is None:
            return None
        return BoardPage.objects.get(pk=board_id)

    def title(self, obj):
        return xml_text(f"Minutes of {obj.title}") if obj else "Minutes of every partnership board"

    def link(self, obj):
        return obj.get_url(self.request) if obj else "/boards/"

    def description(self, obj):
        return (
            xml_text(f"Approved minutes of {obj.title}, as they are published.")
            if obj
            else "Approved minutes of every partnership board, as they are published."
        )

    def items(self, obj):
        return public_minutes(obj)

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(public_summary_text(item))

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return xml_text(item.board.title)

    def item_enclosures(self, item):
        return []


class MinutesAtomFeed(MinutesRSSFeed):
    """The same minutes as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


def board_minutes_rss(request, board):
    """/boards/<board>/feed/rss/ (BoardPage's route)."""
    return MinutesRSSFeed()(request, board_id=board.pk)


def board_minutes_atom(request, board):
    """/boards/<board>/feed/atom/ (BoardPage's route)."""
    return MinutesAtomFeed()(request, board_id=board.pk)
