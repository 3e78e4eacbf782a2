"""What happens when minutes or meetings are published or unpublished: PDFs made, or removed at once.

Connected in BoardsConfig.ready(); the work itself runs as django-tasks tasks (boards/tasks.py).
"""

import logging

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.utils import timezone
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState
from wagtail.signals import page_published, page_unpublished, task_submitted

from boards import pdf, tasks
from boards.models import ChairApprovalTask, MeetingPage, Membership, MinutesPage

logger = logging.getLogger(__name__)


@receiver(page_published, sender=MinutesPage)
def minutes_published(sender, instance, **kwargs):
    tasks.render_minutes_pdfs.enqueue(instance.pk)


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    if instance.agenda_published_at:
        tasks.render_agenda_pdfs.enqueue(instance.pk)
    # Attendance lives on the meeting: its minutes' PDFs carry it, so they follow the meeting.
    minutes = MinutesPage.objects.child_of(instance).live().first()
    if minutes is not None:
        tasks.render_minutes_pdfs.enqueue(minutes.pk)


@receiver(page_unpublished, sender=MinutesPage)
def minutes_unpublished(sender, instance, **kwargs):
    removed = pdf.delete_pdfs(instance, "minutes")
    logger.info("minutes page=%s unpublished: %s stored PDFs removed", instance.pk, removed)


@receiver(page_unpublished, sender=MeetingPage)
def meeting_unpublished(sender, instance, **kwargs):
    pdf.delete_pdfs(instance, "agenda")


class ChairApprovalSubmittedNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Emails the chair and vice-chair of the minutes' board when minutes are submitted for their approval.

    Wagtail's own notifier handles only group approval tasks; this one reuses its templates.
    """

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(instance.task.specific, ChairApprovalTask)

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object.specific
        board = getattr(page, "board", None)
        if board is None:
            return set()
        today = timezone.localdate()
        memberships = Membership.objects.filter(
            board_id=board.pk,
            role__in=[Membership.Role.CHAIR, Membership.Role.VICE_CHAIR],
            person__user__isnull=False,
        ).select_related("person")
        user_ids = {m.person.user_id for m in memberships if m.is_current(today)}
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            user_ids.discard(triggering_user.pk)
        return set(get_user_model().objects.filter(pk__in=user_ids))


chair_approval_submitted_notifier = ChairApprovalSubmittedNotifier()
task_submitted.connect(
    chair_approval_submitted_notifier, sender=TaskState, dispatch_uid="boards_chair_approval_submitted_email"
)
