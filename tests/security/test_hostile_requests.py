"""Hostile query strings and page numbers on every list, and requests that skip the forms.

Every answer is a page or a clear 4xx — never a 500 — and nothing is written, nothing leaked.
"""

import pytest
from django.urls import reverse

from boards import grants
from boards.models import Action, ActionUpdate
from tests import factories
from tests.security.conftest import SECRET_SUMMARY

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "-1",
    "99999999999999999999999999",
    "1e309",
    "abc",
    "\x00",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "x" * 5000,
    "\u202e\u0000",
]
# Bytes that are not UTF-8 at all (a lone surrogate's encoding), as an attacker's raw request sends them.
RAW_INVALID_UTF8 = "%ED%A0%80%E2%80%AE%FF"
# The admin lists get the shapes that reach the database: sign, size, type, NUL, markup.
ADMIN_VALUES = ["-1", "99999999999999999999999999", "abc", "\x00", "<script>alert(1)</script>"]


def list_urls(board):
    return [
        ("/search/", ["q", "page", "board", "type", "year", "organisation", "tag", "sort"]),
        (f"{board.url}actions/", ["page", "status", "owner", "action"]),
        ("/boards/", ["page"]),
        (board.url, ["page", "year"]),
        (f"{board.url}feed/rss/", ["page"]),
        (f"{board.url}meetings.ics", ["page"]),
        ("/feeds/minutes/atom/", ["page"]),
        ("/sitemap.xml", ["p"]),
    ]


def assert_safe(response, url):
    assert response.status_code < 500, f"{url} → {response.status_code}"
    if response.status_code == 200 and not response.streaming:
        text = response.content.decode("utf-8", "replace")
        assert "<script>alert(1)</script>" not in text, f"reflected markup on {url}"


def test_every_public_list_survives_hostile_parameters(client, meeting):
    board = meeting.get_parent()
    for path, params in list_urls(board):
        for param in params:
            for value in HOSTILE_VALUES:
                response = client.get(path, {param: value})
                assert_safe(response, f"{path}?{param}={value[:20]!r}")
            assert_safe(client.get(f"{path}?{param}={RAW_INVALID_UTF8}"), f"{path}?{param}=<invalid utf-8>")
        # Repeated and array-style parameters, and a very long query string.
        assert_safe(client.get(f"{path}?page=1&page=2&page[]=3"), path)
        assert_safe(client.get(path, {"q": "library " * 2000}), path)


def test_admin_lists_survive_hostile_page_numbers(client, secretariat_user, partnered_board, council):
    factories.ActionFactory(board=partnered_board, owner=council)
    client.force_login(secretariat_user)
    for path in ("/admin/snippets/boards/action/", "/admin/pages/", "/admin/documents/", "/admin/users/"):
        for value in ADMIN_VALUES:
            for param in ("p", "q", "ordering", "status", "board"):
                assert_safe(client.get(path, {param: value}), f"{path}?{param}")


def test_search_never_leaks_exempt_text_whatever_the_filters(client, meeting):
    for params in (
        {"q": "Quuxbridge"},
        {"q": "Sealed bid"},
        {"q": '"Sealed bid of Quuxbridge"'},
        {"q": "Quuxbridge", "board": str(meeting.get_parent().pk)},
        {"q": "Quux*"},
        {"q": "Quuxbridge OR library"},
        {"q": "Quuxbridge", "type": "agenda_item", "sort": "date"},
    ):
        response = client.get("/search/", params)
        assert response.status_code in (200, 400), params
        assert SECRET_SUMMARY not in response.content.decode()
        assert "Quuxbridge Holdings" not in response.content.decode()


# --- requests that skip the form ------------------------------------------------------------------------------


@pytest.fixture
def nhs_action(partnered_board, nhs):
    action = factories.ActionFactory(board=partnered_board, owner=nhs, description="NHS confidential follow-up")
    grants.sync_all()
    return action


@pytest.fixture
def council_client(client, council_user):
    council_user.is_staff = True
    council_user.save()
    grants.sync_all()
    client.force_login(council_user)
    return client


def test_another_agencys_action_ids_are_refused_everywhere(council_client, nhs_action):
    pk = nhs_action.pk
    gets = [
        reverse("boards_action_status", args=[pk]),
        f"/admin/snippets/boards/action/edit/{pk}/",
        f"/admin/snippets/boards/action/delete/{pk}/",
        f"/admin/snippets/boards/action/history/{pk}/",
        f"/admin/snippets/boards/action/inspect/{pk}/",
        reverse("search:open_action", args=[pk]),
    ]
    for url in gets:
        response = council_client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b"NHS confidential follow-up" not in response.content, url
    posts = {
        reverse("boards_action_status", args=[pk]): {"new_status": "done", "note": "closed by another agency"},
        reverse("boards_action_close", args=[pk]): {"next": "/admin/"},
        f"/admin/snippets/boards/action/edit/{pk}/": {"description": "rewritten", "status": "dropped"},
        f"/admin/snippets/boards/action/delete/{pk}/": {},
    }
    for url, data in posts.items():
        response = council_client.post(url, data)
        assert response.status_code in (302, 403, 404, 405), url
    nhs_action.refresh_from_db()
    assert nhs_action.status == "open" and nhs_action.description == "NHS confidential follow-up"
    assert not ActionUpdate.objects.filter(action=nhs_action).exists()
    listing = council_client.get("/admin/snippets/boards/action/").content.decode()
    assert "NHS confidential follow-up" not in listing


def test_agency_staff_cannot_change_their_own_actions_text_by_posting_extra_fields(
    council_client, partnered_board, council
):
    action = factories.ActionFactory(board=partnered_board, owner=council, description="Original wording")
    grants.sync_all()
    due = action.due_on
    response = council_client.post(
        reverse("boards_action_status", args=[action.pk]),
        {
            "new_status": "in_progress",
            "note": "Started",
            "description": "Rewritten by agency",
            "due_on": "2030-01-01",
            "owner": "",
        },
    )
    assert response.status_code in (200, 302)
    action.refresh_from_db()
    assert action.description == "Original wording" and action.due_on == due
    assert council_client.post(
        f"/admin/snippets/boards/action/edit/{action.pk}/", {"description": "Rewritten"}
    ).status_code in (302, 403, 404)
    action.refresh_from_db()
    assert action.description == "Original wording"


def test_bad_status_values_and_null_bytes_get_a_form_error_and_write_nothing(council_client, partnered_board, council):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    grants.sync_all()
    url = reverse("boards_action_status", args=[action.pk])
    for data in (
        {"new_status": "deleted", "note": "x"},
        {"new_status": "done", "note": "null\x00byte"},
        {"new_status": ["done", "open"], "note": "x" * 100_000},
    ):
        response = council_client.post(url, data)
        assert response.status_code in (200, 400), data
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_posts_without_a_csrf_token_are_refused(partnered_board, council, council_user):
    from django.test import Client

    action = factories.ActionFactory(board=partnered_board, owner=council)
    grants.sync_all()
    council_user.is_staff = True
    council_user.save()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(council_user)
    response = strict.post(reverse("boards_action_status", args=[action.pk]), {"new_status": "done", "note": "x"})
    assert response.status_code == 403
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_anonymous_posts_to_admin_endpoints_write_nothing(client, partnered_board, council, meeting):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    for url in (
        reverse("boards_action_status", args=[action.pk]),
        reverse("boards_action_close", args=[action.pk]),
        reverse("boards_publish_agenda", args=[meeting.pk]),
        "/admin/documents/multiple/add/",
    ):
        response = client.post(url, {"new_status": "done", "note": "anonymous"})
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")
    assert not ActionUpdate.objects.exists()
