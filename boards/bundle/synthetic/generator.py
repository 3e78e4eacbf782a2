"""A synthetic but realistic records bundle for benchmarks and demos: same seed, same bundle.

Public-service vocabulary (libraries, hospital discharge, community grants…), ~10 meetings a year per board.
"""

import datetime
import html
import random

from django.utils.text import slugify

from .. import canonical
from .vocabulary import (
    ACTION_TEXTS,
    BOARDS,
    EXEMPT_TOPICS,
    FIRST,
    JOB_TITLES,
    LAST,
    ORGANISATIONS,
    RESOLUTIONS,
    SENTENCES,
    STRATEGIES,
    TOPICS,
    UPDATE_NOTES,
    VENUES,
    WARDS,
)

FINAL_YEAR = 2025  # fixed, so the output never depends on today's date
# Bump when the same arguments give other records (the benchmark dataset cache is keyed by it).
VERSION = 1


def _unique_code(name, used):
    code = "".join(word[0] for word in name.replace(",", "").split() if word[0].isalpha()).upper()[:8] or "PB"
    candidate, n = code, 1
    while candidate in used:
        n += 1
        candidate = f"{code}{n}"
    used.add(candidate)
    return candidate


def _meeting_day(year, month, weekday, week):
    """The `week`-th `weekday` (0 = Monday) of a month."""
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * week)


def _london(day, hour, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=canonical.LONDON)


def _ts(moment):
    return canonical.format_datetime(moment)


class Generator:
    def __init__(self, boards, years, seed):
        self.rng = random.Random(seed)
        self.n_boards = boards
        self.years = years
        self.first_year = FINAL_YEAR - years + 1

    def organisations(self):
        out = []
        for name, short, kind, website in ORGANISATIONS:
            out.append({"slug": slugify(name), "name": name, "short_name": short, "kind": kind, "website": website})
        return out

    def people(self, orgs):
        rng = self.rng
        people, used = [], set()
        self.people_by_org = {}
        for org in orgs:
            for _ in range(rng.randint(5, 9)):
                while True:
                    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    slug = slugify(name)
                    if slug not in used:
                        break
                used.add(slug)
                person = {"slug": slug, "name": name, "job_title": rng.choice(JOB_TITLES), "organisation": org["slug"]}
                people.append(person)
                self.people_by_org.setdefault(org["slug"], []).append(person)
        return people

    def boards(self, orgs):
        rng = self.rng
        out, codes = [], set()
        start = datetime.date(self.first_year - 1, 9, 1)
        for i in range(self.n_boards):
            base = BOARDS[i % len(BOARDS)]
            name = base if i < len(BOARDS) else f"{base} ({i // len(BOARDS) + 1})"
            council = orgs[0]["slug"]
            others = rng.sample([o["slug"] for o in orgs[1:]], rng.randint(6, 11))
            partners = []
            for slug in [council, *others]:
                left = None
                if slug != council and rng.random() < 0.1:
                    left = datetime.date(rng.randint(self.first_year, FINAL_YEAR), rng.choice([3, 9]), 30)
                partners.append(
                    {
                        "organisation": slug,
                        "joined_on": start.isoformat(),
                        "left_on": left.isoformat() if left else None,
                    }
                )
            memberships = []
            for j, partner in enumerate(partners):
                staff = self.people_by_org[partner["organisation"]]
                for k, person in enumerate(rng.sample(staff, min(len(staff), rng.choice([1, 1, 2])))):
                    role = "chair" if (j, k) == (0, 0) else "vice_chair" if (j, k) == (1, 0) else "member"
                    memberships.append(
                        {
                            "person": person["slug"],
                            "on_behalf_of": partner["organisation"],
                            "role": role,
                            "start": partner["joined_on"],
                            "end": partner["left_on"],
                        }
                    )
            adviser = rng.choice(self.people_by_org[council])
            if adviser["slug"] not in {m["person"] for m in memberships}:
                memberships.append(
                    {
                        "person": adviser["slug"],
                        "on_behalf_of": council,
                        "role": "adviser",
                        "start": start.isoformat(),
                        "end": None,
                    }
                )
            out.append(
                {
                    "slug": slugify(name),
                    "code": _unique_code(name, codes),
                    "name": name,
                    "remit": f"<p>The {html.escape(name)} brings together the council and its partners to plan, "
                    "commission and review services for residents of Barnet, and to hold partners to account for "
                    "shared outcomes.</p>",
                    "partners": partners,
                    "memberships": memberships,
                }
            )
        return out

    def sentence(self, board, topic_title):
        rng = self.rng
        member = rng.choice(board["memberships"])
        orgs = [p["organisation"] for p in board["partners"]]
        org, org2 = rng.sample(orgs, 2)
        text = rng.choice(SENTENCES)
        return text.format(
            person=self.names[member["person"]],
            org=self.org_names[org],
            org2=self.org_names[org2],
            month=rng.choice(["April", "June", "September", "December", "the last quarter", "the year to date"]),
            pct=rng.randint(3, 42),
            ward=rng.choice(WARDS),
            strategy=rng.choice(STRATEGIES),
            n=rng.randint(40, 2400),
            topic=topic_title.lower(),
        )

    def discussion(self, board, title):
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            text = " ".join(self.sentence(board, title) for _ in range(rng.randint(3, 5)))
            paragraphs.append(f"<p>{html.escape(text)}</p>")  # escaped as Wagtail's rich text keeps it
        return "".join(paragraphs)

    def agenda(self, board, meeting_no, year, quarter):
        rng = self.rng
        items = [
            {"number": "1", "title": "Welcome, introductions and apologies for absence", "tags": []},
            {"number": "2", "title": "Declarations of interest", "tags": []},
            {"number": "3", "title": "Minutes of the previous meeting and matters arising", "tags": []},
        ]
        count = rng.randint(8, 20)
        exempt = rng.random() < 0.2
        # Room for business between the three opening items and "Any other business".
        budget = count - 4 - (1 if exempt else 0)
        n = 4
        topics = rng.sample(TOPICS, min(len(TOPICS), budget))
        for title, tags, summary in topics:
            if len(items) - 3 >= budget:
                break
            fill = {"n": rng.randint(1, 12), "q": quarter}
            lead = rng.choice(board["partners"])["organisation"]
            staff = [m["person"] for m in board["memberships"] if m["on_behalf_of"] == lead]
            items.append(
                {
                    "number": str(n),
                    "title": title.format(**fill),
                    "summary": summary.format(**fill),
                    "lead_organisation": lead,
                    "presenter": staff[0] if staff else None,
                    "tags": list(tags),
                }
            )
            if rng.random() < 0.08 and len(items) - 3 < budget:
                items.append(
                    {
                        "number": f"{n}a",
                        "title": f"{title.format(**fill)}: equality impact assessment",
                        "summary": "The equality impact assessment for the proposals.",
                        "lead_organisation": lead,
                        "presenter": None,
                        "tags": list(tags) + ["equalities"],
                    }
                )
            n += 1
        if exempt:
            title, paragraph, tags = rng.choice(EXEMPT_TOPICS)
            items.append(
                {
                    "number": str(n),
                    "title": title.format(n=rng.randint(1, 40)),
                    "summary": "Report containing exempt information.",
                    "exempt": True,
                    "exemption_paragraph": paragraph,
                    "tags": list(tags),
                    "lead_organisation": board["partners"][0]["organisation"],
                    "presenter": None,
                }
            )
            n += 1
        items.append({"number": str(n), "title": "Any other business", "tags": []})
        for item in items:
            item.setdefault("exempt", False)
            item.setdefault("exemption_paragraph", None)
        return items

    def generate(self):
        rng = self.rng
        orgs = self.organisations()
        self.org_names = {o["slug"]: o["short_name"] or o["name"] for o in orgs}
        people = self.people(orgs)
        self.names = {p["slug"]: p["name"] for p in people}
        boards = self.boards(orgs)
        months = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11]
        meetings = []
        for b_index, board in enumerate(boards):
            weekday, week = b_index % 4, (b_index // 4) % 3
            hour = [10, 14, 18][b_index % 3]
            chair = next(self.names[m["person"]] for m in board["memberships"] if m["role"] == "chair")
            schedule = [(year, month) for year in range(self.first_year, FINAL_YEAR + 1) for month in months]
            days = [_meeting_day(y, m, weekday, week) for y, m in schedule]
            for index, ((year, month), day) in enumerate(zip(schedule, days, strict=True)):
                starts = _london(day, hour, 30 if hour == 18 else 0)
                cancelled = rng.random() < 0.03
                late = rng.random() < 0.06
                published_at = starts - datetime.timedelta(days=3 if late else rng.randint(8, 12), hours=6)
                quarter = (month - 1) // 3 + 1
                agenda = self.agenda(board, index, year, quarter)
                meeting = {
                    "board": board["slug"],
                    "starts_at": _ts(starts),
                    "ends_at": _ts(starts + datetime.timedelta(hours=2)),
                    "venue": rng.choice(VENUES),
                    "status": "cancelled" if cancelled else "held",
                    "published": True,
                    "agenda_published_at": _ts(published_at),
                    "lateness_reason": "Papers from a partner arrived late; the chair agreed to take the item."
                    if late
                    else None,
                    "agenda": agenda,
                    "attendance": [],
                    "declarations": [],
                    "minutes": None,
                    "actions": [],
                }
                if not cancelled:
                    self.fill_held_meeting(board, meeting, agenda, starts, days, index, chair)
                meetings.append(meeting)
        return canonical.bundle({"organisations": orgs, "people": people, "boards": boards, "meetings": meetings})

    def attendance(self, members):
        """Each member present or sending apologies; some who send apologies send a colleague as substitute."""
        rng = self.rng
        attendance = []
        for m in members:
            status = "apologies" if rng.random() < 0.15 else "present"
            attendance.append(
                {
                    "person": m["person"],
                    "on_behalf_of": m["on_behalf_of"],
                    "status": status,
                    "capacity": "member",
                    "substitute_for": None,
                }
            )
            if status == "apologies" and rng.random() < 0.4:
                colleagues = [
                    p
                    for p in self.people_by_org[m["on_behalf_of"]]
                    if p["slug"] not in {a["person"] for a in attendance}
                    and p["slug"] not in {x["person"] for x in members}
                ]
                if colleagues:
                    sub = rng.choice(colleagues)
                    attendance.append(
                        {
                            "person": sub["slug"],
                            "on_behalf_of": m["on_behalf_of"],
                            "status": "present",
                            "capacity": "substitute",
                            "substitute_for": m["person"],
                        }
                    )
        return attendance

    def fill_held_meeting(self, board, meeting, agenda, starts, days, index, chair):
        rng = self.rng
        day = starts.date()
        members = [
            m
            for m in board["memberships"]
            if (m["end"] is None or m["end"] >= day.isoformat()) and m["start"] <= day.isoformat()
        ]
        attendance = self.attendance(members)
        meeting["attendance"] = attendance
        topical = [i for i in agenda if i["number"] not in ("1", "2", "3") and i["title"] != "Any other business"]
        if rng.random() < 0.1 and topical:
            member = rng.choice(members)
            item = rng.choice(topical)
            meeting["declarations"] = [
                {
                    "person": member["person"],
                    "item": item["number"],
                    "nature": "Non-pecuniary: a trustee of a voluntary organisation named in the report.",
                }
            ]
        last = index == len(days) - 1
        approved_on = None if last else days[index + 1]
        entries = []
        for item in agenda:
            entry = {"item": item["number"], "discussion": None, "resolution": None, "public_summary": None}
            if item["number"] == "1":
                entry["resolution"] = "The chair welcomed everyone. Apologies were noted as above."
            elif item["number"] == "2":
                entry["resolution"] = (
                    "Declarations were made as recorded above."
                    if meeting["declarations"]
                    else "There were no declarations of interest."
                )
            elif item["number"] == "3":
                entry["resolution"] = (
                    "RESOLVED that the minutes of the previous meeting be agreed as a correct record."
                )
            elif item["title"] == "Any other business":
                entry["resolution"] = "There was no other business."
            else:
                entry["discussion"] = self.discussion(board, item["title"])
                entry["resolution"] = rng.choice(RESOLUTIONS)
                if item["exempt"]:
                    entry["public_summary"] = (
                        "The board considered an exempt report and agreed the "
                        "recommendations. The decision will be published when the "
                        "contract has been signed."
                        if item["exemption_paragraph"] == 3
                        else "The board considered an exempt report and noted it."
                    )
            entries.append(entry)
        meeting["minutes"] = {
            "approved_on": approved_on.isoformat() if approved_on else None,
            "approved_by": chair if approved_on else None,
            "published": approved_on is not None,
            "entries": entries,
        }
        actions = []
        partners = [
            p["organisation"] for p in board["partners"] if p["left_on"] is None or p["left_on"] > day.isoformat()
        ]
        for item in topical:
            # 0-4 a topical item, about 3 on average: some 60,000 actions over 20 boards x 10 years.
            for _ in range(rng.choice([0, 1, 2, 3, 3, 4, 4, 4, 4, 4])):
                owner = rng.choice(partners)
                staff = [m["person"] for m in members if m["on_behalf_of"] == owner]
                due = day + datetime.timedelta(weeks=rng.randint(4, 16))
                shared = sorted(set(rng.sample(partners, rng.choice([0, 0, 1, 2]))) - {owner})
                actions.append(
                    {
                        "reference": f"{board['code']}/{day.year}/{day.month:02d}/{len(actions) + 1}",
                        "item": item["number"],
                        "description": rng.choice(ACTION_TEXTS).format(topic=item["title"].split(":")[0].lower()),
                        "owner": owner,
                        "shared_with": shared,
                        "owner_person": staff[0] if staff else None,
                        "due_on": due.isoformat(),
                        "status": "open",
                        "tags": list(item["tags"]),
                        "updates": [],
                    }
                )
        self.action_history(actions, starts)
        meeting["actions"] = actions

    def action_history(self, actions, starts):
        """Progress notes, then (as on a real board) most actions closed within months; a few linger open."""
        rng = self.rng
        horizon = _london(datetime.date(FINAL_YEAR, 12, 31), 17)
        progress = [n for n in UPDATE_NOTES if not n.startswith(("Completed", "No longer"))]
        for action in actions:
            moment = starts
            status = "open"
            notes = [rng.choice(progress) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
            if rng.random() < 0.97:
                notes.append(UPDATE_NOTES[3] if rng.random() < 0.9 else UPDATE_NOTES[5])
            for note in notes:
                moment = moment + datetime.timedelta(days=rng.randint(7, 40), hours=rng.randint(0, 6))
                if moment > horizon:
                    break
                new_status = (
                    "done"
                    if note.startswith("Completed")
                    else "dropped"
                    if note.startswith("No longer")
                    else "in_progress"
                )
                action["updates"].append(
                    {
                        "at": _ts(moment),
                        "author": self.names[rng.choice(list(self.names))],
                        "note": note,
                        "new_status": new_status,
                    }
                )
                status = new_status
            action["status"] = status


def generate(boards=20, years=10, seed=1):
    """The bundle as a canonical dict."""
    return Generator(boards, years, seed).generate()
