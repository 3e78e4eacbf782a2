"""Creating many Wagtail pages at once: treebeard paths computed in bulk, one insert per table and batch.

Used by the importer for meetings and minutes; pages made this way have no revision until first edited.
"""

import logging
from collections import defaultdict

from django.db import connection
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

logger = logging.getLogger(__name__)

BATCH = 500


def _last_child_step(parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) if last else 0


def bulk_add_children(model, children, fresh_parents=()):
    """Insert `children` — (parent page, unsaved `model` instance) pairs — as live or draft pages.

    Each instance must carry title, slug, live and its own fields. Parents listed in `fresh_parents`
    (ids) were created in this import and have no children yet, so their last child is not looked up.
    Returns the saved instances in the order given.
    """
    if not children:
        return []
    fresh = set(fresh_parents)
    next_step = {}
    added = defaultdict(int)
    now = timezone.now()
    for parent, page in children:
        if parent.pk not in next_step:
            next_step[parent.pk] = 0 if parent.pk in fresh else _last_child_step(parent)
        next_step[parent.pk] += 1
        added[parent.pk] += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, next_step[parent.pk])
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.numchild = 0
        page.draft_title = page.title
        page.has_unpublished_changes = not page.live
        if page.live:
            page.first_published_at = page.first_published_at or now
            page.last_published_at = page.last_published_at or page.first_published_at

    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages = [page for _, page in children]
    for start in range(0, len(pages), BATCH):
        chunk = pages[start : start + BATCH]
        rows = [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in chunk]
        Page.objects.bulk_create(rows)
        for page, row in zip(chunk, rows, strict=True):
            page.id = row.pk
            setattr(page, model._meta.pk.attname, row.pk)
            page._state.adding = False
            page._state.db = connection.alias
        local_fields = list(model._meta.local_concrete_fields)
        model._base_manager._insert(chunk, fields=local_fields, using=connection.alias)

    parents = {parent.pk: parent for parent, _ in children}
    for parent_id, count in added.items():
        Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + count)
        parents[parent_id].numchild = (parents[parent_id].numchild or 0) + count
    logger.debug("bulk-added %d %s pages under %d parents", len(pages), model.__name__, len(added))
    return pages
