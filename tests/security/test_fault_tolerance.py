"""One failing part never takes the site down: Redis, the search backend, the task queue.

Each failure is real where it can be (a closed port, a queue with no worker); a failing PDF task is injected.
"""

import io
import logging

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from boards.models import MinutesPage
from search.models import SearchRecord
from tests import factories
from tests.boards import minutes_helpers as mh
from tests.security.test_operations import DEAD_REDIS

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})


# --- cache ------------------------------------------------------------------------------------------------------


def test_plain_redis_cache_would_take_pages_down(client, meeting):
    """The reason for partnership.cache: Django's own Redis backend raises on every cached lookup."""
    dead = {"default": {**DEAD_REDIS["default"], "BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    with override_settings(CACHES=dead), pytest.raises(redis.exceptions.ConnectionError):
        client.get(meeting.url)


def test_cache_down_pages_are_served_uncached(client, meeting, caplog):
    with override_settings(CACHES=DEAD_REDIS), caplog.at_level(logging.WARNING, logger="partnership.cache"):
        for path in ("/", "/boards/", meeting.url, "/.well-known/security.txt"):
            assert client.get(path).status_code == 200, path
    assert any(getattr(r, "event", "") == "cache_unavailable" for r in caplog.records)


def test_cache_down_logins_still_work_and_still_fail_closed(client, secretariat_user):
    with override_settings(CACHES=DEAD_REDIS):
        assert login(client, "secretary", "wrong-password").status_code == 200
        assert "_auth_user_id" not in client.session
        assert login(client, "secretary", PASSWORD).status_code == 302
        assert client.get("/admin/").status_code == 200
        client.logout()
        # Throttling lives in the database: it keeps counting without the cache.
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, "secretary", "wrong-password")
        assert login(client, "secretary", PASSWORD).status_code == 429


# --- search -----------------------------------------------------------------------------------------------------

SEARCH_DOWN = {"ELASTICSEARCH_URL": "http://127.0.0.1:1", "SEARCH_BACKEND": "elasticsearch"}


def test_search_down_gives_503_with_a_plain_message_and_the_rest_works(client, meeting):
    with override_settings(**SEARCH_DOWN):
        response = client.get("/search/?q=library")
        assert response.status_code == 503
        html = response.content.decode()
        assert "Traceback" not in html and "127.0.0.1" not in html
        assert response["Cache-Control"] != "public, max-age=300"
        for path in ("/", "/boards/", meeting.url, "/health/"):
            assert client.get(path).status_code == 200, path


def test_search_down_publishing_succeeds_and_the_index_catches_up(partnered_board):
    with override_settings(**SEARCH_DOWN):
        meeting = factories.MeetingPageFactory(board=partnered_board, agenda_published=True)
        factories.AgendaItemFactory(meeting=meeting, number="1", title="Zebra crossing on Hendon Way")
        meeting.save_revision().publish()
    meeting.refresh_from_db()
    assert meeting.live
    call_command("rebuild_search_index", "--no-progress", stdout=io.StringIO())
    assert SearchRecord.objects.filter(title__icontains="Zebra crossing").exists()


# --- tasks ------------------------------------------------------------------------------------------------------


def published_minutes(board):
    secretary = factories.UserFactory(username="minute-taker", secretariat=True)
    chair = mh.make_chair(board)
    meeting, _public, _exempt = mh.held_meeting(board)
    page = mh.write_minutes(meeting, user=secretary)
    return mh.approve(page, chair, secretary)


def assert_pdf_served(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(body))
    assert "Library opening hours" in "".join(p.extract_text() for p in reader.pages)


def test_queue_without_a_worker_pdf_made_on_first_request(client, partnered_board):
    """The usual outage: tasks are queued but no db_worker runs. Publishing works; the PDF appears on demand."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        page = published_minutes(partnered_board)
        assert page.live
        html = client.get(page.url).content.decode()
        assert page.pdf_url in html
        assert_pdf_served(client, page.pdf_url)


def test_pdf_task_failing_publishing_still_succeeds_and_every_linked_pdf_exists(client, partnered_board, monkeypatch):
    """The worker runs the PDF task and it fails (a full disk, a font missing): the minutes still publish,
    and the PDF the page links to is made when first asked for."""
    from boards.publishing.pdf import storage

    real_ensure_pdf = storage.ensure_pdf

    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(storage, "ensure_pdf", broken)
    page = published_minutes(partnered_board)
    page = MinutesPage.objects.get(pk=page.pk)
    assert page.live and page.approved_on
    monkeypatch.setattr(storage, "ensure_pdf", real_ensure_pdf)
    html = client.get(page.url).content.decode()
    assert page.pdf_url in html
    meeting_html = client.get(page.get_parent().url).content.decode()
    for url in {page.pdf_url, page.get_parent().url + "agenda.pdf"}:
        if url in html or url in meeting_html:
            assert client.get(url).status_code == 200, url
    assert_pdf_served(client, page.pdf_url)
