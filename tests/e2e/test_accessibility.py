"""axe-core (WCAG 2.0/2.1/2.2 A and AA) and our own checks on every public page type, at 320px and 1280px.

Pages carry real content from the demo data; every problem on every page is listed when the test fails.
"""

import pytest
from django.utils import timezone

from boards.models import BoardIndexPage, BoardPage, MeetingPage, MinutesPage
from tests.e2e.helpers import E2E_DB, axe_violations, page_problems, report

pytestmark = [pytest.mark.e2e, E2E_DB]


def public_pages():
    """(label, path) for each public page type, chosen from the demo data by what they show."""
    minutes = MinutesPage.objects.live().public().order_by("path").last()
    held = minutes.get_parent().specific
    board = held.get_parent().specific
    upcoming = MeetingPage.objects.live().filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    cancelled = MeetingPage.objects.live().filter(status=MeetingPage.Status.CANCELLED).first()
    resolution_word = "library"
    pages = [
        ("home", "/"),
        ("boards index", BoardIndexPage.objects.live().first().url),
        ("board", board.url),
        ("held meeting with agenda, papers and minutes", held.url),
        ("minutes", minutes.url),
        ("public action log", f"{board.url}actions/"),
        ("search form", "/search/"),
        ("search results", f"/search/?q={resolution_word}"),
        ("search with no results", "/search/?q=zzzzqqqq"),
        ("accessibility statement", "/accessibility/"),
        ("page not found", "/no-such-page/"),
    ]
    if upcoming is not None:
        pages.insert(4, ("upcoming meeting, agenda not yet published", upcoming.url))
    if cancelled is not None:
        pages.insert(4, ("cancelled meeting", cancelled.url))
    other_board = BoardPage.objects.live().exclude(pk=board.pk).first()
    if other_board is not None:
        pages.insert(3, ("second board", other_board.url))
    return pages


@pytest.mark.parametrize("width", [320, 1280])
def test_every_public_page_type_passes_axe_and_page_checks(demo, page, axe, width):
    page.set_viewport_size({"width": width, "height": 900})
    failures = []
    titles = {}
    pages = public_pages()
    for label, path in pages:
        response = page.goto(f"{demo.url}{path}")
        expected = 404 if label == "page not found" else 200
        if response.status != expected:
            failures.append(f"[{label}] {path}: HTTP {response.status}, expected {expected}")
            continue
        violations = axe_violations(axe, page)
        problems, facts = page_problems(page)
        for line in violations + problems:
            failures.append(f"[{label} @ {width}px] {path}: {line}")
        titles.setdefault(facts["title"], []).append(path)
    for title, paths in titles.items():
        if len(paths) > 1:
            failures.append(f"<title> {title!r} is shared by {paths}")
    assert not failures, f"{len(failures)} accessibility problem(s) on {len(pages)} pages:\n" + report(failures)
