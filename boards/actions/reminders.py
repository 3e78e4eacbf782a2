"""Action reminder digests: each agency's staff get one email a day listing actions due within 7 days or overdue.

A ReminderLog row per agency per day makes a second run on the same day send nothing.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from boards import permissions
from boards.models import Organisation, ReminderLog
from boards.models.actions import OPEN_STATUSES

logger = logging.getLogger(__name__)

DUE_WITHIN_DAYS = 7


def actions_due_for(organisation, today):
    """The organisation's open actions (as its staff see them), due within 7 days or already overdue."""
    horizon = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    return (
        permissions.actions_of_organisation(organisation)
        .filter(status__in=OPEN_STATUSES, due_on__lte=horizon)
        .select_related("board")
        .order_by("due_on", "reference")
    )


def staff_emails(organisation):
    if organisation.group_id is None:
        return []
    users = organisation.group.user_set.filter(is_active=True).exclude(email="").order_by("email")
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def digest_text(organisation, actions, today):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    overdue = [a for a in actions if a.due_on < today]
    due = [a for a in actions if a.due_on >= today]
    lines = [f"Actions for {organisation.name} on {today:%d %B %Y}.", ""]
    for heading, group in (("Overdue", overdue), (f"Due in the next {DUE_WITHIN_DAYS} days", due)):
        if not group:
            continue
        lines += [f"{heading} ({len(group)}):", ""]
        for action in group:
            lines.append(
                f"- {action.reference} ({action.board.title}), due {action.due_on:%d %B %Y}, "
                f"{action.get_status_display().lower()}"
            )
            lines.append(f"  {action.description[:300]}")
            lines.append(f"  Update it: {base}{reverse('boards_action_status', args=[action.pk])}")
            lines.append("")
    lines.append("You receive this because you are on your agency's staff list in Partnership Records.")
    return "\n".join(lines)


def send_reminders(today=None, connection=None):
    """Send today's digests; returns [(organisation, recipients, actions)] for the ones actually sent."""
    today = today or timezone.localdate()
    sent = []
    connection = connection or get_connection()
    for organisation in Organisation.objects.select_related("group").order_by("name"):
        actions = list(actions_due_for(organisation, today))
        recipients = staff_emails(organisation)
        if not actions or not recipients:
            continue
        try:
            with transaction.atomic():
                # The unique (organisation, sent_on) row is taken first: a second run, even a concurrent one,
                # fails here and sends nothing; a failed send rolls the row back so a retry can send.
                ReminderLog.objects.create(
                    organisation=organisation, sent_on=today, recipients=len(recipients), actions=len(actions)
                )
                subject = f"Actions due: {len(actions)} for {organisation.display_name}"
                body = digest_text(organisation, actions, today)
                messages = [EmailMessage(subject, body, to=[email]) for email in recipients]
                connection.send_messages(messages)
        except IntegrityError:
            logger.info("reminder already sent organisation=%s on=%s", organisation.pk, today)
            continue
        logger.info(
            "reminder sent organisation=%s recipients=%s actions=%s", organisation.pk, len(recipients), len(actions)
        )
        sent.append((organisation, recipients, actions))
    return sent
