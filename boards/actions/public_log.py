"""The public action log of a board (/boards/<board>/actions/): its public actions, filtered and paginated.

Which actions are public is boards.permissions' public_actions_filter; the filters only narrow it.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from boards import permissions
from boards.models import Action, Organisation

from .filters import PublicActionFilterSet

PUBLIC_PER_PAGE = 50


def _page_of(actions, reference):
    """The page of the log (newest meeting first, then reference) holding the action `reference`, else 1.

    Search results link to an action as ?action=REFERENCE#anchor: the anchor alone would only work on page 1.
    """
    if not reference or len(reference) > 40 or "\x00" in reference:
        return 1
    target = actions.filter(reference=reference).values("meeting__starts_at").first()
    if target is None:
        return 1
    starts_at = target["meeting__starts_at"]
    before = actions.filter(
        Q(meeting__starts_at__gt=starts_at) | Q(meeting__starts_at=starts_at, reference__lt=reference)
    ).count()
    return before // PUBLIC_PER_PAGE + 1


def public_action_log(request, board):
    """/boards/<board>/actions/: public actions of the board, filterable by status and agency, paginated."""
    today = timezone.localdate()
    base = Action.objects.filter(board_id=board.pk).filter(permissions.public_actions_filter(within=board.path))
    # The agencies with public actions here, found once: the form validates against them and lists them, and with
    # the subquery each of those re-ran the scan of the board's actions (half this page's database time).
    owner_ids = set(base.order_by().values_list("owner_id", flat=True).distinct())
    owners = Organisation.objects.filter(pk__in=owner_ids).order_by("name")
    filterset = PublicActionFilterSet(request.GET or None, queryset=base, owners=owners)
    if filterset.is_bound and not filterset.is_valid():
        # A bad filter value is the visitor's mistake: say so, with the form, as a 400.
        actions = Action.objects.none()
        status = 400
    else:
        actions = filterset.qs
        status = 200
    page_number = request.GET.get("page") or _page_of(actions, request.GET.get("action"))
    actions = (
        actions.with_latest_update()
        .select_related("owner", "meeting", "agenda_item")
        .order_by("-meeting__starts_at", "reference")
    )
    paginator = Paginator(actions, PUBLIC_PER_PAGE)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        page = paginator.page(1)
        status = 400
    except EmptyPage:
        raise Http404("No such page of actions.") from None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("action", None)
    return TemplateResponse(
        request,
        "boards/board_actions.html",
        {
            "page": board,
            "board": board,
            "filter": filterset,
            "actions": page,
            "paginator": paginator,
            "today": today,
            "query_string": query.urlencode(),
        },
        status=status,
    )
