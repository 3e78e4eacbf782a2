"""The work bulk inserts skip, done in bulk before an import returns: pages it needs, search, references, hooks.

Wagtail's search index and reference index are brought up to date here; other apps hear `records_imported`.
"""

import contextlib
import logging

from django.db import transaction
from wagtail.models import Page, ReferenceIndex

from boards.models import Action, BoardIndexPage, BoardPage, MeetingPage, MinutesPage, Organisation, Person
from boards.signals import records_imported

from . import site_root

logger = logging.getLogger(__name__)

CHUNK = 500


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ensure_board_index():
    """The BoardIndexPage (slug "boards") under the site root, creating the site root too when missing."""
    index = BoardIndexPage.objects.first()
    if index is not None:
        return index
    index = site_root.ensure().add_child(instance=BoardIndexPage(title="Boards", slug="boards"))
    logger.info("created the boards index page")
    return index


def refresh_revision(page):
    """After a direct save of an edited page, keep its latest revision (what the admin edits) in step."""
    if page.latest_revision_id is None:
        return
    revision = page.save_revision(clean=False, log_action=False)
    if page.live:
        Page.objects.filter(pk=page.pk).update(live_revision=revision, has_unpublished_changes=False)


def update_search_index(model, ids):
    """Wagtail's own search index (it serves the admin): one bulk add per model and backend."""
    from wagtail.search.backends import get_search_backends
    from wagtail.search.index import class_is_indexed

    if not ids or not class_is_indexed(model):
        return
    objects = []
    for chunk in _chunks(sorted(ids)):
        objects.extend(model.get_indexed_objects().filter(pk__in=chunk))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)


def update_reference_index(model, ids, prefetch=(), fresh=()):
    """Wagtail's reference index for imported objects, rebuilt from scratch for those ids in bulk.

    `fresh` objects were created by this import with their inline rows held in memory: they have no
    rows to delete and need not be read back.
    """
    from django.contrib.contenttypes.models import ContentType

    if not ids or not ReferenceIndex.is_indexed(model):
        return
    content_type = ContentType.objects.get_for_model(model)
    base_model = model._meta.get_parent_list()[-1] if model._meta.get_parent_list() else model
    base_content_type = ContentType.objects.get_for_model(base_model)
    fresh = [obj for obj in fresh if obj.pk in ids]
    stale = set(ids) - {obj.pk for obj in fresh}
    rows = []

    def batches():
        yield from _chunks(fresh)
        for chunk in _chunks(sorted(stale)):
            ReferenceIndex.objects.filter(
                base_content_type=base_content_type, object_id__in=[str(i) for i in chunk]
            ).delete()
            yield model.objects.filter(pk__in=chunk).prefetch_related(*prefetch)

    for batch in batches():
        for obj in batch:
            seen = set()
            for to_ct, to_id, model_path, content_path in ReferenceIndex._extract_references_from_object(obj):
                key = (to_ct, to_id, model_path, content_path)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(
                    ReferenceIndex(
                        content_type=content_type,
                        base_content_type=base_content_type,
                        object_id=str(obj.pk),
                        to_content_type_id=to_ct,
                        to_object_id=to_id,
                        model_path=model_path,
                        content_path=content_path,
                        content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                    )
                )
    ReferenceIndex.objects.bulk_create(rows, batch_size=CHUNK)


def analyze():
    """Fresh planner statistics once a bulk import has committed.

    Until autovacuum gets round to it, PostgreSQL plans from the empty tables' statistics: a meeting page's
    carry-forward query took 75 s instead of 0.15 s straight after a 20 x 10 import.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def finish(affected, sender, report=None, fresh=None):
    """Search index, reference index and the `records_imported` hook for everything an import wrote."""
    models = {
        "organisations": Organisation,
        "people": Person,
        "boards": BoardPage,
        "meetings": MeetingPage,
        "minutes": MinutesPage,
        "actions": Action,
    }
    prefetch = {
        "boards": ("partners", "memberships"),
        "meetings": ("agenda_items__tagged_items", "attendances", "declarations"),
        "minutes": ("entries",),
        "actions": ("tagged_items",),
    }
    phase = report.phase if report is not None else (lambda name: contextlib.nullcontext())
    with transaction.atomic():
        for kind, model in models.items():
            ids = affected.get(kind) or set()
            with phase("wagtail search index"):
                update_search_index(model, ids)
            with phase("reference index"):
                update_reference_index(model, ids, prefetch.get(kind, ()), (fresh or {}).get(kind, ()))
        with phase("records_imported receivers"):
            records_imported.send(sender=sender, **{kind: sorted(affected.get(kind) or ()) for kind in models})
