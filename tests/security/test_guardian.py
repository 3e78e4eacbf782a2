"""Guardian as an attacker meets it: the anonymous user holds nothing, a global permission opens no object,
and the grants of a deleted object die with it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.urls import reverse
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user
from guardian.utils import get_anonymous_user

from boards import grants, permissions
from boards.models import (
    Action,
    ActionGroupObjectPermission,
    ActionUpdate,
    BoardPage,
    BoardPageGroupObjectPermission,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(partnered_board, council):
    return factories.ActionFactory(board=partnered_board, owner=council)


def test_guardians_anonymous_user_holds_no_permission(partnered_board, action):
    grants.sync_all()
    anon = get_anonymous_user()
    assert not anon.groups.exists()
    assert not anon.user_permissions.exists()
    assert anon.get_all_permissions() == set()
    assert not anon.has_perm("boards.view_restricted", partnered_board)
    assert not anon.has_perm("boards.change_action", action)
    assert not get_objects_for_user(anon, "boards.view_restricted", BoardPage).exists()
    assert not get_objects_for_user(anon, "boards.change_action", Action).exists()
    assert not UserObjectPermission.objects.filter(user=anon).exists()
    assert not permissions.can_view_restricted(AnonymousUser(), partnered_board)
    assert not permissions.can_view_restricted(anon, partnered_board)


def test_a_stray_grant_to_the_anonymous_user_opens_nothing_and_is_swept(client, partnered_board, meeting):
    anon = get_anonymous_user()
    assign_perm("boards.view_restricted", anon, partnered_board)
    assert not permissions.can_view_restricted(AnonymousUser(), partnered_board)
    html = client.get(meeting.url).content.decode()
    assert "Sealed bid of Quuxbridge" not in html
    grants.sync_all()
    assert not anon.has_perm("boards.view_restricted", partnered_board)


def test_a_global_permission_does_not_open_another_agencys_action(client, action, outsider_user):
    """accept_global_perms=False: the model-level change_action permission is not an object grant."""
    outsider_user.is_staff = True
    outsider_user.save()
    outsider_user.user_permissions.add(
        Permission.objects.get(codename="change_action"),
        Permission.objects.get(codename="access_admin"),
    )
    grants.sync_all()
    assert not permissions.can_change_action_status(outsider_user, action)
    assert action not in permissions.actions_visible_to(outsider_user)
    client.force_login(outsider_user)
    url = reverse("boards_action_status", args=[action.pk])
    response = client.post(url, {"new_status": "done", "note": "Closed by someone else"})
    assert response.status_code in (302, 403, 404)
    action.refresh_from_db()
    assert action.status == "open"
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_object_permissions_of_a_deleted_action_are_deleted_with_it(action, nhs):
    action.shared_with.add(nhs)
    grants.sync_all()
    assert ActionGroupObjectPermission.objects.filter(content_object=action).count() == 2
    pk = action.pk
    action.delete()
    assert not ActionGroupObjectPermission.objects.filter(content_object_id=pk).exists()


def test_object_permissions_of_a_deleted_board_are_deleted_with_it(council):
    board = factories.BoardPageFactory(title="Short-lived Board", code="SLB")
    factories.BoardPartnerFactory(board=board, organisation=council)
    grants.sync_all()
    assert BoardPageGroupObjectPermission.objects.filter(content_object=board).exists()
    pk = board.pk
    board.delete()
    assert not BoardPageGroupObjectPermission.objects.filter(content_object_id=pk).exists()


def test_grants_use_the_direct_tables_so_nothing_is_orphaned_in_the_generic_ones(action, partnered_board):
    grants.sync_all()
    assert not GroupObjectPermission.objects.exists()
    assert not UserObjectPermission.objects.exists()
