"""Export of the record as a records bundle in canonical form.

Every key, explicit nulls, fixed key and list order, times in Europe/London: an export of an import is identical.
"""

import logging
from pathlib import Path

from django.db.models import Prefetch
from wagtail.documents import get_document_model

from boards.models import Action, AgendaItem, BoardPage, MeetingPage, MinutesPage, Organisation, Person

from . import canonical, papers

logger = logging.getLogger(__name__)


def organisation_dict(org):
    return canonical.organisation(
        {"slug": org.slug, "name": org.name, "short_name": org.short_name, "kind": org.kind, "website": org.website}
    )


def person_dict(person, org_slugs):
    return canonical.person(
        {
            "slug": person.slug,
            "name": person.name,
            "job_title": person.job_title,
            "organisation": org_slugs.get(person.organisation_id),
        }
    )


def board_dict(board, org_slugs, person_slugs):
    return {
        "slug": board.slug,
        "code": board.code,
        "name": board.title,
        "remit": canonical.text(board.remit),
        "partners": [
            {
                "organisation": org_slugs[p.organisation_id],
                "joined_on": canonical.format_date(p.joined_on),
                "left_on": canonical.format_date(p.left_on),
            }
            for p in sorted(board.partners.all(), key=lambda p: (p.sort_order is None, p.sort_order, p.pk))
        ],
        "memberships": [
            {
                "person": person_slugs[m.person_id],
                "on_behalf_of": org_slugs.get(m.on_behalf_of_id),
                "role": m.role,
                "start": canonical.format_date(m.start),
                "end": canonical.format_date(m.end),
            }
            for m in sorted(board.memberships.all(), key=lambda m: (m.sort_order is None, m.sort_order, m.pk))
        ],
    }


def _in_order(rows):
    return sorted(rows, key=lambda r: (r.sort_order is None, r.sort_order or 0, r.pk))


def action_dict(action, org_slugs, person_slugs, numbers):
    return {
        "reference": action.reference,
        "item": numbers.get(action.agenda_item_id),
        "description": action.description,
        "owner": org_slugs[action.owner_id],
        "shared_with": sorted(org_slugs[o.pk] for o in action.shared_with.all()),
        "owner_person": person_slugs.get(action.owner_person_id),
        "due_on": canonical.format_date(action.due_on),
        "status": action.status,
        "tags": sorted({t.name for t in action.tags.all()}),
        "updates": sorted(
            (
                {
                    "at": canonical.format_datetime(u.created_at),
                    "author": canonical.text(u.author_name or (u.author.get_full_name() if u.author else "")),
                    "note": canonical.text(u.note),
                    "new_status": canonical.text(u.new_status),
                }
                for u in action.updates.all()
            ),
            key=canonical.update_sort_key,
        ),
    }


def minutes_dict(minutes, numbers):
    if minutes is None:
        return None
    return {
        "approved_on": canonical.format_date(minutes.approved_on),
        "approved_by": canonical.text(minutes.approved_by),
        "published": minutes.live,
        "entries": [
            {
                "item": numbers[e.agenda_item_id],
                "discussion": canonical.text(e.discussion),
                "resolution": canonical.text(e.resolution),
                "public_summary": canonical.text(e.public_summary),
            }
            for e in _in_order(minutes.entries.all())
        ],
    }


def meeting_dict(meeting, board_slug, minutes, actions, org_slugs, person_slugs):
    """The canonical bundle form of one meeting; `meeting` has its inline rows prefetched."""
    items = _in_order(meeting.agenda_items.all())
    numbers = {item.pk: item.number for item in items}
    return {
        "board": board_slug,
        "starts_at": canonical.format_datetime(meeting.starts_at),
        "ends_at": canonical.format_datetime(meeting.ends_at),
        "venue": canonical.text(meeting.venue),
        "status": meeting.status,
        "published": meeting.live,
        "agenda_published_at": canonical.format_datetime(meeting.agenda_published_at),
        "lateness_reason": canonical.text(meeting.lateness_reason),
        "attendance": [
            {
                "person": person_slugs[a.person_id],
                "on_behalf_of": org_slugs.get(a.on_behalf_of_id),
                "status": a.status,
                "capacity": a.capacity,
                "substitute_for": person_slugs.get(a.substitute_for_id),
            }
            for a in _in_order(meeting.attendances.all())
        ],
        "declarations": [
            {
                "person": person_slugs[d.person_id],
                "item": canonical.text(d.item),
                "nature": canonical.text(d.nature),
            }
            for d in _in_order(meeting.declarations.all())
        ],
        "agenda": [
            {
                "number": item.number,
                "title": item.title,
                "summary": canonical.text(item.summary),
                "lead_organisation": org_slugs.get(item.lead_organisation_id),
                "presenter": person_slugs.get(item.presenter_id),
                "exempt": item.exempt,
                "exemption_paragraph": item.exemption_paragraph,
                "tags": sorted({t.name for t in item.tags.all()}),
                "papers": canonical.papers(papers.paper_dict(d) for d in item.papers.all()),
            }
            for item in items
        ],
        "minutes": minutes_dict(minutes, numbers),
        "actions": sorted(
            (action_dict(a, org_slugs, person_slugs, numbers) for a in actions),
            key=lambda a: canonical.reference_sort_key(a["reference"]),
        ),
    }


def meeting_queryset():
    return MeetingPage.objects.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("tags", "papers")),
        "attendances",
        "declarations",
    )


def minutes_by_meeting(board):
    """{meeting page path: MinutesPage} for every minutes page under a board, entries prefetched."""
    result = {}
    for minutes in MinutesPage.objects.descendant_of(board).prefetch_related("entries").order_by("path"):
        result.setdefault(minutes.path[: -minutes.steplen], minutes)
    return result


def meeting_dicts(meetings, minutes, org_slugs, person_slugs, board_slug):
    """Canonical dicts for MeetingPage instances (prefetched via meeting_queryset) of one board."""
    meetings = list(meetings)
    actions = {}
    ids = [m.pk for m in meetings]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for action in Action.objects.filter(meeting_id__in=chunk).prefetch_related(
            "shared_with", "tags", "updates__author"
        ):
            actions.setdefault(action.meeting_id, []).append(action)
    return [
        meeting_dict(m, board_slug, minutes.get(m.path), actions.get(m.pk, []), org_slugs, person_slugs)
        for m in meetings
    ]


def export_bundle(board=None, since=None):
    """The bundle as a canonical dict. `board` is a board slug; `since` a date (meetings starting on or after)."""
    orgs = list(Organisation.objects.order_by("slug"))
    org_slugs = {o.pk: o.slug for o in orgs}
    people = list(Person.objects.order_by("slug"))
    person_slugs = {p.pk: p.slug for p in people}
    boards = BoardPage.objects.prefetch_related("partners", "memberships").order_by("slug")
    if board is not None:
        boards = boards.filter(slug=board)
    boards = list(boards)

    meetings_out = []
    for b in boards:
        meetings = meeting_queryset().child_of(b).order_by("starts_at", "pk")
        if since is not None:
            meetings = meetings.filter(starts_at__date__gte=since)
        meetings = list(meetings)
        minutes = minutes_by_meeting(b)
        for start in range(0, len(meetings), 500):
            chunk = meetings[start : start + 500]
            meetings_out.extend(meeting_dicts(chunk, minutes, org_slugs, person_slugs, b.slug))
    meetings_out.sort(key=canonical.meeting_sort_key)
    logger.info("exported %d boards, %d meetings", len(boards), len(meetings_out))
    return {
        "organisations": [organisation_dict(o) for o in orgs],
        "people": [person_dict(p, org_slugs) for p in people],
        "boards": [board_dict(b, org_slugs, person_slugs) for b in boards],
        "meetings": meetings_out,
        "schema_version": canonical.SCHEMA_VERSION,
    }


def export_text(board=None, since=None):
    """The bundle's JSON text alone; its papers, if any, are not copied (see write_bundle)."""
    return canonical.dumps(export_bundle(board=board, since=since))


def write_bundle(path, board=None, since=None):
    """Write the bundle to `path` and its papers into the papers folder next to it; returns the bundle."""
    data = export_bundle(board=board, since=since)
    path = Path(path)
    documents = get_document_model().objects.filter(agenda_items__isnull=False).distinct()
    copied = papers.copy_out(data, documents, path.parent) if any(papers.references(data)) else 0
    path.write_text(canonical.dumps(data), encoding="utf-8")
    logger.info("wrote %s with %d paper file(s)", path, copied)
    return data
