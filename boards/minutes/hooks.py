"""Wagtail hooks for minutes: the "Draft minutes" action, the approval guard on publishing, copying and moving.

Imported by boards/wagtail_hooks.py (Wagtail discovers only that module).
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem

from boards import permissions
from boards.models import MeetingPage, MinutesPage

from . import drafting


@hooks.register("register_admin_urls")
def register_minutes_admin_urls():
    return [
        path(
            "boards/meetings/<int:page_id>/draft-minutes/",
            drafting.draft_minutes_view,
            name="boards_draft_minutes",
        ),
    ]


class DraftMinutesMenuItem(ActionMenuItem):
    """Offered on a meeting until it has minutes; the view explains why a meeting not yet held is refused."""

    label = "Draft minutes"
    name = "action-draft-minutes"
    icon_name = "doc-full-inverse"

    def is_shown(self, context):
        page = context.get("page")
        if context.get("view") != "edit" or not isinstance(page, MeetingPage):
            return False
        if page.status == MeetingPage.Status.CANCELLED:
            return False
        if not permissions.can_add_minutes(context["request"].user, page):
            return False
        return not MinutesPage.objects.child_of(page).exists()

    def get_url(self, context):
        return reverse("boards_draft_minutes", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_draft_minutes_menu_item():
    return DraftMinutesMenuItem(order=16)


@hooks.register("before_publish_page")
def refuse_publishing_unapproved_minutes(request, page):
    """The admin's publish button: a clear message instead of the model layer's PermissionDenied."""
    if isinstance(page, MinutesPage) and not page.approved_on:
        messages.error(
            request,
            "These minutes have not been approved, so they cannot be published. Submit them to the chair for "
            "approval (an edit of published minutes is a correction and needs approval again).",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_copy_page")
def refuse_copying_minutes_with_their_meeting(request, page):
    """Copying a meeting (or board) with its subpages would copy minutes to a meeting the chair never approved.

    Minutes themselves offer no copy (MinutesPermissionTester); the meeting copies fine without its subpages.
    """
    if request.method != "POST" or not request.POST.get("copy_subpages"):
        return None
    if not MinutesPage.objects.descendant_of(page, inclusive=True).exists():
        return None
    messages.error(
        request,
        f"“{page.title}” has minutes below it, and minutes are not copied: they are the record of one meeting. "
        "Copy it without its subpages, and draft minutes for the new meeting once it is held.",
    )
    return redirect("wagtailadmin_pages:copy", page.pk)


@hooks.register("before_move_page")
def refuse_moving_minutes(request, page, destination):
    """The admin's move: a clear message (the model refuses the move on any path, see refuse_moving_minutes)."""
    if isinstance(page.specific, MinutesPage) and page.get_parent().pk != destination.pk:
        messages.error(
            request,
            "Minutes cannot be moved to another meeting: they are the record of the meeting the chair approved "
            "them for. Draft minutes for the other meeting instead.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_edit_page")
def send_approving_chair_to_the_minutes(request, page):
    """After the chair acts on minutes, Wagtail would send them to the meeting's explorer, which they cannot open."""
    if request.POST.get("action-workflow-action") is None or not isinstance(page.specific, MinutesPage):
        return None
    user = request.user
    if permissions.is_secretariat(user) or permissions.can_edit_meeting(user, page.get_parent()):
        return None
    minutes = MinutesPage.objects.get(pk=page.pk)
    return redirect(minutes.url if minutes.live and minutes.url else "wagtailadmin_home")
