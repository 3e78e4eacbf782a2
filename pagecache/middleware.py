"""Whole-page cache for anonymous visitors, keyed by a content generation that every write replaces.

Django's two cache middlewares, with one change: the key prefix carries `pagecache.ContentGeneration`'s value,
read once per request before the page is rendered. Every write that could show on a public page replaces that
value with a random one in the write's own transaction (pagecache.signal_handlers; bulk writers call
`generation.bump()`), so from the moment a publish, unpublish, edit, delete, import or action update commits, no
cached page from before it can be found.
A page rendered from data read before the commit is stored under the generation the commit replaced: dead on
arrival. Random rather than +1, so a rolled-back write or a restored database never returns to a generation
whose cached pages described other content.

Only anonymous requests take part: GET or HEAD, no session cookie, no Authorization header, outside the admin,
the health check and files (documents and PDFs are streamed from storage already, and never kept here).
A response is kept only if it is a 200 that `partnership.middleware` marked `public` (so nothing viewer-dependent,
nothing setting a cookie) and is not streamed. `Vary: Cookie` is in every key, so a visitor carrying any cookie
never shares an entry with one who does not.
"""

import logging
import time

from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import get_cache_key, get_max_age, learn_cache_key, patch_response_headers
from django.utils.http import parse_http_date_safe

from pagecache.generation import current_generation

logger = logging.getLogger(__name__)


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def request_is_cacheable(request):
    """An anonymous GET or HEAD outside the admin: the only requests that may read or fill the cache."""
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PREFIXES))
        and not request.path_info.endswith(tuple(settings.PAGE_CACHE_EXCLUDED_SUFFIXES))
        and len(request.META.get("QUERY_STRING", "")) <= settings.PAGE_CACHE_MAX_QUERY_STRING
    )


def response_is_cacheable(request, response):
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and "public" in cache_control
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        and response.get("Vary", "").strip() != "*"
    )


class FetchPageCacheMiddleware(FetchFromCacheMiddleware):
    """Last in MIDDLEWARE: answers an anonymous request from the cache under the current generation."""

    def process_request(self, request):
        request._cache_update_cache = False
        if not request_is_cacheable(request):
            return None
        try:
            generation = current_generation()
        except Exception:  # the view will meet the same database and answer for it
            logger.warning("page cache: content generation unreadable", exc_info=True)
            return None
        if generation is None:
            return None
        request._page_cache_prefix = f"{self.key_prefix}:{generation}"
        key = get_cache_key(request, request._page_cache_prefix, "GET", cache=self.cache)
        response = self.cache.get(key) if key is not None else None
        if response is None and key is not None and request.method == "HEAD":
            key = get_cache_key(request, request._page_cache_prefix, "HEAD", cache=self.cache)
            response = self.cache.get(key) if key is not None else None
        if response is None:
            request._cache_update_cache = True
            return None
        max_age = get_max_age(response)
        expires = parse_http_date_safe(response.get("Expires", ""))
        if max_age is not None and expires is not None:
            response["Age"] = max(0, max_age - (expires - int(time.time())))
        response["X-Page-Cache"] = "hit"
        return response


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    """First in MIDDLEWARE, so it sees the final headers: keeps a public anonymous 200 under its generation."""

    def process_response(self, request, response):
        prefix = getattr(request, "_page_cache_prefix", None)
        if prefix is None or not self._should_update_cache(request, response):
            return response
        if not response_is_cacheable(request, response):
            return response
        limit = settings.PAGE_CACHE_SECONDS
        timeout = min(get_max_age(response) or limit, limit)
        if timeout <= 0:
            return response
        patch_response_headers(response, timeout)
        key = learn_cache_key(request, response, timeout, prefix, cache=self.cache)
        if hasattr(response, "render") and callable(response.render):
            response.add_post_render_callback(lambda r: self.cache.set(key, r, timeout))
        else:
            self.cache.set(key, response, timeout)
        response["X-Page-Cache"] = "miss"
        return response
