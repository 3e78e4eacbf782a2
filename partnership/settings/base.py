"""Settings shared by every environment.

Values that differ per deployment come from environment variables.
"""

import base64
import datetime
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, minimum=0):
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number of at least {minimum}.")
    return int(value)


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "pagecache",
    "home",
    "boards",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "health_check",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First, so it stores the final response: anonymous public 200s, under the content generation.
    "pagecache.middleware.UpdatePageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Sees every response last: viewer-dependent ones become "private, no-store"; 403s are logged.
    "partnership.middleware.ViewerCacheControlMiddleware",
    "partnership.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: agency staff reach only the admin views on boards.permissions' allow-list.
    "boards.middleware.AgencyAdminAllowListMiddleware",
    # Admin URLs naming a row by something that is no row id (2**70, "abc") answer 404/400, never 500.
    "boards.middleware.AdminIdGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
    # Last, as Django's cache middleware requires: answers anonymous GETs from the page cache.
    "pagecache.middleware.FetchPageCacheMiddleware",
]

ROOT_URLCONF = "partnership.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "boards.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "partnership.wsgi.application"

# The embedded default is an SQLite file; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

# Argon2id first (OWASP's first choice): harder to attack on GPUs than PBKDF2. Its cost is OWASP's recommended
# minimum (19 MiB, 2 passes, 1 lane: about 0.03 s of one core per login) rather than Django's 100 MiB over 8 lanes
# (0.28 s on both cores of a 2-CPU server, which queued residents' pages behind a burst of logins); raise it here
# for a bigger server. Hashes made with other parameters, and PBKDF2 ones, still verify and are rehashed at their
# owner's next login. See partnership/hashers.py.
ARGON2_MEMORY_KIB = env_int("ARGON2_MEMORY_KIB", 19456, minimum=7168)
ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 2, minimum=1)
ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 1, minimum=1)
if ARGON2_MEMORY_KIB * ARGON2_TIME_COST < 35840:
    # OWASP's equal-strength pairs run from 46 MiB x 1 pass to 7 MiB x 5 passes: none costs less than this.
    raise ImproperlyConfigured("ARGON2_MEMORY_KIB x ARGON2_TIME_COST must be at least 35840 (OWASP's minimum cost).")
PASSWORD_HASHERS = [
    "partnership.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "collected-static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Full (restricted) minutes and agenda PDFs: outside MEDIA_ROOT, never served as media.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))},
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: immediate by default; production uses django-tasks-db.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# One JSON object per line (LOG_FORMAT=json, the default) so log shippers need no parsing rules;
# LOG_FORMAT=line gives the plain form for a developer's terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "partnership.jsonlog.JsonLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": os.environ.get("LOG_FORMAT", "json")},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "Partnership Records"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Every document goes through Wagtail's view, so the before_serve_document
# hook can refuse papers of exempt items whatever URL was used.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Uploads are checked by content (magic bytes), not only by extension: boards/papers/uploads.py.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "boards.papers.uploads.SafeDocumentForm"
# Only PDFs open in the browser; everything else downloads (Content-Disposition: attachment).
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# Minutes: the chair's approval publishes them as the approver (the model checks the approval stamp).
WAGTAIL_FINISH_WORKFLOW_ACTION = "boards.minutes.publish_on_approval.publish_approved"

# django-guardian
ANONYMOUS_USER_NAME = "AnonymousUser"
GUARDIAN_RAISE_403 = False

# The organisation running the site, shown in the public header.
SITE_OWNER_NAME = os.environ.get("SITE_OWNER_NAME", "London Borough of Barnet")

# Security (issue 9). Production adds HTTPS-only settings in production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A working day of inactivity ends a session: the age restarts on every request.
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
# Request bodies: forms are small; files go to disk past 2.5 MB; documents are capped above.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 50

# Content Security Policy (django-csp 4). Public pages: no inline script or style but the one inline
# script of the GOV.UK template (templates/base.html, this exact text), allowed by its hash: a nonce
# would be frozen into cached pages and shared by every visitor. /admin/ is relaxed for Wagtail by
# partnership.middleware.ContentSecurityPolicyMiddleware.
JS_ENABLED_SCRIPT = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)
_script_digest = base64.b64encode(hashlib.sha256(JS_ENABLED_SCRIPT.encode()).digest()).decode()
JS_ENABLED_SCRIPT_HASH = f"'sha256-{_script_digest}'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", JS_ENABLED_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# What Wagtail's admin needs on top: its inline scripts and styles, blob/data images, previews in frames.
CSP_ADMIN_DIRECTIVES = {
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# django-axes: five failures for one username from one address lock that pair for 15 minutes.
# The lockout is the same whether or not the username exists; attempts are kept in the database,
# so throttling keeps working when the cache is down.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = None
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
# The socket address only: a forged X-Forwarded-For must not reset the count. Behind a proxy,
# production.py trusts the header for TRUSTED_PROXY_COUNT hops.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Public pages may be cached by shared caches for this long (partnership.middleware).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))

# Anonymous pages are also kept in CACHES["default"] for up to this long (0 turns it off), keyed by the content
# generation that every write replaces (pagecache), so a publish shows at once, not after the timeout.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(PUBLIC_CACHE_SECONDS)))
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/health/", "/documents/")
# Stored PDFs are streamed from storage (a streamed response is never kept): skip even the generation read.
PAGE_CACHE_EXCLUDED_SUFFIXES = (".pdf",)
PAGE_CACHE_MAX_QUERY_STRING = 1024
CACHE_MIDDLEWARE_KEY_PREFIX = "page"

# /.well-known/security.txt (RFC 9116)
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:security@barnet.gov.uk")
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")
