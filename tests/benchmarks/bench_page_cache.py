"""The anonymous page cache (partnership.pagecache): the same pages as bench_pages/bench_feeds, answered from it.

The other scenarios run with the cache off, so they time rendering. Here it is on, and every timed request must
be a hit (the check fails otherwise): what a resident's second and later visits cost until the next write.
"""

from django.test import override_settings

from tests.benchmarks.bench_feeds import FEED_BUDGET
from tests.benchmarks.bench_pages import PAGE_BUDGET
from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Scenario


def hit(contains=None, content_type=None):
    base = ok(contains, content_type=content_type)

    def check(response):
        base(response)
        assert response.get("X-Page-Cache") == "hit", f"{response.request['PATH_INFO']}: not served from the cache"

    return check


def cached(client, url):
    def run():
        with override_settings(PAGE_CACHE_SECONDS=300):
            return client.get(url)

    return run


def primed(client, url):
    """Untimed before each call: the first one renders and stores the page, the rest are hits themselves."""
    return cached(client, url)


def scenarios(ctx):
    get = ctx.anonymous
    return [
        Scenario(
            "home page, cached",
            cached(get, "/"),
            prepare=primed(get, "/"),
            shape="page cache hit",
            check=hit(),
            budget=PAGE_BUDGET,
        ),
        Scenario(
            "meeting page, cached",
            cached(get, ctx.meeting.url),
            prepare=primed(get, ctx.meeting.url),
            shape=f"{ctx.meeting_items} agenda items, hit",
            check=hit(),
            budget=PAGE_BUDGET,
        ),
        Scenario(
            "minutes page, cached",
            cached(get, ctx.minutes.url),
            prepare=primed(get, ctx.minutes.url),
            shape=f"{ctx.minutes_entries} entries, hit",
            check=hit(),
            budget=PAGE_BUDGET,
        ),
        Scenario(
            "RSS feed, cached",
            cached(get, f"{ctx.board.url}feed/rss/"),
            prepare=primed(get, f"{ctx.board.url}feed/rss/"),
            shape="50 newest minutes, hit",
            check=hit("<item>", content_type="application/rss+xml"),
            budget=FEED_BUDGET,
        ),
        Scenario(
            "search one word anonymous, cached",
            cached(get, "/search/?q=libraries"),
            prepare=primed(get, "/search/?q=libraries"),
            shape="with facets, hit",
            check=hit(),
        ),
    ]
