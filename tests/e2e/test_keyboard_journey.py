"""Journey 5, keyboard only: the resident journey with Tab, Shift+Tab and Enter alone, focus always visible.

No mouse clicks: every move is a key press, and every focus stop is checked for a visible indicator.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    E2E_DB,
    check_pdf,
    focus_facts,
    follow_file_link,
    resident_targets,
    screenshot_both_widths,
    tab_to,
    text_is,
)

pytestmark = [pytest.mark.e2e, E2E_DB]


def press_enter_on(page, matches):
    tab_to(page, matches)
    page.keyboard.press("Enter")


def test_resident_journey_with_the_keyboard_alone(demo, page):
    t = resident_targets()
    board, meeting, minutes, item = t["board"], t["meeting"], t["minutes"], t["item"]
    page.goto(demo.url + "/")

    # The first Tab reaches the skip link, shown on focus; Enter moves focus to the main content.
    page.keyboard.press("Tab")
    skip = focus_facts(page)
    assert skip["text"] == "Skip to main content" and skip["inView"] and (skip["outline"] or skip["shadow"])
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    # From the main content, on to the board, then the meeting.
    press_enter_on(page, text_is(f"^{re.escape(board.title)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(board.title)
    press_enter_on(page, text_is(re.escape(t["meeting_date"])))
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)

    # A paper, opened with Enter.
    paper = tab_to(page, text_is(rf"^Download .* for item {re.escape(t['paper_item'].number)}$"))
    body = follow_file_link(page, page.locator(f'a[href="{paper["href"]}"]').first, press="Enter")
    assert len(body) > 0

    # The minutes and their PDF.
    press_enter_on(page, text_is("^Read the minutes of this meeting$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(minutes.title)
    pdf = tab_to(page, text_is(r"^Download the minutes of .*\(PDF\)$"))
    check_pdf(follow_file_link(page, page.locator(f'a[href="{pdf["href"]}"]').first, press="Enter"))

    # Back to the meeting through the breadcrumbs.
    press_enter_on(page, text_is(f"^{re.escape(t['meeting_date'])}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)

    # Search: Tab to the search box, type, Enter; Tab to the result, Enter; land on the exact minute.
    tab_to(page, lambda f: f["tag"] == "input" and f["id"] == "site-search-q")
    page.keyboard.type(t["word"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the record")
    target = f"{minutes.url}#{item.anchor}"
    press_enter_on(page, lambda f: f["href"] == target)
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.locator(f"#{item.anchor}")).to_be_in_viewport()
    screenshot_both_widths(page, "keyboard-final")
