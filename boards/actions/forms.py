"""Forms on actions: the secretariat's full form and its panels, agency staff's status update, and the one-click close.

Field-level rules across rows live here; each model's own rules live in its clean().
"""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from boards.ids import RowIdGuardMixin, row_id
from boards.models import AgendaItem
from boards.models.actions import ActionStatus


class ActionForm(RowIdGuardMixin, WagtailAdminModelForm):
    """The secretariat's form: agenda items limited to the chosen meeting; board taken from the meeting.

    A board, meeting, item, owner or agency given by an id that is no row id is a field error (RowIdGuardMixin).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "board" in self.fields:
            self.fields["board"].required = False
        if "agenda_item" in self.fields:
            meeting_id = self.data.get(self.add_prefix("meeting")) or self.initial.get("meeting")
            if not meeting_id and self.instance.pk:
                meeting_id = self.instance.meeting_id
            items = AgendaItem.objects.none()
            meeting_id = row_id(meeting_id) if meeting_id else None
            if meeting_id:
                items = AgendaItem.objects.filter(meeting_id=meeting_id)
            self.fields["agenda_item"].queryset = items.order_by("sort_order")
            self.fields["agenda_item"].help_text = "Items of the chosen meeting (save with a meeting to choose one)."

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        board = cleaned.get("board")
        if meeting is not None:
            meeting_board = meeting.get_parent().specific
            if board is None:
                cleaned["board"] = meeting_board
                self.instance.board = meeting_board
            elif board.pk != meeting_board.pk:
                self.add_error("meeting", "This meeting belongs to another board.")
        elif board is None:
            self.add_error("board", "Choose the board (or a meeting of it).")
        item = cleaned.get("agenda_item")
        if item is not None and (meeting is None or item.meeting_id != meeting.pk):
            self.add_error("agenda_item", "This agenda item is not on the chosen meeting's agenda.")
        return cleaned


ACTION_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("reference", read_only=True),
            FieldPanel("board"),
            FieldPanel("meeting"),
            FieldPanel("agenda_item"),
        ],
        heading="Where it was agreed",
    ),
    FieldPanel("description"),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("owner"), FieldPanel("owner_person")]),
            FieldPanel("shared_with"),
            FieldRowPanel([FieldPanel("due_on"), FieldPanel("status", read_only=True)]),
            FieldPanel("tags"),
        ],
        heading="Who and when",
        help_text="Status changes are recorded as updates: use “Update status”.",
    ),
]


class ActionStatusForm(forms.Form):
    """Agency staff's only form on an action: a new status and a note."""

    new_status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        label="Update note",
        help_text="What has been done; shown in the action's history (and publicly, for public actions).",
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None and not self.is_bound:
            self.initial["new_status"] = action.status

    def clean(self):
        cleaned = super().clean()
        if self.action is not None and cleaned.get("new_status") == self.action.status and not cleaned.get("note"):
            raise ValidationError("Change the status or write a note: an update needs one or the other.")
        return cleaned


class CloseActionForm(forms.Form):
    """What a close from the minutes editor may say: the meeting it was closed at (optional, of the same board)."""

    meeting = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
