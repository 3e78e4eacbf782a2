"""The secretariat, typing minutes, closes an action carried forward from an earlier meeting with one click: the
action is closed in place, and what was typed into the minutes is still there, unsaved, and can then be saved."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.e2e.helpers import E2E_DB, screenshot_both_widths
from tests.e2e.test_secretariat_journey import action_menu, log_in

pytestmark = [pytest.mark.e2e, E2E_DB]

TYPED = "The board noted the update on discharge delays; typed, not yet saved."


def minutes_with_carried_forward_actions():
    """Demo minutes whose meeting carries open actions forward from earlier meetings of its board."""
    from django.contrib.auth import get_user_model

    from boards.actions.queries import carried_forward_actions
    from boards.models import MinuteEntry, MinutesPage

    secretariat = get_user_model().objects.get(username="secretariat")
    for minutes in MinutesPage.objects.order_by("-path"):
        meeting = minutes.get_parent().specific
        carried = carried_forward_actions(meeting, secretariat)
        if carried and MinuteEntry.objects.filter(page=minutes).exists():
            return minutes, meeting, carried
    raise AssertionError("no demo minutes carry actions forward from an earlier meeting")


def test_closing_a_carried_forward_action_keeps_the_minutes_being_typed(demo, page):
    from boards.models import Action, ActionUpdate, MinutesPage

    minutes, meeting, carried = minutes_with_carried_forward_actions()
    action, other = carried[0], (carried[1] if len(carried) > 1 else None)
    revisions_before = minutes.revisions.count()
    editor = f"{demo.url}/admin/pages/{minutes.pk}/edit/"

    log_in(page, demo.url, "secretariat", "Demo-Secretariat-2011")
    page.goto(editor)
    field = page.locator("#id_entries-0-resolution")
    field.fill(TYPED)
    # A marker on the window: it survives only if the page is never reloaded or left.
    page.evaluate("() => { window.__stillHere = true; }")

    row = page.locator(f'tr[data-boards-action-row="{action.pk}"]')
    row.get_by_role("button", name=f"Close {action.reference}", exact=True).click()

    expect(row.locator("[data-boards-action-status]")).to_have_text("Done")
    expect(row).to_contain_text("Closed")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text=f"Action {action.reference} closed.")).to_be_visible()
    # The minutes form was neither submitted nor left: same page, same typed text.
    assert page.evaluate("() => window.__stillHere === true")
    assert page.url == editor
    expect(field).to_have_value(TYPED)
    if other is not None:  # the other carried-forward actions are untouched and still offer their own button
        other_row = page.locator(f'tr[data-boards-action-row="{other.pk}"]')
        expect(other_row.get_by_role("button", name=f"Close {other.reference}", exact=True)).to_be_enabled()
    screenshot_both_widths(page, "close-carried-forward", show=row)

    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    update = ActionUpdate.objects.get(action=action, new_status=Action.Status.DONE)
    assert update.author.username == "secretariat"
    assert update.note == f"Closed at the meeting of {date_format(timezone.localtime(meeting.starts_at), 'j F Y')}."
    if other is not None:
        other.refresh_from_db()
        assert other.status in ("open", "in_progress")
    assert MinutesPage.objects.get(pk=minutes.pk).revisions.count() == revisions_before

    # What was typed is still the form's: saving the draft now keeps it.
    action_menu(page, "Save draft")
    expect(page.locator(".messages")).to_contain_text("has been updated")
    draft = MinutesPage.objects.get(pk=minutes.pk).get_latest_revision_as_object()
    assert draft.entries.all()[0].resolution == TYPED
