"""/health/ for the load balancer, /.well-known/security.txt, and structured one-line logs.

A refused request is logged with user, object and path, and nothing of the content.
"""

import datetime
import json
import logging

import pytest
from django.test import override_settings

from partnership.jsonlog import JsonLineFormatter
from tests.security.conftest import SECRET_PAPER_TITLE

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "partnership.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_health_is_ok_when_database_cache_and_storage_work(client):
    response = client.get("/health/")
    assert response.status_code == 200
    text = response.content.decode()
    for check in ("Database", "Cache", "Storage", "SearchBackend"):
        assert f"{check}" in text
    assert "OK" in text
    assert response["Cache-Control"].startswith(("no-cache", "max-age=0")) or "no-store" in response["Cache-Control"]
    data = client.get("/health/?format=json").json()
    assert all(value == "OK" for value in data.values()), data


def test_health_fails_when_the_cache_is_down(client):
    with override_settings(CACHES=DEAD_REDIS):
        response = client.get("/health/?format=json")
    assert response.status_code == 503
    data = response.json()
    assert next(v for k, v in data.items() if k.startswith("Cache")) != "OK"
    assert next(v for k, v in data.items() if k.startswith("Database")) == "OK"


def test_search_down_is_reported_but_not_fatal(client):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:1", SEARCH_BACKEND="elasticsearch"):
        response = client.get("/health/?format=json")
    assert response.status_code == 200
    data = response.json()
    assert next(v for k, v in data.items() if k.startswith("SearchBackend")) != "OK"


def test_health_says_nothing_secret(client):
    with override_settings(CACHES=DEAD_REDIS):
        text = client.get("/health/").content.decode()
    assert "127.0.0.1:1" not in text and "redis://" not in text


def test_security_txt_follows_rfc_9116(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)
    assert fields["Contact"].startswith(("mailto:", "https://"))
    expires = datetime.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    now = datetime.datetime.now(datetime.UTC)
    assert now < expires < now + datetime.timedelta(days=365)
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    assert client.post("/.well-known/security.txt").status_code == 405


def test_log_lines_are_single_line_json_with_extras():
    record = logging.LogRecord("boards", logging.WARNING, __file__, 1, "two\nlines %s", ("here",), None)
    record.user = 7
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "two\nlines here" and data["level"] == "WARNING" and data["user"] == 7


def test_a_refused_paper_is_logged_with_user_object_and_path_but_no_content(client, exempt_paper, caplog):
    with caplog.at_level(logging.WARNING, logger="partnership.security"):
        response = client.get(exempt_paper.url + "?q=Quuxbridge")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "partnership.security"]
    assert len(records) == 1
    record = records[0]
    assert record.event == "permission_denied"
    assert record.user is None
    assert record.path == exempt_paper.url
    assert record.object == f"document:{exempt_paper.pk}"
    line = JsonLineFormatter().format(record)
    assert SECRET_PAPER_TITLE not in line and "Quuxbridge" not in line


def test_a_refusal_to_a_signed_in_outsider_is_logged_with_their_id(client, outsider_user, exempt_paper, caplog):
    client.force_login(outsider_user)
    with caplog.at_level(logging.WARNING, logger="partnership.security"):
        assert client.get(exempt_paper.url).status_code == 403
    (record,) = [r for r in caplog.records if r.name == "partnership.security"]
    assert record.user == outsider_user.pk and record.method == "GET"
