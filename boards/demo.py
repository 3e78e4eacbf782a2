"""The demo data of `manage.py load_demo`: the One Barnet Partnership Board in 2011, and a second board.

Everything is looked up by natural key before it is created, so loading twice changes nothing.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from home.models import HomePage

from .models import (
    Action,
    ActionReferenceSequence,
    ActionUpdate,
    AgendaItem,
    Attendance,
    BoardIndexPage,
    BoardPage,
    BoardPartner,
    Declaration,
    MeetingPage,
    Membership,
    MinuteEntry,
    MinutesPage,
    Organisation,
    Person,
)
from .models.minutes import stamp_approval
from .roles import CHAIRS, SECRETARIAT, ensure_role_groups

logger = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")

ORGANISATIONS = [
    ("barnet-council", "London Borough of Barnet", "Barnet Council", "council", "https://www.barnet.gov.uk/"),
    ("nhs-barnet", "NHS Barnet", "NHS Barnet", "health", "https://www.nhs.uk/"),
    ("middlesex-university", "Middlesex University", "Middlesex University", "education", "https://www.mdx.ac.uk/"),
    ("jobcentre-plus", "Jobcentre Plus", "Jobcentre Plus", "employment", "https://www.gov.uk/contact-jobcentre-plus"),
    ("metropolitan-police", "Metropolitan Police Service", "Met Police", "police", "https://www.met.police.uk/"),
    ("london-fire-brigade", "London Fire Brigade", "LFB", "other", "https://www.london-fire.gov.uk/"),
    ("community-barnet", "Community Barnet", "Community Barnet", "voluntary", ""),
]

# slug, name, job title, employer slug
PEOPLE = [
    ("helen-marsh", "Cllr Helen Marsh", "Leader of the Council", "barnet-council"),
    ("david-okafor", "David Okafor", "Chief Executive", "barnet-council"),
    ("priya-raman", "Priya Raman", "Head of Governance", "barnet-council"),
    ("sarah-whitfield", "Dr Sarah Whitfield", "Director of Public Health", "nhs-barnet"),
    ("tom-hughes", "Tom Hughes", "Director of Commissioning", "nhs-barnet"),
    ("margaret-ellis", "Professor Margaret Ellis", "Deputy Vice-Chancellor", "middlesex-university"),
    ("kwame-mensah", "Kwame Mensah", "District Manager, North London", "jobcentre-plus"),
    ("james-carter", "Chief Superintendent James Carter", "Borough Commander, Barnet", "metropolitan-police"),
    ("aisha-begum", "Aisha Begum", "Inspector, Safer Neighbourhoods", "metropolitan-police"),
    ("owen-price", "Owen Price", "Borough Commander, Barnet", "london-fire-brigade"),
    ("lucy-fernandes", "Lucy Fernandes", "Chief Officer", "community-barnet"),
    ("neil-gardner", "Neil Gardner", "Assistant Director, Customer Services", "barnet-council"),
]

OBPB = {
    "slug": "one-barnet-partnership-board",
    "title": "One Barnet Partnership Board",
    "code": "OBPB",
    "frequency": "Quarterly",
    "remit": (
        "<p>The One Barnet Partnership Board brings together the public services of the borough — the "
        "council, the NHS, Middlesex University, Jobcentre Plus and the Metropolitan Police — to plan "
        "services around residents rather than organisations, share buildings and data where it helps, "
        "and shift power from the state to citizens and communities.</p>"
    ),
    "partners": [
        ("barnet-council", datetime.date(2010, 4, 1)),
        ("nhs-barnet", datetime.date(2010, 4, 1)),
        ("middlesex-university", datetime.date(2010, 4, 1)),
        ("jobcentre-plus", datetime.date(2010, 4, 1)),
        ("metropolitan-police", datetime.date(2010, 4, 1)),
    ],
    "members": [
        ("helen-marsh", "barnet-council", "chair"),
        ("sarah-whitfield", "nhs-barnet", "vice_chair"),
        ("david-okafor", "barnet-council", "member"),
        ("tom-hughes", "nhs-barnet", "substitute"),
        ("margaret-ellis", "middlesex-university", "member"),
        ("kwame-mensah", "jobcentre-plus", "member"),
        ("james-carter", "metropolitan-police", "member"),
        ("neil-gardner", "barnet-council", "adviser"),
    ],
}

SCPB = {
    "slug": "safer-communities-partnership-board",
    "title": "Safer Communities Partnership Board",
    "code": "SCPB",
    "frequency": "Every two months",
    "remit": (
        "<p>The Safer Communities Partnership Board is Barnet's community safety partnership: it sets the "
        "priorities for reducing crime, anti-social behaviour and the fear of crime, and for keeping homes "
        "safe from fire.</p>"
    ),
    "partners": [
        ("barnet-council", datetime.date(2010, 4, 1)),
        ("metropolitan-police", datetime.date(2010, 4, 1)),
        ("london-fire-brigade", datetime.date(2010, 4, 1)),
        ("community-barnet", datetime.date(2010, 9, 1)),
    ],
    "members": [
        ("james-carter", "metropolitan-police", "chair"),
        ("david-okafor", "barnet-council", "vice_chair"),
        ("owen-price", "london-fire-brigade", "member"),
        ("lucy-fernandes", "community-barnet", "member"),
        ("aisha-begum", "metropolitan-police", "adviser"),
    ],
}

NSCSO = (
    "The New Support and Customer Service Organisation (NSCSO) business case was approved by Cabinet "
    "Resources Committee on 29 June 2011. It proposes the procurement of a strategic partner to run the "
    "council's back office and customer services — finance, human resources, revenues and benefits, "
    "procurement, IT and the contact centre — with a guaranteed saving and better service for residents."
)
BIG_SOCIETY = (
    "The Big Society Innovation Bank offers grants from £500 to £50,000 for ideas that innovate to help "
    "the local community or shift power from the state to citizens. An information session for community "
    "groups will be followed by an Ideas Festival where residents pitch their ideas."
)
LIBRARIES = (
    "The draft Library Strategy proposes that Friern Barnet library moves to a landmark arts library at the "
    "artsdepot in North Finchley, alongside a modernised service across the borough. The public "
    "consultation closes on 13 June 2011."
)

# Each meeting: board, local start, hours, status, agenda published (days before), items, attendance, minutes.
MEETINGS = [
    {
        "board": "one-barnet-partnership-board",
        "starts": datetime.datetime(2011, 3, 16, 10, 0),
        "status": "held",
        "venue": "Committee Room 1, Hendon Town Hall, The Burroughs, London NW4 4BG",
        "agenda_days_before": 10,
        "items": [
            (
                "1",
                "Apologies for absence and declarations of interest",
                "",
                "barnet-council",
                "priya-raman",
                False,
                ["governance"],
                None,
            ),
            (
                "2",
                "Big Society Innovation Bank",
                BIG_SOCIETY,
                "barnet-council",
                "david-okafor",
                False,
                ["community grants", "big society"],
                "Big Society Innovation Bank — prospectus",
            ),
            (
                "3",
                "Library Strategy: consultation",
                LIBRARIES,
                "barnet-council",
                "neil-gardner",
                False,
                ["libraries"],
                "Draft Library Strategy",
            ),
            (
                "4",
                "Worklessness in Burnt Oak and Colindale",
                "Jobcentre Plus and the council report on joint work to help residents in the two wards with the highest claimant counts back into work.",
                "jobcentre-plus",
                "kwame-mensah",
                False,
                ["employment"],
                None,
            ),
        ],
        "attendance": [
            ("helen-marsh", "present", "member", None),
            ("sarah-whitfield", "apologies", "member", None),
            ("tom-hughes", "present", "substitute", "sarah-whitfield"),
            ("david-okafor", "present", "member", None),
            ("margaret-ellis", "present", "member", None),
            ("kwame-mensah", "present", "member", None),
            ("james-carter", "apologies", "member", None),
            ("priya-raman", "present", "officer", None),
        ],
        "declarations": [
            ("margaret-ellis", "2", "Non-pecuniary: the university's students' union may bid to the Innovation Bank.")
        ],
        "minutes": {
            "approved_on": datetime.date(2011, 6, 29),
            "approved_by": "helen-marsh",
            "entries": {
                "1": (
                    "<p>Apologies were received from Dr Sarah Whitfield (Tom Hughes substituting) and Chief Superintendent James Carter. Professor Ellis declared a non-pecuniary interest in item 2.</p>",
                    "Apologies and the declaration were noted.",
                    "",
                ),
                "2": (
                    "<p>The board discussed the Big Society Innovation Bank. Members welcomed grants from £500 to £50,000 and asked that small community groups be helped to apply, including through the information session.</p>",
                    "The board endorsed the Big Society Innovation Bank and agreed that partners would promote the information session and the Ideas Festival.",
                    "",
                ),
                "3": (
                    "<p>The board considered the draft Library Strategy, including the proposal that Friern Barnet library move to a landmark arts library at the artsdepot. Members asked how residents without internet access would respond to the consultation.</p>",
                    "The board noted the Library Strategy consultation, closing on 13 June 2011, and asked for paper copies in every library and GP surgery.",
                    "",
                ),
                "4": (
                    "<p>Jobcentre Plus reported the claimant count in Burnt Oak and Colindale. The university offered student volunteers for CV workshops.</p>",
                    "The board agreed a joint employment pilot in Burnt Oak and Colindale.",
                    "",
                ),
            },
            "actions": [
                (
                    "3",
                    "Place paper copies of the Library Strategy consultation in every library and GP surgery.",
                    "barnet-council",
                    ["nhs-barnet"],
                    "neil-gardner",
                    datetime.date(2011, 4, 1),
                    "done",
                    "Copies delivered to all 16 libraries and 67 surgeries.",
                ),
                (
                    "2",
                    "Promote the Big Society Innovation Bank information session through partner networks.",
                    "barnet-council",
                    ["middlesex-university", "jobcentre-plus"],
                    "david-okafor",
                    datetime.date(2011, 5, 31),
                    "done",
                    "Promoted; 140 people attended the information session.",
                ),
                (
                    "4",
                    "Set up CV workshops with student volunteers in Burnt Oak and Colindale.",
                    "middlesex-university",
                    ["jobcentre-plus"],
                    "margaret-ellis",
                    datetime.date(2011, 9, 30),
                    "in_progress",
                    "First two workshops held at Burnt Oak library.",
                ),
            ],
        },
    },
    {
        "board": "one-barnet-partnership-board",
        "starts": datetime.datetime(2011, 6, 29, 14, 0),
        "status": "held",
        "venue": "Committee Room 1, Hendon Town Hall, The Burroughs, London NW4 4BG",
        "agenda_days_before": 9,
        "items": [
            (
                "1",
                "Apologies for absence and declarations of interest",
                "",
                "barnet-council",
                "priya-raman",
                False,
                ["governance"],
                None,
            ),
            (
                "2",
                "New Support and Customer Service Organisation: business case",
                NSCSO,
                "barnet-council",
                "neil-gardner",
                False,
                ["customer services", "procurement"],
                "NSCSO business case",
            ),
            (
                "3",
                "New Support and Customer Service Organisation: commercial terms of the procurement",
                "Commercial terms, evaluation criteria and price envelopes of the strategic partner procurement.",
                "barnet-council",
                "neil-gardner",
                True,
                ["procurement"],
                "NSCSO commercial terms",
            ),
            (
                "4",
                "Library Strategy: outcome of the consultation",
                "The consultation closed on 13 June 2011. The report summarises over 2,000 responses, including on Friern Barnet library and the artsdepot proposal.",
                "barnet-council",
                "neil-gardner",
                False,
                ["libraries"],
                None,
            ),
            (
                "5",
                "Big Society Innovation Bank: first round of grants",
                "Recommendations for the first round of grants, following the Ideas Festival.",
                "barnet-council",
                "david-okafor",
                False,
                ["community grants", "big society"],
                None,
            ),
        ],
        "attendance": [
            ("helen-marsh", "present", "member", None),
            ("sarah-whitfield", "present", "member", None),
            ("david-okafor", "present", "member", None),
            ("margaret-ellis", "apologies", "member", None),
            ("kwame-mensah", "present", "member", None),
            ("james-carter", "present", "member", None),
            ("neil-gardner", "present", "officer", None),
            ("priya-raman", "present", "officer", None),
        ],
        "declarations": [],
        "minutes": {
            "approved_on": datetime.date(2011, 9, 21),
            "approved_by": "helen-marsh",
            "entries": {
                "1": (
                    "<p>Apologies were received from Professor Margaret Ellis. No interests were declared.</p>",
                    "Apologies were noted.",
                    "",
                ),
                "2": (
                    "<p>The board welcomed the approval of the NSCSO business case by Cabinet Resources Committee earlier that day, and discussed how partners' own back-office services might later join the arrangement.</p>",
                    "The board noted the business case and asked partners to say by September whether they wish to be named as potential users of the strategic partner's services.",
                    "",
                ),
                "3": (
                    "<p>The board discussed the price envelope of £18.5 million a year and the weighting of quality at 60 per cent against price in the evaluation.</p>",
                    "The board agreed the evaluation weighting for the procurement.",
                    "The board agreed the evaluation approach for the procurement of a strategic partner. The commercial details are exempt.",
                ),
                "4": (
                    "<p>Members discussed the strength of feeling about Friern Barnet library and asked that the move to the artsdepot be accompanied by a review of opening hours.</p>",
                    "The board noted the consultation outcome and asked the council to report on library opening hours.",
                    "",
                ),
                "5": (
                    "<p>The board considered the recommended grants, from £500 for a lunch club to £50,000 for a social enterprise café.</p>",
                    "The board endorsed the first round of Big Society Innovation Bank grants.",
                    "",
                ),
            },
            "actions": [
                (
                    "2",
                    "Confirm whether each partner wishes to be named as a potential user of the NSCSO strategic partner.",
                    "barnet-council",
                    ["nhs-barnet", "middlesex-university", "jobcentre-plus", "metropolitan-police"],
                    "neil-gardner",
                    datetime.date(2011, 9, 15),
                    "open",
                    "",
                ),
                (
                    "3",
                    "Publish the evaluation model to bidders.",
                    "barnet-council",
                    [],
                    "neil-gardner",
                    datetime.date(2011, 7, 31),
                    "done",
                    "Issued with the invitation to submit outline solutions.",
                ),
                (
                    "4",
                    "Report on library opening hours after the move to the artsdepot.",
                    "barnet-council",
                    [],
                    "neil-gardner",
                    datetime.date(2011, 12, 1),
                    "open",
                    "",
                ),
            ],
        },
    },
    {
        "board": "one-barnet-partnership-board",
        "starts": datetime.datetime(2011, 9, 21, 10, 0),
        "status": "held",
        "venue": "Committee Room 1, Hendon Town Hall, The Burroughs, London NW4 4BG",
        "agenda_days_before": 3,
        "lateness_reason": "The NSCSO procurement timetable was confirmed only after the agenda deadline.",
        "items": [
            (
                "1",
                "Apologies for absence and declarations of interest",
                "",
                "barnet-council",
                "priya-raman",
                False,
                ["governance"],
                None,
            ),
            (
                "2",
                "Customer services: strategic partner procurement update",
                "Progress of the procurement of a strategic partner for back office and customer services, and partners' interest in joining.",
                "barnet-council",
                "neil-gardner",
                False,
                ["customer services", "procurement"],
                None,
            ),
            (
                "3",
                "Big Society Innovation Bank: Ideas Festival report",
                "Report of the Ideas Festival and the projects funded so far.",
                "barnet-council",
                "david-okafor",
                False,
                ["community grants", "big society"],
                None,
            ),
            (
                "4",
                "Health and wellbeing: joint strategic needs assessment",
                "NHS Barnet presents the joint strategic needs assessment and its implications for partners.",
                "nhs-barnet",
                "sarah-whitfield",
                False,
                ["public health"],
                None,
            ),
        ],
        "attendance": [
            ("helen-marsh", "present", "member", None),
            ("sarah-whitfield", "present", "member", None),
            ("david-okafor", "present", "member", None),
            ("margaret-ellis", "present", "member", None),
            ("kwame-mensah", "apologies", "member", None),
            ("james-carter", "present", "member", None),
        ],
        "declarations": [],
        "minutes": None,
    },
    {
        "board": "one-barnet-partnership-board",
        "starts": datetime.datetime(2011, 12, 14, 10, 0),
        "status": "cancelled",
        "venue": "Committee Room 1, Hendon Town Hall, The Burroughs, London NW4 4BG",
        "agenda_days_before": None,
        "items": [],
        "attendance": [],
        "declarations": [],
        "minutes": None,
    },
    {
        "board": "one-barnet-partnership-board",
        "starts": "next",
        "status": "scheduled",
        "venue": "Committee Room 1, Hendon Town Hall, The Burroughs, London NW4 4BG",
        "agenda_days_before": None,
        "items": [
            (
                "1",
                "Apologies for absence and declarations of interest",
                "",
                "barnet-council",
                "priya-raman",
                False,
                ["governance"],
                None,
            ),
            (
                "2",
                "Customer services: performance of the strategic partner",
                "Annual report on the customer services contract.",
                "barnet-council",
                "neil-gardner",
                False,
                ["customer services"],
                None,
            ),
        ],
        "attendance": [],
        "declarations": [],
        "minutes": None,
    },
    {
        "board": "safer-communities-partnership-board",
        "starts": datetime.datetime(2011, 5, 11, 18, 0),
        "status": "held",
        "venue": "Barnet House, 1255 High Road, Whetstone, London N20 0EJ",
        "agenda_days_before": 8,
        "items": [
            (
                "1",
                "Apologies for absence and declarations of interest",
                "",
                "metropolitan-police",
                "aisha-begum",
                False,
                ["governance"],
                None,
            ),
            (
                "2",
                "Anti-social behaviour in town centres",
                "Joint police and council plan for anti-social behaviour in Edgware and Burnt Oak town centres.",
                "metropolitan-police",
                "aisha-begum",
                False,
                ["anti-social behaviour"],
                None,
            ),
            (
                "3",
                "Home fire safety visits for older residents",
                "London Fire Brigade proposes targeting home fire safety visits using council data on older residents living alone.",
                "london-fire-brigade",
                "owen-price",
                False,
                ["fire safety"],
                None,
            ),
            (
                "4",
                "Individual case review",
                "Review of a multi-agency case.",
                "metropolitan-police",
                "aisha-begum",
                True,
                [],
                None,
            ),
        ],
        "attendance": [
            ("james-carter", "present", "member", None),
            ("david-okafor", "present", "member", None),
            ("owen-price", "present", "member", None),
            ("lucy-fernandes", "apologies", "member", None),
            ("aisha-begum", "present", "member", None),
        ],
        "declarations": [],
        "minutes": None,
    },
    {
        "board": "safer-communities-partnership-board",
        "starts": datetime.datetime(2011, 7, 13, 18, 0),
        "status": "scheduled",
        "venue": "Barnet House, 1255 High Road, Whetstone, London N20 0EJ",
        "agenda_days_before": None,
        "items": [],
        "attendance": [],
        "declarations": [],
        "minutes": None,
    },
]

EXEMPTION_PARAGRAPHS = {"3": 3, "4": 1}

DEMO_USERS = [
    # username, password, groups (by name or organisation slug), person slug
    ("secretariat", "Demo-Secretariat-2011", [SECRETARIAT], "priya-raman"),
    ("chair", "Demo-Chair-2011", [CHAIRS, "org:barnet-council"], "helen-marsh"),
    ("barnet-council", "Demo-Barnet-2011", ["org:barnet-council"], None),
    ("nhs-barnet", "Demo-NHS-2011", ["org:nhs-barnet"], None),
    ("middlesex-university", "Demo-Middlesex-2011", ["org:middlesex-university"], None),
    ("jobcentre-plus", "Demo-Jobcentre-2011", ["org:jobcentre-plus"], None),
    ("metropolitan-police", "Demo-Police-2011", ["org:metropolitan-police"], None),
]


def _aware(naive):
    return timezone.make_aware(naive, LONDON)


class DemoLoader:
    """Builds the demo records; every step is get-or-create."""

    def __init__(self, stdout=None):
        self.stdout = stdout
        self.orgs = {}
        self.people = {}
        self.boards = {}

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def load(self, with_users=False):
        ensure_role_groups()
        home = self._home()
        index = self._board_index(home)
        self._organisations()
        self._people()
        for spec in (OBPB, SCPB):
            self.boards[spec["slug"]] = self._board(index, spec)
        for spec in MEETINGS:
            self._meeting(spec)
        users = self._users() if with_users else []
        return users

    def _home(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site and isinstance(site.root_page.specific, HomePage):
            home = site.root_page.specific
        else:
            home = HomePage.objects.first()
            if home is None:
                root = Page.get_first_root_node()
                home = root.add_child(instance=HomePage(title="One Barnet partnership records", slug="home"))
            if site is None:
                Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.save()
        if not home.intro:
            home.intro = (
                "<p>Agendas, minutes and actions of the partnership boards where Barnet's public services "
                "sit at one table.</p>"
            )
            home.save_revision().publish()
        return home

    def _board_index(self, home):
        index = BoardIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(
                instance=BoardIndexPage(
                    title="Boards",
                    slug="boards",
                    intro="<p>Every partnership board, its remit and its partner organisations.</p>",
                )
            )
            index.save_revision().publish()
        return index

    def _organisations(self):
        for slug, name, short, kind, website in ORGANISATIONS:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None:
                org = Organisation(slug=slug, name=name, short_name=short, kind=kind, website=website)
                org.save()
            self.orgs[slug] = org

    def _people(self):
        for slug, name, title, employer in PEOPLE:
            person, _ = Person.objects.get_or_create(
                slug=slug, defaults={"name": name, "job_title": title, "organisation": self.orgs[employer]}
            )
            self.people[slug] = person

    def _board(self, index, spec):
        board = BoardPage.objects.filter(slug=spec["slug"]).first()
        if board is not None:
            return board
        board = BoardPage(
            title=spec["title"],
            slug=spec["slug"],
            code=spec["code"],
            remit=spec["remit"],
            meeting_frequency=spec["frequency"],
        )
        board.partners = [
            BoardPartner(organisation=self.orgs[org], joined_on=joined) for org, joined in spec["partners"]
        ]
        board.memberships = [
            Membership(
                person=self.people[person],
                on_behalf_of=self.orgs[org],
                role=role,
                start=datetime.date(2010, 4, 1),
            )
            for person, org, role in spec["members"]
        ]
        index.add_child(instance=board)
        board.save_revision().publish()
        self.say(f"Created board {board.title}")
        return board

    def _paper(self, title, body):
        Document = get_document_model()
        doc = Document.objects.filter(title=title).first()
        if doc is None:
            doc = Document(title=title)
            filename = title.lower().replace(" ", "-").replace("—", "").replace(":", "") + ".txt"
            doc.file.save(filename, ContentFile(body.encode("utf-8")), save=False)
            doc.save()
        return doc

    def _meeting(self, spec):
        board = self.boards[spec["board"]]
        if spec["starts"] == "next":
            today = timezone.localdate()
            # A weekday about three months ahead, so the demo always has an upcoming meeting.
            day = today + datetime.timedelta(days=90)
            while day.weekday() != 2:
                day += datetime.timedelta(days=1)
            starts = datetime.datetime.combine(day, datetime.time(10, 0))
            if MeetingPage.objects.child_of(board).filter(starts_at__gte=timezone.now()).exists():
                return None
        else:
            starts = spec["starts"]
        starts_at = _aware(starts)
        slug = starts_at.date().isoformat()
        existing = MeetingPage.objects.child_of(board).filter(slug=slug).first()
        if existing is not None:
            return existing
        meeting = MeetingPage(
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            venue=spec["venue"],
            status=spec["status"],
            slug=slug,
            lateness_reason=spec.get("lateness_reason", ""),
        )
        meeting.title = meeting.default_title(board)
        if spec["agenda_days_before"] is not None:
            meeting.agenda_published_at = starts_at - datetime.timedelta(days=spec["agenda_days_before"])
        items = []
        for position, (number, title, summary, lead, presenter, exempt, tags, paper) in enumerate(spec["items"]):
            item = AgendaItem(
                number=number,
                title=title,
                summary=summary,
                lead_organisation=self.orgs[lead],
                presenter=self.people[presenter],
                exempt=exempt,
                exemption_paragraph=EXEMPTION_PARAGRAPHS.get(number) if exempt else None,
                sort_order=position,
            )
            item.tags.add(*tags)
            if paper:
                body = summary if not exempt else "EXEMPT — commercial terms of the procurement. Not for publication."
                item.papers = [self._paper(paper, f"{paper}\n\n{body}\n")]
            items.append(item)
        meeting.agenda_items = items
        meeting.attendances = [
            Attendance(
                person=self.people[person],
                on_behalf_of=self.people[person].organisation,
                status=status,
                capacity=capacity,
                substitute_for=self.people[sub] if sub else None,
                sort_order=position,
            )
            for position, (person, status, capacity, sub) in enumerate(spec["attendance"])
        ]
        meeting.declarations = [
            Declaration(person=self.people[person], item=item, nature=nature)
            for person, item, nature in spec["declarations"]
        ]
        board.add_child(instance=meeting)
        meeting.save_revision().publish()
        self.say(f"Created meeting {meeting.title}")
        if spec["minutes"]:
            self._minutes(board, meeting, spec["minutes"])
        return meeting

    def _minutes(self, board, meeting, spec):
        items = {item.number: item for item in meeting.agenda_items.all()}
        approver = self.people[spec["approved_by"]]
        minutes = MinutesPage(
            title=f"Minutes — {meeting.title}",
            slug="minutes",
            approved_on=spec["approved_on"],
            approved_by=approver.name,
        )
        minutes.entries = [
            MinuteEntry(
                agenda_item=items[number],
                discussion=discussion,
                resolution=resolution,
                public_summary=summary,
                sort_order=position,
            )
            for position, (number, (discussion, resolution, summary)) in enumerate(spec["entries"].items())
        ]
        meeting.add_child(instance=minutes)
        # Demo minutes record an approval given before the system: sealed as a trusted import would.
        stamp_approval(minutes, spec["approved_on"], approver.name)
        minutes.save_revision().publish()
        local = timezone.localtime(meeting.starts_at)
        for number, description, owner, shared, person, due, status, note in spec["actions"]:
            self._action(board, meeting, items[number], local, description, owner, shared, person, due, status, note)

    def _action(self, board, meeting, item, local, description, owner, shared, person, due, status, note):
        sequence, _ = ActionReferenceSequence.objects.select_for_update().get_or_create(
            board=board, year=local.year, month=local.month
        )
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        action = Action.objects.create(
            reference=f"{board.code}/{local.year}/{local.month:02d}/{sequence.last_number}",
            board=board,
            meeting=meeting,
            agenda_item=item,
            description=description,
            owner=self.orgs[owner],
            owner_person=self.people[person],
            due_on=due,
            status=status,
            created_at=meeting.ends_at,
        )
        action.shared_with.set([self.orgs[s] for s in shared])
        if status != "open" or note:
            ActionUpdate.objects.create(
                action=action,
                author_name=self.people[person].name,
                created_at=_aware(datetime.datetime.combine(min(due, datetime.date(2011, 12, 1)), datetime.time(9))),
                note=note,
                new_status=status,
            )

    def _users(self):
        created = []
        for username, password, groups, person_slug in DEMO_USERS:
            user, made = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org", "is_staff": True}
            )
            if made:
                user.set_password(password)
                user.save()
            for name in groups:
                if name.startswith("org:"):
                    group = self.orgs[name[4:]].group
                else:
                    group = Group.objects.get(name=name)
                user.groups.add(group)
            if person_slug:
                person = self.people[person_slug]
                if person.user_id is None:
                    person.user = user
                    person.save(update_fields=["user"])
            created.append((username, password if made else "(unchanged)", ", ".join(groups)))
        return created
