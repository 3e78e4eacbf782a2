"""One sweep over every public channel, as an outsider would: no exempt text in any of them.

HTML, PDFs (public and full), feeds, calendar, sitemap, search, action log, papers — anonymous and another agency.
"""

import io

import pytest
from pypdf import PdfReader

from tests.boards import minutes_helpers as mh

pytestmark = pytest.mark.django_db

SECRETS = [mh.EXEMPT_DISCUSSION, mh.EXEMPT_RESOLUTION, "Zanzibarquux", "Grimsditch", "Xylophonic"]


def text_of(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data.startswith(b"%PDF"):
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")


def channel_urls(page):
    meeting = page.get_parent()
    board = meeting.get_parent()
    return [
        board.url,
        meeting.url,
        page.url,
        page.pdf_url,
        page.full_pdf_url,
        f"{meeting.url}agenda.pdf",
        f"{meeting.url}agenda-full.pdf",
        f"{board.url}feed/rss/",
        f"{board.url}feed/atom/",
        "/feeds/minutes/rss/",
        "/feeds/minutes/atom/",
        f"{board.url}meetings.ics",
        f"{board.url}actions/",
        "/sitemap.xml",
        "/search/?q=Zanzibarquux",
        "/search/?q=Xylophonic",
        "/search/?q=Grimsditch+Holdings",
        "/",
        "/boards/",
    ]


def assert_no_secret(client, page, who):
    seen = 0
    for url in channel_urls(page):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        seen += 1
        text = " ".join(text_of(response).split())
        if url.startswith("/search/"):
            # The search page repeats what was typed; that echo is the visitor's own words, not a leak.
            for word in url.split("q=", 1)[1].split("+"):
                text = text.replace(word, "")
        for secret in SECRETS:
            assert secret not in text, f"{who} sees {secret!r} at {url}"
    assert seen >= 12, "most channels must answer"


def test_anonymous_sees_no_exempt_text_on_any_channel(client, minutes):
    assert client.get(minutes.full_pdf_url).status_code in (403, 404)
    assert_no_secret(client, minutes, "anonymous")


def test_another_agency_sees_no_exempt_text_on_any_channel(client, minutes, outsider_user):
    client.force_login(outsider_user)
    assert client.get(minutes.full_pdf_url).status_code in (403, 404)
    assert_no_secret(client, minutes, "outsider agency")


def test_the_boards_own_agency_does_see_it(client, minutes, council_user):
    """The control: the secret is really there, so the sweeps above could fail."""
    client.force_login(council_user)
    response = client.get(minutes.full_pdf_url)
    assert response.status_code == 200
    assert "Zanzibarquux" in " ".join(text_of(response).split())
