"""Settings for the test suite: fast hashing, local-memory cache, immediate tasks."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Real files in a throwaway folder: Wagtail's serve_view streams documents from a filesystem path.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="partnership-test-media-"))  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT.parent / (MEDIA_ROOT.name + "-private"))},
    },
}
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
atexit.register(shutil.rmtree, STORAGES["private"]["OPTIONS"]["location"], ignore_errors=True)
WAGTAILADMIN_BASE_URL = "http://testserver"
# Client.login() authenticates without a request; every HTTP login still goes through django-axes.
AUTHENTICATION_BACKENDS = [  # noqa: F405
    "partnership.auth.RequestOptionalAxesBackend",
    *[b for b in AUTHENTICATION_BACKENDS if not b.startswith("axes.")],  # noqa: F405
]

# Tests print only what matters.
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
