"""Background tasks for actions and permissions (django-tasks): the daily grant rebuild and reminder digests.

A scheduler (cron, or a periodic enqueue) runs both daily; each is idempotent for the day.
"""

import logging

from django_tasks import task

from boards.grants import sync_all

from .reminders import send_reminders

logger = logging.getLogger(__name__)


@task()
def sync_permissions_task():
    """Rebuild every guardian grant from the data; returns the number of rows changed."""
    return sync_all().changes


@task()
def send_action_reminders_task():
    """Email each agency its digest of actions due within 7 days or overdue; returns how many digests were sent."""
    return len(send_reminders())
