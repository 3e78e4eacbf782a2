"""Helpers for the real-browser tests: axe-core runs, our own page checks, keyboard focus, screenshots."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"
WIDTHS = (320, 1280)
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Link texts that say nothing out of context (WCAG 2.4.4).
VAGUE_LINK_TEXTS = {"click here", "here", "more", "read more", "download", "link", "this", "details", "view"}

# Every e2e test runs against the live server on a transactional database; serialized_rollback
# restores Wagtail's root page, default Site and seeded groups that the flush removes.
E2E_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def url(live_server, path):
    return f"{live_server.url}{path}"


def screenshot_both_widths(page, name, show=None):
    """Screenshots of what the screen shows now, at 320px and 1280px, into e2e-artifacts/ (git-ignored).

    After each resize the page reflows, so `show` (a locator; by default the URL's #target) is scrolled
    back into view: the screenshot shows what the journey ended on."""
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    paths = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if show is not None:
            show.scroll_into_view_if_needed()
        else:
            page.evaluate(
                "() => { const t = location.hash && document.getElementById(location.hash.slice(1)); "
                "if (t) t.scrollIntoView(); }"
            )
        path = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(path))
        paths.append(path)
    page.set_viewport_size(original)
    return paths


def axe_violations(axe, page):
    """axe-core's WCAG A/AA violations on the page as loaded, as readable lines (empty when clean)."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {len(targets)} node(s): "
            + "; ".join(targets[:5])
        )
        for node in violation["nodes"][:2]:
            lines.append(f"    {node['failureSummary'].splitlines()[-1].strip()} :: {node['html'][:160]}")
    return lines


PAGE_FACTS_JS = """() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const name = (el) => (el.getAttribute('aria-label') || el.innerText || el.textContent || '')
    .replace(/\\s+/g, ' ').trim();
  const links = [...document.querySelectorAll('a[href]')].filter(visible).map((a) => ({
    name: name(a), href: a.href.split('#')[0] + (a.hash || ''),
    described: !!a.getAttribute('aria-describedby') || !!a.getAttribute('title'),
  }));
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && !el.closest('[hidden]'))
    .map((el) => ({
      id: el.id || el.name,
      labelled: el.labels.length > 0 || !!el.getAttribute('aria-label') || !!el.getAttribute('aria-labelledby'),
    }));
  return {
    title: document.title, lang: document.documentElement.lang, h1: document.querySelectorAll('h1').length,
    links, controls, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


def page_problems(page):
    """Our own checks beyond axe: lang, one h1, a title, labelled controls, link texts that make sense alone,
    nothing wider than the screen."""
    facts = page.evaluate(PAGE_FACTS_JS)
    problems = []
    if facts["lang"] != "en-GB":
        problems.append(f'lang is {facts["lang"]!r}, not "en-GB"')
    if facts["h1"] != 1:
        problems.append(f"{facts['h1']} h1 elements, not one")
    if not facts["title"].strip():
        problems.append("empty <title>")
    for control in facts["controls"]:
        if not control["labelled"]:
            problems.append(f"form control {control['id']!r} has no label")
    problems += _link_problems(facts["links"])
    if facts["overflow"] > 1:
        problems.append(f"page is {facts['overflow']}px wider than the {page.viewport_size['width']}px screen")
    return problems, facts


def _link_problems(links):
    """Links without text, with vague text, or with one text leading to several places."""
    problems = []
    by_name = {}
    for link in links:
        if not link["name"]:
            problems.append(f"link to {link['href']} has no text")
            continue
        if link["name"].lower().strip(" .") in VAGUE_LINK_TEXTS and not link["described"]:
            problems.append(f"vague link text {link['name']!r} ({link['href']})")
        # Same text, different places: only if each link is described (aria-describedby, WCAG 2.4.4 context).
        if not link["described"]:
            by_name.setdefault(link["name"], set()).add(link["href"])
    for name, hrefs in by_name.items():
        if len(hrefs) > 1:
            problems.append(f"link text {name!r} leads to {len(hrefs)} places: {sorted(hrefs)[:3]}")
    return problems


def report(failures):
    """A failure message listing every problem, page by page."""
    return "\n".join(failures)


def focus_facts(page):
    """What has keyboard focus, and whether a focus indicator is drawn on it."""
    return page.evaluate(
        r"""() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const s = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
            href: el.getAttribute('href'), id: el.id,
            // The browser's own focus ring (outline-style: auto) counts; a thin or transparent outline does not.
            outline: s.outlineStyle === 'auto' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
              && !/rgba\(.*,\s*0\)|transparent/.test(s.outlineColor)),
            shadow: s.boxShadow !== 'none', background: s.backgroundColor,
            inView: r.bottom > 0 && r.top < window.innerHeight && r.width > 0 && r.height > 0,
          };
        }"""
    )


def tab_to(page, matches, limit=120):
    """Press Tab until the focused element matches; assert every stop shows a visible focus indicator."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        facts = focus_facts(page)
        if facts is None:
            continue
        seen.append(facts["text"][:40] or facts["tag"])
        assert facts["outline"] or facts["shadow"], f"no visible focus indicator on {facts}"
        assert facts["inView"], f"focused element is off screen: {facts}"
        if matches(facts):
            return facts
    raise AssertionError(f"Tab never reached the element; focus went through: {seen}")


def text_is(text):
    pattern = re.compile(text) if not isinstance(text, re.Pattern) else text
    return lambda facts: bool(pattern.search(facts["text"]))


def resident_targets():
    """What the resident journeys look for, read from the demo data: the latest public minutes, the board,
    a non-exempt minute with a resolution, a word of that resolution found in no other record, and a paper."""
    from collections import Counter

    from django.utils import timezone
    from django.utils.formats import date_format
    from wagtail.models import Page

    from boards.models import AgendaItem, MinuteEntry, MinutesPage

    minutes = MinutesPage.objects.live().public().order_by("path").last()
    meeting = minutes.get_parent().specific
    board = meeting.get_parent().specific
    words = Counter()
    for text in MinuteEntry.objects.values_list("resolution", "discussion"):
        words.update(set(re.findall(r"[a-z]{5,}", " ".join(text).lower())))
    for title in Page.objects.values_list("title", flat=True):
        words.update(set(re.findall(r"[a-z]{5,}", title.lower())))
    for text in AgendaItem.objects.values_list("title", "summary"):
        words.update(set(re.findall(r"[a-z]{5,}", " ".join(text).lower())))
    best = None
    for entry in MinuteEntry.objects.filter(page=minutes, agenda_item__exempt=False).exclude(resolution=""):
        for word in re.findall(r"[a-z]{5,}", entry.resolution.lower()):
            if words[word] == 1 and (best is None or len(word) > len(best[1])):
                best = (entry, word)
    assert best, "no minute of the demo minutes has a resolution word found nowhere else"
    entry, word = best
    paper_item = next(
        item for item in AgendaItem.objects.filter(meeting=meeting, exempt=False) if item.papers.exists()
    )
    return {
        "board": board,
        "meeting": meeting,
        "meeting_date": date_format(timezone.localtime(meeting.starts_at), "j F Y"),
        "minutes": minutes,
        "entry": entry,
        "item": entry.agenda_item,
        "word": word,
        "paper_item": paper_item,
    }


def check_pdf(data):
    """A downloaded PDF's bytes: a PDF, with a title and a language in its metadata. Returns its text."""
    import io

    from pypdf import PdfReader

    assert data.startswith(b"%PDF"), f"not a PDF: {data[:20]!r}"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    assert reader.metadata and (reader.metadata.title or "").strip(), "the PDF has no title in its metadata"
    lang = reader.trailer["/Root"].get("/Lang")
    assert lang and str(lang).lower().startswith("en"), f"the PDF has no language in its catalogue: {lang!r}"
    return "\n".join(p.extract_text() or "" for p in reader.pages)


def follow_file_link(page, link, press=None):
    """Follow a link to a file as a resident would (click, or a key such as Enter) and return its bytes.

    Browsers save attachments and show inline files (text, PDF) in the tab: both are handled, and the
    tab is brought back to the page that had the link."""
    href = link.get_attribute("href")
    head = page.request.get(href_url(page, href))
    assert head.ok, f"{href}: HTTP {head.status}"
    attachment = "attachment" in head.headers.get("content-disposition", "")
    if attachment:
        with page.expect_download() as info:
            link.press(press) if press else link.click()
        download = info.value
        assert download.failure() is None, download.failure()
        return Path(download.path()).read_bytes()
    before = page.url
    with page.expect_navigation() as nav:
        link.press(press) if press else link.click()
    response = nav.value
    assert response.ok, f"{href}: HTTP {response.status}"
    # The tab shows the file in the browser's own viewer; its bytes come from the same URL.
    body = head.body()
    page.go_back()
    page.wait_for_url(before)
    return body


def href_url(page, href):
    from urllib.parse import urljoin

    return urljoin(page.url, href)
