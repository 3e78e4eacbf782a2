"""Journey 4, partner agency staff: log in, see "Our actions", change one action's status with an update note;
another agency's action is neither offered nor reachable by its URL (403/404)."""

import re

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from boards.models import Action, ActionUpdate, Organisation
from tests.e2e.helpers import E2E_DB, screenshot_both_widths

pytestmark = [pytest.mark.e2e, E2E_DB]

NOTE = "Our estates team has named two sites; a paper goes to the next meeting."


def test_agency_updates_its_own_action_and_cannot_reach_another_agencys(demo, page):
    nhs = Organisation.objects.get(slug="nhs-barnet")
    ours = Action.objects.filter(Q(owner=nhs) | Q(shared_with=nhs)).distinct()
    mine = ours.filter(status=Action.Status.OPEN).order_by("reference").first()
    theirs = Action.objects.exclude(pk__in=ours.values("pk")).order_by("reference").first()
    assert mine is not None and theirs is not None

    page.goto(f"{demo.url}/admin/login/")
    page.get_by_label("Username").fill("nhs-barnet")
    page.get_by_label("Password").fill("Demo-NHS-2011")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.get_by_role("button", name="Boards").click()
    page.get_by_role("link", name="Actions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our actions")
    listing = page.get_by_role("main")
    for action in ours:
        expect(listing).to_contain_text(action.reference)
    expect(listing).not_to_contain_text(theirs.reference)

    page.get_by_role("link", name=mine.reference, exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(mine.description)
    page.get_by_label("Status").select_option(Action.Status.IN_PROGRESS)
    page.get_by_label("Update note").fill(NOTE)
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text(f"Action {mine.reference} updated.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(NOTE)

    mine.refresh_from_db()
    assert mine.status == Action.Status.IN_PROGRESS
    update = ActionUpdate.objects.filter(action=mine).latest("created_at")
    assert update.note == NOTE and update.author.username == "nhs-barnet"
    screenshot_both_widths(page, "agency-final")

    # Another agency's action: not offered, and its URLs answer 403 or 404.
    for path in (f"/admin/boards/actions/{theirs.pk}/status/", f"/admin/snippets/boards/action/edit/{theirs.pk}/"):
        response = page.goto(f"{demo.url}{path}")
        assert response.status in (403, 404), f"{path} answered {response.status} at {page.url}"
        expect(page.locator("body")).not_to_contain_text(theirs.description)
