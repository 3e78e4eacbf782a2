"""Journey 2, the secretariat: log in, create a meeting with three agenda items (one exempt) and attendance,
publish the agenda, draft minutes from it, add an action, submit the minutes for approval."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import E2E_DB, screenshot_both_widths

pytestmark = [pytest.mark.e2e, E2E_DB]

RESOLUTION = "The board agreed the winter pressures plan."
ACTION = "Report on discharge delays to the next meeting."
ITEMS = [
    ("1", "Apologies and declarations of interest", False),
    ("2", "Adult social care: winter pressures plan", False),
    ("3", "Care home contract: commercial terms", True),
]


def log_in(page, base, username, password):
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def choose_snippet(page, chooser_id, name):
    """Pick a snippet (a person, an organisation) in Wagtail's chooser modal."""
    page.locator(f"#{chooser_id}-chooser").get_by_role("button").first.click()
    modal = page.locator(".modal-content")
    modal.get_by_role("link", name=name, exact=True).first.click()
    expect(page.locator(f"#{chooser_id}-title")).to_have_text(name)


def action_menu(page, name):
    """Press a button of the editor's action menu, opening its "More actions" list when the button is in it."""
    footer = page.locator("footer")
    button = footer.get_by_role("button", name=name, exact=True).or_(footer.get_by_role("link", name=name, exact=True))
    if not button.is_visible():
        page.get_by_role("button", name="More actions").click()
    button.click()


def run_secretariat_journey(page, base, board_pk, person_name, owner_name):
    """The journey itself; returns the new meeting's admin page id."""
    log_in(page, base, "secretariat", "Demo-Secretariat-2011")
    starts = timezone.localtime() + datetime.timedelta(days=28)
    starts = starts.replace(hour=10, minute=0, second=0, microsecond=0)

    page.goto(f"{base}/admin/pages/add/boards/meetingpage/{board_pk}/")
    # The admin's date-time fields take the en-GB form the editors read.
    for label, when in (("Starts at", starts), ("Ends at", starts + datetime.timedelta(hours=2))):
        field = page.get_by_label(label)
        field.fill(when.strftime("%d/%m/%Y %H:%M"))
        field.press("Tab")
    page.get_by_label("Venue").fill("Committee Room 2, Hendon Town Hall")
    for n, (number, title, exempt) in enumerate(ITEMS):
        page.get_by_role("button", name="Add Agenda item").click()
        page.locator(f"#id_agenda_items-{n}-number").fill(number)
        page.locator(f"#id_agenda_items-{n}-title").fill(title)
        if exempt:
            page.locator(f"#id_agenda_items-{n}-exempt").check()
            page.locator(f"#id_agenda_items-{n}-exemption_paragraph").select_option("3")
    page.get_by_role("button", name="Add Attendee").click()
    choose_snippet(page, "id_attendances-0-person", person_name)
    action_menu(page, "Publish")
    expect(page.locator(".messages")).to_contain_text("published")
    from boards.models import MeetingPage

    meeting = MeetingPage.objects.filter(starts_at=starts).latest("pk")
    edit_url = f"{base}/admin/pages/{meeting.pk}/edit/"

    # Publish the agenda (five clear working days ahead: not late).
    page.goto(edit_url)
    action_menu(page, "Publish agenda")
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"Agenda of .* published"))

    # The meeting is held: its status changes, then minutes are drafted from the agenda.
    page.goto(edit_url)
    page.locator("#id_status").select_option("held")
    action_menu(page, "Publish")
    expect(page.locator(".messages")).to_contain_text("published")
    page.goto(edit_url)
    action_menu(page, "Draft minutes")
    page.get_by_role("button", name="Draft minutes").click()
    expect(page.locator(".messages")).to_contain_text("Draft minutes created with 3 entries.")

    # The minutes editor: write a resolution, save the draft.
    page.locator("#id_entries-1-resolution").fill(RESOLUTION)
    action_menu(page, "Save draft")
    expect(page.locator(".messages")).to_contain_text("has been updated")
    minutes_url = page.url

    # Add an action on item 2 from the minutes' Actions panel (it opens beside the minutes).
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Item 2", exact=True).click()
    action_page = new_tab.value
    action_page.locator("#id_description").fill(ACTION)
    choose_snippet(action_page, "id_owner", owner_name)
    due = action_page.locator("#id_due_on")
    due.fill((starts + datetime.timedelta(days=60)).strftime("%d/%m/%Y"))
    due.press("Tab")
    action_page.locator("footer").get_by_role("button", name="Save").click()
    expect(action_page.locator(".messages")).to_contain_text("created")
    action_page.close()

    # Back in the minutes: the action is listed; submit the minutes for the chair's approval.
    page.goto(minutes_url)
    expect(page.get_by_role("main")).to_contain_text(ACTION)
    action_menu(page, "Submit to Minutes approval")
    expect(page.locator(".messages")).to_contain_text("submitted")
    return meeting


def test_secretariat_creates_meeting_publishes_agenda_drafts_minutes_adds_action_submits(demo, page):
    from boards.models import Action, BoardPage, MinutesPage, Organisation, Person

    board = BoardPage.objects.get(code="OBPB")
    person = Person.objects.filter(memberships__board=board).order_by("name").first()
    owner = Organisation.objects.get(slug="nhs-barnet")
    meeting = run_secretariat_journey(page, demo.url, board.pk, person.name, owner.name)

    meeting.refresh_from_db()
    assert meeting.live and meeting.agenda_published_at is not None and meeting.status == "held"
    items = list(meeting.agenda_items.order_by("sort_order"))
    assert [(i.number, i.title, i.exempt) for i in items] == ITEMS
    assert items[2].exemption_paragraph == 3
    assert meeting.attendances.get().person == person
    minutes = MinutesPage.objects.child_of(meeting).get()
    assert not minutes.live and minutes.approved_on is None
    assert minutes.current_workflow_state.status == "in_progress"
    draft = minutes.get_latest_revision_as_object()
    assert [e.resolution for e in draft.entries.all()][1] == RESOLUTION
    action = Action.objects.get(description=ACTION)
    assert action.meeting_id == meeting.pk and action.agenda_item_id == items[1].pk and action.owner == owner
    assert action.reference.startswith("OBPB/")
    screenshot_both_widths(page, "secretariat-final")
