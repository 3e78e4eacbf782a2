"""Import of a records bundle: plan (compare with the database), then write in bulk in one transaction.

Idempotent on natural keys (slugs; board + starts_at; action reference): unchanged records are not written.
"""

import contextlib
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from boards.models import Action, BoardPage, MeetingPage, Organisation, Person
from pagecache.generation import bump

from . import canonical, exporter, finishing, papers, validation
from .writing import ImportFailed, Writer, _chunks

logger = logging.getLogger(__name__)

TYPES = ("organisations", "people", "boards", "meetings", "minutes", "actions")

__all__ = ["ImportFailed", "ImportReport", "Importer", "import_bundle"]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): counts per type."""

    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {t: Counter() for t in TYPES})
    timings: dict = field(default_factory=dict)  # phase -> (wall seconds, CPU seconds of this process)

    @contextlib.contextmanager
    def phase(self, name):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            before = self.timings.get(name, (0.0, 0.0))
            self.timings[name] = (
                before[0] + time.perf_counter() - wall,
                before[1] + time.process_time() - cpu,
            )

    def timing_line(self):
        return "time: " + ", ".join(
            f"{name} {wall:.1f}s (CPU {cpu:.1f}s)" for name, (wall, cpu) in self.timings.items()
        )

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    @property
    def changed(self):
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def lines(self):
        verb = "would be" if self.dry_run else ""
        out = []
        for kind in TYPES:
            c = self.counts[kind]
            created, updated, unchanged = c["created"], c["updated"], c["unchanged"]
            if verb:
                out.append(f"{kind}: {created} {verb} created, {updated} {verb} updated, {unchanged} unchanged")
            else:
                out.append(f"{kind}: {created} created, {updated} updated, {unchanged} unchanged")
        return out


class Importer(Writer):
    """One import run. `plan()` reads only; `apply()` writes; call both inside one transaction."""

    def __init__(self, bundle, report, base_dir=None):
        self.bundle = bundle
        self.report = report
        self.papers = papers.Store(base_dir)
        self.now = timezone.now()
        self.affected = {t: set() for t in TYPES}
        self.fresh_objects = {}  # kind -> objects created in bulk, their inline rows held in memory

    # --- lookups --------------------------------------------------------------------------------

    def load_keys(self):
        self.orgs = {o.slug: o for o in Organisation.objects.all()}
        self.people = {p.slug: p for p in Person.objects.all()}

    def org_id(self, slug):
        return self.orgs[slug].pk if slug is not None else None

    def person_id(self, slug):
        return self.people[slug].pk if slug is not None else None

    # --- plan -----------------------------------------------------------------------------------

    def plan(self):
        self.load_keys()
        org_slugs = {o.pk: o.slug for o in self.orgs.values()}
        person_slugs = {p.pk: p.slug for p in self.people.values()}

        self.org_plan = self._plan_simple(
            "organisations", self.bundle["organisations"], self.orgs, exporter.organisation_dict
        )
        self.person_plan = self._plan_simple(
            "people", self.bundle["people"], self.people, lambda p: exporter.person_dict(p, org_slugs)
        )
        boards = {b.slug: b for b in BoardPage.objects.prefetch_related("partners", "memberships")}
        self.boards = boards
        self.board_plan = self._plan_simple(
            "boards", self.bundle["boards"], boards, lambda b: exporter.board_dict(b, org_slugs, person_slugs)
        )
        self._plan_meetings(org_slugs, person_slugs)

    def _plan_simple(self, kind, rows, existing, as_dict):
        plan = []
        for row in rows:
            current = existing.get(row["slug"])
            if current is None:
                outcome = "created"
            elif as_dict(current) != row:
                outcome = "updated"
            else:
                outcome = "unchanged"
            self.report.count(kind, outcome)
            if outcome != "unchanged":
                plan.append((outcome, row, current))
        return plan

    def _plan_meetings(self, org_slugs, person_slugs):
        self.meeting_plan = []  # (outcome, data, existing MeetingPage or None, board slug)
        self.minutes_plan = []  # (outcome, data, meeting data, existing MinutesPage or None)
        self._load_existing_meetings(org_slugs, person_slugs)
        self._plan_meeting_pages()
        self._plan_actions()

    def _load_existing_meetings(self, org_slugs, person_slugs):
        """The bundle's meetings already stored, by (board slug, start), each with its bundle form and minutes."""
        by_board = defaultdict(list)
        for meeting in self.bundle["meetings"]:
            by_board[meeting["board"]].append(meeting)

        self.existing_meetings = {}  # (board slug, starts_at) -> MeetingPage
        for board_slug, meetings in by_board.items():
            board = self.boards.get(board_slug)
            if board is None:
                continue
            wanted = {canonical.parse_datetime(m["starts_at"]) for m in meetings}
            candidates = [
                m for m in MeetingPage.objects.child_of(board).only("pk", "starts_at") if m.starts_at in wanted
            ]
            if not candidates:
                continue
            minutes = exporter.minutes_by_meeting(board)
            for chunk in _chunks([m.pk for m in candidates]):
                loaded = list(exporter.meeting_queryset().filter(pk__in=chunk))
                dicts = exporter.meeting_dicts(loaded, minutes, org_slugs, person_slugs, board_slug)
                for page, as_dict in zip(loaded, dicts, strict=True):
                    page._bundle_dict = as_dict
                    page._minutes = minutes.get(page.path)
                    self.existing_meetings[(board_slug, page.starts_at)] = page

    def _plan_meeting_pages(self):
        """Each meeting and its minutes: created, updated or unchanged against what is stored."""
        for meeting in self.bundle["meetings"]:
            key = (meeting["board"], canonical.parse_datetime(meeting["starts_at"]))
            current = self.existing_meetings.get(key)
            if current is None:
                self.report.count("meetings", "created")
                self.meeting_plan.append(("created", meeting, None))
                if meeting["minutes"] is not None:
                    self.report.count("minutes", "created")
                    self.minutes_plan.append(("created", meeting, None))
                continue
            mine, theirs = (
                {k: v for k, v in canonical.without_paper_paths(m).items() if k not in ("minutes", "actions")}
                for m in (current._bundle_dict, meeting)
            )
            outcome = "unchanged" if mine == theirs else "updated"
            self.report.count("meetings", outcome)
            if outcome == "updated":
                self.meeting_plan.append(("updated", meeting, current))
            if meeting["minutes"] is not None:
                if current._minutes is None:
                    outcome = "created"
                elif current._bundle_dict["minutes"] != meeting["minutes"]:
                    outcome = "updated"
                else:
                    outcome = "unchanged"
                self.report.count("minutes", outcome)
                if outcome != "unchanged":
                    self.minutes_plan.append((outcome, meeting, current))

    def _plan_actions(self):
        """Each action by its reference, wherever it was filed before: created, updated or unchanged."""
        references = [a["reference"] for m in self.bundle["meetings"] for a in m["actions"]]
        existing = {}
        for chunk in _chunks(references):
            for action in (
                Action.objects.filter(reference__in=chunk)
                .select_related("agenda_item")
                .prefetch_related("shared_with", "tags", "updates__author")
            ):
                existing[action.reference] = action
        self.existing_actions = existing
        self.action_plan = []  # (outcome, action data, meeting data, existing Action or None)
        for meeting in self.bundle["meetings"]:
            key = (meeting["board"], canonical.parse_datetime(meeting["starts_at"]))
            target = self.existing_meetings.get(key)
            for data in meeting["actions"]:
                current = existing.get(data["reference"])
                if current is None:
                    outcome = "created"
                elif target is None or current.meeting_id != target.pk or self._action_differs(current, data):
                    outcome = "updated"
                else:
                    outcome = "unchanged"
                self.report.count("actions", outcome)
                if outcome != "unchanged":
                    self.action_plan.append((outcome, data, meeting, current))

    def _action_differs(self, action, data):
        numbers = {action.agenda_item_id: action.agenda_item.number} if action.agenda_item_id else {}
        if not hasattr(self, "_slugs"):
            self._slugs = ({o.pk: o.slug for o in self.orgs.values()}, {p.pk: p.slug for p in self.people.values()})
        mine = exporter.action_dict(action, *self._slugs, numbers)
        mine_updates = mine.pop("updates")
        theirs = dict(data)
        theirs_updates = theirs.pop("updates")
        # Updates are history: the import adds missing ones and never removes any.
        return mine != theirs or any(u not in mine_updates for u in theirs_updates)


def import_bundle(data, dry_run=False, base_dir=None):
    """Validate and import a parsed bundle. Raises BundleInvalid (nothing written) or returns an ImportReport.

    `base_dir` is the bundle's folder: its papers' paths are relative to it.
    """
    report = ImportReport(dry_run=dry_run)
    with report.phase("validate"):
        validation.validate(data, base_dir=base_dir)
        bundle = canonical.bundle(data)
    importer = Importer(bundle, report, base_dir=base_dir)
    try:
        _import(importer, report, dry_run)
    except BaseException:
        importer.papers.discard()  # the rows rolled back; the files stored for them go too
        raise
    if not dry_run and report.changed:
        logger.info("import finished: %s; %s", "; ".join(report.lines()), report.timing_line())
    return report


def _import(importer, report, dry_run):
    with transaction.atomic():
        with report.phase("plan"):
            importer.plan()
        if dry_run or not report.changed:
            return
        with report.phase("write"):
            importer.apply()
            # Bulk writes send no signals: cached public pages die with this transaction's commit.
            bump()
        with report.phase("planner statistics"):
            # Inside the transaction too: what follows reads what was just written, planned from fresh numbers.
            finishing.analyze()
        finishing.finish(importer.affected, sender=Importer, report=report, fresh=importer.fresh_objects)
    with report.phase("planner statistics"):
        finishing.analyze()
