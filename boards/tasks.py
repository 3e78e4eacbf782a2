"""Background tasks of the boards app (django-tasks): PDF rendering on publish.

Immediate in dev and tests; django-tasks-db's worker in production. Other tasks may join this module.
"""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def render_minutes_pdfs(page_id):
    """Render and store the public and full PDFs of published minutes (skipped if already current)."""
    from boards import pdf
    from boards.models import MinutesPage

    page = MinutesPage.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return []
    return [pdf.ensure_pdf(page, "minutes", full)[0] for full in (False, True)]


@task()
def render_agenda_pdfs(page_id):
    """Render and store the agenda packs of a published meeting whose agenda is published."""
    from boards import pdf
    from boards.models import MeetingPage

    meeting = MeetingPage.objects.filter(pk=page_id, live=True).first()
    if meeting is None or not meeting.agenda_published_at:
        return []
    # The public pack only once the agenda is public (an agenda may be published with a future time).
    variants = (False, True) if meeting.agenda_is_published else (True,)
    return [pdf.ensure_pdf(meeting, "agenda", full)[0] for full in variants]
