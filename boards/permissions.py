"""Who may see or do what: the one place every view, feed, PDF and hook asks.

Small yes/no functions. Dates of partnership are checked at request time, so a missed sync never opens access.
"""

import logging

from django.utils import timezone

logger = logging.getLogger(__name__)

SECRETARIAT_GROUP = "Secretariat"
CHAIRS_GROUP = "Chairs"


def _group_names(user):
    cache = getattr(user, "_partnership_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._partnership_group_names = cache
    return cache


def is_authenticated(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_secretariat(user):
    """The secretariat (and superusers) see and edit everything."""
    if not is_authenticated(user):
        return False
    return user.is_superuser or SECRETARIAT_GROUP in _group_names(user)


def agency_group_ids(user):
    """The auth group ids of the agencies the user works for."""
    if not is_authenticated(user):
        return set()
    cache = getattr(user, "_partnership_agency_group_ids", None)
    if cache is None:
        cache = set(user.groups.filter(organisation__isnull=False).values_list("id", flat=True))
        user._partnership_agency_group_ids = cache
    return cache


def current_partner_group_ids(board, on=None):
    """Group ids of the board's partner agencies on a date (today by default)."""
    from boards.models import BoardPartner

    on = on or timezone.localdate()
    partners = BoardPartner.objects.filter(board_id=board.pk).select_related("organisation")
    return {p.organisation.group_id for p in partners if p.is_current(on) and p.organisation.group_id}


def can_view_restricted(user, board):
    """Exempt items, their papers, full minutes and agenda drafts of this board."""
    if board is None or not is_authenticated(user):
        return False
    if is_secretariat(user):
        return True
    mine = agency_group_ids(user)
    if not mine:
        return False
    return bool(mine & current_partner_group_ids(board))


def can_view_item_detail(user, item, board=None):
    """The summary, papers and presenter of an agenda item."""
    meeting = item.meeting
    board = board or meeting.get_parent().specific
    if item.exempt or not meeting.live or not meeting.agenda_is_published:
        return can_view_restricted(user, board)
    return True


def can_download_document(user, document):
    """A paper is refused if any agenda item it belongs to is restricted for this user."""
    from boards.models import AgendaItem

    items = AgendaItem.objects.filter(papers=document).select_related("meeting")
    for item in items:
        if not can_view_item_detail(user, item):
            logger.info(
                "document refused user=%s document=%s item=%s",
                getattr(user, "pk", None),
                document.pk,
                item.pk,
            )
            return False
    return True
