"""Stored PDFs: where each variant lives (full ones in private storage), its versioned name, rendering on demand.

A PDF's name changes with each publication of its page, so a stale file is never served; older ones are deleted.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages

from . import render

logger = logging.getLogger(__name__)


def storage_for(full):
    """Full PDFs go to the "private" storage, never served as media; public ones to the default storage."""
    if not full:
        return default_storage
    if "private" in settings.STORAGES:
        return storages["private"]
    return FileSystemStorage(location=str(Path(settings.BASE_DIR) / "private-media"))


def variant(kind, full):
    return f"{kind}-full" if full else kind


def _folder(page, kind, full):
    # The page's translation_key is a UUID never reused, unlike ids after a restore or a rolled-back test.
    return f"pdfs/{page.translation_key}/{variant(kind, full)}"


def _version(page):
    published = page.last_published_at
    stamp = published.strftime("%Y%m%dT%H%M%S%f") if published else "none"
    return f"{page.live_revision_id}-{stamp}"


def stored_name(page, kind, full):
    """The file name of the current PDF: it changes with each publication, so stale files are never served."""
    version = _version(page)
    if kind == "minutes":
        version += "--" + _version(page.meeting)
    return f"{_folder(page, kind, full)}/{version}.pdf"


def _delete_folder(page, kind, full, keep=None):
    storage = storage_for(full)
    folder = _folder(page, kind, full)
    try:
        _dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError, OSError):
        return 0
    removed = 0
    for name in files:
        path = f"{folder}/{name}"
        if path != keep:
            storage.delete(path)
            removed += 1
    return removed


def delete_pdfs(page, kind):
    """Remove every stored PDF of a page (on unpublish)."""
    return _delete_folder(page, kind, False) + _delete_folder(page, kind, True)


RENDERERS = {"minutes": render.render_minutes, "agenda": render.render_agenda}


def ensure_pdf(page, kind, full):
    """The stored current PDF's name, rendering and storing it only if missing; older ones are deleted."""
    storage = storage_for(full)
    name = stored_name(page, kind, full)
    if storage.exists(name):
        return name, False
    content = RENDERERS[kind](page, full=full)
    if not storage.exists(name):
        storage.save(name, ContentFile(content))
    _delete_folder(page, kind, full, keep=name)
    logger.info("pdf rendered page=%s kind=%s full=%s bytes=%s", page.pk, kind, full, len(content))
    return name, True
