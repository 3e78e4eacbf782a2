"""Email to the chair and vice-chair of the minutes' board when minutes are submitted for their approval.

Connected to Wagtail's task_submitted signal by boards.signal_handlers.
"""

from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState

from boards import permissions
from boards.models import ChairApprovalTask


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
        approvers = permissions.approvers_of(board)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            approvers = approvers.exclude(pk=triggering_user.pk)
        return set(approvers)
