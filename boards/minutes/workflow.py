"""The "Minutes approval" workflow: its idempotent setup (after every migrate, boards.signal_handlers).

Minutes alone are moderated; the chair's approval publishes them as the approver (boards.minutes.publish_on_approval).
"""

import logging

from django.db import transaction
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from boards.models import ChairApprovalTask
from boards.models.minutes import CHAIR_TASK_NAME, MINUTES_WORKFLOW_NAME

logger = logging.getLogger(__name__)


@transaction.atomic
def ensure_minutes_workflow():
    """Create the workflow and its chair task if missing; take Wagtail's default workflow off the root.

    Wagtail's own migration assigns "Moderators approval" to the root page, which would moderate
    boards and meetings too; DESIGN.md says only minutes are moderated.
    """
    task = ChairApprovalTask.objects.filter(name=CHAIR_TASK_NAME).first()
    if task is None:
        task = ChairApprovalTask.objects.create(name=CHAIR_TASK_NAME)
    workflow, created = Workflow.objects.get_or_create(name=MINUTES_WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    root = Page.get_first_root_node()
    if root is not None:
        removed, _ = WorkflowPage.objects.filter(page=root).exclude(workflow=workflow).delete()
        if removed:
            logger.info("default workflow taken off the root page: only minutes are moderated")
    if created:
        logger.info("created workflow %r with task %r", workflow.name, task.name)
    return workflow
