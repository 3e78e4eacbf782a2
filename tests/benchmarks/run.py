"""make bench / make bench-quick: build (once) the dataset, measure every bench_*.py scenario, print and save.

python -m tests.benchmarks.run [--quick] [--boards N --years N --seed N] [--only TEXT] [--rebuild]
"""

import argparse
import importlib
import logging
import os
import sys
import time
from pathlib import Path

from tests.benchmarks import dataset, harness

logger = logging.getLogger(__name__)

FULL = (20, 10)
QUICK = (2, 2)


class Context:
    """What scenarios need: clients for each viewer and the chosen targets (board, meeting, minutes…)."""

    def __init__(self, spec, quick):
        from django.test import Client

        self.spec = spec
        self.quick = quick
        self.anonymous = Client()
        self._choose()
        self.agency_client = Client()
        self.agency_client.force_login(self.agency_user)

    def _choose(self):
        from django.contrib.auth.models import User
        from django.db.models import Count

        from boards import permissions
        from boards.models import Action, BoardPage, MeetingPage, MinutesPage, Organisation
        from home.models import HomePage

        self.home = HomePage.objects.live().first()
        # A board with about 100 meetings (all have about that many at 20 x 10).
        boards = list(BoardPage.objects.live().order_by("pk"))
        counts = {b.pk: MeetingPage.objects.child_of(b).live().count() for b in boards}
        self.board = min(boards, key=lambda b: (abs(counts[b.pk] - 100), b.pk))
        self.board_meetings = counts[self.board.pk]

        # A meeting whose published agenda has about 20 items.
        meetings = (
            MeetingPage.objects.live()
            .exclude(agenda_published_at=None)
            .annotate(n=Count("agenda_items"))
            .values_list("pk", "n", "path")
        )
        pk, self.meeting_items, _ = min(meetings, key=lambda m: (abs(m[1] - 20), m[0]))
        self.meeting = MeetingPage.objects.get(pk=pk)

        # Published minutes with about 20 entries and 40 actions.
        paths = {path: pk for pk, _, path in meetings}
        actions = dict(
            Action.objects.values("meeting_id").annotate(n=Count("pk")).values_list("meeting_id", "n").order_by()
        )
        entries = (
            MinutesPage.objects.live()
            .exclude(approved_on=None)
            .annotate(n=Count("entries"))
            .values_list("pk", "n", "path")
        )
        candidates = []
        for pk, n, path in entries:
            meeting_id = paths.get(path[: -MinutesPage.steplen])
            if meeting_id:
                a = actions.get(meeting_id, 0)
                candidates.append((abs(n - 20) + abs(a - 40) / 2, pk, n, a))
        _, pk, self.minutes_entries, self.minutes_actions = min(candidates)
        self.minutes = MinutesPage.objects.get(pk=pk)

        # The public action log: the board's most frequent owning agency, open actions ("filters on").
        owners = (
            Action.objects.filter(board_id=self.board.pk)
            .values("owner__slug")
            .annotate(n=Count("pk"))
            .order_by("-n", "owner__slug")
        )
        self.log_owner = owners[0]["owner__slug"]
        self.log_owner_rare = owners.reverse()[0]["owner__slug"]

        # Agency staff: for "Our actions", the agency whose visible actions are nearest 2,000, and the fewest.
        staff = {}
        for org in Organisation.objects.exclude(group=None).order_by("slug"):
            user = User.objects.filter(groups=org.group_id, username__startswith="bench-").order_by("pk").first()
            if user is not None:
                staff[org.slug] = (user, permissions.actions_visible_to(user).count())
        slug = min(staff, key=lambda s: (abs(staff[s][1] - 2000), s))
        self.agency_user, self.agency_actions = staff[slug]
        self.agency = slug
        rare = min((s for s in staff if staff[s][1] > 0), key=lambda s: (staff[s][1], s))
        self.rare_agency_user, self.rare_agency_actions = staff[rare]
        self.full_board_ids = sorted(permissions.restricted_board_ids(self.agency_user))
        self.agency_audiences = [permissions.PUBLIC_AUDIENCE] + [
            permissions.board_audience(b) for b in self.full_board_ids
        ]

    def targets(self):
        return {
            "board": f"{self.board.url} ({self.board_meetings} meetings)",
            "meeting": f"{self.meeting.url} ({self.meeting_items} agenda items)",
            "minutes": f"{self.minutes.url} ({self.minutes_entries} entries, {self.minutes_actions} actions)",
            "agency": f"{self.agency} ({self.agency_actions} actions visible; user {self.agency_user.username})",
            "action_log_owner": self.log_owner,
        }


def dataset_counts():
    from django.contrib.auth.models import User

    from boards.models import Action, AgendaItem, MeetingPage, MinuteEntry, Organisation
    from search.models import SearchRecord

    return {
        "meetings": MeetingPage.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "minute_entries": MinuteEntry.objects.count(),
        "actions": Action.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "search_records": SearchRecord.objects.count(),
    }


def discover():
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    return [importlib.import_module(f"tests.benchmarks.{name}") for name in names]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 boards x 2 years, fewer repetitions")
    parser.add_argument("--boards", type=int)
    parser.add_argument("--years", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int)
    parser.add_argument("--repeat", type=int, help="timed runs per scenario (default 30, quick 10)")
    parser.add_argument("--only", action="append", help="run scenarios whose name contains this (repeatable)")
    parser.add_argument("--skip", action="append", help="leave out scenarios whose name contains this")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached dataset")
    parser.add_argument("--output", default=str(dataset.ROOT / "bench-results" / "latest.json"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)

    boards, years = QUICK if args.quick else FULL
    spec = dataset.Spec(
        boards=args.boards or boards,
        years=args.years or years,
        seed=args.seed,
        database_url=os.environ.get("DATABASE_URL", ""),
    )
    started = time.monotonic()
    dataset.ensure_dataset(spec, rebuild=args.rebuild)
    built = time.monotonic() - started

    os.environ.update({k: v for k, v in spec.env().items() if k.startswith(("DJANGO_", "BENCH_"))})
    import django

    django.setup()
    from tests.benchmarks import peer

    peer.extend_search_fields()
    ctx = Context(spec, quick=args.quick)
    # Django's LOGGING has taken over the root logger by now: progress goes straight to stderr.
    for what, target in ctx.targets().items():
        print(f"target {what}: {target}", file=sys.stderr)
    warmup = args.warmup if args.warmup is not None else (2 if args.quick else 5)
    repeat = args.repeat or (10 if args.quick else 30)

    scenarios = []
    for module in discover():
        scenarios.extend(module.scenarios(ctx))
    if args.only:
        wanted = {s.name for s in scenarios if any(o in s.name for o in args.only)}
        wanted |= {b for s in scenarios if s.name in wanted for b in s.baselines.values()}
        scenarios = [s for s in scenarios if s.name in wanted]
    failed = []
    if args.skip:
        scenarios = [s for s in scenarios if not any(k in s.name for k in args.skip)]
    results = []
    for scenario in scenarios:
        print(f"{time.strftime('%H:%M:%S')} measuring {scenario.name}", file=sys.stderr, flush=True)
        try:
            results.append(harness.measure(scenario, warmup, repeat))
        except Exception as error:  # one broken scenario must not lose the others' numbers
            logger.exception("scenario %s failed", scenario.name)
            print(f"scenario {scenario.name} FAILED: {error!r}", file=sys.stderr)
            failed.append(scenario.name)
    harness.add_baselines(scenarios, results)
    if failed:
        print(f"failed scenarios: {', '.join(failed)}", file=sys.stderr)

    print(harness.table(results))
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": harness.machine_info(),
        "database": harness.database_info(),
        "git": harness.git_commit(),
        "dataset": {
            "boards": spec.boards,
            "years": spec.years,
            "seed": spec.seed,
            "key": spec.key,
            "counts": dataset_counts(),
            "targets": ctx.targets(),
        },
        "settings": {"warmup": warmup, "repeat": repeat, "dataset_build_seconds": round(built, 1)},
        "peak_rss_mb": harness.peak_rss_mb(),
        "results": results,
        "markdown": harness.markdown_table(results),
    }
    out = Path(args.output)
    payload["failed"] = failed
    harness.write_json(out, payload)
    print(f"\npeak RSS {harness.peak_rss_mb():.0f} MB · {payload['database']['vendor']} · {spec.key} · wrote {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
