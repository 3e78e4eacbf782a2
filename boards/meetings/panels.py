"""Dashboard panel of meetings: upcoming meetings without a published agenda, and the clear working days left.

Shown to the secretariat (who publish agendas); registered on the dashboard by boards/wagtail_hooks.py.
"""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from boards import permissions
from boards.models import MeetingPage

from . import clock


class AgendaDeadlinesPanel(Component):
    """Dashboard panel: upcoming meetings without a published agenda, and the clear working days left."""

    name = "agenda_deadlines"
    order = 90
    template_name = "boards/admin/agenda_deadlines_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        meetings = (
            MeetingPage.objects.filter(starts_at__gte=timezone.now(), agenda_published_at__isnull=True)
            .exclude(status=MeetingPage.Status.CANCELLED)
            .order_by("starts_at")[:20]
        )
        rows = []
        for meeting in meetings:
            left = clock.working_days_left(meeting, today)
            rows.append(
                {
                    "meeting": meeting,
                    "days_left": left,
                    "late": left < clock.CLEAR_WORKING_DAYS,
                }
            )
        return {"rows": rows, "required": clock.CLEAR_WORKING_DAYS}


def agenda_deadlines_panel_for(request):
    """The panel, for the secretariat only (who publish agendas)."""
    if permissions.is_secretariat(request.user):
        return AgendaDeadlinesPanel(request)
    return None
