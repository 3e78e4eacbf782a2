"""Uploaded files are never served under MEDIA_URL: papers go through Wagtail's serve view, PDFs through their pages.

Only under DEBUG, the admin's image renditions (MEDIA_ROOT/images/, flat) are served from disk for `make run`;
no other folder of MEDIA_ROOT (documents/, pdfs/, original_images/) and never the private storage. A system check
keeps the private storage out of every folder that is served (MEDIA_ROOT, STATIC_ROOT, STATICFILES_DIRS).
"""

import re
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.urls import re_path
from django.views.static import serve

IMAGES_FOLDER = "images"


def media_image_urlpatterns():
    """MEDIA_URL/images/<file> from MEDIA_ROOT/images (DEBUG only): nothing else of MEDIA_ROOT has a route."""
    prefix = settings.MEDIA_URL or ""
    if not settings.DEBUG or not prefix.startswith("/") or "//" in prefix:
        return []
    pattern = rf"^{re.escape(prefix.lstrip('/'))}{IMAGES_FOLDER}/(?P<path>[^/]+)$"
    root = Path(settings.MEDIA_ROOT) / IMAGES_FOLDER
    return [re_path(pattern, serve, {"document_root": str(root)}, name="dev_media_images")]


def served_folders():
    """Folders whose files some route may serve: MEDIA_ROOT (its images), STATIC_ROOT and STATICFILES_DIRS."""
    folders = [settings.MEDIA_ROOT, getattr(settings, "STATIC_ROOT", None)]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        folders.append(entry[1] if isinstance(entry, list | tuple) else entry)
    return [Path(f).resolve() for f in folders if f]


def private_location():
    """The private storage's folder on disk, or None when it is not on the file system (S3)."""
    options = settings.STORAGES.get("private", {}).get("OPTIONS", {})
    location = options.get("location")
    backend = settings.STORAGES.get("private", {}).get("BACKEND", "")
    return Path(location).resolve() if location and backend.endswith("FileSystemStorage") else None


@checks.register(checks.Tags.security)
def check_private_storage_is_not_served(app_configs=None, **kwargs):
    """E001: the private storage lies inside (or holds) a served folder."""
    private = private_location()
    if private is None:
        return []
    errors = []
    for folder in served_folders():
        if private == folder or folder in private.parents or private in folder.parents:
            errors.append(
                checks.Error(
                    f"The private storage ({private}) overlaps a served folder ({folder}).",
                    hint="Set PRIVATE_MEDIA_ROOT outside MEDIA_ROOT, STATIC_ROOT and STATICFILES_DIRS.",
                    id="partnership.E001",
                )
            )
    return errors
