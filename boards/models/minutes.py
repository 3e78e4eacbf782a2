"""Minutes: the single minutes page of a meeting, its entries, and the chair's approval task.

Minutes are never published without `approved_on`; the rule lives here, in the model layer.
"""

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Task


class MinutesPage(RoutablePageMixin, Page):
    """The minutes of one meeting: the single child of a meeting page, slug `minutes`."""

    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True, help_text="Name of the approving chair.")
    approved_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    correction_note = models.TextField(
        blank=True, help_text="For corrections after publication, e.g. “Minute 2 corrected: …”."
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    content_panels = [
        FieldPanel("title"),
        InlinePanel("entries", heading="Minutes", label="Minute"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("approved_on", read_only=True), FieldPanel("approved_by", read_only=True)]),
                FieldPanel("correction_note"),
            ],
            heading="Approval",
        ),
    ]
    parent_page_types = ["boards.MeetingPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "minutes page"
        verbose_name_plural = "minutes pages"

    def __str__(self):
        return self.title


class MinuteEntry(Orderable):
    """The minute of one agenda item: discussion and resolution."""

    page = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey("boards.AgendaItem", on_delete=models.PROTECT, related_name="minute_entries")
    discussion = RichTextField(blank=True)
    resolution = models.TextField(blank=True, help_text="What the board resolved.")
    public_summary = models.TextField(
        blank=True,
        help_text="For an exempt item: the written summary the public may see (LGA 1972 s100C(2)).",
    )

    panels = [
        FieldPanel("agenda_item"),
        FieldPanel("discussion"),
        FieldPanel("resolution"),
        FieldPanel("public_summary"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "minute entry"
        verbose_name_plural = "minute entries"

    def __str__(self):
        return f"Minute {self.agenda_item.number}" if self.agenda_item_id else "Minute"


class ChairApprovalTask(Task):
    """A workflow task approved only by the chair or vice-chair of the minutes' own board."""

    class Meta:
        verbose_name = "chair approval task"

    def __str__(self):
        return self.name
