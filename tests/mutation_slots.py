"""pytest plugin for `make mutate`: each mutant run running at the same time gets a test database of its own.

mutmut forks one pytest per mutant; with two children they would share one test database (SQLite: one writer,
"database is locked" counted as a kill). A child takes the first free slot (an flock held until it exits), and
slot N's database is kept by --reuse-db, so each slot is migrated once per `make mutate`.
"""

import fcntl
import os

import pytest
from pytest_django.fixtures import _set_suffix_to_test_databases

_held = []


def _take_slot():
    for slot in range(32):
        fd = os.open(f".mutmut-slot-{slot}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        _held.append(fd)  # closed, and so released, when this process exits
        return slot
    raise RuntimeError("no free mutation slot: more than 32 pytest runs at once")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    _set_suffix_to_test_databases(suffix=f"slot{_take_slot()}")


# mutmut passes a mutant's tests in no set order and stops at the first failure: run the cheap unit tests first,
# the page-tree and channel sweeps last, so most mutants die in a second.
_FIRST = (
    "tests/boards/test_permissions_unit.py",
    "tests/boards/test_permission_halves.py",
    "tests/boards/test_actions_grants.py",
    "tests/security/test_guardian.py",
    "tests/search/test_audience.py",
    "tests/security/test_paper_access.py",
    "tests/boards/test_agency_admin.py",
    "tests/boards/test_permission_matrix.py",
)


def _rank(item):
    path = item.nodeid.split("::", 1)[0]
    return (_FIRST.index(path) if path in _FIRST else len(_FIRST), path)


def pytest_collection_modifyitems(items):
    items.sort(key=_rank)  # stable, and a module's tests stay together for its fixtures
