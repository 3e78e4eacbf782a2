"""Journey 1, a resident on a phone: home → board → meeting → paper → minutes → PDF → back; search; subscribe.

Every step asserts what the resident sees; the final screen is saved at 320px and 1280px.
"""

import re

import feedparser
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import E2E_DB, check_pdf, follow_file_link, resident_targets, screenshot_both_widths

pytestmark = [pytest.mark.e2e, E2E_DB]


def test_resident_finds_reads_downloads_searches_and_subscribes(demo, page):
    t = resident_targets()
    board, meeting, minutes, item = t["board"], t["meeting"], t["minutes"], t["item"]
    page.set_viewport_size({"width": 320, "height": 800})

    # The one inline script runs under the CSP (allowed by its hash, not a nonce): rendered, then from the page cache.
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else 0)
    for _ in range(2):
        page.goto(demo.url + "/")
        expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b.*\bgovuk-frontend-supported\b"))
    assert refused == []
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name=board.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(board.title)

    page.get_by_role("link", name=re.compile(re.escape(t["meeting_date"]))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()

    # A paper of a public agenda item downloads, and is not empty.
    paper_link = page.locator(f"#{t['paper_item'].anchor}").get_by_role("link", name=re.compile(r"^Download "))
    expect(paper_link.first).to_contain_text(f"for item {t['paper_item'].number}")
    assert len(follow_file_link(page, paper_link.first)) > 0
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)

    # The minutes, then their PDF: the HTML version is offered beside the PDF.
    page.get_by_role("link", name="Read the minutes of this meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(minutes.title)
    expect(page.locator(f"#{item.anchor}")).to_contain_text(t["entry"].resolution)
    pdf_link = page.get_by_role("link", name=re.compile(r"Download .*minutes.*PDF", re.I)).first
    text = check_pdf(follow_file_link(page, pdf_link))
    assert item.title.split()[0] in text

    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(meeting.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)

    # Search for a word of a resolution and land on that exact minute.
    search_box = page.get_by_role("search").first.get_by_role("searchbox")
    search_box.fill(t["word"])
    search_box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the record")
    target = f"{minutes.url}#{item.anchor}"
    result = page.locator(f'.search-results a[href="{target}"]')
    expect(result).to_have_count(1)
    result.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    landed = page.locator(f"#{item.anchor}")
    expect(landed).to_be_in_viewport()
    expect(landed).to_contain_text(t["word"], ignore_case=True)
    screenshot_both_widths(page, "resident-search-landing")

    # Subscribe: the board's link gives a feed of its published minutes.
    page.get_by_role("link", name=board.title).first.click()
    subscribe = page.get_by_role("link", name=re.compile(r"Subscribe to the minutes .*\(RSS feed\)"))
    expect(subscribe).to_be_visible()
    feed_url = subscribe.get_attribute("href")
    response = page.request.get(demo.url + feed_url)
    assert response.ok and "xml" in response.headers["content-type"]
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert board.title in feed.feed.title
    assert any(entry.link.endswith(minutes.url) for entry in feed.entries), [e.link for e in feed.entries]
    screenshot_both_widths(page, "resident-final", show=subscribe)
