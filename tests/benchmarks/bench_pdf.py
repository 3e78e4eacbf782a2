"""Minutes PDF of a meeting with about 20 items: cold store (render and store) and warm store (serve).

Budget: cold ≤ 150 ms for 20 items, warm ≤ 10 ms; pages rendered per second so any length compares.
"""

import io

from tests.benchmarks.checks import ok
from tests.benchmarks.harness import Budget, Scenario


def scenarios(ctx):
    from boards import pdf

    url = f"{ctx.minutes.url}minutes.pdf"
    get = ctx.anonymous.get

    def empty_store():
        pdf.delete_pdfs(ctx.minutes, "minutes")

    def pages_per_second(result, timings):
        from pypdf import PdfReader

        empty_store()
        body = get(url).content
        pages = len(PdfReader(io.BytesIO(body)).pages)
        result["pdf_pages"] = pages
        result["pdf_bytes"] = len(body)
        result["pages_per_second"] = pages / (result["median_ms"] / 1000)

    shape = f"{ctx.minutes_entries} entries"
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
    ]
