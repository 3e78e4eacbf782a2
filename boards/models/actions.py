"""Actions agreed at meetings, owned by an agency, and their history of updates.

References (OBPB/2011/06/3) come from a per-board, per-month sequence and are never reused.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    def is_overdue(self):
        return self.status in OPEN_STATUSES and self.due_on < timezone.localdate()


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
