"""Action listings: the public action log of a board (filters on) and an agency's "Our actions" in the admin.

Budget: ≤ 60 ms median; the query count does not grow with the list (a short list is counted beside it).
"Our actions" keeps its total in the cache until the next write (boards.actions.paginator.CachedCountPaginator): it is
timed as a reload, and again with the content generation replaced before each request (the total recounted).

Two admin baselines are timed beside "Our actions", for the question whether 60 ms fits an admin page at all:
Wagtail's own dashboard for the same agency user (the least any admin page costs: the sidebar and chrome), and
Wagtail's generic snippet listing of the 30 organisations for a secretariat user (its stock listing page).
"""

from django.urls import reverse

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario

LIST_BUDGET = Budget(median_ms=60, constant_queries=True)


def scenarios(ctx):
    from django.contrib.auth.models import User
    from django.test import Client

    log = f"{ctx.board.url}actions/"
    filtered = f"{log}?status=open&owner={ctx.log_owner}"
    short = f"{log}?status=done&owner={ctx.log_owner_rare}"
    listing = reverse("wagtailsnippets_boards_action:list")
    rare = Client()
    rare.force_login(ctx.rare_agency_user)
    from boards import permissions
    from pagecache.generation import bump

    secretariat = Client()
    secretariat.force_login(
        next(u for u in User.objects.filter(is_active=True).order_by("pk") if permissions.is_secretariat(u))
    )
    organisations = reverse("wagtailsnippets_boards_organisation:list")
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
            baselines={"floor": "Wagtail dashboard (agency)", "peer": "Wagtail snippet listing, 30 organisations"},
            budget=LIST_BUDGET,
        ),
        Scenario(
            "Our actions (agency), total recounted",
            lambda: ctx.agency_client.get(listing),
            shape="the same, after a write: its total not cached",
            check=ok("Our actions"),
            prepare=bump,
            short_list_run=lambda: ok("Our actions")(rare.get(listing)),
            baselines={"floor": "Wagtail dashboard (agency)", "peer": "Wagtail snippet listing, 30 organisations"},
            budget=LIST_BUDGET,
        ),
        Scenario(
            "Wagtail dashboard (agency)",
            lambda: ctx.agency_client.get("/admin/"),
            shape="the same user, Wagtail's own page",
            check=ok(),
            is_baseline=True,
        ),
        Scenario(
            "Wagtail snippet listing, 30 organisations",
            lambda: secretariat.get(organisations),
            shape="secretariat, Wagtail's generic IndexView",
            check=ok(),
            is_baseline=True,
        ),
    ]
