"""Settings for the benchmark process: production-like (DEBUG off), own database, media and urlconf.

BENCH_DB_PATH (SQLite file) or DATABASE_URL (PostgreSQL) names the dataset; run.py sets them.
"""

import os
from pathlib import Path

from partnership.settings.base import *  # noqa: F403
from partnership.settings.base import BASE_DIR, LOGGING, dj_database_url

DEBUG = False
SECRET_KEY = "bench-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The floor views live only here; everything else is the real site's urlconf.
ROOT_URLCONF = "tests.benchmarks.urls"

_db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{os.environ.get('BENCH_DB_PATH', BASE_DIR / 'bench.sqlite3')}"
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=600)}

# Each dataset keeps its own files (generated PDFs) so cold/warm PDF runs are under our control.
_data = Path(os.environ.get("BENCH_MEDIA_ROOT", BASE_DIR / "bench-data" / "media"))
MEDIA_ROOT = _data / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(_data / "private")},
    },
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The scenarios time rendering; bench_page_cache.py turns the anonymous page cache on for its own hits.
PAGE_CACHE_SECONDS = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# As in the test settings: Client.force_login() works without a request; HTTP logins still go through axes.
AUTHENTICATION_BACKENDS = [
    "partnership.auth.RequestOptionalAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGGING["root"]["level"] = "WARNING"
LOGGING["handlers"]["console"]["formatter"] = "line"
