"""Helpers for the minutes tests: a held meeting with public and exempt business, its chair, its minutes.

Not a test module; imported by tests/boards/test_minutes_*.py, test_pdf*.py, test_feeds*.py, test_sitemap.py.
"""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from boards.minutes.drafting import draft_minutes
from boards.models import Membership, MinutesPage
from tests import factories

PUBLIC_DISCUSSION = "The board discussed the library opening hours and the £40,000 budget."
PUBLIC_RESOLUTION = "Agreed to extend Saturday opening at Hendon library."
EXEMPT_DISCUSSION = "Confidential tender Zanzibarquux negotiations with Grimsditch Holdings stalled."
EXEMPT_RESOLUTION = "Authorised the Xylophonic settlement figure."
EXEMPT_SUMMARY = "The board considered a commercial contract and agreed a way forward."


def make_chair(board, username="chair", role=Membership.Role.CHAIR):
    """A user linked to a Person who is the board's current chair (or vice-chair), in the Chairs group."""
    user = factories.UserFactory(username=username, is_staff=True, groups=["Chairs"])
    person = factories.PersonFactory(name=f"Councillor {username.title()}", user=user)
    factories.MembershipFactory(board=board, person=person, role=role, start=datetime.date(2010, 1, 1))
    return user


def held_meeting(board, when=None, items=None):
    """A held, published meeting on 29 June 2011 with a public item, an exempt item, attendance and a declaration."""
    when = when or timezone.make_aware(datetime.datetime(2011, 6, 29, 18, 30))
    meeting = factories.MeetingPageFactory(board=board, starts_at=when, held=True, agenda_published=True)
    public = factories.AgendaItemFactory(meeting=meeting, number="1", title="Library opening hours", sort_order=1)
    exempt = factories.AgendaItemFactory(
        meeting=meeting, number="2", title="Contract for leisure services", sort_order=2, exempt_item=True
    )
    for n in range(3, (items or 2) + 1):
        factories.AgendaItemFactory(meeting=meeting, number=str(n), title=f"Item {n}", sort_order=n)
    factories.AttendanceFactory(meeting=meeting, person=factories.PersonFactory(name="Ann Present"))
    factories.AttendanceFactory(
        meeting=meeting, person=factories.PersonFactory(name="Bob Apologetic"), status="apologies"
    )
    factories.DeclarationFactory(meeting=meeting, person=factories.PersonFactory(name="Dee Clarer"), item="2")
    meeting.save_revision().publish()
    return meeting, public, exempt


def write_minutes(meeting, user=None):
    """Draft the minutes and write the discussion and resolution of the public and exempt items."""
    page = draft_minutes(meeting, user=user)
    draft = page.get_latest_revision_as_object()
    for entry in draft.entries.all():
        if entry.agenda_item.exempt:
            entry.discussion = f"<p>{EXEMPT_DISCUSSION}</p>"
            entry.resolution = EXEMPT_RESOLUTION
            entry.public_summary = EXEMPT_SUMMARY
        elif entry.agenda_item.number == "1":
            entry.discussion = f"<p>{PUBLIC_DISCUSSION}</p>"
            entry.resolution = PUBLIC_RESOLUTION
        else:
            entry.resolution = f"Noted item {entry.agenda_item.number}."
    draft.save_revision(user=user)
    return MinutesPage.objects.get(pk=page.pk)


def submit(page, user):
    """The secretariat submits the minutes to the "Minutes approval" workflow; returns the task state."""
    page = MinutesPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, user)
    page = MinutesPage.objects.get(pk=page.pk)
    return page.current_workflow_task_state


def approve(page, chair, secretary):
    """Submit and approve as the chair (the task's own on_action, as the admin's workflow view calls it)."""
    state = submit(page, secretary)
    state.task.specific.on_action(state, chair, "approve")
    return MinutesPage.objects.get(pk=page.pk)


def published_minutes(board, secretary=None, chair=None):
    """A held meeting with minutes approved by the chair and so published; returns (page, meeting, public, exempt)."""
    secretary = secretary or factories.UserFactory(username="secretary", secretariat=True)
    chair = chair or make_chair(board)
    meeting, public, exempt = held_meeting(board)
    page = write_minutes(meeting, secretary)
    page = approve(page, chair, secretary)
    assert page.live
    return page, meeting, public, exempt


def ensure_chairs_group():
    return Group.objects.get_or_create(name="Chairs")[0]


def edit_entry(draft, number, **fields):
    """Change the minute of agenda item `number` on an in-memory page (kept as its child list, as the form does)."""
    entries = list(draft.entries.all())
    for entry in entries:
        if entry.agenda_item.number == number:
            for name, value in fields.items():
                setattr(entry, name, value)
    draft.entries = entries
    return draft
