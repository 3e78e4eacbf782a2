"""Guardian grants follow the data on every save path; sync_permissions rebuilds them and is idempotent."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone

from boards import grants, permissions
from boards.models import (
    ActionGroupObjectPermission,
    ActionUserObjectPermission,
    BoardPageGroupObjectPermission,
    BoardPartner,
)
from tests import factories
from tests.boards.actions_helpers import fresh

pytestmark = pytest.mark.django_db


def board_grants(board):
    return set(
        BoardPageGroupObjectPermission.objects.filter(
            content_object=board, permission__codename="view_restricted"
        ).values_list("group__name", flat=True)
    )


def action_grants(action):
    return set(
        ActionGroupObjectPermission.objects.filter(
            content_object=action, permission__codename="change_action"
        ).values_list("group__name", flat=True)
    )


def test_partners_groups_hold_view_restricted(world):
    assert board_grants(world.board) == {"Agency: London Borough of Barnet", "Agency: NHS Barnet"}
    assert board_grants(world.other_board) == {"Agency: London Fire Brigade"}


def test_owner_and_shared_groups_hold_change_action(world):
    assert action_grants(world.council_action) == {"Agency: London Borough of Barnet"}
    world.council_action.shared_with.add(world.nhs)
    assert action_grants(world.council_action) == {"Agency: London Borough of Barnet", "Agency: NHS Barnet"}
    assert permissions.can_change_action_status(fresh(world.nhs_user), world.council_action)
    world.council_action.shared_with.remove(world.nhs)
    assert action_grants(world.council_action) == {"Agency: London Borough of Barnet"}
    assert not permissions.can_change_action_status(fresh(world.nhs_user), world.council_action)


def test_clearing_sharing_from_the_organisation_side_revokes(world):
    world.council_action.shared_with.add(world.nhs)
    world.nhs.shared_actions.clear()
    assert action_grants(world.council_action) == {"Agency: London Borough of Barnet"}


def test_owner_change_moves_the_grant(world):
    action = world.council_action
    action.owner = world.nhs
    action.save()
    assert action_grants(action) == {"Agency: NHS Barnet"}
    assert permissions.can_change_action_status(fresh(world.nhs_user), action)
    assert not permissions.can_change_action_status(fresh(world.council_user), action)
    assert action not in permissions.actions_visible_to(fresh(world.council_user))


def test_agency_leaving_today_loses_access_today_without_any_sync(world):
    partner = BoardPartner.objects.get(board=world.board, organisation=world.council)
    # Written with update(): no signal, no sync, the grant row is still there.
    BoardPartner.objects.filter(pk=partner.pk).update(left_on=timezone.localdate())
    assert "Agency: London Borough of Barnet" in board_grants(world.board)
    assert not permissions.can_view_restricted(fresh(world.council_user), world.board)
    assert permissions.can_view_restricted(fresh(world.nhs_user), world.board)
    # Actions it still owns stay visible and updatable.
    assert permissions.can_change_action_status(fresh(world.council_user), world.council_action)


def test_agency_leaving_tomorrow_still_sees_today(world):
    BoardPartner.objects.filter(board=world.board, organisation=world.council).update(
        left_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert permissions.can_view_restricted(fresh(world.council_user), world.board)


def test_agency_joining_later_has_no_access_yet(world):
    BoardPartner.objects.filter(board=world.board, organisation=world.nhs).update(
        joined_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    grants.sync_all()
    assert "Agency: NHS Barnet" not in board_grants(world.board)
    assert not permissions.can_view_restricted(fresh(world.nhs_user), world.board)


def test_saving_left_on_revokes_the_grant(world):
    partner = BoardPartner.objects.get(board=world.board, organisation=world.council)
    partner.left_on = timezone.localdate()
    partner.save()
    assert board_grants(world.board) == {"Agency: NHS Barnet"}


def test_removing_the_partner_row_revokes(world):
    BoardPartner.objects.get(board=world.board, organisation=world.nhs).delete()
    assert board_grants(world.board) == {"Agency: London Borough of Barnet"}
    assert not permissions.can_view_restricted(fresh(world.nhs_user), world.board)


def test_a_missed_sync_never_opens_access(world):
    # A partner row created behind the signals' back (bulk insert) gives nothing until grants are synced.
    BoardPartner.objects.bulk_create([BoardPartner(board=world.board, organisation=world.fire, sort_order=9)])
    assert not permissions.can_view_restricted(fresh(world.outsider), world.board)
    grants.sync_all()
    assert permissions.can_view_restricted(fresh(world.outsider), world.board)


def test_publishing_the_board_page_with_a_new_partner_grants(world, client):
    board = world.board
    board.partners.add(BoardPartner(organisation=world.fire, joined_on=datetime.date(2012, 1, 1)))
    board.save_revision().publish()
    assert "Agency: London Fire Brigade" in board_grants(board)


def test_sync_permissions_is_idempotent_and_reports_nothing_on_a_consistent_db(world):
    grants.sync_all()
    out = StringIO()
    call_command("sync_permissions", stdout=out)
    assert "0 changes" in out.getvalue()
    before = (
        set(BoardPageGroupObjectPermission.objects.values_list("group_id", "content_object_id", "permission_id")),
        set(ActionGroupObjectPermission.objects.values_list("group_id", "content_object_id", "permission_id")),
    )
    call_command("sync_permissions", stdout=StringIO())
    after = (
        set(BoardPageGroupObjectPermission.objects.values_list("group_id", "content_object_id", "permission_id")),
        set(ActionGroupObjectPermission.objects.values_list("group_id", "content_object_id", "permission_id")),
    )
    assert before == after


def test_sync_permissions_repairs_and_reports_what_it_changed(world):
    ActionGroupObjectPermission.objects.filter(content_object=world.nhs_action).delete()
    stray = ActionGroupObjectPermission.objects.create(
        content_object=world.nhs_action,
        group=world.fire.group,
        permission=Permission.objects.get(codename="change_action"),
    )
    ActionUserObjectPermission.objects.create(
        content_object=world.council_action,
        user=world.outsider,
        permission=Permission.objects.get(codename="change_action"),
    )
    out = StringIO()
    call_command("sync_permissions", stdout=out)
    report = out.getvalue()
    assert "3 changes" in report
    assert "action change_action: +1 -1" in report
    assert "action user grants: +0 -1" in report
    assert not ActionGroupObjectPermission.objects.filter(pk=stray.pk).exists()
    assert action_grants(world.nhs_action) == {"Agency: NHS Barnet"}


def test_sync_permissions_dry_run_changes_nothing(world):
    ActionGroupObjectPermission.objects.filter(content_object=world.nhs_action).delete()
    out = StringIO()
    call_command("sync_permissions", "--dry-run", stdout=out)
    assert "1 change" in out.getvalue()
    assert action_grants(world.nhs_action) == set()


def test_guardian_anonymous_user_holds_nothing(world):
    anonymous = get_user_model().objects.get(username=settings.ANONYMOUS_USER_NAME)
    anonymous.groups.add(world.council.group)
    grants.sync_all()
    assert not anonymous.groups.exists()
    assert not permissions.can_view_restricted(anonymous, world.board)
    assert not permissions.actions_visible_to(anonymous).exists()


def test_model_level_change_action_never_widens_object_access(world):
    # A stray model-wide boards.change_action (restored from an old backup, say) still opens no object.
    world.outsider.groups.first().permissions.add(Permission.objects.get(codename="change_action"))
    user = fresh(world.outsider)
    assert user.has_perm("boards.change_action")
    assert set(permissions.actions_visible_to(user)) == {world.other_action}
    assert not permissions.can_change_action_status(user, world.council_action)


def test_agency_groups_get_admin_access_and_no_action_model_perms():
    # Wagtail's bulk actions and site history trust model-level perms: agency groups hold none on actions.
    org = factories.OrganisationFactory(name="Middlesex University", kind="education")
    codenames = set(Group.objects.get(pk=org.group_id).permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin"}


def test_sync_removes_model_perms_agency_groups_should_not_hold(world):
    group = world.council.group
    group.permissions.add(*Permission.objects.filter(codename__in=["view_action", "change_action", "delete_action"]))
    report = grants.sync_all()
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin"}
    assert report.removed["agency model permissions"] == 3
    assert grants.sync_all().changes == 0


def test_migration_drops_action_model_perms_from_agency_groups(world):
    from importlib import import_module

    from django.apps import apps as global_apps

    migration = import_module("boards.migrations.0004_agency_groups_drop_action_model_perms")
    group = world.council.group
    group.permissions.add(*Permission.objects.filter(codename__in=["view_action", "change_action"]))
    secretariat = Group.objects.get(name="Secretariat")
    secretariat.permissions.add(Permission.objects.get(codename="change_action"))
    migration.drop_action_model_perms(global_apps, None)
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin"}
    assert secretariat.permissions.filter(codename="change_action").exists()


def test_records_imported_signal_syncs_everything(world):
    from boards.signals import records_imported

    ActionGroupObjectPermission.objects.all().delete()
    records_imported.send(sender=None, actions=[world.council_action.pk])
    assert action_grants(world.council_action) == {"Agency: London Borough of Barnet"}
    assert action_grants(world.other_action) == {"Agency: London Fire Brigade"}


def test_sync_task_runs_the_same_rebuild(world):
    from boards.actions.tasks import sync_permissions_task

    ActionGroupObjectPermission.objects.all().delete()
    result = sync_permissions_task.enqueue()
    assert result.return_value >= 4
    assert action_grants(world.nhs_action) == {"Agency: NHS Barnet"}


def test_search_audience_boards_follow_the_same_rule(world):
    # restricted_board_ids (search's audience filter) answers as can_view_restricted does.
    assert permissions.restricted_board_ids(fresh(world.council_user)) == {world.board.pk}
    BoardPartner.objects.filter(board=world.board, organisation=world.council).update(left_on=timezone.localdate())
    assert permissions.restricted_board_ids(fresh(world.council_user)) == set()
    BoardPartner.objects.bulk_create([BoardPartner(board=world.board, organisation=world.fire, sort_order=9)])
    assert permissions.restricted_board_ids(fresh(world.outsider)) == {world.other_board.pk}
