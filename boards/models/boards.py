"""Boards: the index of boards, each board page, its partner agencies and members.

Membership follows Popolo's shape: a person, on behalf of an organisation, in a role, between dates.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as route
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from boards.dates import meeting_when

from . import delegates
from .meetings import MeetingPage


def _check_dates(start, end, start_name, end_name):
    if start and end and end < start:
        raise ValidationError({end_name: f"Must be on or after the {start_name.replace('_', ' ')}."})


class BoardIndexPage(Page):
    """The list of every board: /boards/."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["boards.BoardPage"]
    max_count = 1

    class Meta:
        verbose_name = "board index page"

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        boards = (
            BoardPage.objects.child_of(self)
            .live()
            .public()
            .specific()
            .prefetch_related(
                models.Prefetch(
                    "partners",
                    queryset=BoardPartner.objects.select_related("organisation").order_by("sort_order"),
                )
            )
            .order_by("title")
        )
        context["boards"] = boards
        context["today"] = timezone.localdate()
        return context


class BoardPage(RoutablePageMixin, Page):
    """One partnership board: its remit, partners, members and meetings."""

    code = models.CharField(
        max_length=12,
        unique=True,
        help_text="Short code used in action references, e.g. OBPB.",
    )
    remit = RichTextField(blank=True)
    meeting_frequency = models.CharField(max_length=100, blank=True, help_text="e.g. “Quarterly”.")

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("code"), FieldPanel("meeting_frequency")], heading="Board"),
        FieldPanel("remit"),
        InlinePanel("partners", heading="Partner organisations", label="Partner"),
        InlinePanel("memberships", heading="Members", label="Membership"),
    ]
    search_fields = Page.search_fields + [index.SearchField("remit"), index.FilterField("code")]
    parent_page_types = ["boards.BoardIndexPage"]
    subpage_types = ["boards.MeetingPage"]

    class Meta:
        verbose_name = "board page"
        permissions = [("view_restricted", "Can view restricted content of the board")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()

    def current_partners(self, on=None):
        on = on or timezone.localdate()
        return [p for p in self.partners.all() if p.is_current(on)]

    def current_memberships(self, on=None):
        on = on or timezone.localdate()
        return [m for m in self.memberships.all() if m.is_current(on)]

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        partners = BoardPartner.objects.filter(board=self).select_related("organisation").order_by("sort_order")
        memberships = (
            Membership.objects.filter(board=self).select_related("person", "on_behalf_of").order_by("sort_order")
        )
        meetings = self.meeting_listing(request)
        now = timezone.now()
        upcoming = [m for m in meetings if m.starts_at >= now]
        past = sorted((m for m in meetings if m.starts_at < now), key=lambda m: m.starts_at, reverse=True)
        context.update(
            {
                "partners": [p for p in partners if p.is_current(today)],
                "former_partners": [p for p in partners if not p.is_current(today)],
                "members": [m for m in memberships if m.is_current(today)],
                "upcoming_meetings": upcoming,
                "past_meetings_by_year": [
                    (year, list(items))
                    for year, items in groupby(past, key=lambda m: timezone.localtime(m.starts_at).year)
                ],
            }
        )
        return context

    def meeting_listing(self, request=None):
        """The board's live, public meetings as light rows (url, times, venue, status) in date order.

        A board lists a decade of meetings: rows are read as values, not pages, each URL is the board's
        own URL and the meeting's url_path below it (what {% pageurl %} would reverse for each), and the
        printed times are memoised (boards.dates).
        """
        base = self.get_url(request)
        labels = dict(MeetingPage.Status.choices)
        rows = (
            MeetingPage.objects.child_of(self)
            .live()
            .public()
            .order_by("starts_at")
            .values_list("url_path", "starts_at", "venue", "status")
        )
        listing = []
        for url_path, starts_at, venue, status in rows:
            iso, when = meeting_when(starts_at)
            url = base + url_path[len(self.url_path) :] if base is not None else None
            listing.append(MeetingListing(url, starts_at, iso, when, venue, status, labels.get(status, status)))
        return listing

    # Feeds of this board (boards.publishing): RSS and Atom of published minutes, iCalendar of meetings.
    @route("feed/rss/", name="minutes_rss")
    def minutes_rss(self, request):
        return delegates.minutes_rss(request, self)

    @route("feed/atom/", name="minutes_atom")
    def minutes_atom(self, request):
        return delegates.minutes_atom(request, self)

    @property
    def calendar_url(self):
        return f"{self.url}meetings.ics"

    @route("meetings.ics/", name="meetings_ics")
    def meetings_ics(self, request):
        return delegates.board_calendar(request, self)

    @route("actions/", name="actions")
    def action_log(self, request):
        """The public action log of this board (boards.actions.public_log)."""
        return delegates.public_action_log(request, self)


@dataclass(frozen=True)
class MeetingListing:
    """One meeting in a board's list (BoardPage.meeting_listing)."""

    url: str | None
    starts_at: datetime.datetime
    iso: str
    when: str
    venue: str
    status: str
    status_label: str


class BoardPartner(Orderable):
    """An organisation's seat on a board, between two dates."""

    board = ParentalKey(BoardPage, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "boards.Organisation", on_delete=models.PROTECT, related_name="board_partnerships"
    )
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True, help_text="Leave blank while the agency sits on the board.")

    panels = [FieldPanel("organisation"), FieldPanel("joined_on"), FieldPanel("left_on")]

    class Meta(Orderable.Meta):
        verbose_name = "board partner"

    def __str__(self):
        return f"{self.organisation} on {self.board}"

    def clean(self):
        _check_dates(self.joined_on, self.left_on, "joined_on", "left_on")

    def is_current(self, on=None):
        on = on or timezone.localdate()
        if self.joined_on and self.joined_on > on:
            return False
        return not (self.left_on and self.left_on <= on)


class Membership(Orderable):
    """A person's seat on a board, on behalf of an organisation, in a role."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        ADVISER = "adviser", "Adviser"

    board = ParentalKey(BoardPage, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("boards.Person", on_delete=models.PROTECT, related_name="memberships")
    on_behalf_of = models.ForeignKey(
        "boards.Organisation", on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    panels = [
        FieldPanel("person"),
        FieldPanel("on_behalf_of"),
        FieldPanel("role"),
        FieldPanel("start"),
        FieldPanel("end"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "membership"

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) on {self.board}"

    def clean(self):
        _check_dates(self.start, self.end, "start", "end")

    def is_current(self, on=None):
        on = on or timezone.localdate()
        if isinstance(on, datetime.datetime):
            on = on.date()
        if self.start and self.start > on:
            return False
        return not (self.end and self.end < on)
