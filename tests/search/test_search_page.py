"""The /search/ page: parameters, facets as links, help, no results, escaping, bad input and unavailability.

Any input gets a page (200, or 503 when the backend is down), never a 500.
"""

import re

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

BAD_QUERIES = [
    "",
    "   ",
    '"',
    '"unbalanced library',
    "-",
    "or",
    "library or",
    '- - or " or -',
    "'; DROP TABLE search_searchrecord; --",
    "title:(a OR",
    "*",
    "\\",
    "NEAR(library strategy, 2)",
    "library AND NOT OR",
    "<script>alert('x')</script>",
    "😀 library 🏛️",
    "Ŵŷ Café ÆØÅ",
    "\x00\x01library",
    "a" * 10_000,
]


def test_any_query_gets_a_page(client, corpus):
    for q in BAD_QUERIES:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q


BAD_PARAMETERS = [
    {"q": "library", "page": "999"},
    {"q": "library", "page": "-3"},
    {"q": "library", "page": "two"},
    {"q": "library", "page": "1e9"},
    {"q": "library", "board": "not-a-number"},
    {"q": "library", "board": "99999999999999999999999"},
    {"q": "library", "type": "<b>page</b>"},
    {"q": "library", "year": "20111"},
    {"q": "library", "organisation": "no-such-agency"},
    {"q": "library", "tag": "'; DROP"},
    {"q": "library", "sort": "random()"},
    {"q": "library", "unknown": "value"},
]


def test_bad_parameters_get_a_page(client, corpus):
    for params in BAD_PARAMETERS:
        response = client.get("/search/", params)
        assert response.status_code == 200, params


def test_html_in_the_query_is_escaped(client, corpus):
    response = client.get("/search/", {"q": "<script>alert('x')</script> library"})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_html_in_record_text_is_escaped_in_snippets(client, corpus):
    from tests import factories

    factories.AgendaItemFactory(
        meeting=corpus.m2,
        number="7",
        title="Allotments <img src=x onerror=alert(1)>",
        summary="Allotment waiting lists <script>alert('allotment')</script> and <b>bold</b> claims.",
    )
    response = client.get("/search/", {"q": "allotment"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert('allotment')" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert re.search(r"<mark>Allotment</mark>", html)


def test_long_query_is_truncated_with_a_notice(client, corpus):
    response = client.get("/search/", {"q": "library " * 200})
    html = response.content.decode()
    assert response.status_code == 200
    assert "only its first 500 characters were used" in html


def test_empty_query_shows_help_and_most_recent_records(client, corpus):
    html = client.get("/search/").content.decode()
    assert "How to search" in html and "Most recent records" in html
    assert html.index("Community safety in libraries") < html.index("Library Strategy: consultation")


def test_no_results_echoes_the_query_and_suggests_removing_filters(client, corpus):
    html = client.get("/search/", {"q": "zeppelin", "tag": "libraries"}).content.decode()
    assert "No results for “zeppelin”" in html
    assert "removing the filters" in html


def test_facet_links_keep_the_query_and_show_matching_totals(client, corpus):
    html = client.get("/search/", {"q": "library"}).content.decode()
    links = re.findall(r'href="(\?[^"]+)" data-count="(\d+)"', html)
    assert len(links) >= 8
    for href, count in links:
        href = href.replace("&amp;", "&")
        assert "q=library" in href
        page = client.get("/search/" + href).content.decode()
        assert f"{count} result" in page, href


def test_restricted_results_are_labelled_for_staff(client, corpus, viewers):
    client.force_login(viewers["on_board"])
    html = client.get("/search/", {"q": "opening hours"}).content.decode()
    assert "Restricted" in html and "Library opening hours review" in html


def test_pagination_links(client, corpus):
    from tests import factories

    for n in range(25):
        factories.AgendaItemFactory(meeting=corpus.m2, number=str(20 + n), title=f"Allotment site {n}")
    html = client.get("/search/", {"q": "allotment"}).content.decode()
    assert "25 results" in html and "showing 1 to 20" in html
    assert 'rel="next"' in html
    page2 = client.get("/search/", {"q": "allotment", "page": "2"}).content.decode()
    assert "25 results" in page2 and "showing 21 to 25" in page2


def test_search_box_on_every_page(client, corpus):
    for url in ["/", "/boards/", corpus.board.url, corpus.m1.url]:
        html = client.get(url).content.decode()
        assert re.search(r'<form[^>]*role="search"[^>]*action="/search/"', html), url
        assert '<label class="govuk-label' in html and 'for="site-search-q"' in html


def test_backend_down_gives_503_and_the_rest_of_the_site_works(client, corpus, caplog):
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = client.get("/search/", {"q": "library"})
        assert response.status_code == 503
        assert "Search is temporarily unavailable" in response.content.decode()
        assert any("search unavailable" in r.getMessage() for r in caplog.records)
        assert client.get(corpus.m1.url).status_code == 200


def test_search_page_query_count_does_not_grow_with_results(
    client, corpus, django_assert_max_num_queries, no_page_cache
):
    with django_assert_max_num_queries(14):
        client.get("/search/", {"q": "library"})
    from tests import factories

    for n in range(15):
        factories.AgendaItemFactory(meeting=corpus.m2, number=str(40 + n), title=f"Library branch {n}")
    with django_assert_max_num_queries(14):
        client.get("/search/", {"q": "library"})


@given(
    q=st.text(max_size=120),
    page=st.one_of(st.none(), st.text(max_size=6), st.integers(-5, 10**6).map(str)),
    tag=st.text(max_size=20),
    board=st.text(max_size=8),
)
def test_hypothesis_any_input_gets_a_page(client, corpus, q, page, tag, board):
    params = {"q": q, "tag": tag, "board": board}
    if page is not None:
        params["page"] = page
    response = client.get("/search/", params)
    assert response.status_code == 200
