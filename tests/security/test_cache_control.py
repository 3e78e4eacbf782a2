"""Responses that depend on the viewer are `private, no-store`; public pages may be cached, and a shared
cache never hands one audience's version to another (checked with Django's own HTTP cache in front).
"""

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.security.conftest import SECRET_SUMMARY

pytestmark = pytest.mark.django_db


def vary(response):
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


def test_anonymous_public_page_is_cacheable_and_varies_on_cookie(client, meeting):
    response = client.get(meeting.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert "cookie" in vary(response)


def test_signed_in_pages_are_private_and_not_stored(client, meeting, council_user, secretariat_user):
    client.force_login(council_user)
    for path in ("/", "/boards/", meeting.url, "/search/?q=contract"):
        response = client.get(path)
        assert response["Cache-Control"] == "private, no-store", path
        assert "Expires" not in response
    client.force_login(secretariat_user)
    assert client.get("/admin/")["Cache-Control"] == "private, no-store"


def test_posts_errors_and_cookie_setting_responses_are_never_public(client, meeting):
    login_page = client.get("/admin/login/")
    assert login_page["Cache-Control"] == "private, no-store"
    assert client.post("/admin/login/", {"username": "x", "password": "y"})["Cache-Control"] == "private, no-store"
    not_found = client.get("/boards/no-such-board/")
    assert not_found.status_code == 404 and "public" not in not_found["Cache-Control"]


def test_a_session_cookie_alone_makes_the_answer_private(client, meeting):
    client.cookies["sessionid"] = "forged-or-expired"
    assert client.get(meeting.url)["Cache-Control"] == "private, no-store"


SHARED_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "app"},
    "edge": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "edge"},
}


def with_shared_cache(middleware):
    """Django's cache middleware standing in for a shared HTTP cache in front of the site."""
    return [
        "django.middleware.cache.UpdateCacheMiddleware",
        *middleware,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]


def test_a_shared_cache_never_serves_one_audiences_version_to_another(client, meeting, council_user, settings):
    with override_settings(
        CACHES=SHARED_CACHE,
        MIDDLEWARE=with_shared_cache(settings.MIDDLEWARE),
        CACHE_MIDDLEWARE_ALIAS="edge",
        CACHE_MIDDLEWARE_SECONDS=300,
    ):
        caches["edge"].clear()
        insider = client.__class__()
        insider.force_login(council_user)
        # The insider goes first: their version (with the exempt summary) must not be stored.
        assert SECRET_SUMMARY in insider.get(meeting.url).content.decode()
        first_public = client.get(meeting.url)
        assert SECRET_SUMMARY not in first_public.content.decode()
        # Now the public version is in the cache; the insider still gets their own, the public the public one.
        assert SECRET_SUMMARY in insider.get(meeting.url).content.decode()
        again = client.get(meeting.url)
        assert SECRET_SUMMARY not in again.content.decode()
        assert again.content == first_public.content, "the public version is served from the cache"
        # After the insider signs out, their browser's next request gets the public version.
        insider.logout()
        assert SECRET_SUMMARY not in insider.get(meeting.url).content.decode()
