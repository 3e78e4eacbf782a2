"""Production configuration: `check --deploy` is clean, and every deployment value comes from the environment.

Each case runs Django in a subprocess with a test environment, as a deployment would.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "AWS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="partnership.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="records.example.org",
        DATABASE_URL="postgres://records@db.internal:5432/records",
        LOG_FORMAT="json",
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_passes_with_no_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_also_clean_with_redis_and_s3_configured():
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/9", AWS_STORAGE_BUCKET_NAME="council-records")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_host": settings.DATABASES["default"]["HOST"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "tasks": settings.TASKS["default"]["BACKEND"],
    "default_storage": settings.STORAGES["default"]["BACKEND"],
    "private_storage": settings.STORAGES["private"]["BACKEND"],
    "default_acl": settings.STORAGES["default"].get("OPTIONS", {}).get("default_acl"),
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "middleware": settings.MIDDLEWARE,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "frame": settings.X_FRAME_OPTIONS,
    "nosniff": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "referrer": settings.SECURE_REFERRER_POLICY,
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "email_host": settings.EMAIL_HOST,
    "elasticsearch": settings.ELASTICSEARCH_URL,
}))
"""


def test_every_deployment_value_comes_from_the_environment():
    env = production_env(
        REDIS_URL="redis://cache.internal:6379/1",
        AWS_STORAGE_BUCKET_NAME="council-records",
        EMAIL_HOST="smtp.council.example",
        ELASTICSEARCH_URL="https://search.internal:9200",
    )
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is False
    assert values["hosts"] == ["records.example.org"]
    assert values["db"] == "django.db.backends.postgresql" and values["db_host"] == "db.internal"
    assert values["cache"] == "partnership.cache.ResilientRedisCache"
    assert values["cache_location"] == "redis://cache.internal:6379/1"
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"
    assert values["default_storage"] == values["private_storage"] == "storages.backends.s3.S3Storage"
    assert values["default_acl"] == "private"
    assert values["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = values["middleware"]
    # The page cache's storing half sees the final response; static files are answered right after security.
    assert middleware[0] == "pagecache.middleware.UpdatePageCacheMiddleware"
    assert middleware[1] == "django.middleware.security.SecurityMiddleware"
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 2
    assert middleware[-1] == "pagecache.middleware.FetchPageCacheMiddleware"
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ssl_redirect"] is True and values["hsts"] >= 31536000
    assert values["frame"] == "DENY" and values["nosniff"] is True
    assert values["referrer"] == "strict-origin-when-cross-origin"
    assert values["cookies_secure"] == [True, True]
    assert values["email_host"] == "smtp.council.example"
    assert values["elasticsearch"] == "https://search.internal:9200"
