"""Action listings: the public action log of a board (filters on) and an agency's "Our actions" in the admin.

Budget: ≤ 60 ms median; the query count does not grow with the list (a short list is counted beside it).
"""

from django.urls import reverse

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario

LIST_BUDGET = Budget(median_ms=60, constant_queries=True)


def scenarios(ctx):
    from django.test import Client

    log = f"{ctx.board.url}actions/"
    filtered = f"{log}?status=open&owner={ctx.log_owner}"
    short = f"{log}?status=done&owner={ctx.log_owner_rare}"
    listing = reverse("wagtailsnippets_boards_action:list")
    rare = Client()
    rare.force_login(ctx.rare_agency_user)
    return [
        Scenario(
            "public action log",
            lambda: ctx.anonymous.get(filtered),
            shape="status=open, one agency, 50 a page",
            check=ok(),
            short_list_run=lambda: ok()(ctx.anonymous.get(short)),
            budget=LIST_BUDGET,
        ),
        Scenario(
            "Our actions (agency)",
            lambda: ctx.agency_client.get(listing),
            shape=f"{ctx.agency_actions} actions visible, 50 a page",
            check=ok("Our actions"),
            short_list_run=lambda: ok("Our actions")(rare.get(listing)),
            budget=LIST_BUDGET,
        ),
    ]
