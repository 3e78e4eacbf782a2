"""Deletes the record refuses: a meeting that has minutes, and an organisation or person still referred to.

Registered by boards/wagtail_hooks.py (the page hook and the snippets' delete view).
"""

from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView

from boards.models import MeetingPage, MinutesPage


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


def refuse_deleting_minuted_meetings(request, page):
    """before_delete_page: a meeting with minutes is cancelled, never deleted."""
    specific = page.specific
    if isinstance(specific, MeetingPage) and MinutesPage.objects.child_of(specific).exists():
        messages.error(request, f"“{page.title}” has minutes and cannot be deleted. Cancel the meeting instead.")
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
