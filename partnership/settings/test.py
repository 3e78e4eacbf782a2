"""Settings for the test suite: fast hashing, local-memory cache, immediate tasks."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "test-media"  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Client.login() authenticates without a request; every HTTP login still goes through django-axes.
AUTHENTICATION_BACKENDS = [  # noqa: F405
    "partnership.auth.RequestOptionalAxesBackend",
    *[b for b in AUTHENTICATION_BACKENDS if not b.startswith("axes.")],  # noqa: F405
]
