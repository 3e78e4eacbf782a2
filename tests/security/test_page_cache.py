"""The anonymous page cache (pagecache.middleware): hits are real, every write shows at once, audiences never mix.

The cache is on in every test (as in production); these tests look at it on purpose.
"""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from boards import bundle
from boards.models import Action, MinutesPage
from pagecache.generation import current_generation
from pagecache.middleware import response_is_cacheable
from search import indexing
from search.records import Scope
from tests import factories
from tests.boards import minutes_helpers as mh
from tests.security.test_channel_leaks import assert_no_secret, channel_urls, text_of
from tests.security.test_operations import DEAD_REDIS

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
BUNDLE = Path(__file__).parents[1] / "boards" / "fixtures" / "bundle_small.json"


def body(response):
    return text_of(response)


def test_a_second_anonymous_visit_is_answered_from_the_cache_in_one_query(client, minutes, django_assert_num_queries):
    first = client.get(minutes.url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):  # the content generation, nothing else
        second = client.get(minutes.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Cache-Control"] == first["Cache-Control"] == "public, max-age=300"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_head_is_answered_from_what_get_stored(client, minutes):
    client.get(minutes.url)
    response = client.head(minutes.url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"


def test_an_edit_published_shows_at_once(client, minutes):
    meeting = minutes.get_parent().specific
    assert client.get(meeting.url)["X-Page-Cache"] == "miss"
    assert client.get(meeting.url)["X-Page-Cache"] == "hit"
    meeting.title = "Renamed at the chair's request"
    meeting.save_revision().publish()
    response = client.get(meeting.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed at the chair&#x27;s request" in body(response) or "Renamed at the chair's request" in body(
        response
    )


def test_a_draft_is_not_shown_but_its_publication_is(client, minutes):
    meeting = minutes.get_parent().specific
    client.get(meeting.url)
    draft = meeting.get_latest_revision_as_object()
    draft.venue = "Colindale Library, community room"
    revision = draft.save_revision()
    response = client.get(meeting.url)
    assert response["X-Page-Cache"] == "miss"  # saving a draft is a write: re-rendered, and rightly unchanged
    assert "Colindale Library, community room" not in body(response)
    revision.publish()
    assert "Colindale Library, community room" in body(client.get(meeting.url))


def test_unpublished_minutes_vanish_from_every_cached_channel(client, minutes):
    board = minutes.get_parent().get_parent()
    urls = [minutes.url, f"{board.url}feed/rss/", "/feeds/minutes/atom/", "/sitemap.xml", "/search/?q=Hendon"]
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert mh.PUBLIC_RESOLUTION in body(client.get(f"{board.url}feed/rss/"))
    MinutesPage.objects.get(pk=minutes.pk).unpublish()
    assert client.get(minutes.url).status_code == 404
    for url in urls[1:]:
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
        assert mh.PUBLIC_RESOLUTION not in body(response), url


def test_an_action_update_shows_on_the_public_log_at_once(client, minutes, partnered_board, council, council_user):
    board = partnered_board
    meeting = minutes.get_parent().specific
    action = factories.ActionFactory(
        board=board,
        meeting=meeting,
        agenda_item=meeting.agenda_items.get(number="1"),
        owner=council,
        description="Publish the library consultation",
    )
    log = f"{board.url}actions/"
    assert "Publish the library consultation" in body(client.get(log))
    assert client.get(log)["X-Page-Cache"] == "hit"
    Action.objects.get(pk=action.pk).change_status(council_user, Action.Status.DONE, note="Published in May.")
    response = client.get(log)
    assert response.get("X-Page-Cache") != "hit"
    assert client.get(f"{log}?status=done")["X-Page-Cache"] == "miss"


def test_an_agency_view_never_reaches_anonymous_visitors_and_the_reverse(client, minutes, paper, council_user):
    """Every channel asked first by the board's own agency (who may read the exempt text), then anonymously, twice."""
    insider = client.__class__()
    insider.force_login(council_user)
    for url in channel_urls(minutes, paper):
        seen_by_insider = insider.get(url)
        assert "public" not in seen_by_insider.get("Cache-Control", ""), url
        assert "X-Page-Cache" not in seen_by_insider, url
    assert_no_secret(client, minutes, paper, "anonymous, rendered after the agency asked")
    assert_no_secret(client, minutes, paper, "anonymous, from the cache")
    # And the insider, asking after anonymous visitors filled the cache, still gets their own answers.
    for url in channel_urls(minutes, paper):
        assert "X-Page-Cache" not in insider.get(url), url
    assert mh.EXEMPT_RESOLUTION in body(insider.get(minutes.url))


def test_a_session_cookie_never_reads_the_cache(client, minutes):
    client.get(minutes.url)
    assert client.get(minutes.url)["X-Page-Cache"] == "hit"
    client.cookies["sessionid"] = "expired-or-forged"
    response = client.get(minutes.url)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_other_cookies_get_their_own_entry(client, minutes):
    client.get(minutes.url)
    client.cookies["preference"] = "large-print"
    assert client.get(minutes.url)["X-Page-Cache"] == "miss"


def test_admin_health_and_long_query_strings_are_never_cached(client, minutes, secretariat_user):
    for path in ("/health/", "/search/?q=" + "x" * 2000):
        client.get(path)
        assert "X-Page-Cache" not in client.get(path), path
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_responses_setting_a_cookie_or_not_public_are_not_stored():
    request = RequestFactory().get("/")
    public = HttpResponse("ok", headers={"Cache-Control": "public, max-age=300"})
    assert response_is_cacheable(request, public)
    with_cookie = HttpResponse("ok", headers={"Cache-Control": "public, max-age=300"})
    with_cookie.set_cookie("csrftoken", "abc")
    assert not response_is_cacheable(request, with_cookie)
    private = HttpResponse("ok", headers={"Cache-Control": "private, no-store"})
    assert not response_is_cacheable(request, private)
    unmarked = HttpResponse("ok")
    assert not response_is_cacheable(request, unmarked)
    not_found = HttpResponse("gone", status=404, headers={"Cache-Control": "public, max-age=300"})
    assert not response_is_cacheable(request, not_found)


def test_logins_sessions_and_failed_attempts_leave_the_cache_alone(client, secretariat_user):
    generation = current_generation()
    client.post("/admin/login/", {"username": "secretary", "password": "wrong"})
    client.post("/admin/login/", {"username": "secretary", "password": PASSWORD})
    client.get("/admin/")
    client.post("/admin/logout/")
    assert current_generation() == generation


def test_a_rolled_back_write_leaves_the_generation_and_a_committed_one_replaces_it(minutes):
    generation = current_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.OrganisationFactory(name="Never committed")
        assert current_generation() != generation
        raise RuntimeError
    assert current_generation() == generation
    factories.OrganisationFactory(name="Committed")
    assert current_generation() != generation


def test_a_search_index_write_replaces_the_generation(minutes):
    generation = current_generation()
    indexing.refresh(Scope(meeting_ids={minutes.get_parent().pk}))
    assert current_generation() != generation


def test_an_import_shows_on_cached_pages(client):
    data = json.loads(BUNDLE.read_text())
    bundle.import_bundle(data)
    before = client.get("/boards/")
    assert before["X-Page-Cache"] == "miss" and client.get("/boards/")["X-Page-Cache"] == "hit"
    generation = current_generation()
    data["boards"][0]["name"] += " (renamed by import)"
    assert bundle.import_bundle(data).changed
    assert current_generation() != generation
    response = client.get("/boards/")
    assert response["X-Page-Cache"] == "miss"
    assert "(renamed by import)" in body(response)


def test_cache_down_pages_are_rendered_every_time(client, minutes):
    with override_settings(CACHES=DEAD_REDIS):
        for _ in range(2):
            response = client.get(minutes.url)
            assert response.status_code == 200
            assert response.get("X-Page-Cache") == "miss"  # stored nowhere, so never a hit


def test_switched_off_with_zero_seconds(client, minutes):
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(minutes.url)
        assert "X-Page-Cache" not in client.get(minutes.url)
    cache.clear()
