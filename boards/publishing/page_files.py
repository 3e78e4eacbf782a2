"""Files served under a page's URL (…/agenda.pdf, …/minutes.pdf, …/meetings.ics): Wagtail's routing for them.

Wagtail's catch-all only matches paths ending in "/" without dots, so partnership/urls.py sends these here.
"""

from wagtail.views import serve

from boards.publishing.pdf.serve import serve_public_pdf

# The file names pages answer to through their RoutablePageMixin routes (declared with a trailing slash).
PAGE_FILE_PATTERN = (
    r"^(?P<path>(?:[\w\-]+/)+(?:agenda|agenda-full|minutes|minutes-full)\.pdf|(?:[\w\-]+/)+meetings\.ics)$"
)


# The public PDFs are served without Wagtail's routing and serve chain (boards.publishing.pdf.serve).
STORED_PUBLIC_PDFS = {"minutes.pdf": "minutes", "agenda.pdf": "agenda"}


def serve_page_file(request, path):
    """Route `…/minutes.pdf` to the page's `minutes.pdf/` route: same hooks, privacy and live checks as pages.

    A public PDF is served straight from storage after the same checks (serve_public_pdf).
    """
    folder, _slash, name = path.rpartition("/")
    kind = STORED_PUBLIC_PDFS.get(name)
    if kind is not None and request.method in ("GET", "HEAD"):
        response = serve_public_pdf(request, folder + "/", kind)
        if response is not None:
            return response
    return serve(request, path + "/")
