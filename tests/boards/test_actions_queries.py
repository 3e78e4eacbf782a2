"""Listings of actions run a constant number of queries, whatever their length (10 or 500 actions)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards import grants
from boards.models import Action, ActionUpdate
from pagecache.generation import bump
from tests.boards.actions_helpers import login

pytestmark = pytest.mark.django_db


def add_actions(world, n):
    """n more public actions owned by the council (every third shared with the NHS, each with an update)."""
    start = Action.objects.count()
    actions = Action.objects.bulk_create(
        [
            Action(
                reference=f"OBPB/2011/06/{1000 + start + i}",
                board=world.board,
                meeting=world.meeting,
                agenda_item=world.public_item,
                description=f"Bulk action {start + i}.",
                owner=world.council,
                due_on=datetime.date(2011, 9, 1) + datetime.timedelta(days=i % 300),
            )
            for i in range(n)
        ]
    )
    through = Action.shared_with.through
    through.objects.bulk_create([through(action_id=a.pk, organisation_id=world.nhs.pk) for a in actions[::3]])
    ActionUpdate.objects.bulk_create([ActionUpdate(action=a, note=f"Progress on {a.pk}.") for a in actions])
    grants.sync_actions()
    # Bulk writes send no signals: replace the page cache's generation as the importer does.
    bump()


def count_queries(client, url, params=None):
    client.get("/")  # Wagtail keeps the site's root paths in the cache, which each test starts empty
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries.captured_queries), response


@pytest.mark.parametrize(
    "url, params",
    [
        ("/admin/snippets/boards/action/", {}),
        ("/admin/snippets/boards/action/", {"status": "open", "overdue": "true"}),
        ("/admin/snippets/boards/action/", {"export": "csv"}),
        ("/admin/snippets/boards/action/", {"export": "xlsx"}),
    ],
)
def test_our_actions_listing_is_constant(client, world, url, params):
    login(client, world.council_user)
    add_actions(world, 8)  # 10 council actions in all
    small, response = count_queries(client, url, params)
    add_actions(world, 490)  # 500
    large, response = count_queries(client, url, params)
    assert small == large, f"{small} queries for 10 actions, {large} for 500"
    if not params:
        shown = set(re.findall(r"OBPB/2011/06/1\d{3}", response.content.decode()))
        assert len(shown) >= 48  # a full page of 50 (two of them may be the world's own actions)


def test_secretariat_listing_is_constant(client, world):
    login(client, world.secretary)
    add_actions(world, 6)
    small, _ = count_queries(client, "/admin/snippets/boards/action/")
    add_actions(world, 490)
    large, _ = count_queries(client, "/admin/snippets/boards/action/")
    assert small == large


@pytest.mark.parametrize("params", [{}, {"status": "open"}, {"owner": "london-borough-of-barnet"}])
def test_public_action_log_is_constant(client, world, params):
    add_actions(world, 8)
    small, _ = count_queries(client, "/boards/obpb/actions/", params)
    add_actions(world, 490)
    large, response = count_queries(client, "/boards/obpb/actions/", params)
    assert small == large, f"{small} queries for 10 actions, {large} for 500"
    assert response.content.decode().count('<tr class="govuk-table__row') >= 50


def test_next_meeting_action_log_is_constant(client, world):
    add_actions(world, 8)
    small, _ = count_queries(client, world.next_meeting.url)
    add_actions(world, 200)
    large, response = count_queries(client, world.next_meeting.url)
    assert small == large
    assert "Bulk action 200." in response.content.decode()
