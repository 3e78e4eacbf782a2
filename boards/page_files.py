"""Files served under a page's URL (…/agenda.pdf, …/minutes.pdf, …/meetings.ics): Wagtail's routing for them.

Wagtail's catch-all only matches paths ending in "/" without dots, so partnership/urls.py sends these here.
"""

from wagtail.views import serve

# The file names pages answer to through their RoutablePageMixin routes (declared with a trailing slash).
PAGE_FILE_PATTERN = (
    r"^(?P<path>(?:[\w\-]+/)+(?:agenda|agenda-full|minutes|minutes-full)\.pdf|(?:[\w\-]+/)+meetings\.ics)$"
)


def serve_page_file(request, path):
    """Route `…/minutes.pdf` to the page's `minutes.pdf/` route: same hooks, privacy and live checks as pages."""
    return serve(request, path + "/")
