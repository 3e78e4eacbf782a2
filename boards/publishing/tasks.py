"""Background tasks of publishing (django-tasks): rendering the PDFs of minutes and agendas when they are published.

Immediate in dev and tests; django-tasks-db's worker in production.
"""

import logging

from django_tasks import task

from boards.models import MeetingPage, MinutesPage
from boards.publishing.pdf import storage

logger = logging.getLogger(__name__)


@task()
def render_minutes_pdfs(page_id):
    """Render and store the public and full PDFs of published minutes (skipped if already current)."""
    page = MinutesPage.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return []
    return [storage.ensure_pdf(page, "minutes", full)[0] for full in (False, True)]


@task()
def render_agenda_pdfs(page_id):
    """Render and store the agenda packs of a published meeting whose agenda is published."""
    meeting = MeetingPage.objects.filter(pk=page_id, live=True).first()
    if meeting is None or not meeting.agenda_published_at:
        return []
    # The public pack only once the agenda is public (an agenda may be published with a future time).
    variants = (False, True) if meeting.agenda_is_published else (True,)
    return [storage.ensure_pdf(meeting, "agenda", full)[0] for full in variants]
