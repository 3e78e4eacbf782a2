"""Small focused tests of boards/permissions.py's yes/no functions, written to kill mutants (docs/mutation.md).

Each test builds only what it needs (no module-wide world) and asks one function one question.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import PageViewRestriction

from boards import permissions
from boards.models import Action, MeetingPage
from tests import factories
from tests.boards.actions_helpers import fresh, make_paper, publish_minutes

pytestmark = pytest.mark.django_db


# --- who the user is ------------------------------------------------------------------------------------------


def test_nobody_anonymous_inactive_and_guardians_stored_user_are_not_authenticated(council_user):
    assert not permissions.is_authenticated(None)
    assert not permissions.is_authenticated(AnonymousUser())
    assert permissions.is_authenticated(council_user)
    council_user.is_active = False
    assert not permissions.is_authenticated(council_user)
    stored = get_user_model().objects.get(username=settings.ANONYMOUS_USER_NAME)
    assert stored.is_authenticated and stored.is_active
    assert not permissions.is_authenticated(stored)


def test_secretariat_is_the_group_or_a_superuser(council_user, secretariat_user):
    assert permissions.is_secretariat(secretariat_user)
    assert not permissions.is_secretariat(council_user)
    assert not permissions.is_secretariat(AnonymousUser())
    boss = factories.UserFactory(username="boss")
    boss.is_superuser = True
    assert permissions.is_secretariat(boss)
    boss.is_active = False
    assert not permissions.is_secretariat(boss)


def test_agency_ids_are_the_users_agencies_only(council, nhs, council_user):
    plain = factories.UserFactory(username="plain", groups=["Chairs"])
    assert permissions.agency_group_ids(council_user) == {council.group_id}
    assert permissions.agency_organisation_ids(council_user) == {council.pk}
    assert permissions.agency_group_ids(plain) == set() == permissions.agency_organisation_ids(plain)
    assert permissions.agency_group_ids(AnonymousUser()) == set()
    assert permissions.agency_organisation_ids(AnonymousUser()) == set()
    both = factories.UserFactory(username="both", groups=[council.group, nhs.group, "Chairs"])
    assert permissions.agency_organisation_ids(both) == {council.pk, nhs.pk}


# --- boards, items, papers, minutes ---------------------------------------------------------------------------


def test_restricted_content_needs_a_board_and_a_user(partnered_board, council_user, secretariat_user):
    assert not permissions.can_view_restricted(council_user, None)
    assert not permissions.can_view_restricted(AnonymousUser(), partnered_board)
    assert permissions.can_view_restricted(secretariat_user, partnered_board)
    chair = factories.UserFactory(username="a-chair", groups=["Chairs"])
    assert not permissions.can_view_restricted(chair, partnered_board)
    assert permissions.can_view_restricted(council_user, partnered_board)


def test_the_answer_is_per_board(partnered_board, council_user, council):
    other = factories.BoardPageFactory(title="Other board")
    user = fresh(council_user)
    assert permissions.can_view_restricted(user, partnered_board)
    assert not permissions.can_view_restricted(user, other)
    assert permissions.can_view_restricted(user, partnered_board)


def _meeting(board, **kwargs):
    return factories.MeetingPageFactory(board=board, **kwargs)


def test_item_detail_public_only_when_live_published_and_not_exempt(partnered_board, council_user, outsider_user):
    published = _meeting(partnered_board, agenda_published=True)
    public = factories.AgendaItemFactory(meeting=published)
    exempt = factories.AgendaItemFactory(meeting=published, exempt=True, exemption_paragraph=3)
    future = _meeting(
        partnered_board, agenda_published_at=timezone.now() + datetime.timedelta(days=2), slug="future-agenda"
    )
    unpublished_agenda = factories.AgendaItemFactory(meeting=future)
    draft = _meeting(partnered_board, agenda_published=True, live=False, slug="draft")
    draft_item = factories.AgendaItemFactory(meeting=draft)
    for who, insider in ((AnonymousUser(), False), (fresh(outsider_user), False), (fresh(council_user), True)):
        assert permissions.can_view_item_detail(who, public)
        assert permissions.can_view_item_detail(who, exempt) is insider
        assert permissions.can_view_item_detail(who, unpublished_agenda) is insider
        assert permissions.can_view_item_detail(who, draft_item) is insider
        assert permissions.can_view_item_detail(who, exempt, board=partnered_board) is insider


def test_a_paper_on_a_public_and_an_exempt_item_is_refused(partnered_board, council_user):
    meeting = _meeting(partnered_board, agenda_published=True)
    public = factories.AgendaItemFactory(meeting=meeting)
    exempt = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    shared, alone = make_paper("Shared paper"), make_paper("Public paper")
    public.papers.add(shared, alone)
    exempt.papers.add(shared)
    public.save()
    exempt.save()
    assert permissions.can_download_document(AnonymousUser(), alone)
    assert not permissions.can_download_document(AnonymousUser(), shared)
    assert permissions.can_download_document(fresh(council_user), shared)


def test_full_minutes_need_live_minutes_and_the_board(partnered_board, council_user):
    meeting = _meeting(partnered_board, held=True, agenda_published=True)
    minutes = publish_minutes(meeting)
    assert permissions.can_view_full_minutes(fresh(council_user), minutes)
    assert not permissions.can_view_full_minutes(AnonymousUser(), minutes)
    minutes.live = False
    assert not permissions.can_view_full_minutes(fresh(council_user), minutes)


# --- chairs --------------------------------------------------------------------------------------------------


def test_only_the_current_chair_or_vice_chair_of_that_board_approves(board):
    from tests.boards.minutes_helpers import make_chair

    other = factories.BoardPageFactory(title="Elsewhere")
    chair = make_chair(board)
    vice = make_chair(board, username="vice", role="vice_chair")
    member = make_chair(board, username="member", role="member")
    former = make_chair(board, username="former")
    former.person.memberships.update(end=datetime.date(2011, 1, 1))
    assert permissions.can_approve_minutes(chair, board)
    assert permissions.can_approve_minutes(vice, board)
    assert not permissions.can_approve_minutes(chair, other)
    assert not permissions.can_approve_minutes(chair, None)
    assert not permissions.can_approve_minutes(fresh(member), board)
    assert not permissions.can_approve_minutes(fresh(former), board)
    assert not permissions.can_approve_minutes(AnonymousUser(), board)
    assert permissions.boards_user_chairs_paths(fresh(chair)) == [board.path]
    assert permissions.boards_user_chairs_paths(fresh(member)) == []
    assert permissions.boards_user_chairs_paths(AnonymousUser()) == []


# --- actions -------------------------------------------------------------------------------------------------


def test_action_status_refuses_nothing_and_unsaved(partnered_board, council, council_user, secretariat_user):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    assert permissions.can_change_action_status(fresh(council_user), action)
    assert permissions.can_view_action(fresh(council_user), action)
    assert not permissions.can_change_action_status(fresh(council_user), None)
    assert not permissions.can_change_action_status(fresh(council_user), Action(board=partnered_board, owner=council))
    assert not permissions.can_change_action_status(AnonymousUser(), action)
    assert permissions.can_change_action_status(secretariat_user, action)
    chair = factories.UserFactory(username="a-chair", groups=["Chairs"])
    assert not permissions.can_change_action_status(chair, action)
    assert not permissions.actions_visible_to(chair).exists()
    assert not permissions.actions_visible_to(AnonymousUser()).exists()
    assert set(permissions.actions_visible_to(secretariat_user)) == {action}


def test_an_owner_without_a_group_grants_nothing(partnered_board, council, council_user):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    action.owner.group_id = None
    assert permissions._action_group_ids(action) == set()
    action.owner_id = None
    assert permissions._action_group_ids(action) == set()


def test_only_the_secretariat_edits_adds_and_deletes(partnered_board, council, council_user, secretariat_user):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    for check in (permissions.can_edit_action, permissions.can_delete_action):
        assert check(secretariat_user, action) and check(secretariat_user)
        assert not check(council_user, action) and not check(AnonymousUser(), action)
    assert permissions.can_add_action(secretariat_user)
    assert not permissions.can_add_action(council_user)


# --- page privacy --------------------------------------------------------------------------------------------


def test_view_restrictions_of_a_page_and_its_ancestors_only(partnered_board):
    meeting = _meeting(partnered_board, agenda_published=True)
    sibling = _meeting(partnered_board, agenda_published=True)
    assert permissions.is_public_page(meeting)
    PageViewRestriction.objects.create(page=sibling, restriction_type=PageViewRestriction.LOGIN)
    assert permissions.is_public_page(meeting)
    assert not permissions.is_public_page(sibling)
    restriction = PageViewRestriction.objects.create(page=partnered_board, restriction_type=PageViewRestriction.LOGIN)
    assert list(permissions.view_restrictions_of(meeting)) == [restriction]
    assert not permissions.is_public_page(meeting)
    pages = MeetingPage.objects.filter(pk__in=[meeting.pk, sibling.pk])
    assert not permissions.without_view_restrictions(pages).exists()
    restriction.delete()
    assert list(permissions.without_view_restrictions(pages)) == [meeting]
    meeting.live = False
    assert not permissions.is_public_page(meeting)


def test_a_restriction_on_an_aliased_source_counts(partnered_board):
    source_board = factories.BoardPageFactory(title="Source board")
    meeting = _meeting(source_board, agenda_published=True)
    alias = meeting.create_alias(parent=partnered_board, update_slug="aliased")
    assert permissions.is_public_page(alias)
    PageViewRestriction.objects.create(page=meeting, restriction_type=PageViewRestriction.LOGIN)
    assert not permissions.is_public_page(alias)


# --- audiences -----------------------------------------------------------------------------------------------


def test_audience_names():
    assert permissions.PUBLIC_AUDIENCE == "public"
    assert permissions.board_audience(7) == "board:7"


def test_search_audiences_are_public_then_each_board_in_order(partnered_board, council, council_user):
    second = factories.BoardPageFactory(title="Second board")
    factories.BoardPartnerFactory(board=second, organisation=council)
    first, last = sorted([partnered_board.pk, second.pk])
    assert permissions.search_audiences(fresh(council_user)) == ["public", f"board:{first}", f"board:{last}"]
    assert permissions.search_audiences(AnonymousUser()) == ["public"]
    chair = factories.UserFactory(username="a-chair", groups=["Chairs"])
    assert permissions.search_audiences(chair) == ["public"]


def test_restricted_board_ids_on_a_date(partnered_board, council, council_user, secretariat_user):
    from boards.models import BoardPartner

    BoardPartner.objects.filter(board=partnered_board, organisation=council).update(left_on=datetime.date(2015, 1, 1))
    assert permissions.restricted_board_ids(fresh(council_user)) == set()
    assert permissions.restricted_board_ids(fresh(council_user), on=datetime.date(2014, 12, 31)) == {
        partnered_board.pk
    }
    assert partnered_board.pk in permissions.restricted_board_ids(secretariat_user)
    assert permissions.restricted_board_ids(AnonymousUser()) == set()


def test_meeting_item_and_minutes_audiences(partnered_board):
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    public = factories.AgendaItemFactory(meeting=meeting)
    exempt = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    board = partnered_board
    assert permissions.audience_of_meeting(meeting, board) == "public"
    assert permissions.audience_of_meeting(meeting, None) is None
    assert permissions.audience_of_item(public, meeting, board) == "public"
    assert permissions.audience_of_item(exempt, meeting, board) == f"board:{board.pk}"
    assert permissions.audience_of_item(public, meeting, board, meeting_audience="public") == "public"
    assert not permissions.item_has_public_stub(public, meeting, board)
    assert permissions.item_has_public_stub(exempt, meeting, board)
    minutes = publish_minutes(meeting)
    assert permissions.minutes_are_public(minutes, meeting, board)
    assert not permissions.minutes_are_public(None, meeting, board)
    assert permissions.audience_of_minute_entry(None, exempt, board, True) == f"board:{board.pk}"
    assert permissions.audience_of_minute_entry(None, public, board, True) == "public"
    assert permissions.audience_of_minute_entry(None, public, board, False) is None
    # The agenda not yet published: items are the board's, exempt ones have no public stub yet.
    meeting.agenda_published_at = timezone.now() + datetime.timedelta(days=1)
    assert permissions.audience_of_item(public, meeting, board) == f"board:{board.pk}"
    assert not permissions.item_has_public_stub(exempt, meeting, board)
    # The board taken down: nothing of it is in any public channel.
    board.live = False
    assert permissions.audience_of_meeting(meeting, board) is None
    assert permissions.audience_of_item(public, meeting, board) is None
    assert not permissions.item_has_public_stub(exempt, meeting, board)
    assert not permissions.minutes_are_public(minutes, meeting, board)
    board.live = True
    minutes.approved_on = None
    assert not permissions.minutes_are_public(minutes, meeting, board)


def test_action_audiences(partnered_board, council):
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    public_item = factories.AgendaItemFactory(meeting=meeting)
    exempt_item = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    on_public = factories.ActionFactory(board=partnered_board, meeting=meeting, agenda_item=public_item, owner=council)
    on_exempt = factories.ActionFactory(board=partnered_board, meeting=meeting, agenda_item=exempt_item, owner=council)
    no_item = factories.ActionFactory(board=partnered_board, meeting=meeting, owner=council)
    board_audience = f"board:{partnered_board.pk}"
    assert permissions.audience_of_action(on_public) == board_audience  # minutes not yet live
    minutes = publish_minutes(meeting)
    assert permissions.audience_of_action(on_public) == "public"
    assert permissions.audience_of_action(no_item) == "public"
    assert permissions.audience_of_action(on_exempt) == board_audience
    everything = Action.objects.filter(board=partnered_board)
    assert permissions.public_action_ids(everything) == {on_public.pk, no_item.pk}
    assert permissions.audience_of_action(on_public, public_ids=set()) == board_audience
    # Narrowed to the board's subtree, and to another subtree.
    within = Action.objects.filter(permissions.public_actions_filter(within=partnered_board.path))
    assert set(within) == {on_public, no_item}
    other = factories.BoardPageFactory(title="Other board")
    assert not Action.objects.filter(permissions.public_actions_filter(within=other.path)).exists()
    # Unapproved or unpublished minutes publish nothing.
    type(minutes).objects.filter(pk=minutes.pk).update(approved_on=None)
    assert permissions.public_action_ids(everything) == set()
    type(minutes).objects.filter(pk=minutes.pk).update(approved_on=timezone.localdate(), live=False)
    assert permissions.public_action_ids(everything) == set()


def test_guardians_stored_anonymous_user_in_an_agency_group_sees_no_action(partnered_board, council):
    factories.ActionFactory(board=partnered_board, owner=council)
    stored = get_user_model().objects.get(username=settings.ANONYMOUS_USER_NAME)
    stored.groups.add(council.group)  # no sync: as a restore might leave it
    assert not permissions.actions_visible_to(stored).exists()
    inactive = factories.UserFactory(username="gone", groups=[council.group])
    inactive.is_active = False
    assert not permissions.actions_visible_to(inactive).exists()


def test_another_apps_change_action_permission_is_not_the_grant(partnered_board, council, council_user):
    """The grant is boards.change_action: a same-named permission of another app (sorted first) must not stand in."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    action = factories.ActionFactory(board=partnered_board, owner=council)
    other_type = ContentType.objects.create(app_label="aardvark", model="action")
    Permission.objects.create(codename="change_action", name="Can change action", content_type=other_type)
    assert set(permissions.actions_visible_to(fresh(council_user))) == {action}


def test_sharing_one_action_does_not_open_another_with_a_stray_grant(partnered_board, council, nhs):
    from django.contrib.auth.models import Permission

    from boards.models import ActionGroupObjectPermission

    nhs_user = factories.UserFactory(username="nhs-officer", groups=[nhs.group])
    shared = factories.ActionFactory(board=partnered_board, owner=council)
    shared.shared_with.add(nhs)
    stray = factories.ActionFactory(board=partnered_board, owner=council)
    ActionGroupObjectPermission.objects.create(
        content_object=stray, group=nhs.group, permission=Permission.objects.get(codename="change_action")
    )
    assert set(permissions.actions_visible_to(fresh(nhs_user))) == {shared}


def test_a_refused_paper_is_logged(partnered_board, outsider_user, caplog):
    meeting = _meeting(partnered_board, agenda_published=True)
    exempt = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    paper = make_paper("Secret paper")
    exempt.papers.add(paper)
    exempt.save()
    with caplog.at_level("INFO", logger="boards.permissions"):
        assert not permissions.can_download_document(AnonymousUser(), paper)
        assert not permissions.can_download_document(outsider_user, paper)
    assert [r.getMessage() for r in caplog.records if r.name == "boards.permissions"] == [
        f"document refused user=None document={paper.pk}",
        f"document refused user={outsider_user.pk} document={paper.pk}",
    ]


def test_answers_are_cached_on_the_user_object(partnered_board, council_user, django_assert_num_queries):
    """Within a request the same user object asks many times: its groups, agencies and chairs are fetched once."""
    from tests.boards.minutes_helpers import make_chair

    chair = fresh(make_chair(partnered_board))
    permissions.can_approve_minutes(chair, partnered_board)
    user = fresh(council_user)
    permissions.is_secretariat(user)
    permissions.agency_group_ids(user)
    permissions.can_view_restricted(user, partnered_board)
    with django_assert_num_queries(0):
        assert permissions.can_approve_minutes(chair, partnered_board)
        assert permissions.boards_user_chairs_paths(chair) == [partnered_board.path]
        assert not permissions.is_secretariat(user)
        assert permissions.agency_organisation_ids(user)
        assert permissions.can_view_restricted(user, partnered_board)


def test_a_chairs_boards_come_in_one_query(partnered_board, django_assert_num_queries):
    from tests.boards.minutes_helpers import make_chair

    chair = fresh(make_chair(partnered_board))
    with django_assert_num_queries(1):
        assert permissions.boards_user_chairs_paths(chair) == [partnered_board.path]


def test_another_permission_on_the_board_is_not_the_grant(partnered_board, council, council_user):
    """A stray row of another codename (e.g. change_boardpage) on the board table opens nothing."""
    from django.contrib.auth.models import Permission

    from boards.models import BoardPageGroupObjectPermission

    BoardPageGroupObjectPermission.objects.filter(group=council.group).update(
        permission=Permission.objects.get(codename="change_boardpage")
    )
    assert not permissions.can_view_restricted(fresh(council_user), partnered_board)
    assert permissions.restricted_board_ids(fresh(council_user)) == set()


def test_a_meeting_audience_given_is_used_not_recomputed(partnered_board, django_assert_num_queries):
    """Channels that list many items pass the meeting's audience once; the item functions then ask nothing."""
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    public = factories.AgendaItemFactory(meeting=meeting)
    exempt = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    minutes = publish_minutes(meeting)
    with django_assert_num_queries(0):
        assert permissions.audience_of_item(public, meeting, partnered_board, meeting_audience="public") == "public"
        assert permissions.item_has_public_stub(exempt, meeting, partnered_board, meeting_audience="public")
    with django_assert_num_queries(1):  # the minutes' own view restrictions only
        assert permissions.minutes_are_public(minutes, meeting, partnered_board, meeting_audience="public")


def test_the_actions_listing_is_for_the_secretariat_and_agency_staff(council_user):
    secretary = factories.UserFactory(username="listing-secretary", secretariat=True)  # in no agency group
    assert permissions.can_list_actions(secretary)
    assert permissions.can_list_actions(fresh(council_user))
    nobody = factories.UserFactory(username="listing-nobody")
    assert not permissions.can_list_actions(nobody)
    assert not permissions.can_list_actions(AnonymousUser())


# --- the meeting and minutes pages ---------------------------------------------------------------------------


def test_the_agenda_is_seen_once_published_and_before_by_the_board(partnered_board, council_user, outsider_user):
    published = _meeting(partnered_board, agenda_published=True)
    draft = _meeting(partnered_board, slug="draft-agenda")
    future = _meeting(
        partnered_board, agenda_published_at=timezone.now() + datetime.timedelta(days=2), slug="future-agenda"
    )
    for who in (AnonymousUser(), fresh(outsider_user), fresh(council_user)):
        assert permissions.can_see_agenda(who, published)
    for meeting in (draft, future):
        assert not permissions.can_see_agenda(AnonymousUser(), meeting)
        assert not permissions.can_see_agenda(fresh(outsider_user), meeting, partnered_board)
        assert permissions.can_see_agenda(fresh(council_user), meeting)
        assert permissions.can_see_agenda(fresh(council_user), meeting, partnered_board)


def test_item_detail_with_its_meeting_given_asks_nothing_more(partnered_board, django_assert_num_queries):
    meeting = _meeting(partnered_board, agenda_published=True)
    item = type(factories.AgendaItemFactory(meeting=meeting)).objects.get(meeting=meeting)
    with django_assert_num_queries(0):
        assert permissions.can_view_item_detail(AnonymousUser(), item, partnered_board, meeting=meeting)


def test_a_minutes_detail_is_anyones_for_an_open_item_the_boards_for_an_exempt_one(partnered_board, council_user):
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    public = factories.AgendaItemFactory(meeting=meeting)
    exempt = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    assert permissions.can_view_minute_detail(AnonymousUser(), public, partnered_board)
    assert not permissions.can_view_minute_detail(AnonymousUser(), exempt, partnered_board)
    assert permissions.can_view_minute_detail(fresh(council_user), exempt, partnered_board)
    assert not permissions.can_view_minute_detail(fresh(council_user), exempt, factories.BoardPageFactory(title="X"))


def test_public_minutes_are_live_approved_and_unrestricted(partnered_board):
    from boards.models import MinutesPage

    shown = publish_minutes(_meeting(partnered_board, agenda_published=True, held=True))
    restricted = publish_minutes(_meeting(partnered_board, agenda_published=True, held=True, slug="restricted"))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    unapproved = publish_minutes(_meeting(partnered_board, agenda_published=True, held=True, slug="unapproved"))
    MinutesPage.objects.filter(pk=unapproved.pk).update(approved_on=None)
    draft = publish_minutes(_meeting(partnered_board, agenda_published=True, held=True, slug="draft-minutes"))
    MinutesPage.objects.filter(pk=draft.pk).update(live=False)
    assert list(permissions.public_minutes()) == [shown]
    assert list(permissions.public_minutes(few=True)) == [shown]
    below = MinutesPage.objects.child_of(restricted.get_parent())
    assert not permissions.public_minutes(below).exists()
    assert not permissions.public_minutes(below, few=True).exists()


def test_minutes_are_served_and_listed_only_under_a_live_meeting(partnered_board):
    from boards.models import MinutesPage

    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    minutes = publish_minutes(meeting)
    assert permissions.minutes_are_servable(MinutesPage.objects.get(pk=minutes.pk))
    assert permissions.minutes_in_sitemap(MinutesPage.objects.get(pk=minutes.pk))
    unapproved = MinutesPage.objects.get(pk=minutes.pk)
    unapproved.approved_on = None
    assert permissions.minutes_are_servable(unapproved)
    assert not permissions.minutes_in_sitemap(unapproved)
    MeetingPage.objects.filter(pk=meeting.pk).update(live=False)
    assert not permissions.minutes_are_servable(MinutesPage.objects.get(pk=minutes.pk))
    assert not permissions.minutes_in_sitemap(MinutesPage.objects.get(pk=minutes.pk))
    orphan = MinutesPage(title="Nowhere", approved_on=datetime.date(2011, 1, 1))
    assert not permissions.minutes_are_servable(orphan)
    assert not permissions.minutes_in_sitemap(orphan)


# --- the admin: agenda, minutes ------------------------------------------------------------------------------


def test_the_secretariat_publishes_agendas_and_drafts_minutes(partnered_board, council_user, secretariat_user):
    from tests.boards.minutes_helpers import make_chair

    meeting = _meeting(partnered_board, held=True)
    boss = factories.UserFactory(username="boss")
    boss.is_superuser = True
    chair = make_chair(partnered_board)
    for check in (permissions.can_publish_agenda, permissions.can_draft_minutes, permissions.can_edit_meeting):
        assert check(secretariat_user, meeting)
        assert check(boss, meeting)
        assert not check(fresh(council_user), meeting)
        assert not check(fresh(chair), meeting)
        assert not check(AnonymousUser(), meeting)
    boss.is_active = False
    assert not permissions.can_publish_agenda(boss, meeting)
    assert not permissions.can_draft_minutes(boss, meeting)


def test_a_user_who_may_edit_but_not_publish_drafts_minutes_but_publishes_no_agenda(partnered_board):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    editors = Group.objects.create(name="Meeting editors")
    GroupPagePermission.objects.create(
        group=editors, page=partnered_board, permission=Permission.objects.get(codename="change_page")
    )
    editor = factories.UserFactory(username="editor", groups=[editors])
    meeting = _meeting(partnered_board, held=True)
    assert permissions.can_draft_minutes(editor, meeting)
    assert not permissions.can_publish_agenda(editor, meeting)


def test_approvers_are_the_boards_current_chair_and_vice_chair_with_a_user(partnered_board):
    from tests.boards.minutes_helpers import make_chair

    chair = make_chair(partnered_board)
    vice = make_chair(partnered_board, username="vice", role="vice_chair")
    make_chair(partnered_board, username="member", role="member")
    former = make_chair(partnered_board, username="former")
    former.person.memberships.update(end=datetime.date(2011, 1, 1))
    factories.MembershipFactory(
        board=partnered_board,
        person=factories.PersonFactory(name="No Login"),
        role="chair",
        start=datetime.date(2010, 1, 1),
    )
    elsewhere = make_chair(factories.BoardPageFactory(title="Elsewhere"), username="elsewhere")
    assert set(permissions.approvers_of(partnered_board)) == {chair, vice}
    assert set(permissions.approvers_of(partnered_board, on=datetime.date(2010, 6, 1))) == {chair, vice, former}
    assert elsewhere not in set(permissions.approvers_of(partnered_board))


# --- actions: an organisation's, the admin's verbs, public pages, search ----------------------------------------


def test_an_organisations_actions_are_owned_or_shared_and_granted(partnered_board, council, nhs, outsider_org):
    from boards.models import ActionGroupObjectPermission

    owned = factories.ActionFactory(board=partnered_board, owner=council)
    shared = factories.ActionFactory(board=partnered_board, owner=nhs)
    shared.shared_with.add(council)
    factories.ActionFactory(board=partnered_board, owner=nhs)
    ungranted = factories.ActionFactory(board=partnered_board, owner=council)
    ActionGroupObjectPermission.objects.filter(content_object=ungranted).delete()
    assert set(permissions.actions_of_organisation(council)) == {owned, shared}
    assert set(permissions.actions_of_organisation(outsider_org)) == set()
    council.group_id = None
    assert not permissions.actions_of_organisation(council).exists()


def test_the_action_verbs(partnered_board, council, council_user, secretariat_user):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    other = factories.ActionFactory(board=partnered_board, owner=factories.OrganisationFactory(name="Other"))
    agency, nobody = fresh(council_user), factories.UserFactory(username="nobody")
    assert permissions.may_on_actions(agency, "view")
    assert not permissions.may_on_actions(nobody, "view")
    for verb in ("add", "change", "delete", "change_status"):
        assert permissions.may_on_actions(secretariat_user, verb)
        assert not permissions.may_on_actions(agency, verb)
    for verb in ("view", "change_status"):
        assert permissions.may_on_action(agency, verb, action)
        assert not permissions.may_on_action(agency, verb, other)
        assert set(permissions.actions_with_any_of(agency, [verb, "delete"])) == {action}
    for verb in ("change", "delete", "lock"):
        assert not permissions.may_on_action(agency, verb, action)
        assert permissions.may_on_action(secretariat_user, verb, action)
        assert not permissions.actions_with_any_of(agency, [verb]).exists()
    assert set(permissions.actions_with_any_of(secretariat_user, ["delete"])) == {action, other}
    assert permissions.actions_status_only(agency, action)
    assert not permissions.actions_status_only(agency, other)
    assert not permissions.actions_status_only(secretariat_user, action)


def test_the_listing_key_is_the_secretariat_or_the_agencies(council, nhs, council_user, secretariat_user):
    both = factories.UserFactory(username="both", groups=[nhs.group, council.group])
    assert permissions.actions_visibility_key(secretariat_user) == "secretariat"
    assert permissions.actions_visibility_key(both) == sorted([council.group_id, nhs.group_id])
    assert permissions.actions_visibility_key(AnonymousUser()) == []


def test_a_boards_actions_on_public_pages(partnered_board, council, council_user):
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    item = factories.AgendaItemFactory(meeting=meeting)
    public = factories.ActionFactory(board=partnered_board, meeting=meeting, agenda_item=item, owner=council)
    private = factories.ActionFactory(board=partnered_board, owner=council)
    publish_minutes(meeting)
    actions = Action.objects.filter(board=partnered_board)
    assert set(permissions.board_actions_visible_to(AnonymousUser(), partnered_board, actions)) == {public}
    assert set(permissions.board_actions_visible_to(fresh(council_user), partnered_board, actions)) == {
        public,
        private,
    }


def test_where_a_viewer_sees_an_action(partnered_board, council, nhs, council_user, outsider_user):
    nhs_user = factories.UserFactory(username="nhs-officer", groups=[nhs.group])
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    item = factories.AgendaItemFactory(meeting=meeting)
    action = factories.ActionFactory(board=partnered_board, meeting=meeting, agenda_item=item, owner=council)
    loose = factories.ActionFactory(board=partnered_board, owner=council)
    assert permissions.action_destination(fresh(council_user), action) == "status"
    assert permissions.action_destination(fresh(nhs_user), action) == "meeting"
    assert permissions.action_destination(fresh(nhs_user), loose) == "board"
    assert permissions.action_destination(fresh(outsider_user), action) is None
    assert permissions.action_destination(AnonymousUser(), action) is None
    assert not permissions.is_public_action(action)
    MeetingPage.objects.filter(pk=meeting.pk).update(live=False)
    assert permissions.action_destination(fresh(nhs_user), Action.objects.get(pk=action.pk)) == "board"
    MeetingPage.objects.filter(pk=meeting.pk).update(live=True)
    publish_minutes(meeting)
    assert permissions.is_public_action(action)
    assert permissions.action_destination(AnonymousUser(), action) == "public_log"
    assert permissions.action_destination(fresh(council_user), action) == "status"
    partnered_board.live = False
    assert permissions.action_destination(fresh(nhs_user), loose) is None


def test_an_action_of_a_board_taken_down_is_in_no_channel(partnered_board, council):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    assert permissions.audience_of_action(action) == f"board:{partnered_board.pk}"
    action.board.live = False
    assert permissions.audience_of_action(action) is None
    assert permissions.audience_of_action(action, public_ids={action.pk}) is None


def test_a_minute_stub_is_for_exempt_items_of_public_minutes(partnered_board):
    meeting = _meeting(partnered_board, agenda_published=True, held=True)
    public = factories.AgendaItemFactory(meeting=meeting)
    exempt = factories.AgendaItemFactory(meeting=meeting, exempt=True, exemption_paragraph=3)
    assert permissions.minute_has_public_stub(exempt, True)
    assert not permissions.minute_has_public_stub(exempt, False)
    assert not permissions.minute_has_public_stub(public, True)


def test_search_audiences_from_board_ids_given_ask_nothing(council_user, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert permissions.search_audiences(council_user, board_ids={9, 3}) == ["public", "board:3", "board:9"]
        assert permissions.search_audiences(council_user, board_ids=set()) == ["public"]
