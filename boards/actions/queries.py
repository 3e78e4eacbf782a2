"""The actions a listing or panel shows, limited to what the viewer may see (boards.permissions decides).

Querysets with what their rows show annotated: no per-row queries.
"""

from django.db.models import F, OuterRef, Prefetch, Subquery

from boards import permissions
from boards.models import Action, ActionUpdate


def listing_queryset(user, export=False):
    """The actions a user sees, with what a listing row shows, in a constant number of queries.

    A listing page shows the board's code (an annotation: no BoardPage and Page objects built for each row), the owner
    (one join) and the latest update's note (one subquery). An export also writes the board's title, the meeting's
    date, the lead person and the agencies it is shared with: those come only when `export` asks for them.
    """
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    queryset = permissions.actions_visible_to(user).annotate(
        board_code=F("board__code"),
        latest_update_note=Subquery(latest.values("note")[:1]),
    )
    if export:
        return queryset.select_related("board", "owner", "owner_person", "meeting").prefetch_related(
            Prefetch("shared_with")
        )
    return queryset.select_related("owner")


def carried_forward_actions(meeting, user):
    """Actions of the meeting's board still open from earlier meetings, each with its latest update.

    The public sees only actions from published minutes of non-exempt items; restricted viewers see all.
    """
    board = meeting.get_parent().specific
    actions = permissions.board_actions_visible_to(user, board, Action.objects.carried_forward(meeting))
    # Only the owner is shown: joining the meeting and agenda item made two more model instances a row (a page
    # and a ClusterableModel), half of the meeting page's time with 131 actions carried forward.
    return list(actions.with_latest_update().select_related("owner").order_by("meeting__starts_at", "reference"))
