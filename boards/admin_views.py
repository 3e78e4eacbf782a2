"""Admin views of the boards app that Wagtail does not provide: publishing an agenda.

Registered under /admin/boards/ by wagtail_hooks.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.models import Page
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView

from . import clock, ids
from .forms import PublishAgendaForm
from .models import MeetingPage

logger = logging.getLogger(__name__)


def publish_agenda(request, page_id):
    """Set the meeting's agenda_published_at and publish the meeting with it."""
    meeting = get_object_or_404(MeetingPage, pk=page_id)
    if not meeting.permissions_for_user(request.user).can_publish():
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


class GuardedDeleteView(SnippetDeleteView):
    """Refuses, with a message, a delete the database protects even when Wagtail's reference index is stale."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError as error:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            messages.error(
                self.request,
                f"“{self.object}” cannot be deleted: {', '.join(kinds)} still refer to it. "
                "End its partnerships and memberships by date instead.",
            )
            return redirect(self.index_url_name)


class ChosenPagesView(ChosenMultipleView):
    """Wagtail's page chooser "chosen multiple" answer, with the tree's root left out (it has no parent: a 500).

    Routed over Wagtail's own at the same path (partnership/urls.py), unnamed, so reverse() and the agency
    allow-list still see Wagtail's name; ids are already row ids here (boards.middleware.AdminIdGuardMiddleware).
    """

    def get(self, request):
        roots = set(Page.objects.filter(depth=1).values_list("pk", flat=True))
        request.GET = request.GET.copy()
        request.GET.setlist("id", [pk for pk in request.GET.getlist("id") if ids.row_id(pk) not in roots])
        return super().get(request)
