"""One sweep over every public channel, as an outsider would: no exempt text in any of them.

HTML, PDFs (public and full), feeds, calendar, sitemap, search, action log, papers — anonymous and another agency.
Search pages are read whole: only the echo of the visitor's own query (the page title, the search box, the "results
for …" line and the query strings of links) is set aside, never a searched word wherever else it appears; and each
search also looks for every other canary in the page as served.
"""

import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.boards import minutes_helpers as mh
from tests.security.conftest import MINUTES_PAPER_TITLE as PAPER_TITLE
from tests.security.conftest import MINUTES_PAPER_WORD as PAPER_WORD

pytestmark = pytest.mark.django_db

SECRETS = [
    mh.EXEMPT_DISCUSSION,
    mh.EXEMPT_RESOLUTION,
    "Zanzibarquux",
    "Grimsditch",
    "Xylophonic",
    PAPER_TITLE,
    "Vexillarium",
    PAPER_WORD,
]
SEARCHES = ["Zanzibarquux", "Xylophonic", "Grimsditch Holdings", "Vexillarium", PAPER_WORD, "tender", "settlement"]


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(response):
    data = body_of(response)
    if data.startswith(b"%PDF") and b"/Page" in data:
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")


def search_page_without_echo(html):
    """The search page less the places that repeat the visitor's query; fails if the page's echo has moved."""
    soup = BeautifulSoup(html, "html.parser")
    echoes = soup.select("title, .search-count, .search-empty h2, .search-notice")
    assert echoes and soup.select("input[name=q]"), "the search page's echo of the query is not where it was"
    for echo in echoes:
        echo.decompose()
    for field in soup.select("input[name=q]"):
        del field["value"]
    for link in soup.select("a[href]"):
        link["href"] = link["href"].split("?", 1)[0]
    return str(soup)


def channel_urls(page, paper):
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
        "/",
        "/boards/",
        paper.url,
        paper.file.url,
        *(f"/search/?q={words.replace(' ', '+')}" for words in SEARCHES),
        "/search/",
    ]


def assert_no_secret(client, page, paper, who):
    seen = 0
    for url in channel_urls(page, paper):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        seen += 1
        text = " ".join(text_of(response).split())
        if url.startswith("/search/") and "q=" in url:
            searched = url.split("q=", 1)[1].replace("+", " ")
            for secret in SECRETS:
                if secret.lower() not in searched.lower():
                    assert secret not in text, f"{who} sees {secret!r} at {url}"
            text = " ".join(search_page_without_echo(text).split())
        for secret in SECRETS:
            assert secret not in text, f"{who} sees {secret!r} at {url}"
    assert seen >= 12, "most channels must answer"


def test_anonymous_sees_no_exempt_text_on_any_channel(client, minutes, paper):
    assert client.get(minutes.full_pdf_url).status_code in (403, 404)
    assert client.get(paper.url).status_code in (403, 404)
    assert_no_secret(client, minutes, paper, "anonymous")


def test_another_agency_sees_no_exempt_text_on_any_channel(client, minutes, paper, outsider_user):
    client.force_login(outsider_user)
    assert client.get(minutes.full_pdf_url).status_code in (403, 404)
    assert client.get(paper.url).status_code in (403, 404)
    assert_no_secret(client, minutes, paper, "outsider agency")


def test_the_boards_own_agency_does_see_it(client, minutes, paper, council_user):
    """The control: the secrets are really there, so the sweeps above could fail."""
    client.force_login(council_user)
    response = client.get(minutes.full_pdf_url)
    assert response.status_code == 200
    assert "Zanzibarquux" in " ".join(text_of(response).split())
    response = client.get(paper.url)
    assert response.status_code == 200 and PAPER_WORD.encode() in body_of(response)
    assert PAPER_TITLE in client.get(minutes.get_parent().url).content.decode()
    # Search finds the exempt minute for its board's agency, in the results (not in the echo).
    html = client.get("/search/", {"q": "Zanzibarquux"}).content.decode()
    assert "Zanzibarquux" in search_page_without_echo(html)


def test_the_echo_is_all_that_is_set_aside():
    """A searched word in a result title or snippet is still seen; only the query's echo goes."""
    html = (
        "<html><head><title>Search: Zanzibarquux</title></head><body>"
        '<input name="q" value="Zanzibarquux"><p class="search-count">1 result for “Zanzibarquux”</p>'
        '<ol class="search-results"><li><a href="/m/?q=Zanzibarquux">Minutes</a>'
        '<p class="search-snippet">tender Zanzibarquux</p></li></ol></body></html>'
    )
    assert "Zanzibarquux" in search_page_without_echo(html)
    assert "Zanzibarquux" not in search_page_without_echo(html.replace("tender Zanzibarquux", "tender"))
