"""Wagtail hooks for minutes: the "Draft minutes" action, the approval guard on publishing, the clock panel.

Imported by boards/wagtail_hooks.py (Wagtail discovers only that module).
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem

from . import minutes_admin
from .models import MeetingPage, MinutesPage


@hooks.register("register_admin_urls")
def register_minutes_admin_urls():
    return [
        path(
            "boards/meetings/<int:page_id>/draft-minutes/",
            minutes_admin.draft_minutes_view,
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
        if not page.permissions_for_user(context["request"].user).can_add_subpage():
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


@hooks.register("construct_homepage_panels")
def add_agenda_deadlines_panel(request, panels):
    panel = minutes_admin.agenda_deadlines_panel_for(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("after_edit_page")
def send_approving_chair_to_the_minutes(request, page):
    """After the chair acts on minutes, Wagtail would send them to the meeting's explorer, which they cannot open."""
    from . import permissions

    if request.POST.get("action-workflow-action") is None or not isinstance(page.specific, MinutesPage):
        return None
    user = request.user
    if permissions.is_secretariat(user) or page.get_parent().permissions_for_user(user).can_edit():
        return None
    minutes = MinutesPage.objects.get(pk=page.pk)
    return redirect(minutes.url if minutes.live and minutes.url else "wagtailadmin_home")
