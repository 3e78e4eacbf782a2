"""Email to the chair and vice-chair of the minutes' board when minutes are submitted for their approval.

Connected to Wagtail's task_submitted signal by boards.signal_handlers.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState

from boards.models import ChairApprovalTask, Membership


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
