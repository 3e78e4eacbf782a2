"""Who may see or do what: the one place every view, feed, PDF and hook asks.

Small yes/no functions. Dates of partnership are checked at request time, so a missed sync never opens access.

Deny by default in the admin: agency staff (is_agency_user) reach only the admin URL names on an allow-list
(agency_may_reach). Apps that build admin views for agency staff add their URL names through the Wagtail hook
`register_agency_admin_urls`, a function returning an iterable of names as resolve() gives them:

    @hooks.register("register_agency_admin_urls")
    def agency_urls():
        return ["alerts_preferences", "api_tokens:list"]
"""

import logging
import operator
from functools import reduce

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import PagePermissionTester, PageViewRestriction

from boards.grants import partner_filter
from boards.models import (
    Action,
    ActionGroupObjectPermission,
    AgendaItem,
    BoardPage,
    BoardPageGroupObjectPermission,
    BoardPartner,
    MeetingPage,
    Membership,
    MinutesPage,
)

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
    """A signed-in, active user; guardian's stored anonymous user never counts, whatever it holds."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.get_username() != getattr(settings, "ANONYMOUS_USER_NAME", None)


def is_secretariat(user):
    """The secretariat (and superusers) see and edit everything."""
    if not is_authenticated(user):
        return False
    return user.is_superuser or SECRETARIAT_GROUP in _group_names(user)


def agency_group_ids(user):
    """The auth group ids of the agencies the user works for."""
    if not is_authenticated(user):
        return set()
    return set(_agencies(user))


def agency_organisation_ids(user):
    """The ids of the organisations the user works for (their agency groups')."""
    if not is_authenticated(user):
        return set()
    return set(_agencies(user).values())


def _agencies(user):
    # One query per user object for both: {agency group id: organisation id}.
    cache = getattr(user, "_partnership_agencies", None)
    if cache is None:
        cache = dict(user.groups.filter(organisation__isnull=False).values_list("id", "organisation__id"))
        user._partnership_agencies = cache
    return cache


def can_view_restricted(user, board):
    """Exempt items, their papers, full minutes and agenda drafts of this board.

    Agency staff need both the guardian grant and a partnership current today: a missed sync never opens access,
    and an agency leaving on a date loses access that day.
    """
    if board is None or not is_authenticated(user):
        return False
    if is_secretariat(user):
        return True
    mine = agency_group_ids(user)
    if not mine:
        return False
    cache = user.__dict__.setdefault("_partnership_restricted_boards", {})
    if board.pk not in cache:
        granted = BoardPageGroupObjectPermission.objects.filter(
            content_object_id=board.pk, permission__codename="view_restricted", group_id__in=mine
        ).values("group_id")
        cache[board.pk] = BoardPartner.objects.filter(
            partner_filter(), board_id=board.pk, organisation__group_id__in=granted
        ).exists()
    return cache[board.pk]


def can_view_item_detail(user, item, board=None, meeting=None):
    """The summary, papers and presenter of an agenda item (pass its meeting when the caller holds it: no query)."""
    meeting = meeting or item.meeting
    board = board or meeting.get_parent().specific
    if item.exempt or not meeting.live or not meeting.agenda_is_published:
        return can_view_restricted(user, board)
    return True


def can_see_agenda(user, meeting, board=None):
    """The agenda's items on the meeting page: everyone once published; before that, who sees the board's drafts."""
    if meeting.agenda_is_published:
        return True
    return can_view_restricted(user, board or meeting.get_parent().specific)


def can_view_minute_detail(user, item, board):
    """A minute's discussion and resolution: anyone's for a non-exempt item; an exempt one's, the board's only."""
    return not item.exempt or can_view_restricted(user, board)


# --- meetings and minutes in the admin: Wagtail's page permissions decide ----------------------------------------


def can_edit_meeting(user, meeting):
    """The meeting's edit form (Wagtail's page permission tester: the secretariat's, through the page tree)."""
    return meeting.permissions_for_user(user).can_edit()


def can_publish_agenda(user, meeting):
    """The "Publish agenda" action: those who may publish the meeting page."""
    return meeting.permissions_for_user(user).can_publish()


def view_restriction_model():
    """The model whose rows make a page private: receivers that follow privacy changes connect to it."""
    return PageViewRestriction


def can_add_minutes(user, meeting):
    """The "Draft minutes" menu item: those who may add a page under the meeting (Wagtail's tester)."""
    return meeting.permissions_for_user(user).can_add_subpage()


def can_draft_minutes(user, meeting):
    """The "Draft minutes" action: those who may edit the meeting (whether it is held, or has minutes, is not ours)."""
    return can_edit_meeting(user, meeting)


def can_download_document(user, document):
    """A paper: to the secretariat; to anyone once published (paper_is_public); to the staff of a board using it."""
    if is_secretariat(user) or paper_is_public(document) or is_paper_of_users_boards(user, document):
        return True
    logger.info("document refused user=%s document=%s", getattr(user, "pk", None), document.pk)
    return False


# --- papers: private until published --------------------------------------------------------------------------

# Page-level rich text whose links are public wherever the page is (BoardPage.remit, the index and home intros).
PUBLIC_RICH_TEXT_PATHS = ("intro.", "remit.")
# A minute's discussion: public only for a non-exempt item of approved, public minutes.
MINUTE_DISCUSSION_PATH = "entries.item.discussion."


def paper_is_public(document):
    """Published: a live public page's published content uses it on a published agenda, or its rich text links it.

    Never while any agenda item marks it exempt: an exempt use says the paper is confidential, wherever else it is.
    """
    if paper_is_exempt(document):
        return False
    return paper_on_public_agenda(document) or paper_linked_from_public_page(document)


def paper_is_exempt(document):
    """An exempt agenda item (of any meeting) uses the paper."""
    return AgendaItem.objects.filter(papers=document, exempt=True).exists()


def _parent_path(path):
    """A page's parent's tree path, as a query expression: its own path (a field or OuterRef) less one step."""
    from django.db.models.functions import Length, Substr
    from wagtail.models import Page

    return Substr(path, 1, Length(path) - Page.steplen)


def _under_live_parent():
    """Exists: the page's parent is live. For a meeting, its board."""
    from wagtail.models import Page

    return Exists(Page.objects.filter(path=_parent_path(OuterRef("path")), live=True))


def paper_on_public_agenda(document):
    """A non-exempt item of a published agenda of a live, unrestricted meeting of a live board uses it (one query).

    A live page's item rows are its published content: Wagtail's save_revision keeps a live page's draft in the
    revision only (child relations are written by publish), so a paper added in a draft is not found here.
    """
    meetings = MeetingPage.objects.filter(
        _under_live_parent(),
        live=True,
        agenda_published_at__lte=timezone.now(),
        agenda_items__papers=document,
        agenda_items__exempt=False,
    )
    return without_view_restrictions(meetings).exists()


def paper_linked_from_public_page(document):
    """A live, unrestricted page links the paper from public rich text (Wagtail's reference index, of live content).

    The index is built from the page's row, which for a live page is its published content (drafts live in
    revisions). A stale index (after a bulk import) refuses rather than serves.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    refs = ReferenceIndex.get_references_to(document).filter(base_content_type=ContentType.objects.get_for_model(Page))
    page_ids, entry_ids = set(), set()
    for object_id, model_path, content_path in refs.values_list("object_id", "model_path", "content_path"):
        if model_path in PUBLIC_RICH_TEXT_PATHS:
            page_ids.add(int(object_id))
        elif model_path == MINUTE_DISCUSSION_PATH:
            entry_ids.add(int(content_path.split(".")[1]))
    if page_ids and without_view_restrictions(Page.objects.filter(pk__in=page_ids, live=True)).exists():
        return True
    return bool(entry_ids) and _any_public_minute_discussion(entry_ids)


def _any_public_minute_discussion(entry_ids):
    """Of these minute entries, one is of a non-exempt item in approved, live, public minutes of a public meeting."""
    minutes = without_view_restrictions(
        MinutesPage.objects.filter(
            live=True,
            approved_on__isnull=False,
            entries__pk__in=entry_ids,
            entries__agenda_item__exempt=False,
        )
    ).values_list("path", flat=True)
    meeting_paths = {path[: -MinutesPage.steplen] for path in minutes}
    if not meeting_paths:
        return False
    return MeetingPage.objects.filter(_under_live_parent(), path__in=meeting_paths, live=True).exists()


def is_paper_of_users_boards(user, document):
    """Staff of a board's partner agencies get the papers its meetings use, exempt or only in a draft."""
    if not agency_group_ids(user):
        return False
    board_ids = restricted_board_ids(user)
    return bool(board_ids) and bool(paper_board_ids(document, board_ids))


def paper_board_ids(document, board_ids):
    """Of these boards, those whose meetings use the paper: in their saved items or a live meeting's latest draft."""
    from functools import reduce
    from operator import or_

    paths = dict(BoardPage.objects.filter(pk__in=board_ids).values_list("path", "pk"))
    if not paths:
        return set()
    below = reduce(or_, (Q(path__startswith=path) for path in paths))
    step = MeetingPage.steplen
    found = {
        paths[path[:-step]]
        for path in MeetingPage.objects.filter(below, agenda_items__papers=document).values_list("path", flat=True)
        if path[:-step] in paths
    }
    # A live meeting's draft is only in its latest revision (save_revision does not write its items' rows).
    drafts = MeetingPage.objects.filter(below, live=True, has_unpublished_changes=True)
    for path, content in drafts.values_list("path", "latest_revision__content"):
        items = (content or {}).get("agenda_items") or []
        if path[:-step] in paths and any(document.pk in (item.get("papers") or []) for item in items):
            found.add(paths[path[:-step]])
    return found


def _chaired_boards(user):
    """BoardPages whose current chair or vice-chair is this user's Person (cached on the user)."""
    if not is_authenticated(user):
        return []
    cache = getattr(user, "_partnership_chaired_boards", None)
    if cache is None:
        today = timezone.localdate()
        memberships = Membership.objects.filter(
            person__user=user, role__in=[Membership.Role.CHAIR, Membership.Role.VICE_CHAIR]
        ).select_related("board")
        cache = [m.board for m in memberships if m.is_current(today)]
        user._partnership_chaired_boards = cache
    return cache


def can_approve_minutes(user, board):
    """Only the current chair or vice-chair of the minutes' own board (Person.user) approves them."""
    if board is None:
        return False
    return any(b.pk == board.pk for b in _chaired_boards(user))


def approvers_of(board, on=None):
    """The users who approve the board's minutes: its chair and vice-chair on a date (today), linked to a user."""
    from django.contrib.auth import get_user_model

    on = on or timezone.localdate()
    memberships = Membership.objects.filter(
        board_id=board.pk, role__in=[Membership.Role.CHAIR, Membership.Role.VICE_CHAIR], person__user__isnull=False
    ).select_related("person")
    user_ids = {m.person.user_id for m in memberships if m.is_current(on)}
    return get_user_model().objects.filter(pk__in=user_ids)


def boards_user_chairs_paths(user):
    """Tree paths of the boards this user chairs now: their minutes are theirs to approve."""
    return [b.path for b in _chaired_boards(user)]


def view_restrictions_of(page):
    """The view restrictions that apply to `page` (on it or an ancestor), in one query.

    Page.get_view_restrictions takes two (the ancestors, then their restrictions); the ancestors' paths are
    prefixes of the page's own. As in Wagtail, a restriction on the source of an aliased page in the chain counts;
    one stored on an alias itself counts too (stricter, never looser).
    """
    from wagtail.models import Page

    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    sources = Page.objects.filter(aliases__path__in=paths).values("pk")
    return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page_id__in=sources))


def is_public_page(page):
    """Live and without Wagtail view restrictions on it or an ancestor: fit for public channels (one query)."""
    return bool(page.live) and not view_restrictions_of(page).exists()


def without_view_restrictions(pages):
    """Wagtail's PageQuerySet.public() inside the same query: no view restriction on a page or an ancestor.

    public() first fetches every restriction of the site in a query of its own and ORs their paths; here the
    restricted section is a correlated NOT EXISTS (a restriction whose page path is a prefix of the page's path).
    For a handful of pages only: SQLite answers it by scanning the page table once per row.
    """
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Length, Substr

    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return pages.exclude(Exists(restricted))


def public_minutes(queryset=None, few=False):
    """Minutes fit for public channels as far as the page itself goes: live, approved, no view restriction.

    Their meeting's (and board's) liveness is the caller's next step (minutes_are_servable). Listings get Wagtail's
    public() (the site's restrictions fetched once); few=True, for one meeting's minutes, a correlated NOT EXISTS.
    """

    queryset = (queryset if queryset is not None else MinutesPage.objects.all()).live().exclude(approved_on=None)
    return without_view_restrictions(queryset) if few else queryset.public()


def minutes_are_servable(minutes):
    """The minutes page and its PDFs are served only under a live meeting (live minutes may sit under a draft one)."""
    meeting = minutes.meeting
    return meeting is not None and bool(meeting.live)


def minutes_in_sitemap(minutes):
    """Listed in the sitemap: approved minutes that are servable."""
    return bool(minutes.approved_on) and minutes_are_servable(minutes)


def can_view_full_minutes(user, minutes_page):
    """The full (restricted) minutes: published minutes, to those who see the board's restricted content."""
    if not minutes_page.live:
        return False
    return can_view_restricted(user, minutes_page.board)


# --- actions --------------------------------------------------------------------------------------------------


def _action_group_ids(action):
    """Group ids of the agencies an action belongs to now: its owner's and each shared organisation's."""
    ids = {action.owner.group_id} if action.owner_id and action.owner.group_id else set()
    ids |= {org.group_id for org in action.shared_with.all() if org.group_id}
    return ids


def actions_visible_to(user):
    """The actions a user sees in the admin: all for the secretariat; an agency's own and shared ones otherwise.

    Both the guardian grant (change_action, object-level only: model-level perms never widen it, as with
    accept_global_perms=False) and the current owner/sharing data must agree.
    """

    if is_secretariat(user):
        return Action.objects.all()
    agencies = _agencies(user) if is_authenticated(user) else {}
    if not agencies:
        return Action.objects.none()
    # Per agency (almost always one): that agency's data and that agency's grant. A user of two agencies must not
    # see an action through one agency's stray grant and the other's ownership.
    per_agency = [_agency_actions_q(group_id, org_id) for group_id, org_id in sorted(agencies.items())]
    return Action.objects.filter(reduce(operator.or_, per_agency))


def _agency_actions_q(group_id, organisation_id):
    """A Q for one agency's actions: owned or shared by the organisation, and its group holds the grant."""
    from django.contrib.auth.models import Permission

    # EXISTS with constant ids, not IN (subquery) over joins: PostgreSQL then estimates thousands of rows, not 30,
    # and the listing's count and page take half the time (see the README's Performance notes).
    change_action = Subquery(
        Permission.objects.filter(codename="change_action", content_type__app_label="boards").values("pk")[:1]
    )
    granted = ActionGroupObjectPermission.objects.filter(
        group_id=group_id, permission_id=change_action, content_object_id=OuterRef("pk")
    )
    shared = Action.shared_with.through.objects.filter(organisation_id=organisation_id, action_id=OuterRef("pk"))
    return (Q(owner_id=organisation_id) | Exists(shared)) & Exists(granted)


def actions_of_organisation(organisation):
    """An organisation's actions (its reminders): owned or shared, and the grant held by its group, as its staff see.

    No actions for an organisation without a group (no grant names it).
    """
    if organisation.group_id is None:
        return Action.objects.none()
    return Action.objects.filter(_agency_actions_q(organisation.group_id, organisation.pk))


def can_view_action(user, action):
    """Whether the admin shows this action to the user (its update form and history)."""
    return can_change_action_status(user, action)


def can_change_action_status(user, action):
    """Secretariat, or staff of the owning or a sharing agency holding the grant: status and update notes only."""
    if action is None or action.pk is None or not is_authenticated(user):
        return False
    if is_secretariat(user):
        return True
    mine = agency_group_ids(user) & _action_group_ids(action)
    if not mine:
        return False
    return ActionGroupObjectPermission.objects.filter(
        content_object_id=action.pk, permission__codename="change_action", group_id__in=mine
    ).exists()


def can_edit_action(user, action=None):
    """Description, owner, sharing, due date, meeting: the secretariat only."""
    return is_secretariat(user)


def can_add_action(user):
    return is_secretariat(user)


def can_delete_action(user, action=None):
    return is_secretariat(user)


def actions_status_only(user, action):
    """The user sees this action but may not edit it: its edit form gives way to "Update status"."""
    return can_view_action(user, action) and not can_edit_action(user, action)


def may_on_actions(user, verb):
    """Model level, for Wagtail's policy: "view" (the menu, "Our actions"): can_list_actions; else secretariat."""
    if verb == "view":
        return can_list_actions(user)
    return is_secretariat(user)


def may_on_action(user, verb, action):
    """Per action: "view" and "change_status" for its agencies; "delete" and any other verb for the secretariat."""
    if verb in ("view", "change_status"):
        return can_change_action_status(user, action)
    if verb == "delete":
        return can_delete_action(user, action)
    return can_edit_action(user, action)


def actions_with_any_of(user, verbs):
    """The actions on which the user holds any of these verbs: all for the secretariat, else the visible ones."""

    if is_secretariat(user):
        return Action.objects.all()
    if {"view", "change_status"} & set(verbs):
        return actions_visible_to(user)
    return Action.objects.none()


def actions_visibility_key(user):
    """What decides which actions a user's listing holds: "secretariat", or the user's agency group ids (sorted)."""
    return "secretariat" if is_secretariat(user) else sorted(agency_group_ids(user))


def board_actions_visible_to(user, board, actions):
    """Of these actions of one board, those the visitor may see on a public page: all for the board's restricted
    viewers, the public ones (public_actions_filter) for everyone else."""
    if can_view_restricted(user, board):
        return actions
    return actions.filter(public_actions_filter(within=board.path))


def is_public_action(action):
    """The public may see this action (public_actions_filter), in one query."""
    return action.pk in public_action_ids(type(action).objects.filter(pk=action.pk))


def action_destination(user, action):
    """Where a viewer may see an action: "status" (its agencies, the secretariat), "public_log", "meeting" or
    "board" (the board's other partners: the item it was agreed under, or the board while that meeting is a draft),
    or None (not told it exists)."""
    if can_change_action_status(user, action):
        return "status"
    if is_public_action(action):
        return "public_log"
    board = action.board
    if board.live and can_view_restricted(user, board):
        meeting = action.meeting
        return "meeting" if meeting is not None and meeting.live else "board"
    return None


def public_actions_filter(prefix="", within=None):
    """A Q for actions the public may see: minuted at a meeting whose minutes are live, on a non-exempt item.

    Used by the public action log and carry-forward; an action with no agenda item is public only if its meeting's
    minutes are live (it was minuted in the open part of the meeting). `within` (a page's tree path, e.g. the
    board's) only narrows the meetings looked at to that subtree, for callers that ask about one board's actions.
    """
    return Q(**{f"{prefix}meeting__in": _meetings_with_live_minutes(within)}) & (
        Q(**{f"{prefix}agenda_item__isnull": True}) | Q(**{f"{prefix}agenda_item__exempt": False})
    )


def _meetings_with_live_minutes(within=None):
    """Live, unrestricted meetings whose (single) minutes child page is live and approved (below `within`).

    With `within` PostgreSQL matches the parent paths of one board's minutes (a hundred) instead of hashing every
    minutes page of the site (two thousand at ten years: about 6 of the carried-forward query's 8 ms).
    """

    # Restrictions above the minutes are the meetings' (public() below); one on the minutes themselves keeps their
    # actions private too.
    minutes = MinutesPage.objects.filter(live=True, approved_on__isnull=False).exclude(
        Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk")))
    )
    # Wagtail's public() (restrictions fetched first, then their paths excluded): the correlated NOT EXISTS of
    # without_view_restrictions made SQLite scan every page for each meeting (public action log 75 ms -> 4.4 s).
    meetings = MeetingPage.objects.live().public()
    if within:
        minutes = minutes.filter(path__startswith=within)
        meetings = meetings.filter(path__startswith=within)
    parent_paths = minutes.annotate(parent_path=_parent_path(F("path"))).values("parent_path")
    return meetings.filter(path__in=parent_paths).values("pk")


# Audiences of search records (and of any channel that lists records): "public" or "board:<id>".
PUBLIC_AUDIENCE = "public"


def board_audience(board_id):
    """The audience of a board's restricted content: its partner agencies' staff and the secretariat."""
    return f"board:{board_id}"


def restricted_board_ids(user, on=None):
    """Ids of the boards whose restricted content this user may see now (all boards for the secretariat)."""
    if not is_authenticated(user):
        return set()
    if is_secretariat(user):
        return set(BoardPage.objects.values_list("pk", flat=True))
    groups = agency_group_ids(user)
    if not groups:
        return set()
    # As can_view_restricted: the guardian grant and a partnership current on the day, for the same agency.
    granted = set(
        BoardPageGroupObjectPermission.objects.filter(
            group_id__in=groups, permission__codename="view_restricted"
        ).values_list("group_id", "content_object_id")
    )
    partners = BoardPartner.objects.filter(partner_filter(on), organisation__group_id__in=groups)
    return {
        board_id
        for group_id, board_id in partners.values_list("organisation__group_id", "board_id")
        if (group_id, board_id) in granted
    }


def search_audiences(user, board_ids=None):
    """Every audience whose records this user may find: "public" and "board:<id>" per restricted board.

    `board_ids`: the user's restricted_board_ids when the caller has them already (no second query).
    """
    board_ids = restricted_board_ids(user) if board_ids is None else board_ids
    return [PUBLIC_AUDIENCE] + [board_audience(pk) for pk in sorted(board_ids)]


def audience_of_meeting(meeting, board):
    """ "public" while the meeting and its board are live and unrestricted; None (in no public channel) otherwise."""
    if board is None or not board.live or not is_public_page(meeting):
        return None
    return PUBLIC_AUDIENCE


def audience_of_item(item, meeting, board, meeting_audience=None):
    """An agenda item's full text: public once the agenda is published and the item is not exempt, else its board's."""
    meeting_audience = meeting_audience if meeting_audience is not None else audience_of_meeting(meeting, board)
    if meeting_audience is None:
        return None
    if item.exempt or not meeting.agenda_is_published:
        return board_audience(board.pk)
    return PUBLIC_AUDIENCE


def item_has_public_stub(item, meeting, board, meeting_audience=None):
    """Whether the public sees an exempt item's number, title and exemption label (its agenda is published)."""
    meeting_audience = meeting_audience if meeting_audience is not None else audience_of_meeting(meeting, board)
    return bool(meeting_audience and item.exempt and meeting.agenda_is_published)


def minutes_are_public(minutes, meeting, board, meeting_audience=None):
    """Minutes reach public channels when approved, live and unrestricted, under a public meeting."""
    if minutes is None or not minutes.approved_on:
        return False
    meeting_audience = meeting_audience if meeting_audience is not None else audience_of_meeting(meeting, board)
    return bool(meeting_audience) and is_public_page(minutes)


def audience_of_minute_entry(entry, item, board, minutes_public):
    """A minute's full text: public for a non-exempt item of published minutes, its board's for an exempt one.

    None for unpublished minutes (drafts stay with the secretariat). The public sees an exempt item's
    number, title, exemption label and public summary only.
    """
    if not minutes_public:
        return None
    return board_audience(board.pk) if item.exempt else PUBLIC_AUDIENCE


def minute_has_public_stub(item, minutes_public):
    """Whether the public sees an exempt minute's number, title, exemption label and public summary."""
    return bool(minutes_public) and item.exempt


def public_action_ids(actions):
    """Of these actions, the ids the public may see (public_actions_filter)."""
    return set(actions.filter(public_actions_filter()).values_list("pk", flat=True))


def audience_of_action(action, public_ids=None):
    """Public when minuted in published minutes on a non-exempt item; otherwise its board's; None (in no channel)
    while its board is not live."""
    if not action.board.live:
        return None
    if public_ids is None:
        public_ids = public_action_ids(Action.objects.filter(pk=action.pk))
    return PUBLIC_AUDIENCE if action.pk in public_ids else board_audience(action.board_id)


# --- deny by default: what agency staff may reach in the admin --------------------------------------------------

# Hook other apps register to add admin views built for agency staff: a function returning URL names
# (namespaced as resolve() gives them, e.g. "myapp_tokens:list"). See agency_admin_url_names().
AGENCY_ADMIN_URLS_HOOK = "register_agency_admin_urls"

# The admin views built for agency staff; every other admin URL answers 403 to them (boards.middleware).
AGENCY_ADMIN_URL_NAMES = frozenset(
    {
        # Their dashboard, and what every admin page loads (icons, translations).
        "wagtailadmin_home",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        # "Our actions": the listing (its filters reload the results; ?export= gives CSV/XLSX), status updates.
        "wagtailsnippets_boards_action:list",
        "wagtailsnippets_boards_action:list_results",
        "boards_action_status",
        "boards_action_close",
        # Their account: profile, password, sign in and out, and the help menu's "dismissed" state (their own).
        "wagtailadmin_account",
        "wagtailadmin_dismissibles",
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
    }
)


def is_agency_user(user):
    """Staff of a partner agency only: in an "Agency: …" group, and neither Secretariat, Chairs nor superuser."""
    if not is_authenticated(user) or user.is_superuser:
        return False
    if _group_names(user) & {SECRETARIAT_GROUP, CHAIRS_GROUP}:
        return False
    return bool(_agencies(user))


def agency_admin_url_names():
    """The allow-list: AGENCY_ADMIN_URL_NAMES and every name returned by a `register_agency_admin_urls` hook."""
    from wagtail import hooks

    names = set(AGENCY_ADMIN_URL_NAMES)
    for fn in hooks.get_hooks(AGENCY_ADMIN_URLS_HOOK):
        names.update(fn() or ())
    return names


def agency_may_reach(user, url_name):
    """Whether this admin URL name is open to the user: anything for non-agency users, the allow-list for agencies.

    An unnamed or unresolvable admin URL (url_name None) is never open to agency staff.
    """
    if not is_agency_user(user):
        return True
    return url_name is not None and url_name in agency_admin_url_names()


def can_list_actions(user):
    """The actions menu and listing: the secretariat, and staff of any agency ("Our actions")."""
    return is_secretariat(user) or bool(agency_group_ids(user))


class MinutesPermissionTester(PagePermissionTester):
    """Wagtail's tester, except that nobody may publish a version of the minutes that is not approved.

    This hides the admin's publish button and keeps the page out of bulk publishing.
    """

    def can_publish(self):
        if not super().can_publish():
            return False
        return self.page.latest_version_is_approved()

    def can_copy(self):
        # Minutes are the record of one meeting: never copied or aliased ("Draft minutes" starts new ones).
        return False

    def can_move(self):
        return False

    def can_move_to(self, destination):
        # Reordering under its own meeting is harmless; another parent is not (refuse_moving_minutes).
        return self.page.get_parent().pk == destination.pk and super().can_move_to(destination)
