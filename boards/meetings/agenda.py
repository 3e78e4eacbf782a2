"""Publishing a meeting's agenda: the admin view, its form (a reason when late) and its page action menu item.

Registered under /admin/boards/ and in the page editor's action menu by boards/wagtail_hooks.py.
"""

import logging

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem

from boards import permissions
from boards.models import MeetingPage

from . import clock

logger = logging.getLogger(__name__)

LATE_REASON_REQUIRED = "Give the reason the agenda is late; the public agenda will show it."


class PublishAgendaForm(forms.Form):
    """Confirms publication of an agenda; asks for a reason when it is late."""

    lateness_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for lateness",
        help_text="Required when the agenda is published fewer than 5 clear working days before the meeting.",
    )

    def __init__(self, *args, late=False, **kwargs):
        self.late = late
        super().__init__(*args, **kwargs)
        if late:
            field = self.fields["lateness_reason"]
            field.required = True
            field.error_messages["required"] = LATE_REASON_REQUIRED

    def clean_lateness_reason(self):
        reason = self.cleaned_data.get("lateness_reason", "").strip()
        if self.late and not reason:
            raise ValidationError(LATE_REASON_REQUIRED)
        return reason


def publish_agenda(request, page_id):
    """Set the meeting's agenda_published_at and publish the meeting with it."""
    meeting = get_object_or_404(MeetingPage, pk=page_id)
    if not permissions.can_publish_agenda(request.user, meeting):
        raise PermissionDenied
    late = clock.agenda_would_be_late(meeting)
    form = PublishAgendaForm(request.POST if request.method == "POST" else None, late=late)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft = meeting.get_latest_revision_as_object()
            draft.agenda_published_at = timezone.now()
            draft.lateness_reason = form.cleaned_data["lateness_reason"] if late else ""
            revision = draft.save_revision(user=request.user, log_action=True)
            revision.publish(user=request.user)
        messages.success(request, f"Agenda of “{meeting.title}” published.")
        logger.info("agenda published meeting=%s user=%s late=%s", meeting.pk, request.user.pk, late)
        return redirect("wagtailadmin_pages:edit", meeting.pk)
    return TemplateResponse(
        request,
        "boards/admin/publish_agenda.html",
        {"meeting": meeting, "form": form, "late": late, "working_days": clock.working_days_left(meeting)},
    )


class PublishAgendaMenuItem(ActionMenuItem):
    label = "Publish agenda"
    name = "action-publish-agenda"
    icon_name = "doc-full"

    def is_shown(self, context):
        page = context.get("page")
        if context.get("view") != "edit" or not isinstance(page, MeetingPage):
            return False
        return page.agenda_published_at is None and permissions.can_publish_agenda(context["request"].user, page)

    def get_url(self, context):
        return reverse("boards_publish_agenda", args=[context["page"].pk])
