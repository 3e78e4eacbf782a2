"""Simultaneous status updates of one action, from two threads on two database connections, through
Action.change_status (which locks the action row with select_for_update): both updates are recorded, in the
order they were committed, each decided on the status the other left, and the action ends in the status of
the last recorded update. No update is lost.

PostgreSQL only. On SQLite select_for_update is a no-op (the whole database is locked by a writer instead), and
the test database is in memory with a shared cache, where a second writer gets "database table is locked" at
once rather than waiting: two threads cannot write it at the same time at all, so there is no race to test.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction

from boards.models import Action, ActionUpdate
from boards.models.actions import ActionStatus
from tests import factories

pytestmark = [
    # Real commits, seen by other connections; serialized_rollback restores Wagtail's root page and Site.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATUSES = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED]
WAIT = 60  # seconds a thread may take before the test calls it stuck (never reached when all is well)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs concurrent writers: {connection.vendor} has no row locks (select_for_update is a no-op) and the "
            "in-memory test database refuses a second writer instead of making it wait; runs on PostgreSQL"
        )


@pytest.fixture
def action(postgresql_only):
    board = factories.BoardPageFactory(title="One Barnet Partnership Board", code="OBPB")
    owner = factories.OrganisationFactory(name="London Borough of Barnet")
    return Action.objects.create(
        board=board, description="Report back.", owner=owner, due_on=datetime.date(2011, 9, 1)
    )


@pytest.fixture
def officers(action):
    return [
        factories.UserFactory(username="first-officer", groups=[action.owner.group]),
        factories.UserFactory(username="second-officer", groups=[action.owner.group]),
    ]


def in_threads(*calls):
    """Run each call in its own thread (own database connection); return their results, re-raise their errors."""
    results, errors = [None] * len(calls), []

    def work(n, call):
        try:
            results[n] = call()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=work, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    if errors:
        raise errors[0]
    return results


def history(action):
    return list(ActionUpdate.objects.filter(action=action).order_by("created_at", "id"))


def assert_consistent(action, updates):
    """Replaying the recorded updates in order gives the action's status, and no update claims a change to the
    status the action already had (what a writer that read a stale status would record)."""
    status = ActionStatus.OPEN
    for update in updates:
        if update.new_status:
            assert update.new_status != status, f"{update.note!r} recorded a change to {status}, already the status"
            status = update.new_status
    action.refresh_from_db()
    assert action.status == status
    # Time order and insertion order agree: "in order" means the order the updates were committed.
    assert [u.pk for u in updates] == sorted(u.pk for u in updates)


def test_simultaneous_updates_are_all_recorded_in_commit_order(action, officers):
    rounds = 12
    for n in range(rounds):
        current = Action.objects.get(pk=action.pk).status
        others = [s for s in STATUSES if s != current]
        # Even rounds: both ask for the same new status (the second must see it already set and record a note
        # only). Odd rounds: different statuses (the later one wins, and the history says so).
        wanted = [others[n % 3]] * 2 if n % 2 == 0 else [others[n % 3], others[(n + 1) % 3]]
        # Each officer's copy is loaded before either acts, as two browser sessions would have it.
        copies = [Action.objects.get(pk=action.pk) for _ in officers]
        barrier = threading.Barrier(2)
        before = {u.pk for u in history(action)}

        def post(k, copies=copies, wanted=wanted, barrier=barrier, n=n):
            barrier.wait(WAIT)
            return copies[k].change_status(officers[k], wanted[k], f"round {n}, officer {k}")

        made = in_threads(lambda: post(0), lambda: post(1))

        new = [u for u in history(action) if u.pk not in before]
        assert sorted(u.pk for u in new) == sorted(u.pk for u in made)  # both recorded
        assert {u.note for u in new} == {f"round {n}, officer 0", f"round {n}, officer 1"}
        assert {u.author.username for u in new} == {"first-officer", "second-officer"}
        first, second = new
        assert first.new_status == wanted[officers.index(first.author)]  # a real change from `current`
        if wanted[0] == wanted[1]:
            assert second.new_status == ""  # saw the first's status: a note, not a second identical change
        else:
            assert second.new_status == wanted[officers.index(second.author)]
        action.refresh_from_db()
        assert action.status == (second.new_status or first.new_status)
    updates = history(action)
    assert len(updates) == 2 * rounds
    assert_consistent(action, updates)


def test_second_writer_waits_for_the_first_and_sees_its_status(action, officers):
    """Deterministic overlap: the first officer's update holds the row lock (its transaction still open) while the
    second's is made; PostgreSQL shows the second waiting on the lock, and once the first commits, the second
    decides on the committed status."""
    first_copy, second_copy = Action.objects.get(pk=action.pk), Action.objects.get(pk=action.pk)
    locked, release, second_done = threading.Event(), threading.Event(), threading.Event()
    barrier = threading.Barrier(2)

    def first():
        barrier.wait(WAIT)
        with transaction.atomic():
            update = first_copy.change_status(officers[0], ActionStatus.IN_PROGRESS, "Started.")
            locked.set()
            assert release.wait(2 * WAIT), "never released"
        return update

    def second():
        barrier.wait(WAIT)
        assert locked.wait(WAIT), "the first update never took the lock"
        try:
            # The same status the first is setting: with a stale read it would be recorded as a change again.
            return second_copy.change_status(officers[1], ActionStatus.IN_PROGRESS, "Started too.")
        finally:
            second_done.set()

    def controller():
        assert locked.wait(WAIT)
        try:
            waiting = 0
            deadline = time.monotonic() + WAIT
            # Until PostgreSQL shows the second update waiting for the lock (or it finished without waiting).
            while not waiting and not second_done.is_set() and time.monotonic() < deadline:
                with connections["default"].cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query ILIKE %s",
                        ["%boards_action%FOR UPDATE%"],
                    )
                    waiting = cursor.fetchone()[0]
                if not waiting:
                    time.sleep(0.02)
            return waiting
        finally:
            release.set()

    made_first, made_second, waiting = in_threads(first, second, controller)
    assert waiting == 1, "the second update never waited on the row lock"
    updates = history(action)
    assert [u.pk for u in updates] == [made_first.pk, made_second.pk]
    assert [(u.note, u.new_status) for u in updates] == [("Started.", "in_progress"), ("Started too.", "")]
    assert updates[0].created_at <= updates[1].created_at
    assert_consistent(action, updates)
    assert action.status == ActionStatus.IN_PROGRESS
