"""What happens when minutes or meetings are published or unpublished: PDFs made, or removed at once.

Connected in BoardsConfig.ready(); the work itself runs as django-tasks tasks (boards/tasks.py).
"""

import logging

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from boards import pdf, tasks
from boards.models import MeetingPage, MinutesPage

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
