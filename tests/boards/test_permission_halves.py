"""Each permission rests on two checks, the guardian grant and the data it is derived from; each must hold alone.

A grant without data behind it (a stale row after a restore or `loaddata`, or a stray row for another group) and data
without a grant (rows deleted, a sync not yet run) both refuse. The grant rows here are written as a restore writes
them: by `loaddata` or straight into the table, so no signal re-derives them.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from boards import permissions
from boards.models import Action, ActionGroupObjectPermission, BoardPageGroupObjectPermission, BoardPartner
from tests.boards.actions_helpers import fresh

pytestmark = pytest.mark.django_db


def load_grant(tmp_path, model, group, obj, codename):
    """Write one guardian row with `loaddata` (raw saves, no sync), as a restore of a backup does."""
    row = model(group=group, content_object=obj, permission=Permission.objects.get(codename=codename))
    data = json.loads(serializers.serialize("json", [row]))
    data[0]["pk"] = None
    fixture = tmp_path / "grant.json"
    fixture.write_text(json.dumps(data))
    call_command("loaddata", str(fixture), verbosity=0)
    assert model.objects.filter(group=group, content_object=obj, permission__codename=codename).exists()


def drop_action_grants(action):
    ActionGroupObjectPermission.objects.filter(content_object=action).delete()


def visible(user):
    return set(permissions.actions_visible_to(fresh(user)).values_list("pk", flat=True))


# --- can_change_action_status / actions_visible_to -----------------------------------------------------------


def test_the_control_owner_with_grant_may(world):
    """Both halves present: the owner's staff may, so each refusal below is one half refusing."""
    assert permissions.can_change_action_status(fresh(world.council_user), world.council_action)
    assert world.council_action.pk in visible(world.council_user)


def test_owner_data_without_the_grant_refuses(world):
    drop_action_grants(world.council_action)
    assert Action.objects.get(pk=world.council_action.pk).owner_id == world.council.pk
    assert not permissions.can_change_action_status(fresh(world.council_user), world.council_action)
    assert world.council_action.pk not in visible(world.council_user)
    # The exempt action keeps its grant: the refusal is per action, not per user.
    assert world.exempt_action.pk in visible(world.council_user)


def test_sharing_data_without_the_grant_refuses(world):
    world.council_action.shared_with.add(world.nhs)
    assert permissions.can_change_action_status(fresh(world.nhs_user), world.council_action)
    ActionGroupObjectPermission.objects.filter(content_object=world.council_action, group=world.nhs.group).delete()
    assert world.nhs in world.council_action.shared_with.all()
    assert not permissions.can_change_action_status(fresh(world.nhs_user), world.council_action)
    assert world.council_action.pk not in visible(world.nhs_user)


def test_a_stray_grant_for_a_group_neither_owner_nor_sharer_refuses(world):
    ActionGroupObjectPermission.objects.create(
        content_object=world.council_action,
        group=world.fire.group,
        permission=Permission.objects.get(codename="change_action"),
    )
    assert not permissions.can_change_action_status(fresh(world.outsider), world.council_action)
    assert world.council_action.pk not in visible(world.outsider)
    assert visible(world.outsider) == {world.other_action.pk}


def test_a_stale_grant_loaded_from_a_backup_after_sharing_ended_refuses(world, tmp_path):
    """Shared once, unshared since; the backup restored carries the old grant and no sync has run."""
    load_grant(tmp_path, ActionGroupObjectPermission, world.nhs.group, world.council_action, "change_action")
    assert not world.council_action.shared_with.exists()
    assert not permissions.can_change_action_status(fresh(world.nhs_user), world.council_action)
    assert world.council_action.pk not in visible(world.nhs_user)


def test_a_stale_grant_after_the_owner_changed_behind_the_signals_refuses(world):
    Action.objects.filter(pk=world.council_action.pk).update(owner=world.nhs)
    action = Action.objects.get(pk=world.council_action.pk)
    # The council's grant row is still there; the NHS has none yet.
    assert ActionGroupObjectPermission.objects.filter(content_object=action, group=world.council.group).exists()
    assert not permissions.can_change_action_status(fresh(world.council_user), action)
    assert not permissions.can_change_action_status(fresh(world.nhs_user), action)
    assert action.pk not in visible(world.council_user)
    assert action.pk not in visible(world.nhs_user)


def test_shared_data_and_grant_together_allow(world):
    """The sharing half of actions_visible_to: owned by the council, shared with (and granted to) the NHS."""
    world.council_action.shared_with.add(world.nhs)
    assert world.council_action.pk in visible(world.nhs_user)
    assert world.nhs_action.pk in visible(world.nhs_user)
    assert world.exempt_action.pk not in visible(world.nhs_user)


def test_a_grant_of_another_permission_is_not_change_action(world):
    ActionGroupObjectPermission.objects.create(
        content_object=world.council_action,
        group=world.nhs.group,
        permission=Permission.objects.get(codename="view_action"),
    )
    world_sharing = Action.shared_with.through
    world_sharing.objects.create(action_id=world.council_action.pk, organisation_id=world.nhs.pk)  # no signal
    assert not permissions.can_change_action_status(fresh(world.nhs_user), world.council_action)
    assert world.council_action.pk not in visible(world.nhs_user)


# --- can_view_restricted / restricted_board_ids --------------------------------------------------------------


def sees_board(user, board):
    user = fresh(user)
    by_function = permissions.can_view_restricted(user, board)
    by_ids = board.pk in permissions.restricted_board_ids(fresh(user))
    assert by_function == by_ids, "can_view_restricted and restricted_board_ids disagree"
    return by_function


def test_the_control_current_partner_with_grant_sees(world):
    assert sees_board(world.council_user, world.board)
    assert sees_board(world.outsider, world.other_board)


def test_current_partnership_without_the_grant_refuses(world):
    BoardPageGroupObjectPermission.objects.filter(content_object=world.board, group=world.council.group).delete()
    assert BoardPartner.objects.filter(board=world.board, organisation=world.council, left_on__isnull=True).exists()
    assert not sees_board(world.council_user, world.board)
    assert sees_board(world.nhs_user, world.board)


def test_a_stale_grant_after_the_partnership_ended_refuses(world, tmp_path):
    """The agency left last month; a restored backup brings back its grant, and no sync has run."""
    BoardPageGroupObjectPermission.objects.filter(content_object=world.board, group=world.council.group).delete()
    BoardPartner.objects.filter(board=world.board, organisation=world.council).update(
        left_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    load_grant(tmp_path, BoardPageGroupObjectPermission, world.council.group, world.board, "view_restricted")
    assert not sees_board(world.council_user, world.board)


def test_a_grant_before_the_partnership_starts_refuses(world):
    BoardPartner.objects.filter(board=world.board, organisation=world.nhs).update(
        joined_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert not sees_board(world.nhs_user, world.board)


def test_a_stray_grant_on_a_board_the_agency_is_no_partner_of_refuses(world):
    BoardPageGroupObjectPermission.objects.create(
        content_object=world.board,
        group=world.fire.group,
        permission=Permission.objects.get(codename="view_restricted"),
    )
    assert not sees_board(world.outsider, world.board)
    assert permissions.restricted_board_ids(fresh(world.outsider)) == {world.other_board.pk}


def test_a_grant_on_one_board_and_a_partnership_of_another_do_not_combine(world):
    """Fire partners the other board; a stray grant on this board must not meet that partnership."""
    BoardPageGroupObjectPermission.objects.filter(content_object=world.other_board, group=world.fire.group).delete()
    BoardPageGroupObjectPermission.objects.create(
        content_object=world.board,
        group=world.fire.group,
        permission=Permission.objects.get(codename="view_restricted"),
    )
    assert not sees_board(world.outsider, world.board)
    assert not sees_board(world.outsider, world.other_board)


# --- both halves must be the same agency's --------------------------------------------------------------------


def test_a_user_of_two_agencies_needs_grant_and_data_for_the_same_one(world):
    """In NHS and Fire: the action is shared with NHS (no grant left) and Fire holds a stray grant: refused."""
    from tests import factories

    both = factories.UserFactory(username="two-hats", is_staff=True, groups=[world.nhs.group, world.fire.group])
    world.council_action.shared_with.add(world.nhs)
    ActionGroupObjectPermission.objects.filter(content_object=world.council_action, group=world.nhs.group).delete()
    ActionGroupObjectPermission.objects.create(
        content_object=world.council_action,
        group=world.fire.group,
        permission=Permission.objects.get(codename="change_action"),
    )
    assert not permissions.can_change_action_status(fresh(both), world.council_action)
    assert world.council_action.pk not in visible(both)
    # Boards alike: NHS partners the board but lost its grant; Fire holds one but is no partner.
    BoardPageGroupObjectPermission.objects.filter(content_object=world.board, group=world.nhs.group).delete()
    BoardPageGroupObjectPermission.objects.create(
        content_object=world.board,
        group=world.fire.group,
        permission=Permission.objects.get(codename="view_restricted"),
    )
    assert not sees_board(both, world.board)
    assert sees_board(both, world.other_board)
