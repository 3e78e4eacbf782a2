"""Actions agreed at meetings, owned by an agency, and their history of updates.

References (OBPB/2011/06/3) come from a per-board, per-month sequence and are never reused.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.search import index


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
REFERENCE_RE = re.compile(r"^(?P<code>[A-Za-z0-9_-]+)/(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<number>\d+)$")

logger = logging.getLogger(__name__)


def allocate_reference(board, on):
    """The next unused reference for a board in the month of `on`: CODE/YYYY/MM/N.

    The sequence row is locked (select_for_update) so concurrent creations get different numbers; numbers only
    grow, so a deleted action's reference is never handed out again.
    """
    with transaction.atomic():
        ActionReferenceSequence.objects.get_or_create(board_id=board.pk, year=on.year, month=on.month)
        sequence = ActionReferenceSequence.objects.select_for_update().get(
            board_id=board.pk, year=on.year, month=on.month
        )
        while True:
            sequence.last_number += 1
            reference = f"{board.code}/{on.year}/{on.month:02d}/{sequence.last_number}"
            # An imported action may already hold this number if its sequence was not advanced.
            if not Action.objects.filter(reference=reference).exists():
                break
        sequence.save(update_fields=["last_number"])
    return reference


def record_reference(board, reference):
    """Keep the board's sequence ahead of a reference given from outside (an import); returns False if unparsable."""
    match = REFERENCE_RE.match(reference or "")
    if not match:
        return False
    year, month, number = int(match["year"]), int(match["month"]), int(match["number"])
    if not 1 <= month <= 12:
        return False
    with transaction.atomic():
        ActionReferenceSequence.objects.get_or_create(board_id=board.pk, year=year, month=month)
        ActionReferenceSequence.objects.select_for_update().filter(
            board_id=board.pk, year=year, month=month, last_number__lt=number
        ).update(last_number=number)
    return True


class ActionTag(TaggedItemBase):
    """A topic tag on an action."""

    content_object = ParentalKey("boards.Action", on_delete=models.CASCADE, related_name="tagged_items")

    def __str__(self):
        return f"{self.tag} on {self.content_object}"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def with_latest_update(self):
        """Each action with its latest update's note, time and status: one subquery each, no per-row queries."""
        latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
        return self.annotate(
            latest_update_note=Subquery(latest.values("note")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            latest_update_status=Subquery(latest.values("new_status")[:1]),
        )

    def carried_forward(self, meeting):
        """The board's actions still open from meetings before this one (whoever may see them: ask permissions)."""
        return self.filter(
            board_id=meeting.get_parent().pk, status__in=OPEN_STATUSES, meeting__starts_at__lt=meeting.starts_at
        )


class Action(index.Indexed, ClusterableModel):
    """Something a board asked an agency to do, by a date."""

    Status = ActionStatus

    reference = models.CharField(max_length=40, unique=True, editable=False)
    board = models.ForeignKey("boards.BoardPage", on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        "boards.MeetingPage", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    agenda_item = models.ForeignKey(
        "boards.AgendaItem", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey("boards.Organisation", on_delete=models.PROTECT, related_name="owned_actions")
    shared_with = models.ManyToManyField("boards.Organisation", blank=True, related_name="shared_actions")
    owner_person = models.ForeignKey(
        "boards.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="owned_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    tags = ClusterTaggableManager(through=ActionTag, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    search_fields = [
        index.SearchField("reference"),
        index.SearchField("description"),
        index.AutocompleteField("reference"),
        index.FilterField("status"),
        index.FilterField("owner"),
        index.FilterField("board"),
    ]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["board", "status"]),
            models.Index(fields=["due_on"]),
        ]

    def __str__(self):
        return f"{self.reference}: {self.description[:60]}"

    @property
    def anchor(self):
        """The id of this action's row in its board's public action log (search results link to it)."""
        return f"action-{slugify(self.reference.replace('/', '-'))}"

    @property
    def is_overdue(self):
        return self.status in OPEN_STATUSES and self.due_on < timezone.localdate()

    @property
    def overdue_label(self):
        return "yes" if self.is_overdue else "no"

    @property
    def meeting_date(self):
        """The meeting's local date, or None (reads the meeting: select_related it in listings)."""
        return timezone.localtime(self.meeting.starts_at).date() if self.meeting_id else None

    @property
    def owner_person_name(self):
        return self.owner_person.name if self.owner_person_id else ""

    @property
    def shared_with_names(self):
        """Names of the organisations it is shared with (prefetch shared_with in listings)."""
        return ", ".join(org.name for org in self.shared_with.all())

    def reference_date(self):
        """The meeting's date (London time) or, without a meeting, the day the action was created."""
        if self.meeting_id:
            return timezone.localtime(self.meeting.starts_at).date()
        return timezone.localtime(self.created_at).date()

    def clean(self):
        super().clean()
        if self.meeting_id and self.board_id and self.meeting.get_parent().pk != self.board_id:
            raise ValidationError({"meeting": "This meeting belongs to another board."})
        if self.agenda_item_id:
            if not self.meeting_id:
                raise ValidationError({"agenda_item": "Choose the meeting of this agenda item first."})
            if self.agenda_item.meeting_id != self.meeting_id:
                raise ValidationError({"agenda_item": "This agenda item is not on the chosen meeting's agenda."})

    def save(self, *args, **kwargs):
        if not self.reference:
            with transaction.atomic():
                self.reference = allocate_reference(self.board, self.reference_date())
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def change_status(self, user, new_status, note="", author_name=""):
        """Record an update (and perhaps a new status) under a row lock; returns the ActionUpdate.

        The lock serialises simultaneous updates, so both are recorded, in the order they were committed.
        """
        if new_status and new_status not in ActionStatus.values:
            raise ValidationError({"new_status": f"“{new_status}” is not a status."})
        with transaction.atomic():
            locked = Action.objects.select_for_update().get(pk=self.pk)
            if new_status == locked.status:
                new_status = ""
            update = ActionUpdate.objects.create(
                action=locked,
                author=user if getattr(user, "is_authenticated", False) else None,
                author_name=author_name or _user_display_name(user),
                note=note,
                new_status=new_status,
            )
            if new_status:
                locked.status = new_status
                locked.save(update_fields=["status", "updated_at"])
                self.status = new_status
        logger.info("action status action=%s new_status=%s user=%s", self.pk, new_status, getattr(user, "pk", None))
        return update


def _user_display_name(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_full_name() or user.get_username()


class ActionUpdate(models.Model):
    """One entry in an action's history: a note and, perhaps, a new status. Never edited."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_updates"
    )
    author_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)
    new_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action.reference} update {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # History is append-only: an existing update is never rewritten.
        if self.pk is not None or kwargs.get("force_update"):
            raise ValidationError("Action updates are never edited; add a new update instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Action updates are never deleted.")


class ActionReferenceSequence(models.Model):
    """The last action number used for a board in a month, so references are never reused."""

    board = models.ForeignKey("boards.BoardPage", on_delete=models.CASCADE, related_name="action_sequences")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "year", "month"], name="unique_action_sequence"),
        ]

    def __str__(self):
        return f"{self.board_id} {self.year}/{self.month:02d}: {self.last_number}"


class ReminderLog(models.Model):
    """One reminder digest sent to an agency on a day, so a second run that day sends nothing."""

    organisation = models.ForeignKey("boards.Organisation", on_delete=models.CASCADE, related_name="reminder_logs")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sent_on"], name="unique_reminder_per_day"),
        ]

    def __str__(self):
        return f"Reminder to {self.organisation_id} on {self.sent_on}"
