"""Which Site answers a request's host, cached: the public PDFs' own path looks it up on every request.

The cache is cleared when a Site row changes (boards.signal_handlers) and kept at most SITE_FOR_HOST_TIMEOUT seconds.
"""

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

# Which Site answers a (hostname, port): Site.find_for_request asks the database on every request. The answer
# changes only when a Site row does (hostname, port, default flag): cleared then, on every process sharing the
# cache, and kept at most SITE_FOR_HOST_TIMEOUT seconds in any case. The site's root path still comes from
# Site.get_site_root_paths (Wagtail's own cache, cleared when a site root page moves or is renamed).
SITE_FOR_HOST_KEY = "boards:site-for-host"
SITE_FOR_HOST_TIMEOUT = 300


def forget_sites_for_hosts(**kwargs):
    """post_save/post_delete of a Site: every process asks the database again."""
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
