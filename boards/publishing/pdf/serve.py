"""Serving the PDFs of the record under their page's URL: public ones to all once published, full ones to the board.

Each asks boards.permissions; the public ones also have a path of their own that skips Wagtail's serve chain.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Page

from boards import permissions
from boards.models import MeetingPage, MinutesPage
from boards.publishing.sites import site_root_path

from . import storage


def _respond(request, page, kind, full, filename, cache_control):
    name, rendered = storage.ensure_pdf(page, kind, full)
    return _file_response(request, page, name, full, filename, cache_control, stream=not rendered)


def _file_response(request, page, name, full, filename, cache_control, stream=True):
    """The stored PDF `name` (streamed from storage), or 304 when the client holds this version already."""
    etag = '"' + name.replace("/", "-") + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    elif stream:
        response = FileResponse(
            storage.storage_for(full).open(name, "rb"), content_type="application/pdf", filename=filename
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    else:
        with storage.storage_for(full).open(name, "rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    if page.last_published_at:
        response["Last-Modified"] = http_date(page.last_published_at.timestamp())
    return response


def serve_public_pdf(request, url_path, kind):
    """The public minutes.pdf / agenda.pdf of the page at `url_path` without Wagtail's routing and serve chain.

    The same checks as the page's own route (a live page at that path; minutes under a live meeting; an agenda
    once published; boards.permissions.is_public_page), then the stored file is streamed (rendered and stored
    first if missing). None whenever anything is not plainly so (no such page, a view restriction, another
    site's path): the caller then serves it through Wagtail, which gives the same 404s and login redirects.
    """
    root = site_root_path(request)
    if root is None:
        return None
    # The meeting comes with its board's slug (for the file name): one query, not a second for get_parent().
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    board_slug = Subquery(Page.objects.filter(path=parent_path).values("slug")[:1])
    if kind == "minutes":
        page = MinutesPage.objects.filter(url_path=root + url_path, live=True).first()
        if page is None:
            return None
        meeting = MeetingPage.objects.filter(path=page.path[: -page.steplen]).annotate(board_slug=board_slug).first()
        page._meeting_cache = meeting
        if not permissions.minutes_are_servable(page):
            return None
    else:
        page = meeting = (
            MeetingPage.objects.filter(url_path=root + url_path, live=True).annotate(board_slug=board_slug).first()
        )
        if page is None or not meeting.agenda_is_published:
            return None
    if not permissions.is_public_page(page):
        return None
    # Rendered and stored here if missing (the checks above are the page route's): later requests just stream it.
    name, rendered = storage.ensure_pdf(page, kind, False)
    filename = pdf_filename(meeting, kind, board_slug=meeting.board_slug)
    return _file_response(request, page, name, False, filename, PUBLIC_CACHE, stream=not rendered)


def pdf_filename(meeting, kind, full=False, board_slug=None):
    """e.g. one-barnet-partnership-board-2011-06-29-minutes.pdf (`board_slug` when the caller has it already)"""
    board_slug = board_slug or meeting.get_parent().slug
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"{board_slug}-{day}-{storage.variant(kind, full)}.pdf"


PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-cache"


def serve_minutes_pdf(request, page, full=False):
    """minutes.pdf / minutes-full.pdf: only of published minutes; the full one only to the board's agencies."""
    if not permissions.is_public_page(page):
        raise Http404("These minutes are not published.")
    if full and not permissions.can_view_full_minutes(request.user, page):
        raise Http404("No such document.")
    return _respond(
        request,
        page,
        "minutes",
        full,
        pdf_filename(page.meeting, "minutes", full),
        PRIVATE_CACHE if full else PUBLIC_CACHE,
    )


def serve_agenda_pdf(request, meeting, full=False):
    """agenda.pdf / agenda-full.pdf: the public pack once the agenda is published; the full one to the board."""
    if not permissions.is_public_page(meeting):
        raise Http404("This meeting is not published.")
    board = meeting.get_parent().specific
    if full:
        if not permissions.can_view_restricted(request.user, board):
            raise Http404("No such document.")
    elif not meeting.agenda_is_published:
        raise Http404("The agenda is not yet published.")
    return _respond(
        request,
        meeting,
        "agenda",
        full,
        pdf_filename(meeting, "agenda", full),
        PRIVATE_CACHE if full else PUBLIC_CACHE,
    )
