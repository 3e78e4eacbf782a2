"""Search scenarios: a one-word, a two-word and a phrase query with facets, anonymous and as agency staff.

Also the search service alone without facets (issue 6 asks for search times with and without facets).

Beside each: the floor (one hand-written statement) and the peer (Wagtail's own search on the same text).
Budget: ≤ 80 ms median, ≤ 200 ms p95, no slower than the peer.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario

QUERIES = {
    "one word": "libraries",
    "two words": "hospital discharge",
    "phrase": '"telephone waiting times"',
}
SEARCH_BUDGET = Budget(median_ms=80, p95_ms=200, peer_ratio=1)


def scenarios(ctx):
    out = []
    viewers = {
        "anonymous": (ctx.anonymous, ["public"], []),
        "agency": (ctx.agency_client, ctx.agency_audiences, ctx.full_board_ids),
    }
    users = {"anonymous": AnonymousUser(), "agency": ctx.agency_user}
    for label, text in QUERIES.items():
        peer = f"peer search, {label}"
        out.append(
            Scenario(
                peer,
                _get(ctx.anonymous, "/__bench__/peer/search/", {"q": text}),
                shape="Page.objects.live().search()",
                check=_peer_found_something,
                is_baseline=True,
            )
        )
        for who, (client, audiences, full) in viewers.items():
            floor = f"search floor, {label}, {who}"
            params = {"q": text, "aud": ",".join(audiences), "full": ",".join(map(str, full))}
            out.append(
                Scenario(
                    floor,
                    _get(client, "/__bench__/floor/search/", params),
                    shape="1 statement, bare template",
                    check=ok("results"),
                    is_baseline=True,
                )
            )
            out.append(
                Scenario(
                    f"search, {label}, {who}",
                    _get(client, "/search/", {"q": text}),
                    shape=f"q={text} + facets",
                    check=ok(),
                    baselines={"floor": floor, "peer": peer},
                    budget=SEARCH_BUDGET,
                )
            )
            out.append(
                Scenario(
                    f"search, {label}, {who}, counts uncached",
                    _get(client, "/search/", {"q": text}),
                    shape="the same, cache emptied before each request",
                    prepare=_empty_cache,
                    check=ok(),
                    baselines={"floor": floor, "peer": peer},
                    budget=SEARCH_BUDGET,
                )
            )
            out.append(
                Scenario(
                    f"search service, {label}, {who}, no facets",
                    _service(users[who], text, facets=False),
                    shape="search.service.search(facets=False), no template",
                    check=_has_hits,
                )
            )
    return out


def _service(user, text, facets):
    from search import service

    return lambda: service.search(user, text, facets=facets)


def _has_hits(results):
    assert results.hits, "the search service found nothing"


def _get(client, path, params):
    url = f"{path}?{urlencode(params)}"
    return lambda: client.get(url)


def _empty_cache():
    from django.core.cache import cache

    cache.clear()


def _peer_found_something(response):
    """A peer that finds nothing (e.g. a phrase it cannot parse) is no baseline: stop rather than compare."""
    ok()(response)
    assert b"<li><a " in response.content, "Wagtail's own search found nothing for this query"
