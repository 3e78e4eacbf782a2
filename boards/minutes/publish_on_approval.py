"""The finish action of the "Minutes approval" workflow (WAGTAIL_FINISH_WORKFLOW_ACTION): publish as the approver.

Wagtail imports this module while wagtail.models is loading, so it imports models only when called.
"""

import logging

from wagtail.workflows import publish_workflow_state

logger = logging.getLogger(__name__)


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish minutes as the approver without a page publish permission.

    The chair's right to publish comes from ChairApprovalTask (Membership of that board), not from a
    Chairs-wide GroupPagePermission that would let every chair publish any page; the approval stamp
    checked by MinutesPage.publish still applies. Other objects fall back to Wagtail's default.
    """
    from wagtail.models import Page  # local: Wagtail imports this module while wagtail.models is loading

    from boards.models import MinutesPage  # local: Wagtail imports this module while wagtail.models is loading

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
