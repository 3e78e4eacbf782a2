"""Helpers for the action and permission tests: a board with partners, minuted meetings, actions and users.

Not a test module; imported by tests/boards/conftest.py (the `world` fixture), test_actions_*.py and
test_permission_matrix.py.
"""

import datetime
from dataclasses import dataclass, fields

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from boards.models import Action, Membership, MinutesPage
from tests import factories

PUBLIC_ACTION = "Publish the library opening hours consultation."
EXEMPT_ACTION = "Negotiate the Grimsditch leisure contract settlement."
NHS_ACTION = "Report GP registration figures for new residents."
OTHER_BOARD_ACTION = "Fire safety visits in Colindale."
EXEMPT_SUMMARY = "Tender figures from Grimsditch Holdings and the settlement range."


def admin_list_url():
    return "/admin/snippets/boards/action/"


def edit_url(action):
    return f"/admin/snippets/boards/action/edit/{action.pk}/"


def delete_url(action):
    return f"/admin/snippets/boards/action/delete/{action.pk}/"


def history_url(action):
    return f"/admin/snippets/boards/action/history/{action.pk}/"


def usage_url(action):
    return f"/admin/snippets/boards/action/usage/{action.pk}/"


def status_url(action):
    return f"/admin/boards/actions/{action.pk}/status/"


def close_url(action):
    return f"/admin/boards/actions/{action.pk}/close/"


def make_paper(title="Leisure contract tender report"):
    document_model = get_document_model()
    return document_model.objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 confidential tender figures", name="tender.pdf")
    )


def publish_minutes(meeting, approved_on=datetime.date(2011, 7, 20)):
    """Live, approved minutes under a meeting (created directly: the workflow is tested elsewhere)."""
    return factories.MinutesPageFactory(
        parent=meeting, title="Minutes", slug="minutes", approved_on=approved_on, approved_by="Cllr Chair", live=True
    )


@dataclass
class World:
    board: object
    other_board: object
    council: object
    nhs: object
    fire: object
    meeting: object
    public_item: object
    exempt_item: object
    paper: object
    minutes: object
    next_meeting: object
    council_action: object
    exempt_action: object
    nhs_action: object
    other_action: object
    secretary: object
    council_user: object
    nhs_user: object
    outsider: object
    chair: object


def build_world():
    """OBPB (council + NHS partners) with a held, minuted meeting and the next one; a second board with Fire."""
    board = factories.BoardPageFactory(title="One Barnet Partnership Board", slug="obpb", code="OBPB")
    other_board = factories.BoardPageFactory(title="Safer Communities Board", slug="safer", code="SCB")
    council = factories.OrganisationFactory(name="London Borough of Barnet", short_name="Barnet Council")
    nhs = factories.OrganisationFactory(name="NHS Barnet", short_name="NHS Barnet", kind="health")
    fire = factories.OrganisationFactory(name="London Fire Brigade", short_name="LFB", kind="other")
    factories.BoardPartnerFactory(board=board, organisation=council)
    factories.BoardPartnerFactory(board=board, organisation=nhs)
    factories.BoardPartnerFactory(board=other_board, organisation=fire)

    when = timezone.make_aware(datetime.datetime(2011, 6, 29, 18, 30))
    meeting = factories.MeetingPageFactory(board=board, starts_at=when, held=True, agenda_published=True)
    public_item = factories.AgendaItemFactory(meeting=meeting, number="1", title="Library opening hours")
    exempt_item = factories.AgendaItemFactory(
        meeting=meeting,
        number="2",
        title="Contract for leisure services",
        exempt=True,
        exemption_paragraph=3,
        summary=EXEMPT_SUMMARY,
    )
    paper = make_paper()
    exempt_item.papers.add(paper)
    exempt_item.save()
    minutes = publish_minutes(meeting)
    next_meeting = factories.MeetingPageFactory(
        board=board, starts_at=when + datetime.timedelta(days=91), agenda_published=True
    )
    other_meeting = factories.MeetingPageFactory(board=other_board, starts_at=when, held=True, agenda_published=True)
    publish_minutes(other_meeting)

    council_action = Action.objects.create(
        board=board,
        meeting=meeting,
        agenda_item=public_item,
        description=PUBLIC_ACTION,
        owner=council,
        due_on=datetime.date(2011, 9, 1),
    )
    exempt_action = Action.objects.create(
        board=board,
        meeting=meeting,
        agenda_item=exempt_item,
        description=EXEMPT_ACTION,
        owner=council,
        due_on=datetime.date(2011, 9, 1),
    )
    nhs_action = Action.objects.create(
        board=board,
        meeting=meeting,
        agenda_item=public_item,
        description=NHS_ACTION,
        owner=nhs,
        due_on=datetime.date(2011, 10, 1),
    )
    other_action = Action.objects.create(
        board=other_board,
        meeting=other_meeting,
        description=OTHER_BOARD_ACTION,
        owner=fire,
        due_on=datetime.date(2011, 10, 1),
    )

    secretary = factories.UserFactory(username="secretary", secretariat=True)
    council_user = factories.UserFactory(username="council-officer", is_staff=True, groups=[council.group])
    nhs_user = factories.UserFactory(username="nhs-officer", is_staff=True, groups=[nhs.group])
    outsider = factories.UserFactory(username="fire-officer", is_staff=True, groups=[fire.group])
    chair = factories.UserFactory(username="chair", is_staff=True, groups=["Chairs"])
    person = factories.PersonFactory(name="Councillor Chair", organisation=council, user=chair)
    factories.MembershipFactory(board=board, person=person, on_behalf_of=council, role=Membership.Role.CHAIR)
    return World(
        board=board,
        other_board=other_board,
        council=council,
        nhs=nhs,
        fire=fire,
        meeting=meeting,
        public_item=public_item,
        exempt_item=exempt_item,
        paper=paper,
        minutes=MinutesPage.objects.get(pk=minutes.pk),
        next_meeting=next_meeting,
        council_action=council_action,
        exempt_action=exempt_action,
        nhs_action=nhs_action,
        other_action=other_action,
        secretary=secretary,
        council_user=council_user,
        nhs_user=nhs_user,
        outsider=outsider,
        chair=chair,
    )


def login(client, user):
    client.force_login(user)
    return client


def fresh(user):
    """The same user freshly loaded: permission answers are cached on the user object (per request)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk) if user.is_authenticated else user


def reload_world(world):
    """A World of fresh instances of the same rows (each test starts from the database, not from memory)."""
    values = {}
    for f in fields(world):
        obj = getattr(world, f.name)
        values[f.name] = type(obj)._default_manager.get(pk=world._pks[f.name])
    fresh = World(**values)
    fresh._pks = world._pks
    return fresh


def world_for_module(django_db_blocker):
    """Build the world once per test module, inside a transaction rolled back at the end of the module.

    Used by the module-scoped fixture in tests/boards/conftest.py. Each test still runs in its own savepoint
    (pytest-django's `db`), so what a test changes is undone after it; building takes seconds (page tree, search
    indexing).
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            world._pks = {f.name: getattr(world, f.name).pk for f in fields(world)}
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
