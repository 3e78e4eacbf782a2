"""Whole-page cache for anonymous visitors, keyed by a content generation that every write replaces.

Django's two cache middlewares, with one change: the key prefix carries `home.ContentGeneration`'s value, read once
per request before the page is rendered. Every write that could show on a public page replaces that value with a
random one in the write's own transaction (signals below; bulk writers call `bump()`), so from the moment a
publish, unpublish, edit, delete, import or action update commits, no cached page from before it can be found.
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
import secrets
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import signals
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import get_cache_key, get_max_age, learn_cache_key, patch_response_headers
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

# Writes that never change what an anonymous visitor sees, and happen often enough that bumping on them would
# empty the cache for nothing: sessions, login throttling, task bookkeeping, audit and editing-session rows,
# and the search tables (the search backend bumps once per index write itself).
IGNORED_MODELS = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_db.dbtaskresult",
    "admin.logentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailadmin.editingsession",
    "wagtailsearch.indexentry",
    "modelsearch.indexentry",
    "home.contentgeneration",
    "search.searchindexstate",
    "search.searchrecord",
    "search.searchrecordorganisation",
    "search.searchrecordtag",
}
# A login writes last_login on the user: not content.
QUIET_UPDATES = {"auth.user": {frozenset({"last_login"})}}


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def current_generation(using=DEFAULT_DB_ALIAS):
    """The content generation, or None if its row is missing (then nothing is cached)."""
    from home.models import ContentGeneration

    return ContentGeneration.objects.using(using).filter(pk=1).values_list("generation", flat=True).first()


def replace_generation(connection, table):
    """Give the one-row generation `table` a fresh random value, in the connection's current transaction.

    Shared with the search index's count cache (search.backends.database), which keys on a row of its own.
    """
    value = secrets.randbits(62)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET generation = %s WHERE id = 1", [value])
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {table} (id, generation) VALUES (1, %s)", [value])


def bump(using=DEFAULT_DB_ALIAS, connection=None):
    """A new content generation, in the caller's transaction: every page cached so far is dead once it commits."""
    from home.models import ContentGeneration

    replace_generation(connection or connections[using], ContentGeneration._meta.db_table)


def _label(sender):
    meta = getattr(sender, "_meta", None)
    return meta.label_lower if meta is not None else ""


_migrating = set()


def _on_write(sender, using=DEFAULT_DB_ALIAS, update_fields=None, raw=False, **kwargs):
    if using in _migrating:
        # The generation table may not exist yet; post_migrate bumps once at the end.
        return
    label = _label(sender)
    if label in IGNORED_MODELS:
        return
    if update_fields and frozenset(update_fields) in QUIET_UPDATES.get(label, ()):
        return
    bump(using or DEFAULT_DB_ALIAS)


def _on_m2m(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_"):
        _on_write(sender, using=using)


def _on_page_move(sender, instance=None, **kwargs):
    # treebeard moves descendants with raw SQL: no post_save for them.
    bump()


def _before_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    _migrating.add(using)


def _on_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # A deploy runs migrate: pages cached by the old code's templates are not served by the new.
    _migrating.discard(using)
    connection = connections[using]
    from home.models import ContentGeneration

    if ContentGeneration._meta.db_table in connection.introspection.table_names():
        bump(connection=connection)


def connect_signals():
    """Called from HomeConfig.ready: every model's saves and deletes, but the ignored ones, replace the generation.

    post_delete is connected per model rather than for all senders: a receiver for every sender would stop Django
    fast-deleting the search and session tables.
    """
    from django.apps import apps
    from wagtail.signals import post_page_move

    signals.post_save.connect(_on_write, dispatch_uid="pagecache-save")
    signals.m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower not in IGNORED_MODELS:
            signals.post_delete.connect(_on_write, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
    post_page_move.connect(_on_page_move, dispatch_uid="pagecache-move")
    signals.pre_migrate.connect(_before_migrate, dispatch_uid="pagecache-pre-migrate")
    signals.post_migrate.connect(_on_migrate, dispatch_uid="pagecache-migrate")


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
