"""Drafting minutes: "Draft minutes" from a held meeting makes its minutes page with one entry per agenda item.

The view is registered under /admin/boards/… by boards.minutes.hooks.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin import messages

from boards import permissions
from boards.models import AgendaItem, MeetingPage, MinuteEntry, MinutesPage

logger = logging.getLogger(__name__)


class DraftMinutesRefused(Exception):
    """Why minutes cannot be drafted for this meeting, in words for the secretariat."""


def existing_minutes(meeting):
    return MinutesPage.objects.child_of(meeting).first()


def draft_refusal(meeting):
    """None if minutes may be drafted, else the reason."""
    if meeting.status != MeetingPage.Status.HELD:
        return (
            f"Minutes can only be drafted for a held meeting; this meeting is "
            f"{meeting.get_status_display().lower()}. Set its status to “Held” and save it first."
        )
    if existing_minutes(meeting) is not None:
        return "This meeting already has minutes: edit them instead."
    return None


def minutes_title(meeting):
    board = meeting.get_parent()
    return f"Minutes — {board.title} — {date_format(timezone.localtime(meeting.starts_at), 'j F Y')}"


@transaction.atomic
def draft_minutes(meeting, user=None):
    """Create the meeting's draft MinutesPage with one entry per agenda item, in agenda order."""
    # Lock the meeting row so two clicks cannot create two minutes pages.
    meeting = MeetingPage.objects.select_for_update().get(pk=meeting.pk)
    reason = draft_refusal(meeting)
    if reason:
        raise DraftMinutesRefused(reason)
    # Entries refer to saved agenda items (the published agenda, or the saved draft of an unpublished meeting).
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("sort_order", "pk"))
    page = MinutesPage(title=minutes_title(meeting), slug="minutes", live=False, owner=user)
    page.entries = [MinuteEntry(agenda_item_id=item.pk, sort_order=n) for n, item in enumerate(items)]
    meeting.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    logger.info("minutes drafted meeting=%s page=%s entries=%s user=%s", meeting.pk, page.pk, len(items), user)
    return page


def draft_minutes_view(request, page_id):
    """GET: confirm (or explain why not); POST: create the draft and open it in the editor."""
    meeting = get_object_or_404(MeetingPage, pk=page_id)
    # Those who may edit the meeting may draft its minutes (can_add_subpage is False once minutes exist).
    if not permissions.can_draft_minutes(request.user, meeting):
        raise PermissionDenied
    reason = draft_refusal(meeting)
    if request.method == "POST" and not reason:
        try:
            page = draft_minutes(meeting, user=request.user)
        except DraftMinutesRefused as refused:
            reason = str(refused)
        else:
            messages.success(request, f"Draft minutes created with {page.entries.count()} entries.")
            return redirect("wagtailadmin_pages:edit", page.pk)
    minutes = existing_minutes(meeting)
    return TemplateResponse(
        request,
        "boards/admin/draft_minutes.html",
        {
            "meeting": meeting,
            "reason": reason,
            "minutes": minutes,
            "items": AgendaItem.objects.filter(meeting=meeting).order_by("sort_order"),
        },
        status=400 if reason and request.method == "POST" else 200,
    )
