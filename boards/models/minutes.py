"""Minutes: the single minutes page of a meeting, its entries, and the chair's approval task.

Minutes are never published without `approved_on`; the rule lives here, in the model layer.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Task, TaskState, Workflow

from . import delegates
from .forms import OTHER_MEETINGS_ITEM, MinutesPageForm
from .meetings import AgendaItem, Declaration, MeetingPage

logger = logging.getLogger(__name__)

MINUTES_WORKFLOW_NAME = "Minutes approval"
CHAIR_TASK_NAME = "Chair or vice-chair approval"


class MinutesNotApproved(PermissionDenied):
    """Raised when anything tries to publish minutes that have no `approved_on`."""

    def __init__(self, page=None):
        title = getattr(page, "title", "These minutes")
        super().__init__(f"“{title}” cannot be published: the minutes have not been approved by the chair.")


class MinutesNotCopied(PermissionDenied):
    """Raised when anything tries to copy, alias or move minutes to another meeting."""

    def __init__(self, page=None, what="copied"):
        title = getattr(page, "title", "These minutes")
        super().__init__(
            f"“{title}” cannot be {what}: minutes are the record of one meeting. Draft minutes for the other "
            "meeting instead."
        )


# The approval is sealed to exactly what the chair approved: this content, of this page, under this meeting.
# A copy (another page), a move (another meeting), an edit or a revert (other content) breaks the seal, and
# nothing publishes minutes whose seal is broken. Not a secret: the admin cannot set the seal, only the
# approval task (record_approval) and trusted imports (stamp_approval) do.
SEALED_FIELDS = ("title", "correction_note", "approved_on", "approved_by", "approved_by_user", "corrected_at")
SEALED_ENTRY_FIELDS = ("agenda_item", "discussion", "resolution", "public_summary")


def approval_seal(page_id, meeting_id, content):
    """The seal of an approval over revision-style content (a dict as `serializable_data` or a revision holds)."""
    content = json.loads(json.dumps(content, cls=DjangoJSONEncoder))
    entries = [[entry.get(name) for name in SEALED_ENTRY_FIELDS] for entry in content.get("entries") or []]
    sealed = {name: content.get(name) for name in SEALED_FIELDS}
    sealed.update(page=int(page_id), meeting=meeting_id, entries=sorted(entries, key=json.dumps))
    return hashlib.sha256(json.dumps(sealed, sort_keys=True).encode()).hexdigest()


def _meeting_id_of(page_id):
    """The id of the page's parent in the tree now (the meeting its minutes record)."""
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if not path:
        return None
    return Page.objects.filter(path=path[: -Page.steplen]).values_list("pk", flat=True).first()


def superseded_by_live_correction(page_id, corrected_at):
    """Whether the live minutes carry a newer approved correction than a version corrected at `corrected_at`.

    A revert to the first approved version would otherwise undo the chair's later correction unapproved.
    """
    live = MinutesPage.objects.filter(pk=page_id, live=True).values_list("corrected_at", flat=True).first()
    if live is None:
        return False
    if isinstance(corrected_at, str):
        corrected_at = parse_datetime(corrected_at)
    return corrected_at is None or corrected_at < live.replace(microsecond=0)


def revision_is_approved(revision):
    """Whether a minutes revision carries an approval sealed to its own content, page and meeting."""
    if revision is None or not revision.content.get("approved_on"):
        return False
    seal = revision.content.get("approval_seal")
    meeting_id = _meeting_id_of(revision.object_id)
    if not seal or seal != approval_seal(revision.object_id, meeting_id, revision.content):
        return False
    return not superseded_by_live_correction(revision.object_id, revision.content.get("corrected_at"))


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
    # Set only by record_approval/stamp_approval; see approval_seal().
    approval_seal = models.CharField(max_length=64, blank=True, editable=False)

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
        # Then the meeting's actions ("Add action" prefilled) and open actions carried forward: a panel above the
        # models (boards.actions.panels), added by boards.registrations in BoardsConfig.ready().
    ]
    base_form_class = MinutesPageForm
    parent_page_types = ["boards.MeetingPage"]
    subpage_types = []
    max_count_per_parent = 1
    # A copy never carries the approval, in the page or in any copied revision (Wagtail blanks excluded fields
    # in both); the admin refuses to copy minutes at all (permissions.MinutesPermissionTester, boards.minutes.hooks).
    exclude_fields_in_copy = ["approved_on", "approved_by", "approved_by_user", "corrected_at", "approval_seal"]

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
        return delegates.minutes_permission_tester(user, self)

    def latest_version_is_approved(self):
        """Whether the version that publishing would make live carries a sealed approval."""
        revision = self.get_latest_revision() if self.pk else None
        if revision is None:
            return self.approval_is_valid()
        return revision_is_approved(revision)

    def current_seal(self):
        """The seal this in-memory version would need: its content, its page and its meeting now."""
        meeting = self.meeting
        return approval_seal(self.pk, meeting.pk if meeting else None, self.serializable_data())

    def approval_is_valid(self):
        """Whether this version's approval was sealed over exactly this content, page and meeting."""
        if not (self.pk and self.approved_on and self.approval_seal and self.approval_seal == self.current_seal()):
            return False
        return not superseded_by_live_correction(self.pk, self.corrected_at)

    def save_revision(self, *args, **kwargs):
        """A version whose approval seal does not match its content is saved as not approved.

        An edit of approved minutes (a correction), a revert to an older version, an edit after unpublishing or
        an approval date typed in: each needs the chair's approval again (record_approval seals it).
        """
        if self.approved_on and not self.approval_is_valid():
            logger.info(
                "minutes page=%s saved with changes since approval: approval cleared until re-approved", self.pk
            )
            self.approved_on = None
            self.approval_seal = ""
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

    def meeting_in_tree(self):
        """The parent meeting, also for a page being added (its path is set before it is first saved)."""
        if self.pk:
            return self.meeting
        if not self.path:
            return None
        return MeetingPage.objects.filter(path=self.path[: -self.steplen]).first()

    def clean(self):
        super().clean()
        foreign = foreign_entries(self.meeting_in_tree(), self.entries.all())
        if foreign:
            numbers = ", ".join(sorted(str(entry.agenda_item) for entry in foreign))
            raise ValidationError(f"{OTHER_MEETINGS_ITEM} Not of this meeting: {numbers}.")

    def save(self, *args, **kwargs):
        # The last line of defence: whatever path made the page live, it must carry an approval.
        update_fields = kwargs.get("update_fields")
        touches_approval = update_fields is None or {"live", "approved_on"} & set(update_fields)
        if self.live and not self.approved_on and touches_approval:
            raise MinutesNotApproved(self)
        if update_fields is None and foreign_entries(self.meeting_in_tree(), self.entries.all()):
            # A full save writes the entries too; Wagtail cleans only live pages, so check drafts here.
            raise ValidationError(OTHER_MEETINGS_ITEM)
        if self._state.adding and self.alias_of_id:
            # An alias mirrors its source, approval and all, under another meeting.
            raise MinutesNotCopied(self, "aliased")
        return super().save(*args, **kwargs)

    # --- public page -------------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        # Minutes of an unpublished meeting stay live in the tree, but are not public: page and PDFs 404.
        if not delegates.minutes_are_servable(self):
            raise Http404("This meeting is not published.")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        meeting = self.meeting
        board = self.board
        user = getattr(request, "user", None)
        can_see_restricted = delegates.can_view_restricted(user, board)
        context.update(
            {
                "meeting": meeting,
                "board": board,
                "can_see_restricted": can_see_restricted,
                "entries": self.entries_for_display(),
                **meeting.attendance_register(),
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
        if not delegates.minutes_in_sitemap(self):
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
        return delegates.minutes_pdf(request, self, full=False)

    @path("minutes-full.pdf/", name="minutes_full_pdf")
    def minutes_full_pdf(self, request):
        return delegates.minutes_pdf(request, self, full=True)


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

    def clean(self):
        super().clean()
        try:
            page = self.page
        except MinutesPage.DoesNotExist:
            return
        meeting = page.meeting_in_tree() if page is not None else None
        if self.agenda_item_id and meeting is not None and foreign_entries(meeting, [self]):
            raise ValidationError({"agenda_item": OTHER_MEETINGS_ITEM})


def foreign_entries(meeting, entries):
    """The entries whose agenda item is not one of `meeting`'s (all of them when there is no meeting)."""
    entries = [entry for entry in entries if entry.agenda_item_id]
    if not entries:
        return []
    if meeting is None:
        return entries
    own = set(AgendaItem.objects.filter(meeting_id=meeting.pk).values_list("pk", flat=True))
    return [entry for entry in entries if entry.agenda_item_id not in own]


def refuse_moving_minutes(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """pre_page_move receiver: minutes never move to another meeting, by any path (admin, bulk, code).

    Raised before Wagtail writes anything. A meeting moved with its minutes keeps them: same meeting.
    """
    if parent_page_before is not None and parent_page_before.pk != parent_page_after.pk:
        raise MinutesNotCopied(instance, "moved")


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
        return delegates.can_approve_minutes(user, self._board_of(obj))

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
        board_paths = delegates.boards_user_chairs_paths(user)
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
    when = (when or timezone.now()).replace(microsecond=0)
    draft = page.get_latest_revision_as_object()
    live = MinutesPage.objects.filter(pk=page.pk, live=True).exclude(approved_on=None).first()
    if live is not None:
        stamp_approval(draft, live.approved_on, live.approved_by, live.approved_by_user_id, corrected_at=when)
    else:
        stamp_approval(draft, timezone.localdate(when), approver_name(user), user.pk)
    revision = draft.save_revision(user=user, log_action=False, clean=False)
    logger.info("minutes page=%s approved by user=%s correction=%s", page.pk, user.pk, live is not None)
    return revision


def stamp_approval(page, approved_on, approved_by, approved_by_user_id=None, corrected_at=None):
    """Set the approval on an in-memory version of saved minutes and seal it to that version's content.

    Only the chair's approval task (record_approval) and trusted imports of approved records call this; change
    the content afterwards and the seal breaks. Returns the page.
    """
    page.approved_on = approved_on
    page.approved_by = approved_by or ""
    page.approved_by_user_id = approved_by_user_id
    if corrected_at is not None:
        page.corrected_at = corrected_at
    page.approval_seal = page.current_seal()
    return page
