"""Journey 3, the chair: logs in, approves the minutes the secretariat submitted; the resident then sees them,
and of the exempt item only its title and Schedule 12A paragraph."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from boards.minutes.drafting import draft_minutes
from boards.models import AgendaItem, MeetingPage, Membership, MinutesPage
from tests.e2e.helpers import E2E_DB, screenshot_both_widths

pytestmark = [pytest.mark.e2e, E2E_DB]

SECRET = "Quillfeather tender figures"


def submitted_minutes():
    """The held meeting of the demo chair's board that has no minutes yet, given an exempt item, minuted and
    submitted for approval by the secretariat."""
    secretary = User.objects.get(username="secretariat")
    chaired = Membership.objects.filter(person__user__username="chair", role=Membership.Role.CHAIR)
    meeting = next(
        m
        for m in MeetingPage.objects.live()
        .filter(status=MeetingPage.Status.HELD, path__startswith=chaired.first().board.path)
        .order_by("starts_at")
        if not MinutesPage.objects.child_of(m).exists()
    )
    AgendaItem.objects.create(
        meeting=meeting,
        number="9",
        title="Leisure contract: commercial terms",
        exempt=True,
        exemption_paragraph=3,
        summary=SECRET,
        sort_order=99,
    )
    page = draft_minutes(meeting, user=secretary)
    draft = page.get_latest_revision_as_object()
    entries = list(draft.entries.all())
    for entry in entries:
        if entry.agenda_item.exempt:
            entry.discussion = f"<p>{SECRET} were discussed.</p>"
            entry.resolution = f"Agreed the {SECRET}."
            entry.public_summary = "The board considered the commercial terms of a contract."
        else:
            entry.resolution = f"The board noted item {entry.agenda_item.number}."
    draft.entries = entries
    draft.save_revision(user=secretary)
    page = MinutesPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, secretary)
    return MinutesPage.objects.get(pk=page.pk), meeting


def test_chair_approves_and_the_resident_sees_the_public_record(demo, page, browser):
    minutes, meeting = submitted_minutes()
    assert not minutes.live

    page.goto(f"{demo.url}/admin/login/")
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill("Demo-Chair-2011")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Awaiting your review")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(minutes.title)
    page.get_by_role("link", name=minutes.title).first.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{minutes.pk}/edit/$"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    # The chair lands on the minutes they have just published, not on an admin screen they may not open.
    expect(page).to_have_url(f"{demo.url}{MinutesPage.objects.get(pk=minutes.pk).url}")
    expect(page.get_by_text("you do not have permission")).to_have_count(0)

    minutes = MinutesPage.objects.get(pk=minutes.pk)
    assert minutes.live and minutes.approved_on == datetime.date.today()

    # A resident, not logged in, reads the minutes.
    resident = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    public = resident.new_page()
    public.goto(f"{demo.url}{meeting.url}")
    public.get_by_role("link", name="Read the minutes of this meeting").click()
    expect(public.get_by_role("heading", level=1)).to_have_text(minutes.title)
    exempt = public.locator("#item-9")
    expect(exempt).to_contain_text("Leisure contract: commercial terms")
    expect(exempt).to_contain_text("Exempt information — Schedule 12A paragraph 3")
    expect(exempt).to_contain_text("The board considered the commercial terms of a contract.")
    expect(public.get_by_role("main")).not_to_contain_text(SECRET)
    expect(public.locator("#item-1")).to_contain_text("The board noted item 1.")
    screenshot_both_widths(public, "chair-approved-resident-view", show=exempt)
    resident.close()
