"""Receivers that replace the content generation on every write that could show, connected in PageCacheConfig.ready.

Bulk writers that send no signal call generation.bump() themselves.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import signals
from wagtail.signals import post_page_move

from pagecache import generation
from pagecache.models import ContentGeneration


def _label(sender):
    meta = getattr(sender, "_meta", None)
    return meta.label_lower if meta is not None else ""


_migrating = set()


def _on_write(sender, using=DEFAULT_DB_ALIAS, update_fields=None, raw=False, **kwargs):
    if using in _migrating:
        # The generation table may not exist yet; post_migrate bumps once at the end.
        return
    label = _label(sender)
    if label in generation.IGNORED_MODELS:
        return
    if update_fields and frozenset(update_fields) in generation.QUIET_UPDATES.get(label, ()):
        return
    generation.bump(using or DEFAULT_DB_ALIAS)


def _on_m2m(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action.startswith("post_"):
        _on_write(sender, using=using)


def _on_page_move(sender, instance=None, **kwargs):
    # treebeard moves descendants with raw SQL: no post_save for them.
    generation.bump()


def _before_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    _migrating.add(using)


def _on_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # A deploy runs migrate: pages cached by the old code's templates are not served by the new.
    _migrating.discard(using)
    connection = connections[using]
    if ContentGeneration._meta.db_table in connection.introspection.table_names():
        generation.bump(connection=connection)


def connect():
    """From PageCacheConfig.ready: every model's saves and deletes, but the ignored ones, replace the generation.

    post_delete is connected per model rather than for all senders: a receiver for every sender would stop Django
    fast-deleting the search and session tables.
    """
    signals.post_save.connect(_on_write, dispatch_uid="pagecache-save")
    signals.m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower not in generation.IGNORED_MODELS:
            signals.post_delete.connect(_on_write, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
    post_page_move.connect(_on_page_move, dispatch_uid="pagecache-move")
    signals.pre_migrate.connect(_before_migrate, dispatch_uid="pagecache-pre-migrate")
    signals.post_migrate.connect(_on_migrate, dispatch_uid="pagecache-migrate")
