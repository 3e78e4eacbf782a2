"""Admin panels for actions inside the minutes editor: this meeting's actions, and those carried forward.

"Add action" opens the Action create form prefilled with board, meeting and agenda item; "Close" is one POST of
its own, sent by boards/js/close-action.js without touching the minutes form (unsaved text stays as typed).
"""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.panels import Panel

from boards import permissions
from boards.models import Action, AgendaItem, MeetingPage

from .queries import carried_forward_actions


class MeetingActionsPanel(Panel):
    """Lists the meeting's actions (with "Add action" per agenda item) and open actions from earlier meetings."""

    def __init__(self, heading="Actions", **kwargs):
        super().__init__(heading=heading, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "meeting_actions"

    class BoundPanel(Panel.BoundPanel):
        template_name = "boards/admin/panels/meeting_actions.html"

        class Media:
            js = ["boards/js/close-action.js"]

        def _meeting(self):
            page = self.instance
            if page is None or page.pk is None:
                # A new minutes page: its parent is in the URL (/admin/pages/add/…/<parent_id>/).
                parent_id = getattr(getattr(self.request, "resolver_match", None), "kwargs", {}).get("parent_page_id")
                return MeetingPage.objects.filter(pk=parent_id).first() if parent_id else None
            return MeetingPage.objects.parent_of(page).first()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            meeting = self._meeting()
            context["meeting"] = meeting
            if meeting is None:
                return context
            user = self.request.user
            add_url = reverse("wagtailsnippets_boards_action:add")
            items = list(AgendaItem.objects.filter(meeting=meeting).order_by("sort_order"))
            actions = list(
                Action.objects.filter(meeting=meeting)
                .with_latest_update()
                .select_related("owner", "agenda_item")
                .order_by("agenda_item__sort_order", "reference")
            )
            context.update(
                {
                    "actions": actions,
                    "items": [
                        (item, f"{add_url}?{urlencode({'meeting': meeting.pk, 'agenda_item': item.pk})}")
                        for item in items
                    ],
                    "add_url": f"{add_url}?{urlencode({'meeting': meeting.pk})}",
                    "can_add": permissions.can_add_action(user),
                    "carried_forward": carried_forward_actions(meeting, user),
                }
            )
            return context
