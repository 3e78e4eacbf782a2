"""Signal receivers that keep the search index current: Wagtail publish/unpublish and boards model saves/deletes.

boards never imports search; search listens. Each receiver schedules the update_search_index task.
"""

import logging
import sys

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from boards import permissions
from boards.models import (
    Action,
    ActionTag,
    AgendaItem,
    AgendaItemTag,
    BoardPage,
    MeetingPage,
    MinuteEntry,
    MinutesPage,
    Organisation,
)
from boards.signals import records_imported
from search import indexing
from search.records import Scope
from search.tasks import schedule

logger = logging.getLogger(__name__)

# A draft save (save_revision) touches only these fields: the live record is unchanged.
_DRAFT_ONLY_FIELDS = {
    "draft_title",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "latest_revision",
    "locked",
    "locked_at",
    "locked_by",
}


def _publishing_now():
    """Whether this save happens inside Wagtail's publish of a revision.

    Publishing saves the page and then every inline child (items, entries, tags), and then sends page_published,
    which refreshes the whole meeting once: the per-row refreshes in between would be wasted work.
    """
    frame = sys._getframe(2)
    for _ in range(80):
        if frame is None:
            return False
        code = frame.f_code
        if code.co_name == "_publish_revision" and "wagtail" in code.co_filename:
            return True
        frame = frame.f_back
    return False


def _parent_meeting_id(minutes):
    try:
        parent = minutes.get_parent()
    except Exception:  # the tree may be mid-deletion
        return None
    return parent.pk if parent is not None else None


def _schedule_page(page):
    page = page.specific if hasattr(page, "specific") else page
    if isinstance(page, MeetingPage):
        schedule(meeting_ids=[page.pk])
    elif isinstance(page, MinutesPage):
        schedule(meeting_ids=[_parent_meeting_id(page)])
    elif isinstance(page, BoardPage):
        schedule(board_ids=[page.pk])


def on_page_published(sender, instance, **kwargs):
    _schedule_page(instance)


def on_page_unpublished(sender, instance, **kwargs):
    _schedule_page(instance)


def on_page_url_changed(sender, instance, **kwargs):
    """A slug change or move changes the URLs of every record under the page."""
    _schedule_page(instance)


def on_page_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= _DRAFT_ONLY_FIELDS) or _publishing_now():
        return
    _schedule_page(instance)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, BoardPage):
        schedule(board_ids=[instance.pk])
    elif isinstance(instance, MeetingPage):
        schedule(meeting_ids=[instance.pk])
    elif isinstance(instance, MinutesPage):
        schedule(meeting_ids=[_parent_meeting_id(instance)])


def restricted_scope(page_id):
    """What a view restriction on this page covers, as an index scope: every board at or below it (one subtree
    query), or else the meeting it is on or whose minutes it is on."""
    page = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if page is None:  # the page itself is being deleted: its own receivers refresh what it held
        return Scope()
    boards = set(BoardPage.objects.filter(path__startswith=page).values_list("pk", flat=True))
    if boards:
        return Scope(board_ids=boards)
    meetings = MeetingPage.objects.filter(path__in=[page, page[: -Page.steplen]]).values_list("pk", flat=True)
    return Scope(meeting_ids=set(meetings))


def on_restriction_changed(sender, instance, raw=False, **kwargs):
    """A view restriction added, changed or removed: the records it covers change audience.

    Refreshed now, in the request that made the change, not queued: a queued refresh would leave a newly private
    board findable by the public until a worker ran it.
    """
    if raw:
        return
    indexing.refresh(restricted_scope(instance.page_id))


def on_restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, permissions.view_restriction_model()):
        indexing.refresh(restricted_scope(instance.page_id))


def on_item_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _publishing_now():
        schedule(item_ids=[instance.pk])


def on_item_tag_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _publishing_now():
        schedule(item_ids=[instance.content_object_id])


def on_entry_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _publishing_now():
        schedule(entry_ids=[instance.pk])


def on_action_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule(action_ids=[instance.pk])


def on_action_tag_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule(action_ids=[instance.content_object_id])


def on_action_shared_with_changed(sender, instance, action, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Action):
        schedule(action_ids=[instance.pk])
    elif pk_set:  # changed from the organisation's side
        schedule(action_ids=list(pk_set))


def on_organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    """A renamed organisation: refresh the records that name it (lead of items, owner or sharer of actions)."""
    if raw or created:
        return
    item_ids = list(AgendaItem.objects.filter(lead_organisation=instance).values_list("pk", flat=True))
    # A plain OR, not a UNION: SQLite refuses the model's default ordering inside compound statements.
    action_ids = list(
        Action.objects.filter(Q(owner=instance) | Q(shared_with=instance)).distinct().values_list("pk", flat=True)
    )
    schedule(item_ids=item_ids, action_ids=action_ids)


def on_records_imported(sender, **kwargs):
    """A bulk import skipped model signals: refresh the boards, meetings, minutes and actions it wrote.

    Whole boards cover their meetings and actions, so only what lies outside them is named separately.
    """
    board_ids = set(kwargs.get("boards") or [])
    meeting_ids = set(kwargs.get("meetings") or [])
    action_ids = set(kwargs.get("actions") or [])
    minutes_ids = set(kwargs.get("minutes") or [])
    if board_ids:
        for board in BoardPage.objects.filter(pk__in=board_ids):
            inside = set(MeetingPage.objects.child_of(board).values_list("pk", flat=True))
            meeting_ids -= inside
            minutes_ids -= set(MinutesPage.objects.descendant_of(board).values_list("pk", flat=True))
        action_ids -= set(Action.objects.filter(board_id__in=board_ids).values_list("pk", flat=True))
    for minutes in MinutesPage.objects.filter(pk__in=minutes_ids):
        meeting_ids.add(_parent_meeting_id(minutes))
    schedule(board_ids=board_ids, meeting_ids=meeting_ids, action_ids=action_ids)


def connect():
    page_published.connect(on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search_page_unpublished")
    page_slug_changed.connect(on_page_url_changed, dispatch_uid="search_page_slug_changed")
    post_page_move.connect(on_page_url_changed, dispatch_uid="search_page_moved")
    for model in (MeetingPage, MinutesPage):
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"search_saved_{model.__name__}")
    for model in (MeetingPage, MinutesPage, BoardPage):
        post_delete.connect(on_page_deleted, sender=model, dispatch_uid=f"search_deleted_{model.__name__}")
    for model, receiver in (
        (AgendaItem, on_item_changed),
        (AgendaItemTag, on_item_tag_changed),
        (MinuteEntry, on_entry_changed),
        (Action, on_action_changed),
        (ActionTag, on_action_tag_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"search_saved_{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search_deleted_{model.__name__}")
    m2m_changed.connect(
        on_action_shared_with_changed, sender=Action.shared_with.through, dispatch_uid="search_action_shared"
    )
    restriction = permissions.view_restriction_model()
    post_save.connect(on_restriction_changed, sender=restriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(on_restriction_changed, sender=restriction, dispatch_uid="search_restriction_deleted")
    m2m_changed.connect(
        on_restriction_groups_changed,
        sender=restriction.groups.through,
        dispatch_uid="search_restriction_groups",
    )
    post_save.connect(on_organisation_saved, sender=Organisation, dispatch_uid="search_organisation_saved")
    records_imported.connect(on_records_imported, dispatch_uid="search_records_imported")
