"""Minutes PDFs: a meeting of about 20 items with a cold store (render and store) and a warm store (serve), and
renders of about 15 and of 60 entries, each with pages rendered per second so documents of any length compare.

Budget: cold ≤ 150 ms for 20 items, warm ≤ 10 ms.
"""

import copy
import io

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario


def _pages(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _minutes_nearest(entries):
    """Published minutes whose entry count is nearest `entries` (the lowest id among equals)."""
    from django.db.models import Count

    from boards.models import MinutesPage

    counts = MinutesPage.objects.live().exclude(approved_on=None).annotate(n=Count("entries")).values_list("pk", "n")
    pk, n = min(counts, key=lambda c: (abs(c[1] - entries), c[0]))
    return MinutesPage.objects.get(pk=pk), n


def _lengthened(page, times):
    """An in-memory copy of `page` whose minutes are its own entries `times` over (numbered on): nothing saved."""
    entries = page.entries_for_display()
    longer = []
    for round_ in range(times):
        for entry in entries:
            item = copy.copy(entry.agenda_item)
            item.number = f"{item.number}.{round_ + 1}" if round_ else item.number
            clone = copy.copy(entry)
            clone.agenda_item = item
            longer.append(clone)
    copied = copy.copy(page)
    copied.entries_for_display = lambda: longer
    return copied, len(longer)


def _render_scenario(name, page, entries):
    from boards.publishing.pdf import render

    def pages_per_second(result, timings):
        content = render.render_minutes(page)
        result["pdf_pages"] = _pages(content)
        result["pdf_bytes"] = len(content)
        result["pages_per_second"] = result["pdf_pages"] / (result["median_ms"] / 1000)

    return Scenario(
        name,
        lambda: render.render_minutes(page),
        shape=f"{entries} entries: render only",
        extra=pages_per_second,
    )


def scenarios(ctx):
    from boards.publishing.pdf import storage

    url = f"{ctx.minutes.url}minutes.pdf"

    def get(path):
        """The whole response, read as a client would (a stored PDF is streamed from storage)."""
        response = ctx.anonymous.get(path)
        response.getvalue()
        response.close()
        return response

    def empty_store():
        storage.delete_pdfs(ctx.minutes, "minutes")

    def pages_per_second(result, timings):
        empty_store()
        body = ctx.anonymous.get(url).getvalue()
        result["pdf_pages"] = _pages(body)
        result["pdf_bytes"] = len(body)
        result["pages_per_second"] = result["pdf_pages"] / (result["median_ms"] / 1000)

    shape = f"{ctx.minutes_entries} entries"
    fifteen, fifteen_entries = _minutes_nearest(15)
    fifteen.meeting  # noqa: B018 — resolve the page's meeting and board before timing
    fifteen.board  # noqa: B018
    sixty, sixty_entries = _lengthened(ctx.minutes, 3)
    return [
        Scenario(
            "minutes PDF, cold store",
            lambda: get(url),
            prepare=empty_store,
            shape=f"{shape}: render + store",
            check=ok(content_type="application/pdf"),
            extra=pages_per_second,
            budget=Budget(median_ms=150),
        ),
        Scenario(
            "minutes PDF, warm store",
            lambda: get(url),
            shape=f"{shape}: stored",
            check=ok(content_type="application/pdf"),
            budget=Budget(median_ms=10),
        ),
        _render_scenario("minutes PDF render, about 15 entries", fifteen, fifteen_entries),
        _render_scenario("minutes PDF render, 60 entries", sixty, sixty_entries),
    ]
