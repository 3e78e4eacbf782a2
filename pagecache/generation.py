"""The content generation: one row replaced in the transaction of every write that could show on a public page.

The page cache keys every page by it (pagecache.middleware); the search index's count cache keys on a row of its own
through replace_generation.
"""

import secrets

from django.db import DEFAULT_DB_ALIAS, connections

from pagecache.models import ContentGeneration

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
    "pagecache.contentgeneration",
    "search.searchindexstate",
    "search.searchrecord",
    "search.searchrecordorganisation",
    "search.searchrecordtag",
}
# A login writes last_login on the user: not content.
QUIET_UPDATES = {"auth.user": {frozenset({"last_login"})}}


def current_generation(using=DEFAULT_DB_ALIAS):
    """The content generation, or None if its row is missing (then nothing is cached)."""
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
    replace_generation(connection or connections[using], ContentGeneration._meta.db_table)
