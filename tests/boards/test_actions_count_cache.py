"""The action listing's total is cached under the content generation: never stale, never another viewer's.

The count is the listing's second pass over every visible action; boards.actions.paginator keeps it
while no write has replaced the generation, keyed by who is looking (their agencies, or the secretariat) and by the
filter and search parameters.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from boards import grants, permissions
from boards.models import Action, ActionGroupObjectPermission
from tests.boards.actions_helpers import admin_list_url, login
from tests.security.test_operations import DEAD_REDIS

pytestmark = pytest.mark.django_db


def total(client, **params):
    response = client.get(admin_list_url(), params)
    assert response.status_code == 200
    return response.context["paginator"].count


def counted(client):
    """Whether a request ran a COUNT over the actions (not served from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        total(client)
    return any("COUNT(" in q["sql"].upper() and "boards_action" in q["sql"] for q in queries)


def add_council_action(world, description="A new action for the council."):
    return Action.objects.create(
        board=world.board,
        meeting=world.meeting,
        owner=world.council,
        description=description,
        due_on=datetime.date(2011, 12, 1),
    )


def test_the_total_is_served_from_the_cache_until_a_write(client, world):
    login(client, world.council_user)
    before = total(client)
    assert before == permissions.actions_visible_to(world.council_user).count() > 0
    assert not counted(client), "the second listing counted again"
    add_council_action(world)
    assert total(client) == before + 1


def test_agencies_and_the_secretariat_never_share_a_total(client, world):
    expected = {}
    for user in (world.council_user, world.nhs_user, world.outsider, world.secretary):
        login(client, user)
        expected[user.pk] = permissions.actions_visible_to(user).count()
        assert total(client) == expected[user.pk]
    assert len(set(expected.values())) > 2
    # Asked again in another order, from the cache: still each viewer's own.
    for user in (world.secretary, world.outsider, world.nhs_user, world.council_user):
        login(client, user)
        assert total(client) == expected[user.pk]


def test_each_filter_and_search_has_its_own_total(client, world):
    login(client, world.secretary)
    everything = total(client)
    other_board = total(client, board=world.other_action.board_id)
    assert 0 < other_board < everything
    assert total(client, q=world.other_action.reference) == 1
    assert total(client) == everything
    # Order and page never change the set: they share the total.
    assert total(client, ordering="-due_on") == everything


def test_a_grant_rebuilt_in_bulk_renews_the_total(client, world):
    login(client, world.council_user)
    before = total(client)
    # A grant lost (a missed sync): the action is no longer the council's to see.
    ActionGroupObjectPermission.objects.filter(
        content_object_id=world.council_action.pk, group_id=world.council.group_id
    ).delete()
    assert total(client) == before - 1
    # sync_permissions puts it back with bulk_create, which sends no post_save.
    grants.sync_actions([world.council_action.pk])
    assert total(client) == before


def test_with_the_cache_down_the_listing_counts_every_time(client, world):
    login(client, world.council_user)
    expected = permissions.actions_visible_to(world.council_user).count()
    with override_settings(CACHES=DEAD_REDIS):
        assert total(client) == expected
        assert counted(client)
