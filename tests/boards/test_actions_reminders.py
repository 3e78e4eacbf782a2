"""Reminder digests: each agency's staff get their actions due within 7 days and overdue, once a day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from boards.models import Action, ReminderLog
from tests import factories
from tests.boards.actions_helpers import EXEMPT_ACTION, NHS_ACTION, PUBLIC_ACTION

pytestmark = pytest.mark.django_db


TODAY = datetime.date(2011, 8, 28)


@pytest.fixture
def world(world):
    """The shared world (tests/boards/conftest.py), with reminders to send."""
    # council_action due 1 Sep (within 7 days of 28 Aug); exempt_action overdue; nhs_action due 1 Oct (later).
    Action.objects.filter(pk=world.exempt_action.pk).update(due_on=datetime.date(2011, 8, 1))
    world.council.group.user_set.add(factories.UserFactory(username="council-two", email="two@barnet.example"))
    factories.UserFactory(
        username="inactive", email="gone@barnet.example", is_active=False, groups=[world.council.group]
    )
    return world


def run(date=TODAY):
    out = StringIO()
    call_command("send_action_reminders", f"--date={date.isoformat()}", stdout=out)
    return out.getvalue()


def test_each_agency_gets_its_own_digest(world):
    output = run()
    council_mail = [m for m in mail.outbox if "Barnet Council" in m.subject]
    assert sorted(m.to[0] for m in council_mail) == ["council-officer@example.org", "two@barnet.example"]
    body = council_mail[0].body
    assert PUBLIC_ACTION in body and EXEMPT_ACTION in body
    assert body.index("Overdue") < body.index(EXEMPT_ACTION) < body.index("Due in the next 7 days")
    assert f"/admin/boards/actions/{world.council_action.pk}/status/" in body
    assert not any(NHS_ACTION in m.body for m in mail.outbox)  # due in October: not yet
    assert not any("gone@" in m.to[0] for m in mail.outbox)
    assert "1 digest sent" in output


def test_running_twice_on_one_day_sends_nothing_the_second_time(world):
    run()
    first = len(mail.outbox)
    assert first == 2
    output = run()
    assert len(mail.outbox) == first
    assert "0 digests sent" in output
    assert ReminderLog.objects.filter(organisation=world.council, sent_on=TODAY).count() == 1


def test_next_day_sends_again(world):
    run()
    run(TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 4


def test_done_and_shared_actions(world):
    world.exempt_action.change_status(None, "done", "")
    world.council_action.shared_with.add(world.nhs)
    run()
    nhs_mail = [m for m in mail.outbox if m.to == ["nhs-officer@example.org"]]
    assert len(nhs_mail) == 1 and PUBLIC_ACTION in nhs_mail[0].body
    assert not any(EXEMPT_ACTION in m.body for m in mail.outbox)


def test_failed_send_can_be_retried(world, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with pytest.raises(OSError):
        run()
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 2


def test_bad_date_is_a_command_error(world):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_action_reminders", "--date=28/08/2011")


def test_reminder_task(world):
    from boards.actions.tasks import send_action_reminders_task

    result = send_action_reminders_task.enqueue()
    # Today is long after 2011: every open action is overdue, so each agency with staff gets a digest.
    assert result.return_value == 3
    assert send_action_reminders_task.enqueue().return_value == 0
