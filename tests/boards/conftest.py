"""Fixtures for the action and permission tests (tests/boards/test_actions_*.py, test_permission_matrix.py).

`world` is the shared board/agency/user/meeting/action world of tests.boards.actions_helpers.build_world: built once
per test module (module scope, rolled back after the module), handed to each test as fresh instances, and whatever
a test changes is undone after it. A module that needs more in it overrides `world` and asks for this one.
"""

import pytest

from tests.boards.actions_helpers import reload_world, world_for_module


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    yield from world_for_module(django_db_blocker)


@pytest.fixture
def world(module_world, db):
    return reload_world(module_world)
