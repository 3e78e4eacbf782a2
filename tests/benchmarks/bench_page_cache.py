"""The anonymous page cache (pagecache.middleware): the same pages as bench_pages/bench_feeds, answered from it.

The other scenarios run with the cache off, so they time rendering. Here it is on, and every timed request must
be a hit (the check fails otherwise): what a resident's second and later visits cost until the next write.
"""

from django.test import override_settings

from tests.benchmarks.bench_feeds import FEED_BUDGET
from tests.benchmarks.bench_pages import PAGE_BUDGET
from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Scenario


def hit(base):
    """The scenario's own check, and the response must have come from the page cache."""

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
    rss = ok("<item>", content_type="application/rss+xml")
    pages = [
        ("home page, cached", "/", "page cache hit", ok(), PAGE_BUDGET),
        ("meeting page, cached", ctx.meeting.url, f"{ctx.meeting_items} agenda items, hit", ok(), PAGE_BUDGET),
        ("minutes page, cached", ctx.minutes.url, f"{ctx.minutes_entries} entries, hit", ok(), PAGE_BUDGET),
        ("RSS feed, cached", f"{ctx.board.url}feed/rss/", "50 newest minutes, hit", rss, FEED_BUDGET),
        ("search one word anonymous, cached", "/search/?q=libraries", "with facets, hit", ok(), None),
    ]
    return [
        Scenario(
            name,
            cached(get, url),
            prepare=primed(get, url),
            shape=shape,
            check=hit(check),
            **({"budget": budget} if budget else {}),
        )
        for name, url, shape, check, budget in pages
    ]
