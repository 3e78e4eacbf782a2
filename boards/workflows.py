"""The "Minutes approval" workflow: its idempotent setup and its finish action.

Minutes alone are moderated; the chair's approval publishes them as the approver.
"""

import logging

from django.db import transaction
from wagtail.workflows import publish_workflow_state

logger = logging.getLogger(__name__)


@transaction.atomic
def ensure_minutes_workflow():
    """Create the workflow and its chair task if missing; take Wagtail's default workflow off the root.

    Wagtail's own migration assigns "Moderators approval" to the root page, which would moderate
    boards and meetings too; DESIGN.md says only minutes are moderated.
    """
    from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

    from boards.models import ChairApprovalTask
    from boards.models.minutes import CHAIR_TASK_NAME, MINUTES_WORKFLOW_NAME

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


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish minutes as the approver without a page publish permission.

    The chair's right to publish comes from ChairApprovalTask (Membership of that board), not from a
    Chairs-wide GroupPagePermission that would let every chair publish any page; the approval stamp
    checked by MinutesPage.publish still applies. Other objects fall back to Wagtail's default.
    """
    from wagtail.models import Page

    from boards.models import MinutesPage

    obj = workflow_state.content_object
    if isinstance(obj, Page):
        obj = obj.specific
    if isinstance(obj, MinutesPage):
        # Fresh from the database: the approval stamp was saved as a new revision after the state was loaded.
        revision = MinutesPage.objects.get(pk=obj.pk).get_latest_revision()
        revision.publish(user=user, skip_permission_checks=True)
        logger.info("minutes page=%s published on approval by user=%s", obj.pk, getattr(user, "pk", None))
        return
    publish_workflow_state(workflow_state, user=user)
