"""Minutes: the single minutes page of a meeting, its entries, and the chair's approval task.

Minutes are never published without `approved_on`; the rule lives here, in the model layer.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PagePermissionTester, Task, TaskState

from boards.panels import MeetingActionsPanel

logger = logging.getLogger(__name__)

MINUTES_WORKFLOW_NAME = "Minutes approval"
CHAIR_TASK_NAME = "Chair or vice-chair approval"


class MinutesNotApproved(PermissionDenied):
    """Raised when anything tries to publish minutes that have no `approved_on`."""

    def __init__(self, page=None):
        title = getattr(page, "title", "These minutes")
        super().__init__(f"“{title}” cannot be published: the minutes have not been approved by the chair.")


def revision_is_approved(revision):
    """Whether the content of a minutes revision carries an approval date."""
    return bool(revision is not None and revision.content.get("approved_on"))


class MinutesPermissionTester(PagePermissionTester):
    """Wagtail's tester, except that nobody may publish a version of the minutes that is not approved.

    This hides the admin's publish button and keeps the page out of bulk publishing.
    """

    def can_publish(self):
        if not super().can_publish():
            return False
        return self.page.latest_version_is_approved()


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
        # The meeting's actions ("Add action" prefilled) and open actions carried forward (boards.panels).
        MeetingActionsPanel(heading="Actions"),
    ]
    parent_page_types = ["boards.MeetingPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "minutes page"
        verbose_name_plural = "minutes pages"

    def __str__(self):
        return self.title

    # --- where the minutes sit ---------------------------------------------------------------

    @property
    def meeting(self):
        cached = getattr(self, "_meeting_cache", None)
        if cached is None:
            from .meetings import MeetingPage

            # Routing has usually cached the parent (and its own parent, the board) on the page already.
            parent = self.__dict__.get("_cached_parent_obj")
            if parent is not None and issubclass(parent.specific_class or Page, MeetingPage):
                cached = parent.specific
            else:
                cached = MeetingPage.objects.parent_of(self).first() if self.pk else None
            self._meeting_cache = cached
        return cached

    @property
    def board(self):
        cached = getattr(self, "_board_cache", None)
        if cached is None and self.meeting is not None:
            cached = self.meeting.get_parent().specific
            self._board_cache = cached
        return cached

    # --- approval ----------------------------------------------------------------------------

    def get_workflow(self):
        """Minutes (and only minutes) go through "Minutes approval", wherever they sit in the tree."""
        from wagtail.models import Workflow

        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        if not hasattr(self, "_minutes_workflow"):
            self._minutes_workflow = Workflow.objects.filter(name=MINUTES_WORKFLOW_NAME, active=True).first()
        return self._minutes_workflow

    @property
    def has_workflow(self):
        # Page.has_workflow looks only at tree assignments; minutes have theirs by type.
        return self.get_workflow() is not None

    def permissions_for_user(self, user):
        return MinutesPermissionTester(user, self)

    def latest_version_is_approved(self):
        """Whether the version that publishing would make live carries an approval."""
        revision = self.get_latest_revision() if self.pk else None
        if revision is None:
            return bool(self.approved_on)
        return revision_is_approved(revision)

    def _content_fingerprint(self, entries):
        return (
            self.title,
            self.correction_note,
            [(e.agenda_item_id, e.discussion, e.resolution, e.public_summary) for e in entries],
        )

    def _changed_since_live(self):
        """True when this in-memory version differs in substance from the live minutes."""
        live = MinutesPage.objects.filter(pk=self.pk, live=True).first()
        if live is None or not live.approved_on:
            return False, None
        live_entries = list(MinuteEntry.objects.filter(page_id=self.pk).order_by("sort_order", "pk"))
        mine = sorted(self.entries.all(), key=lambda e: e.sort_order or 0)
        return live._content_fingerprint(live_entries) != self._content_fingerprint(mine), live

    def save_revision(self, *args, **kwargs):
        """An edit of approved, published minutes is a correction: it needs approval again.

        The approval date is cleared from the new draft unless the caller stamped a new approval
        (the approval task sets `corrected_at`), so it cannot be published before the chair approves.
        """
        if self.pk and self.live:
            changed, live = self._changed_since_live()
            if (
                changed
                and self.approved_on == live.approved_on
                and self.corrected_at == live.corrected_at
                and self.approved_on is not None
            ):
                logger.info("minutes page=%s edited after approval: approval cleared until re-approved", self.pk)
                self.approved_on = None
        return super().save_revision(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """Refuse to publish (or schedule) a revision without an approval date."""
        if not revision_is_approved(revision):
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                # publish_scheduled must go on with other pages: drop this schedule instead of crashing.
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                logger.warning("scheduled publishing of unapproved minutes page=%s refused", self.pk)
                return None
            raise MinutesNotApproved(self)
        return super().publish(revision, *args, **kwargs)

    def save(self, *args, **kwargs):
        # The last line of defence: whatever path made the page live, it must carry an approval.
        update_fields = kwargs.get("update_fields")
        touches_approval = update_fields is None or {"live", "approved_on"} & set(update_fields)
        if self.live and not self.approved_on and touches_approval:
            raise MinutesNotApproved(self)
        return super().save(*args, **kwargs)

    # --- public page -------------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        # Minutes of an unpublished meeting stay live in the tree, but are not public: page and PDFs 404.
        meeting = self.meeting
        if meeting is None or not meeting.live:
            raise Http404("This meeting is not published.")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from boards import permissions

        from .meetings import Attendance, Declaration

        context = super().get_context(request, *args, **kwargs)
        meeting = self.meeting
        board = self.board
        user = getattr(request, "user", None)
        can_see_restricted = permissions.can_view_restricted(user, board)
        attendances = list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("person", "on_behalf_of", "substitute_for")
            .order_by("sort_order")
        )
        context.update(
            {
                "meeting": meeting,
                "board": board,
                "can_see_restricted": can_see_restricted,
                "entries": self.entries_for_display(),
                "present": [a for a in attendances if a.status == Attendance.Status.PRESENT],
                "apologies": [a for a in attendances if a.status == Attendance.Status.APOLOGIES],
                "absent": [a for a in attendances if a.status == Attendance.Status.ABSENT],
                "declarations": list(
                    Declaration.objects.filter(meeting=meeting).select_related("person").order_by("sort_order")
                ),
            }
        )
        return context

    def entries_for_display(self):
        """The entries in agenda order, each with its agenda item (two queries, also for previews).

        No query at all when the entries were prefetched with their agenda items (feeds of many minutes do).
        """
        from .meetings import AgendaItem

        entries = list(self.entries.all())
        field = MinuteEntry._meta.get_field("agenda_item")
        known = {e.agenda_item_id: e.agenda_item for e in entries if e.agenda_item_id and field.is_cached(e)}
        missing = {e.agenda_item_id for e in entries if e.agenda_item_id and e.agenda_item_id not in known}
        items = {**known, **(AgendaItem.objects.in_bulk(missing) if missing else {})}
        for entry in entries:
            if entry.agenda_item_id in items:
                entry.agenda_item = items[entry.agenda_item_id]
        return sorted(
            (e for e in entries if items.get(e.agenda_item_id) is not None),
            key=lambda e: (e.agenda_item.sort_order or 0, e.sort_order or 0),
        )

    def get_sitemap_urls(self, request=None):
        # Listed only when approved and its meeting is public too (a live child of an unpublished meeting is not).
        meeting = self.meeting
        if not self.approved_on or meeting is None or not meeting.live:
            return []
        return super().get_sitemap_urls(request)

    # --- PDFs --------------------------------------------------------------------------------

    @property
    def pdf_url(self):
        return f"{self.url}minutes.pdf"

    @property
    def full_pdf_url(self):
        return f"{self.url}minutes-full.pdf"

    @path("minutes.pdf/", name="minutes_pdf")
    def minutes_pdf(self, request):
        from boards import pdf

        return pdf.serve_minutes_pdf(request, self, full=False)

    @path("minutes-full.pdf/", name="minutes_full_pdf")
    def minutes_full_pdf(self, request):
        from boards import pdf

        return pdf.serve_minutes_pdf(request, self, full=True)


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

    @property
    def exempt(self):
        return bool(self.agenda_item_id and self.agenda_item.exempt)


def approver_name(user):
    """The approver's name as the minutes record it: their Person's name, else their account name."""
    person = getattr(user, "person", None)
    if person is not None:
        return person.name
    return user.get_full_name() or user.get_username()


class ChairApprovalTask(Task):
    """A workflow task approved only by the chair or vice-chair of the minutes' own board."""

    class Meta:
        verbose_name = "chair approval task"

    def __str__(self):
        return self.name

    @staticmethod
    def _board_of(obj):
        page = obj.specific if isinstance(obj, Page) else obj
        return getattr(page, "board", None)

    def _can_approve(self, obj, user):
        from boards import permissions

        return permissions.can_approve_minutes(user, self._board_of(obj))

    def user_can_access_editor(self, obj, user):
        return self._can_approve(obj, user)

    def locked_for_user(self, obj, user):
        # While waiting for the chair, only the chair may change the minutes (as GroupApprovalTask does).
        return not self._can_approve(obj, user)

    def user_can_lock(self, obj, user):
        return self._can_approve(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._can_approve(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from boards import permissions

        board_paths = permissions.boards_user_chairs_paths(user)
        if not board_paths:
            return TaskState.objects.none()
        query = models.Q()
        for board_path in board_paths:
            query |= models.Q(path__startswith=board_path)
        page_ids = [str(pk) for pk in MinutesPage.objects.filter(query).values_list("pk", flat=True)]
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=page_ids)

    def on_action(self, task_state, user, action_name, **kwargs):
        page = task_state.workflow_state.content_object.specific
        if not self._can_approve(page, user):
            raise PermissionDenied("Only the chair or vice-chair of this board may approve its minutes.")
        if action_name == "approve":
            record_approval(page, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("The chair or vice-chair of the minutes' own board approves them")


def record_approval(page, user, when=None):
    """Stamp the approval on a new revision, which the workflow's finish action then publishes.

    First approval sets approved_on/approved_by; approving a correction of published minutes keeps the
    original approval and sets corrected_at.
    """
    when = when or timezone.now()
    draft = page.get_latest_revision_as_object()
    live = MinutesPage.objects.filter(pk=page.pk, live=True).exclude(approved_on=None).first()
    if live is not None:
        draft.approved_on = live.approved_on
        draft.approved_by = live.approved_by
        draft.approved_by_user_id = live.approved_by_user_id
        draft.corrected_at = when
    else:
        draft.approved_on = timezone.localdate(when)
        draft.approved_by = approver_name(user)
        draft.approved_by_user = user
    revision = draft.save_revision(user=user, log_action=False, clean=False)
    logger.info("minutes page=%s approved by user=%s correction=%s", page.pk, user.pk, live is not None)
    return revision
