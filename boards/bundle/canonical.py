"""The canonical form of the records bundle: key order, list order, defaults, dates and times.

Both the exporter and the importer's change detection go through these functions, so an export and a
normalised import of the same records compare equal.
"""

import datetime
import json
import re
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")
# The version an export writes; a bundle without the key is version 1. Earlier versions still import.
SCHEMA_VERSION = 2

ORGANISATION_KEYS = ("slug", "name", "short_name", "kind", "website")
PERSON_KEYS = ("slug", "name", "job_title", "organisation")
BOARD_KEYS = ("slug", "code", "name", "remit", "partners", "memberships")
PARTNER_KEYS = ("organisation", "joined_on", "left_on")
MEMBERSHIP_KEYS = ("person", "on_behalf_of", "role", "start", "end")
MEETING_KEYS = (
    "board",
    "starts_at",
    "ends_at",
    "venue",
    "status",
    "published",
    "agenda_published_at",
    "lateness_reason",
    "attendance",
    "declarations",
    "agenda",
    "minutes",
    "actions",
)
ATTENDANCE_KEYS = ("person", "on_behalf_of", "status", "capacity", "substitute_for")
DECLARATION_KEYS = ("person", "item", "nature")
AGENDA_KEYS = (
    "number",
    "title",
    "summary",
    "lead_organisation",
    "presenter",
    "exempt",
    "exemption_paragraph",
    "tags",
    "papers",
)
PAPER_KEYS = ("title", "path", "sha256")
MINUTES_KEYS = ("approved_on", "approved_by", "published", "entries")
ENTRY_KEYS = ("item", "discussion", "resolution", "public_summary")
ACTION_KEYS = (
    "reference",
    "item",
    "description",
    "owner",
    "shared_with",
    "owner_person",
    "due_on",
    "status",
    "tags",
    "updates",
)
UPDATE_KEYS = ("at", "author", "note", "new_status")


def parse_date(value):
    """An ISO date string as a date, or None; raises ValueError on a bad date."""
    if value is None:
        return None
    return datetime.date.fromisoformat(value)


def parse_datetime(value):
    """An ISO 8601 date-time with an offset as an aware datetime, or None; raises ValueError."""
    if value is None:
        return None
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("a time needs an offset")
    return parsed


def format_date(value):
    return value.isoformat() if value is not None else None


def format_datetime(value):
    """Times are written in Europe/London with their offset: 2011-03-01T10:00:00+00:00."""
    if value is None:
        return None
    return value.astimezone(LONDON).isoformat()


def london_date(value):
    return value.astimezone(LONDON).date()


def text(value):
    """Blank text is written as null, so "" and null mean the same thing."""
    return value if value not in ("", None) else None


def rich_text(value):
    """Rich text as Wagtail's editor would keep it: a bundle is untrusted, so no <script>, handlers or
    javascript: links survive (the same whitelist as the admin's rich text)."""
    if value in ("", None):
        return None
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    return EditorHTMLConverter().whitelister.clean(value) or None


def reference_sort_key(reference):
    """OBPB/2011/03/2 sorts before OBPB/2011/03/10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", reference)]


def ordered(data, keys):
    return {key: data.get(key) for key in keys}


def normalise_time(value):
    return format_datetime(parse_datetime(value)) if value is not None else None


def normalise_date(value):
    return format_date(parse_date(value)) if value is not None else None


def _list(value):
    return list(value) if value else []


def organisation(data):
    out = ordered(data, ORGANISATION_KEYS)
    out["short_name"] = text(out["short_name"])
    out["website"] = text(out["website"])
    return out


def person(data):
    out = ordered(data, PERSON_KEYS)
    out["job_title"] = text(out["job_title"])
    return out


def board(data):
    out = ordered(data, BOARD_KEYS)
    out["code"] = out["code"].upper()  # codes are kept in capitals (BoardPage.clean)
    out["remit"] = rich_text(out["remit"])
    out["partners"] = [
        {
            "organisation": p["organisation"],
            "joined_on": normalise_date(p.get("joined_on")),
            "left_on": normalise_date(p.get("left_on")),
        }
        for p in _list(data.get("partners"))
    ]
    out["memberships"] = [
        {
            "person": m["person"],
            "on_behalf_of": m.get("on_behalf_of"),
            "role": m.get("role") or "member",
            "start": normalise_date(m.get("start")),
            "end": normalise_date(m.get("end")),
        }
        for m in _list(data.get("memberships"))
    ]
    return out


def tags(value):
    return sorted(set(_list(value)))


def papers(value):
    """Paper references in a fixed order (by path, then title)."""
    return sorted((ordered(p, PAPER_KEYS) for p in _list(value)), key=lambda p: (p["path"], p["title"]))


def without_paper_paths(meeting):
    """A canonical meeting with its papers known by title and sha256 only: where a file was stored (its name)
    is no change to the record."""
    return {
        **meeting,
        "agenda": [
            {**item, "papers": [{"title": p["title"], "sha256": p["sha256"]} for p in item["papers"]]}
            for item in meeting["agenda"]
        ],
    }


def update(data):
    return {
        "at": normalise_time(data.get("at")),
        "author": text(data.get("author")),
        "note": text(data.get("note")),
        "new_status": text(data.get("new_status")),
    }


def update_sort_key(data):
    return (parse_datetime(data["at"]), data["author"] or "", data["note"] or "", data["new_status"] or "")


def action(data):
    out = ordered(data, ACTION_KEYS)
    out["item"] = text(out["item"])
    out["shared_with"] = sorted(set(_list(data.get("shared_with"))))
    out["due_on"] = normalise_date(out["due_on"])
    out["tags"] = tags(data.get("tags"))
    out["updates"] = sorted((update(u) for u in _list(data.get("updates"))), key=update_sort_key)
    return out


def minutes(data):
    if data is None:
        return None
    return {
        "approved_on": normalise_date(data.get("approved_on")),
        "approved_by": text(data.get("approved_by")),
        "published": bool(data.get("published")),
        "entries": [
            {
                "item": e["item"],
                "discussion": rich_text(e.get("discussion")),
                "resolution": text(e.get("resolution")),
                "public_summary": text(e.get("public_summary")),
            }
            for e in _list(data.get("entries"))
        ],
    }


def meeting(data):
    out = ordered(data, MEETING_KEYS)
    out["starts_at"] = normalise_time(out["starts_at"])
    out["ends_at"] = normalise_time(out["ends_at"])
    out["venue"] = text(out["venue"])
    out["agenda_published_at"] = normalise_time(out["agenda_published_at"])
    out["lateness_reason"] = text(out["lateness_reason"])
    out["attendance"] = [
        {
            "person": a["person"],
            "on_behalf_of": a.get("on_behalf_of"),
            "status": a.get("status") or "present",
            "capacity": a.get("capacity") or "member",
            "substitute_for": a.get("substitute_for"),
        }
        for a in _list(data.get("attendance"))
    ]
    out["declarations"] = [
        {"person": d["person"], "item": text(d.get("item")), "nature": text(d.get("nature"))}
        for d in _list(data.get("declarations"))
    ]
    out["agenda"] = [
        {
            "number": i["number"],
            "title": i["title"],
            "summary": text(i.get("summary")),
            "lead_organisation": i.get("lead_organisation"),
            "presenter": i.get("presenter"),
            "exempt": i["exempt"],
            "exemption_paragraph": i.get("exemption_paragraph"),
            "tags": tags(i.get("tags")),
            "papers": papers(i.get("papers")),
        }
        for i in _list(data.get("agenda"))
    ]
    out["minutes"] = minutes(data.get("minutes"))
    out["actions"] = sorted(
        (action(a) for a in _list(data.get("actions"))), key=lambda a: reference_sort_key(a["reference"])
    )
    return out


def meeting_sort_key(data):
    return (data["board"], parse_datetime(data["starts_at"]))


def bundle(data):
    """The whole bundle in canonical form (input already validated), as the current schema version writes it.

    The version comes last, so that an export still opens with its organisations.
    """
    return {
        "organisations": sorted((organisation(o) for o in _list(data.get("organisations"))), key=lambda o: o["slug"]),
        "people": sorted((person(p) for p in _list(data.get("people"))), key=lambda p: p["slug"]),
        "boards": sorted((board(b) for b in _list(data.get("boards"))), key=lambda b: b["slug"]),
        "meetings": sorted((meeting(m) for m in _list(data.get("meetings"))), key=meeting_sort_key),
        "schema_version": SCHEMA_VERSION,
    }


def dumps(data):
    """Canonical text: two-space indentation, UTF-8 characters as they are, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
