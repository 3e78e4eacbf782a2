"""Page scenarios: home, board (about 100 meetings), meeting (about 20 items, against the floor), minutes.

Budget (20 x 10, PostgreSQL): ≤ 40 ms median, ≤ 15 queries, ≤ 3× the floor (meeting page).
"""

from django.utils.html import escape

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario

PAGE_BUDGET = Budget(median_ms=40, queries=15, floor_ratio=3)


def scenarios(ctx):
    get = ctx.anonymous.get
    meeting_url = ctx.meeting.url
    return [
        Scenario("home page", lambda: get("/"), shape="anonymous", check=ok(), budget=PAGE_BUDGET),
        Scenario(
            "board page",
            lambda: get(ctx.board.url),
            shape=f"{ctx.board_meetings} meetings",
            check=ok(escape(ctx.board.title)),
            budget=PAGE_BUDGET,
        ),
        Scenario(
            "meeting page",
            lambda: get(meeting_url),
            shape=f"{ctx.meeting_items} agenda items",
            check=ok(escape(ctx.meeting.title)),
            baselines={"floor": "meeting floor"},
            budget=PAGE_BUDGET,
        ),
        Scenario(
            "meeting floor",
            lambda: get(f"/__bench__/floor/meeting/{ctx.meeting.pk}/"),
            shape="1 query, bare template",
            check=ok(escape(ctx.meeting.title)),
            is_baseline=True,
        ),
        Scenario(
            "minutes page",
            lambda: get(ctx.minutes.url),
            shape=f"{ctx.minutes_entries} entries, {ctx.minutes_actions} actions",
            check=ok(),
            budget=PAGE_BUDGET,
        ),
    ]
