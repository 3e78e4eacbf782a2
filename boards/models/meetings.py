"""Meetings and what hangs off them: agenda items, attendance, declarations.

A meeting page is public once scheduled; its agenda only from `agenda_published_at`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route
from wagtail.models import Orderable, Page
from wagtail.search import index

from boards.dates import meeting_slug

from . import delegates
from .forms import MeetingPageForm

EXEMPTION_PARAGRAPHS = [
    (1, "1 — Information relating to any individual"),
    (2, "2 — Information likely to reveal the identity of an individual"),
    (3, "3 — Financial or business affairs of any particular person"),
    (4, "4 — Labour relations consultations or negotiations"),
    (5, "5 — Legal professional privilege"),
    (6, "6 — Notices, orders or directions under an enactment"),
    (7, "7 — Prevention, investigation or prosecution of crime"),
]


NO_ATTENDANCE = {"present": [], "apologies": [], "absent": []}


class MeetingPage(RoutablePageMixin, Page):
    """One meeting of a board; its slug is the meeting's date."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        POSTPONED = "postponed", "Postponed"

    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    agenda_published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by “Publish agenda”. Agenda items are public only from this moment.",
    )
    lateness_reason = models.TextField(
        blank=True,
        help_text="Why the agenda was published fewer than 5 clear working days before the meeting.",
    )

    content_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("venue"),
                FieldPanel("status"),
                FieldPanel("title", help_text="Leave blank to use the board name and date."),
            ],
            heading="Meeting",
        ),
        MultiFieldPanel(
            [FieldPanel("agenda_published_at", read_only=True), FieldPanel("lateness_reason")],
            heading="Agenda publication",
        ),
        InlinePanel("agenda_items", heading="Agenda", label="Agenda item"),
        InlinePanel("attendances", heading="Attendance", label="Attendee"),
        InlinePanel("declarations", heading="Declarations of interest", label="Declaration"),
    ]
    search_fields = Page.search_fields + [index.SearchField("venue"), index.FilterField("starts_at")]
    parent_page_types = ["boards.BoardPage"]
    subpage_types = ["boards.MinutesPage"]
    base_form_class = MeetingPageForm

    class Meta:
        verbose_name = "meeting page"

    def __str__(self):
        return self.title

    @property
    def board(self):
        return self.get_parent().specific

    @property
    def agenda_is_published(self):
        return bool(self.agenda_published_at) and self.agenda_published_at <= timezone.now()

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at).date()

    def default_title(self, board=None):
        when = date_format(timezone.localtime(self.starts_at), "j F Y")
        return f"{board.title} — {when}" if board is not None else f"Meeting — {when}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The meeting must end after it starts."})

    def full_clean(self, *args, **kwargs):
        if self.starts_at and not self.slug:
            self.slug = meeting_slug(self.starts_at)
        if self.starts_at and not self.title:
            self.title = self.default_title()
        super().full_clean(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        board = self.get_parent().specific
        user = getattr(request, "user", None)
        can_see_restricted = delegates.can_view_restricted(user, board)
        show_agenda = delegates.can_see_agenda(user, self, board)
        items = []
        if show_agenda:
            items = list(
                AgendaItem.objects.filter(meeting=self)
                .select_related("lead_organisation", "presenter")
                .order_by("sort_order")
            )
            # Papers and tag names in one query each: the prefetches of modelcluster and taggit build a
            # queryset per item.
            papers, tag_names = {}, {}
            links = AgendaItem.papers.through.objects.filter(agendaitem__meeting=self).select_related("document")
            for link in links.order_by("pk"):
                papers.setdefault(link.agendaitem_id, []).append(link.document)
            pairs = AgendaItemTag.objects.filter(content_object__meeting=self).order_by("pk")
            for item_id, name in pairs.values_list("content_object_id", "tag__name"):
                tag_names.setdefault(item_id, []).append(name)
            for item in items:
                item.paper_list = papers.get(item.pk, [])
                item.tag_names = tag_names.get(item.pk, [])
        register = self.attendance_register() if self.status == self.Status.HELD else NO_ATTENDANCE
        context.update(
            {
                "board": board,
                "show_agenda": show_agenda,
                "agenda_items": items,
                "can_see_restricted": can_see_restricted,
                **register,
                "minutes_page": self.published_minutes(),
            }
        )
        return context

    def attendance_rows(self):
        """The meeting's attendance rows in order, with person, agency and substituted member (one query)."""
        return list(
            Attendance.objects.filter(meeting=self)
            .select_related("person", "on_behalf_of", "substitute_for")
            .order_by("sort_order")
        )

    def attendance_register(self):
        """{"present": […], "apologies": […], "absent": […]}: the meeting's attendance in order (one query)."""
        attendances = self.attendance_rows()
        return {
            "present": [a for a in attendances if a.status == Attendance.Status.PRESENT],
            "apologies": [a for a in attendances if a.status == Attendance.Status.APOLOGIES],
            "absent": [a for a in attendances if a.status == Attendance.Status.ABSENT],
        }

    def get_view_restrictions(self):
        """As Wagtail's (its serve hook asks it on every request), in one query instead of two."""
        return delegates.view_restrictions_of(self)

    def published_minutes(self):
        """The live, unrestricted minutes of this meeting, or None (one query)."""
        from .minutes import MinutesPage  # local: minutes.py imports this module (minutes sit under their meeting)

        return delegates.public_minutes(MinutesPage.objects.child_of(self), few=True).first()

    # The agenda pack (boards.publishing.pdf): public once the agenda is published; the full one to the board.
    @property
    def agenda_pdf_url(self):
        return f"{self.url}agenda.pdf"

    @property
    def agenda_full_pdf_url(self):
        return f"{self.url}agenda-full.pdf"

    @route("agenda.pdf/", name="agenda_pdf")
    def agenda_pdf(self, request):
        return delegates.agenda_pdf(request, self, full=False)

    @route("agenda-full.pdf/", name="agenda_full_pdf")
    def agenda_full_pdf(self, request):
        return delegates.agenda_pdf(request, self, full=True)


def exemption_label(paragraph):
    """How an exempt item is labelled wherever the public sees it (pages, feeds, search, PDFs)."""
    return f"Exempt information — Schedule 12A paragraph {paragraph}"


class AgendaItemTag(TaggedItemBase):
    """A topic tag on an agenda item."""

    content_object = ParentalKey("boards.AgendaItem", on_delete=models.CASCADE, related_name="tagged_items")

    def __str__(self):
        return f"{self.tag} on {self.content_object}"


class AgendaItem(Orderable, ClusterableModel):
    """A numbered item of business on a meeting's agenda."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.CharField(max_length=10, help_text="e.g. “3” or “3a”; unique in the meeting.")
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        "boards.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="led_agenda_items"
    )
    presenter = models.ForeignKey(
        "boards.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="presented_agenda_items"
    )
    papers = ParentalManyToManyField("wagtaildocs.Document", blank=True, related_name="agenda_items")
    exempt = models.BooleanField(
        default=False, help_text="Exempt information under the Local Government Act 1972, Schedule 12A."
    )
    exemption_paragraph = models.PositiveSmallIntegerField(null=True, blank=True, choices=EXEMPTION_PARAGRAPHS)
    tags = ClusterTaggableManager(through=AgendaItemTag, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("lead_organisation"), FieldPanel("presenter")]),
        FieldPanel("papers"),
        FieldRowPanel([FieldPanel("exempt"), FieldPanel("exemption_paragraph")]),
        FieldPanel("tags"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "agenda item"

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def anchor(self):
        return f"item-{self.number}"

    @property
    def exemption_label(self):
        return exemption_label(self.exemption_paragraph)

    def clean(self):
        self.number = (self.number or "").strip()
        if self.exempt and not self.exemption_paragraph:
            raise ValidationError({"exemption_paragraph": "Required when the item is exempt."})
        if not self.exempt and self.exemption_paragraph:
            raise ValidationError({"exemption_paragraph": "Only an exempt item has an exemption paragraph."})


class Attendance(Orderable):
    """Whether a person attended a meeting, and in what capacity."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    class Capacity(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        OFFICER = "officer", "Officer"
        GUEST = "guest", "Guest"

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("boards.Person", on_delete=models.PROTECT, related_name="attendances")
    on_behalf_of = models.ForeignKey(
        "boards.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.MEMBER)
    substitute_for = models.ForeignKey(
        "boards.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="substituted_attendances"
    )

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("on_behalf_of")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("capacity"), FieldPanel("substitute_for")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "attendance"

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"

    def clean(self):
        if self.capacity == self.Capacity.SUBSTITUTE and not self.substitute_for_id:
            raise ValidationError({"substitute_for": "Say whom this person substitutes for."})
        if self.substitute_for_id and self.substitute_for_id == self.person_id:
            raise ValidationError({"substitute_for": "A person cannot substitute for themselves."})


class Declaration(Orderable):
    """A declaration of interest by a person in an agenda item."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey("boards.Person", on_delete=models.PROTECT, related_name="declarations")
    item = models.CharField(
        max_length=10, blank=True, help_text="The agenda item number the interest relates to, if any."
    )
    nature = models.TextField(help_text="The nature of the interest.")

    panels = [FieldRowPanel([FieldPanel("person"), FieldPanel("item")]), FieldPanel("nature")]

    class Meta(Orderable.Meta):
        verbose_name = "declaration of interest"

    def __str__(self):
        return f"{self.person}: {self.nature[:40]}"
