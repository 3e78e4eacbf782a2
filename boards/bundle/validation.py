"""Validation of a records bundle before anything touches the database.

First the JSON Schema (boards/schema/records-bundle.schema.json), then the checks a schema cannot express:
references between records, agenda numbers, dates. Every problem is reported with its JSON path.
"""

import functools
import json
import logging
import re
from collections import Counter
from pathlib import Path

import jsonschema

from boards.models import BoardPage, Organisation, Person

from . import canonical, papers

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "records-bundle.schema.json"


class BundleInvalid(Exception):
    """The bundle cannot be imported; `problems` lists every reason, each "path: reason"."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the bundle")


@functools.cache
def schema():
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def _inline(node, defs):
    """The schema with local $refs replaced by their definitions: the same rules, validated twice as fast."""
    if isinstance(node, dict):
        if set(node) == {"$ref"} and node["$ref"].startswith("#/$defs/"):
            return _inline(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        return {key: value if key == "$defs" else _inline(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, defs) for value in node]
    return node


@functools.cache
def _validator():
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    flat = _inline(schema(), schema()["$defs"])
    return cls(flat)


def json_path(parts):
    """["meetings", 12, "agenda", 3] -> "meetings[12].agenda[3]"."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _join(path, key):
    return f"{path}.{key}" if path != "(top level)" else key


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _pattern_reason(pattern, value):
    defs = schema()["$defs"]
    if pattern == defs["date"]["pattern"]:
        return f"not a date: {value!r} (expected YYYY-MM-DD)"
    if pattern == defs["datetime"]["pattern"]:
        return f"not a date and time with an offset: {value!r} (expected e.g. 2011-03-01T10:00:00+00:00)"
    if pattern == defs["slug"]["pattern"]:
        return f"not a slug: {value!r} (letters, digits, hyphens and underscores only)"
    if pattern == defs["sha256"]["pattern"]:
        return f"not a sha256: {value!r} (expected 64 lower-case hexadecimal digits)"
    if pattern == defs["paper_path"]["pattern"]:
        return f"not a relative file path: {value!r} (e.g. papers/budget.pdf; no leading / or ..)"
    return f"{value!r} does not match the pattern {pattern}"


def _messages(error):
    """Plain "path: reason" lines for one jsonschema error."""
    path = json_path(error.absolute_path)
    kind = error.validator
    value = error.instance
    if kind == "anyOf":
        # A nullable reference: explain why the non-null alternative failed.
        if value is not None and error.context:
            first = [e for e in error.context if e.schema_path and e.schema_path[0] == 0]
            if first:
                return [line for sub in first for line in _messages(sub)]
        return [f"{path}: has the wrong form"]
    if kind == "required":
        missing = [key for key in error.validator_value if key not in value]
        return [f"{_join(path, key)}: required" for key in missing]
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        return [f"{_join(path, key)}: unknown key" for key in value if key not in known]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = " or ".join(_TYPE_NAMES[w] for w in wanted)
        return [f"{path}: expected {names}, got {_json_type(value)}"]
    if kind == "enum":
        choices = ", ".join("null" if c is None else str(c) for c in error.validator_value)
        return [f"{path}: {value!r} is not one of {choices}"]
    if kind == "pattern":
        return [f"{path}: {_pattern_reason(error.validator_value, value)}"]
    if kind == "minLength":
        return [f"{path}: must not be empty"]
    if kind == "maxLength":
        return [f"{path}: longer than {error.validator_value} characters"]
    if kind in ("minimum", "maximum"):
        return [f"{path}: {value!r} is out of range (1–7)" if "exemption" in path else f"{path}: out of range"]
    return [f"{path}: {error.message}"]


def _parts(path):
    """ "meetings[12].agenda[3].title" -> ["meetings", 12, "agenda", 3, "title"]."""
    return [int(index) if index else key for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def _document_order(data, parts):
    """A sort key that follows the file: keys in the order written, list items by index."""
    key, node = [], data
    for part in parts:
        if isinstance(part, int):
            key.append(part)
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            keys = list(node) if isinstance(node, dict) else []
            key.append(keys.index(part) if part in keys else len(keys))
            node = node.get(part) if isinstance(node, dict) else None
    return key


def sort_problems(data, problems):
    """Problems ("path: reason") in the order their paths appear in the file; stable for equal paths."""

    def order(problem):
        path = problem.split(": ", 1)[0]
        return _document_order(data, _parts(path)) if path != "(top level)" else []

    return sorted(problems, key=order)


def schema_problems(data):
    """Every schema violation and the top-level entries they touch."""
    problems = []
    broken = set()
    for error in _validator().iter_errors(data):
        problems.extend(_messages(error))
        parts = list(error.absolute_path)
        if len(parts) >= 2:
            broken.add((parts[0], parts[1]))
        else:
            broken.add((parts[0] if parts else None, None))
    return problems, broken


class _Checker:
    """The checks beyond the schema. Works on entries that passed the schema."""

    def __init__(self, data, broken, existing):
        self.data = data
        self.broken = broken
        self.problems = []
        self.existing = existing

    def add(self, path, reason):
        self.problems.append(f"{path}: {reason}")

    def entries(self, key):
        if (key, None) in self.broken:
            return []
        return [(i, item) for i, item in enumerate(self.data.get(key) or []) if (key, i) not in self.broken]

    def all_slugs(self, key):
        # Entries with schema errors still define their slug, so that one typo is not reported twice.
        return {
            item.get("slug")
            for item in (self.data.get(key) or [])
            if isinstance(item, dict) and isinstance(item.get("slug"), str)
        }

    def date(self, path, value):
        if value is None:
            return None
        try:
            return canonical.parse_date(value)
        except ValueError:
            self.add(path, f"not a real date: {value!r}")
            return None

    def time(self, path, value):
        if value is None:
            return None
        try:
            return canonical.parse_datetime(value)
        except ValueError:
            self.add(path, f"not a real date and time: {value!r}")
            return None

    def ref(self, path, value, known, what):
        if value is not None and value not in known:
            self.add(path, f"unknown {what} {value!r}")

    def version(self):
        """The bundle's schema version (absent: 1), or None when the schema refused it already."""
        version = self.data.get("schema_version", 1)
        return version if version in (1, 2) else None

    def run(self):
        orgs = self.all_slugs("organisations") | self.existing["organisations"]
        people = self.all_slugs("people") | self.existing["people"]
        boards = self.all_slugs("boards") | self.existing["boards"]
        self.check_organisations()
        self.check_people(orgs)
        self.check_boards(orgs, people)
        self.check_meetings(orgs, people, boards)
        return self.problems

    def duplicates(self, key, field, label):
        seen = {}
        for i, item in self.entries(key):
            value = item[field]
            if value in seen:
                self.add(f"{key}[{i}].{field}", f"duplicate {label} {value!r} (also {key}[{seen[value]}])")
            else:
                seen[value] = i

    def check_organisations(self):
        self.duplicates("organisations", "slug", "slug")
        self.duplicates("organisations", "name", "name")
        for i, org in self.entries("organisations"):
            other = self.existing["organisation_names"].get(org["name"])
            if other is not None and other != org["slug"]:
                self.add(f"organisations[{i}].name", f"{org['name']!r} is already the name of organisation {other!r}")

    def check_people(self, orgs):
        self.duplicates("people", "slug", "slug")
        for i, person in self.entries("people"):
            self.ref(f"people[{i}].organisation", person.get("organisation"), orgs, "organisation")

    def check_boards(self, orgs, people):
        self.duplicates("boards", "slug", "slug")
        self.duplicates("boards", "code", "code")
        for i, board in self.entries("boards"):
            path = f"boards[{i}]"
            other = self.existing["board_codes"].get(board["code"].upper())
            if other is not None and other != board["slug"]:
                self.add(f"{path}.code", f"{board['code']!r} is already the code of board {other!r}")
            for j, partner in enumerate(board.get("partners") or []):
                p = f"{path}.partners[{j}]"
                self.ref(f"{p}.organisation", partner["organisation"], orgs, "organisation")
                self.date_range(p, partner, "joined_on", "left_on")
            for j, membership in enumerate(board.get("memberships") or []):
                p = f"{path}.memberships[{j}]"
                self.ref(f"{p}.person", membership["person"], people, "person")
                self.ref(f"{p}.on_behalf_of", membership.get("on_behalf_of"), orgs, "organisation")
                self.date_range(p, membership, "start", "end")

    def date_range(self, path, data, start_key, end_key):
        start = self.date(f"{path}.{start_key}", data.get(start_key))
        end = self.date(f"{path}.{end_key}", data.get(end_key))
        if start and end and end < start:
            self.add(f"{path}.{end_key}", f"{end_key} is before {start_key}")

    def check_meetings(self, orgs, people, boards):
        seen = {}
        references = {}
        for i, meeting in self.entries("meetings"):
            path = f"meetings[{i}]"
            self.ref(f"{path}.board", meeting["board"], boards, "board")
            starts = self.time(f"{path}.starts_at", meeting["starts_at"])
            ends = self.time(f"{path}.ends_at", meeting.get("ends_at"))
            self.time(f"{path}.agenda_published_at", meeting.get("agenda_published_at"))
            if starts and ends and ends <= starts:
                self.add(f"{path}.ends_at", "the meeting must end after it starts")
            if starts:
                key = (meeting["board"], starts)
                if key in seen:
                    self.add(
                        f"{path}.starts_at", f"duplicate meeting of {meeting['board']!r} (also meetings[{seen[key]}])"
                    )
                else:
                    seen[key] = i
            numbers = self.check_agenda(path, meeting.get("agenda") or [], orgs, people)
            self.check_attendance(path, meeting.get("attendance") or [], orgs, people)
            for j, declaration in enumerate(meeting.get("declarations") or []):
                p = f"{path}.declarations[{j}]"
                self.ref(f"{p}.person", declaration["person"], people, "person")
                item = canonical.text(declaration.get("item"))
                if item is not None and item not in numbers:
                    self.add(f"{p}.item", f"no agenda item {item!r} in this meeting")
            self.check_minutes(path, meeting, numbers)
            for j, action in enumerate(meeting.get("actions") or []):
                p = f"{path}.actions[{j}]"
                ref = action["reference"]
                if ref in references:
                    self.add(f"{p}.reference", f"duplicate action reference {ref!r} (also {references[ref]})")
                else:
                    references[ref] = p
                item = canonical.text(action.get("item"))
                if item is not None and item not in numbers:
                    self.add(f"{p}.item", f"no agenda item {item!r} in this meeting")
                self.ref(f"{p}.owner", action["owner"], orgs, "organisation")
                for k, slug in enumerate(action.get("shared_with") or []):
                    self.ref(f"{p}.shared_with[{k}]", slug, orgs, "organisation")
                self.ref(f"{p}.owner_person", action.get("owner_person"), people, "person")
                self.date(f"{p}.due_on", action["due_on"])
                for k, update in enumerate(action.get("updates") or []):
                    self.time(f"{p}.updates[{k}].at", update["at"])

    def check_agenda(self, path, agenda, orgs, people):
        numbers = Counter()
        for j, item in enumerate(agenda):
            p = f"{path}.agenda[{j}]"
            number = item["number"].strip()
            if number != item["number"]:
                self.add(f"{p}.number", "has spaces around it")
            numbers[number] += 1
            if numbers[number] == 2:
                self.add(f"{p}.number", f"duplicate agenda number {number!r} in this meeting")
            self.ref(f"{p}.lead_organisation", item.get("lead_organisation"), orgs, "organisation")
            self.ref(f"{p}.presenter", item.get("presenter"), people, "person")
            if item.get("papers") and self.version() == 1:
                self.add(f"{p}.papers", "papers need schema_version 2")
            paragraph = item.get("exemption_paragraph")
            if item["exempt"] and paragraph is None:
                self.add(f"{p}.exemption_paragraph", "required when exempt is true")
            if not item["exempt"] and paragraph is not None:
                self.add(f"{p}.exemption_paragraph", "must be null unless exempt is true")
        return set(numbers)

    def check_attendance(self, path, attendance, orgs, people):
        for j, row in enumerate(attendance):
            p = f"{path}.attendance[{j}]"
            self.ref(f"{p}.person", row["person"], people, "person")
            self.ref(f"{p}.on_behalf_of", row.get("on_behalf_of"), orgs, "organisation")
            self.ref(f"{p}.substitute_for", row.get("substitute_for"), people, "person")
            if row.get("capacity") == "substitute" and not row.get("substitute_for"):
                self.add(f"{p}.substitute_for", "required when capacity is substitute")
            if row.get("substitute_for") and row.get("substitute_for") == row["person"]:
                self.add(f"{p}.substitute_for", "a person cannot substitute for themselves")

    def check_minutes(self, path, meeting, numbers):
        minutes = meeting.get("minutes")
        if minutes is None:
            return
        p = f"{path}.minutes"
        self.date(f"{p}.approved_on", minutes.get("approved_on"))
        if minutes.get("published"):
            if minutes.get("approved_on") is None:
                self.add(f"{p}.approved_on", "required when the minutes are published (only approved minutes publish)")
            if not meeting["published"]:
                self.add(f"{p}.published", "minutes can be published only when the meeting is published")
        seen = set()
        for j, entry in enumerate(minutes.get("entries") or []):
            item = entry["item"]
            if item not in numbers:
                self.add(f"{p}.entries[{j}].item", f"no agenda item {item!r} in this meeting")
            elif item in seen:
                self.add(f"{p}.entries[{j}].item", f"a second minute for agenda item {item!r}")
            seen.add(item)


def existing_keys():
    """Natural keys already in the database that a bundle may refer to."""
    return {
        "organisations": set(Organisation.objects.values_list("slug", flat=True)),
        "organisation_names": dict(Organisation.objects.values_list("name", "slug")),
        "people": set(Person.objects.values_list("slug", flat=True)),
        "boards": set(BoardPage.objects.values_list("slug", flat=True)),
        "board_codes": {code.upper(): slug for code, slug in BoardPage.objects.values_list("code", "slug")},
    }


def validate(data, existing=None, base_dir=None):
    """Raise BundleInvalid listing every problem; return None when the bundle can be imported.

    `base_dir` is the bundle's folder, where the files its papers refer to lie.
    """
    if not isinstance(data, dict):
        raise BundleInvalid(
            [
                f"(top level): expected an object with organisations, people, boards and meetings, "
                f"got {_json_type(data)}"
            ]
        )
    problems, broken = schema_problems(data)
    existing = existing if existing is not None else existing_keys()
    problems.extend(_Checker(data, broken, existing).run())
    # A reference the schema refused already has its problem: its file is not looked at.
    refused = {problem.split(": ", 1)[0] for problem in problems}
    problems.extend(papers.check(data, base_dir, skip=refused))
    problems = sort_problems(data, problems)
    if problems:
        logger.info("bundle refused: %d problem(s)", len(problems))
        raise BundleInvalid(problems)
