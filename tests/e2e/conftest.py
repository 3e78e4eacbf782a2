"""Real-browser fixtures: Debian's chromium driven by Playwright against Django's live server.

Never downloads a browser: chromium comes from apt (.ci/run installs it). Also axe-core and page checks.
"""

import os
import sqlite3
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run
# unless told that this is deliberate (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "accept_downloads": True,
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A file, not memory, for the SQLite test database: the live server answers the browser's parallel
    requests in several threads, and an in-memory database shared by them reports "table is locked"."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite3")
        # Writers wait for each other instead of failing at once.
        database.setdefault("OPTIONS", {}).setdefault("timeout", 20)


_SNAPSHOT = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo data once, right after the test database is made, and keep a byte copy of the
    SQLite database (its backup API: no signals, milliseconds to restore). Each test restores it, so
    each starts from the full demo, and what one test changes never leaks into the next."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with django_db_blocker.unblock():
        call_command("load_demo", "--with-users", verbosity=0)
        connection.ensure_connection()
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _SNAPSHOT["db"] = snapshot


@pytest.fixture
def demo(live_server):
    """The demo boards, meetings, minutes, actions and users (known passwords), served live."""
    from django.db import connection

    if "db" in _SNAPSHOT:
        connection.ensure_connection()
        _SNAPSHOT["db"].backup(connection.connection)
    else:  # not SQLite: load it for each test
        call_command("load_demo", "--with-users", verbosity=0)
    return live_server


@pytest.fixture(scope="session")
def axe():
    return Axe()
