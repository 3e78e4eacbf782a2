"""Feeds of a board with about 100 meetings: iCalendar of its meetings and RSS of its minutes.

Budget: ≤ 50 ms median.
"""

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario

FEED_BUDGET = Budget(median_ms=50)


def scenarios(ctx):
    get = ctx.anonymous.get
    shape = f"{ctx.board_meetings} meetings"
    return [
        Scenario(
            "iCal feed",
            lambda: get(f"{ctx.board.url}meetings.ics"),
            shape=shape,
            check=ok("BEGIN:VEVENT", content_type="text/calendar"),
            budget=FEED_BUDGET,
        ),
        Scenario(
            "RSS feed",
            lambda: get(f"{ctx.board.url}feed/rss/"),
            shape=f"{shape}, 50 newest minutes",
            check=ok("<item>", content_type="application/rss+xml"),
            budget=FEED_BUDGET,
        ),
    ]
