"""Builders that turn agenda items, minute entries, actions and meetings into flat search records.

Who may see each record is asked of boards.permissions; nothing here decides an audience on its own.
"""

import datetime
import html
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from boards import permissions
from boards.models import Action, AgendaItem, BoardPage, MeetingPage, MinuteEntry, MinutesPage

logger = logging.getLogger(__name__)

AGENDA_ITEM, MINUTE, ACTION, MEETING = "agenda_item", "minute", "action", "meeting"
KIND_LABELS = {AGENDA_ITEM: "Agenda item", MINUTE: "Minute", ACTION: "Action", MEETING: "Meeting"}

# Private-use characters mark highlights inside snippets; record text must never contain them.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


def clean_text(value, rich=False):
    """Plain text for the index: control characters gone; rich text (HTML) also loses its tags and entities.

    Plain fields keep what the user typed ("<" included): every page escapes it when rendering.
    """
    if not value:
        return ""
    text = html.unescape(strip_tags(str(value))) if rich else str(value)
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


@dataclass
class Record:
    """A search record before it reaches a backend: the same fields as search.models.SearchRecord."""

    kind: str
    object_id: int
    audience: str
    url: str
    title: str
    body: str = ""
    resolution: str = ""
    meeting_id: int | None = None
    board_id: int | None = None
    board_title: str = ""
    date: datetime.date | None = None
    is_redaction: bool = False
    organisations: list = field(default_factory=list)  # [(id, slug, name)]
    tags: list = field(default_factory=list)  # [(slug, name)]

    @property
    def key(self):
        return f"{self.kind}:{self.object_id}:{self.audience}"

    @property
    def year(self):
        return self.date.year if self.date else None

    @property
    def restricted(self):
        return self.audience != permissions.PUBLIC_AUDIENCE


@dataclass
class Scope:
    """Which existing records a refresh replaces: whole meetings, whole boards, or single objects by kind."""

    meeting_ids: set = field(default_factory=set)
    board_ids: set = field(default_factory=set)
    objects: dict = field(default_factory=dict)  # kind -> set of object ids

    def add(self, kind, ids):
        self.objects.setdefault(kind, set()).update(i for i in ids if i is not None)
        return self

    def is_empty(self):
        return not (self.meeting_ids or self.board_ids or any(self.objects.values()))


def _org(org):
    return (org.pk, org.slug, org.short_name or org.name)


def _tags(obj):
    return sorted({(t.slug, t.name) for t in obj.tags.all()})


class _MeetingContext:
    """What every record of one meeting needs: its board, audiences, URLs and minutes (computed once)."""

    def __init__(self, meeting, board=None):
        self.meeting = meeting
        self.board = board or meeting.get_parent().specific
        self.audience = permissions.audience_of_meeting(meeting, self.board)
        self.url = meeting.get_url() or meeting.url_path
        self.date = timezone.localtime(meeting.starts_at).date()
        self.minutes = MinutesPage.objects.child_of(meeting).first()
        self.minutes_public = self.audience is not None and permissions.minutes_are_public(
            self.minutes, meeting, self.board, self.audience
        )
        self.minutes_url = (self.minutes.get_url() or self.minutes.url_path) if self.minutes else self.url

    def base(self, kind, object_id, audience, url, title, **kwargs):
        return Record(
            kind=kind,
            object_id=object_id,
            audience=audience,
            url=url,
            title=clean_text(title)[:500],
            meeting_id=self.meeting.pk,
            board_id=self.board.pk,
            board_title=self.board.title,
            date=self.date,
            **kwargs,
        )


def _meeting_record(ctx):
    m = ctx.meeting
    status = m.get_status_display()
    body = f"{ctx.board.title}. {status}. {m.venue}"
    return ctx.base(MEETING, m.pk, ctx.audience, ctx.url, m.title, body=clean_text(body))


def _item_records(ctx, item):
    """The item's full record (public or restricted) and, for an exempt item, its public stub."""
    records = []
    audience = permissions.audience_of_item(item, ctx.meeting, ctx.board, ctx.audience)
    if audience is None:
        return records
    url = f"{ctx.url}#{item.anchor}"
    title = f"{item.number}. {item.title}"
    orgs = [_org(item.lead_organisation)] if item.lead_organisation else []
    people = f"Presented by {item.presenter.name}" if item.presenter else ""
    label = item.exemption_label if item.exempt else ""
    body = " ".join(p for p in [label, clean_text(item.summary), people] if p)
    records.append(
        ctx.base(AGENDA_ITEM, item.pk, audience, url, title, body=body, organisations=orgs, tags=_tags(item))
    )
    if permissions.item_has_public_stub(item, ctx.meeting, ctx.board, ctx.audience):
        records.append(
            ctx.base(AGENDA_ITEM, item.pk, permissions.PUBLIC_AUDIENCE, url, title, body=label, is_redaction=True)
        )
    return records


def _entry_records(ctx, entry):
    """A minute: full record for its audience and, for an exempt item, the public summary stub."""
    item = entry.agenda_item
    audience = permissions.audience_of_minute_entry(entry, item, ctx.board, ctx.minutes_public)
    if audience is None:
        return []
    url = f"{ctx.minutes_url}#{item.anchor}"
    title = f"Minute {item.number}: {item.title}"
    orgs = [_org(item.lead_organisation)] if item.lead_organisation else []
    label = item.exemption_label if item.exempt else ""
    summary = clean_text(entry.public_summary)
    body = " ".join(p for p in [label, summary, clean_text(entry.discussion, rich=True)] if p)
    records = [
        ctx.base(
            MINUTE,
            entry.pk,
            audience,
            url,
            title,
            body=body,
            resolution=clean_text(entry.resolution),
            organisations=orgs,
            tags=_tags(item),
        )
    ]
    if permissions.minute_has_public_stub(item, ctx.minutes_public):
        # The public sees the number, title, exemption label and public summary, and nothing else of it.
        stub_body = " ".join(p for p in [label, summary] if p)
        records.append(
            ctx.base(MINUTE, entry.pk, permissions.PUBLIC_AUDIENCE, url, title, body=stub_body, is_redaction=True)
        )
    return records


def action_log_url(action, board_url):
    """The action's row in its board's public action log: the page holding it (?action=) and its anchor."""
    query = urlencode({"action": action.reference}, safe="/")
    return f"{board_url}actions/?{query}#{action.anchor}"


def _action_url(action, board_urls, audience):
    """A public action links to its row in the public log; a restricted one (on no public page) to
    search's open_action, which sends each viewer where they may see it (see search.views.open_action)."""
    if audience != permissions.PUBLIC_AUDIENCE:
        return reverse("search:open_action", args=[action.pk])
    return action_log_url(action, board_urls.get(action.board_id) or "/")


def _action_records(actions, contexts=None, public_ids=None):
    """Records of actions; `contexts` maps meeting id -> _MeetingContext when the caller has them.

    `public_ids` (from permissions.public_action_ids), when the caller computed it for many actions at once.
    """
    contexts = contexts if contexts is not None else {}
    actions = list(
        actions.select_related("board", "owner", "owner_person", "agenda_item", "meeting").prefetch_related(
            "shared_with", "tags"
        )
    )
    if not actions:
        return []
    if public_ids is None:
        public_ids = permissions.public_action_ids(Action.objects.filter(pk__in=[a.pk for a in actions]))
    board_urls = {}
    records = []
    for action in actions:
        board = action.board
        if board.pk not in board_urls:
            board_urls[board.pk] = board.get_url() or board.url_path
        audience = permissions.audience_of_action(action, public_ids)
        if audience is None:
            continue
        meeting_id = action.meeting_id or (action.agenda_item.meeting_id if action.agenda_item_id else None)
        when = None
        if meeting_id and meeting_id in contexts:
            when = contexts[meeting_id].date
        elif action.meeting_id:
            when = timezone.localtime(action.meeting.starts_at).date()
        else:
            when = timezone.localtime(action.created_at).date()
        orgs = [_org(action.owner)] + [_org(o) for o in action.shared_with.all() if o.pk != action.owner_id]
        owner = action.owner.short_name or action.owner.name
        status = action.get_status_display()
        due = action.due_on.strftime("%-d %B %Y") if action.due_on else ""
        body = f"{action.reference}. Owner: {owner}. Status: {status}. Due {due}."
        if action.owner_person_id:
            body += f" Lead: {action.owner_person.name}."
        records.append(
            Record(
                kind=ACTION,
                object_id=action.pk,
                audience=audience,
                url=_action_url(action, board_urls, audience),
                title=clean_text(f"Action {action.reference}: {action.description}")[:500],
                body=clean_text(body),
                resolution=clean_text(action.description),
                meeting_id=meeting_id,
                board_id=board.pk,
                board_title=board.title,
                date=when,
                organisations=orgs,
                tags=_tags(action),
            )
        )
    return records


def _items_qs():
    return AgendaItem.objects.select_related("lead_organisation", "presenter").prefetch_related("tags")


def _entries_qs():
    return MinuteEntry.objects.select_related(
        "agenda_item", "agenda_item__lead_organisation", "page"
    ).prefetch_related(Prefetch("agenda_item__tags"))


def _context_for(meeting_id, cache):
    if meeting_id not in cache:
        meeting = MeetingPage.objects.filter(pk=meeting_id).first()
        cache[meeting_id] = _MeetingContext(meeting) if meeting is not None else None
    return cache[meeting_id]


def records_for_meeting(meeting, board=None, public_action_ids=None):
    """Every record of one meeting: the meeting, its agenda items, its minutes and its actions."""
    ctx = _MeetingContext(meeting, board)
    if ctx.audience is None:
        # A draft or restricted meeting is in no public channel; its actions may still be restricted records.
        actions = Action.objects.filter(Q(meeting=meeting) | Q(agenda_item__meeting=meeting))
        return [r for r in _action_records(actions, {meeting.pk: ctx}, public_action_ids) if r.restricted]
    records = [_meeting_record(ctx)]
    for item in _items_qs().filter(meeting=meeting).order_by("sort_order", "pk"):
        records += _item_records(ctx, item)
    if ctx.minutes is not None and ctx.minutes_public:
        for entry in _entries_qs().filter(page=ctx.minutes).order_by("sort_order", "pk"):
            records += _entry_records(ctx, entry)
    actions = Action.objects.filter(Q(meeting=meeting) | Q(agenda_item__meeting=meeting))
    records += _action_records(actions, {meeting.pk: ctx}, public_action_ids)
    return records


def build(scope):
    """The records that exist now for everything in `scope` (what a refresh of that scope writes)."""
    seen = set()
    records = _board_scope_records(scope.board_ids, seen)
    for meeting_id in sorted(scope.meeting_ids - seen):
        meeting = MeetingPage.objects.filter(pk=meeting_id).first()
        if meeting is not None:
            seen.add(meeting_id)
            records += records_for_meeting(meeting)
    return records + _object_scope_records(scope, seen)


def _board_scope_records(board_ids, seen):
    """Every record of the given boards, their meetings and their meeting-less actions; adds the meetings to seen."""
    records = []
    for board_id in sorted(board_ids):
        board = BoardPage.objects.filter(pk=board_id).first()
        if board is None:
            continue
        # Which actions are public, asked once for the board: its own and any minuted at its meetings but filed
        # under another board (rare).
        below = board.path
        mine = Q(board=board) | Q(meeting__path__startswith=below) | Q(agenda_item__meeting__path__startswith=below)
        public_ids = permissions.public_action_ids(Action.objects.filter(mine))
        for meeting in MeetingPage.objects.child_of(board).order_by("starts_at"):
            seen.add(meeting.pk)
            records += records_for_meeting(meeting, board, public_ids)
        # Actions with no meeting still belong to the board.
        records += _action_records(Action.objects.filter(board=board, meeting__isnull=True, agenda_item__isnull=True))
    return records


def _object_scope_records(scope, seen):
    """The records of the scope's single items, minutes and actions whose meeting was not rebuilt whole."""
    records = []
    contexts = {}
    item_ids = scope.objects.get(AGENDA_ITEM, set())
    entry_ids = set(scope.objects.get(MINUTE, set()))
    action_ids = set(scope.objects.get(ACTION, set()))
    if item_ids:
        for item in _items_qs().filter(pk__in=item_ids).exclude(meeting_id__in=seen):
            ctx = _context_for(item.meeting_id, contexts)
            if ctx is not None and ctx.audience is not None:
                records += _item_records(ctx, item)
        # An item's minutes and actions carry its exemption: rebuild them with it.
        entry_ids |= set(MinuteEntry.objects.filter(agenda_item_id__in=item_ids).values_list("pk", flat=True))
        action_ids |= set(Action.objects.filter(agenda_item_id__in=item_ids).values_list("pk", flat=True))
    if entry_ids:
        records += _entry_scope_records(entry_ids, seen, contexts)
    if action_ids:
        actions = Action.objects.filter(pk__in=action_ids)
        records += [r for r in _action_records(actions, contexts) if r.meeting_id not in seen]
    return records


def _entry_scope_records(entry_ids, seen, contexts):
    """The records of single minute entries, each only while its minutes are the meeting's public minutes."""
    records = []
    for entry in _entries_qs().filter(pk__in=entry_ids):
        meeting_id = entry.agenda_item.meeting_id
        if meeting_id in seen:
            continue
        ctx = _context_for(meeting_id, contexts)
        if ctx is None or ctx.minutes is None or ctx.minutes.pk != entry.page_id or not ctx.minutes_public:
            continue
        records += _entry_records(ctx, entry)
    return records


def expand_scope(scope):
    """Add to an object scope the minutes and actions that hang off its agenda items (they are rebuilt too)."""
    item_ids = scope.objects.get(AGENDA_ITEM, set())
    if item_ids:
        scope.add(MINUTE, MinuteEntry.objects.filter(agenda_item_id__in=item_ids).values_list("pk", flat=True))
        scope.add(ACTION, Action.objects.filter(agenda_item_id__in=item_ids).values_list("pk", flat=True))
    return scope


def iter_all_records():
    """Every record of the whole site, board by board (for a rebuild); yields (board title, records)."""
    for board in BoardPage.objects.order_by("title"):
        yield board.title, build(Scope(board_ids={board.pk}))
