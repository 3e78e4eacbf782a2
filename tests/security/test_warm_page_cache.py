"""`manage.py warm_page_cache`: after a deploy the first visitors get cached pages, and only the public version."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.boards import minutes_helpers as mh
from tests.security.test_channel_leaks import SECRETS, text_of

pytestmark = pytest.mark.django_db


def warm(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("warm_page_cache", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_first_visitors_after_warming_get_hits_with_the_public_text(client, minutes, council_user):
    meeting = minutes.get_parent()
    board = meeting.get_parent()
    out, err = warm("--base-url", "http://testserver")
    assert "page cache warmed:" in out and err == ""
    for url in [
        "/",
        "/boards/",
        board.url,
        f"{board.url}feed/rss/",
        f"{board.url}meetings.ics",
        meeting.url,
        minutes.url,
    ]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", url
        text = text_of(response)
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} warmed into {url}"
    assert mh.PUBLIC_RESOLUTION in text_of(client.get(minutes.url))
    # The board's own agency still gets its own, uncached page with the exempt text.
    client.force_login(council_user)
    own = client.get(minutes.url)
    assert "X-Page-Cache" not in own and mh.EXEMPT_RESOLUTION in text_of(own)


def test_warming_another_address_does_not_serve_this_one(client, minutes):
    warm("--base-url", "https://records.example.org")
    assert client.get(minutes.url)["X-Page-Cache"] == "miss"


def test_bad_addresses_and_a_disabled_cache_are_refused(minutes):
    for bad in ("records.example.org", "ftp://records.example.org", "https://"):
        with pytest.raises(CommandError, match="--base-url"):
            warm("--base-url", bad)
    with override_settings(PAGE_CACHE_SECONDS=0), pytest.raises(CommandError, match="off"):
        warm("--base-url", "http://testserver")
