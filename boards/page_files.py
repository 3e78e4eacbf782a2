"""Files served under a page's URL (…/agenda.pdf, …/minutes.pdf, …/meetings.ics): Wagtail's routing for them.

Wagtail's catch-all only matches paths ending in "/" without dots, so partnership/urls.py sends these here.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.views import serve

# The file names pages answer to through their RoutablePageMixin routes (declared with a trailing slash).
PAGE_FILE_PATTERN = (
    r"^(?P<path>(?:[\w\-]+/)+(?:agenda|agenda-full|minutes|minutes-full)\.pdf|(?:[\w\-]+/)+meetings\.ics)$"
)


# The public PDFs are served without Wagtail's routing and serve chain (boards.pdf.serve_public_pdf).
STORED_PUBLIC_PDFS = {"minutes.pdf": "minutes", "agenda.pdf": "agenda"}


# Which Site answers a (hostname, port): Site.find_for_request asks the database on every request. The answer
# changes only when a Site row does (hostname, port, default flag): cleared then, on every process sharing the
# cache, and kept at most SITE_FOR_HOST_TIMEOUT seconds in any case. The site's root path still comes from
# Site.get_site_root_paths (Wagtail's own cache, cleared when a site root page moves or is renamed).
SITE_FOR_HOST_KEY = "boards:site-for-host"
SITE_FOR_HOST_TIMEOUT = 300


@receiver(post_save, sender=Site, dispatch_uid="boards_site_for_host_saved")
@receiver(post_delete, sender=Site, dispatch_uid="boards_site_for_host_deleted")
def forget_sites_for_hosts(**kwargs):
    cache.delete(SITE_FOR_HOST_KEY)


def site_root_path(request):
    """The url_path of the root page of the Site answering this request (as Site.find_for_request), or None."""
    host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    known = cache.get(SITE_FOR_HOST_KEY) or {}
    if host not in known:
        site = Site.find_for_request(request)
        known = {**known, host: site.pk if site is not None else None}
        if len(known) <= 100:  # only hosts ALLOWED_HOSTS let through get here; bounded all the same
            cache.set(SITE_FOR_HOST_KEY, known, SITE_FOR_HOST_TIMEOUT)
    site_id = known[host]
    roots = [r.root_path for r in Site.get_site_root_paths() if r.site_id == site_id] if site_id else []
    return roots[0] if len(roots) == 1 else None


def serve_page_file(request, path):
    """Route `…/minutes.pdf` to the page's `minutes.pdf/` route: same hooks, privacy and live checks as pages.

    A public PDF is served straight from storage after the same checks (boards.pdf.serve_public_pdf).
    """
    folder, _slash, name = path.rpartition("/")
    kind = STORED_PUBLIC_PDFS.get(name)
    if kind is not None and request.method in ("GET", "HEAD"):
        from boards.pdf import serve_public_pdf

        response = serve_public_pdf(request, folder + "/", kind)
        if response is not None:
            return response
    return serve(request, path + "/")
