"""The page forms the models name as base_form_class: a meeting's agenda and attendance checked as a whole, and
minutes whose entries choose only their own meeting's agenda items. Rules of one row live in each model's clean().
"""

from django.apps import apps
from wagtail.admin.forms import WagtailAdminPageForm

from boards.dates import meeting_slug


def _live_forms(formset):
    # The page form is cleaned before its formsets; validate them first so rows have cleaned_data.
    formset.is_valid()
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        yield form


class MeetingPageForm(WagtailAdminPageForm):
    """Fills the title and date slug, and checks agenda numbers, attendance and references."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "slug"):
            if name in self.fields:
                self.fields[name].required = False

    def _board(self):
        if self.parent_page is not None:
            return self.parent_page.specific
        if self.instance.pk:
            return self.instance.get_parent().specific
        return None

    def clean(self):
        starts_at = self.cleaned_data.get("starts_at")
        board = self._board()
        if starts_at and not self.cleaned_data.get("slug"):
            self.cleaned_data["slug"] = self._free_slug(meeting_slug(starts_at), board)
        if starts_at and not self.cleaned_data.get("title"):
            self.instance.starts_at = starts_at
            self.cleaned_data["title"] = self.instance.default_title(board)
        cleaned = super().clean()
        self._check_agenda()
        self._check_attendance(board, starts_at)
        return cleaned

    def _free_slug(self, slug, board):
        if board is None:
            return slug
        taken = set(board.get_children().exclude(pk=self.instance.pk).values_list("slug", flat=True))
        candidate, n = slug, 2
        while candidate in taken:
            candidate = f"{slug}-{n}"
            n += 1
        return candidate

    def _check_agenda(self):
        formset = self.formsets.get("agenda_items")
        if formset is None:
            return
        kept_numbers = _check_item_numbers(formset)
        _check_removed_items(formset)
        declarations = self.formsets.get("declarations")
        if declarations is not None:
            for form in _live_forms(declarations):
                item = (form.cleaned_data.get("item") or "").strip()
                if item and item not in kept_numbers:
                    form.add_error("item", f"There is no agenda item {item} in this meeting.")

    def _check_attendance(self, board, starts_at):
        formset = self.formsets.get("attendances")
        if formset is None or board is None:
            return
        on = starts_at.date() if starts_at else None
        members = {m.person_id for m in board.memberships.all() if on is None or m.is_current(on)}
        seen = set()
        for form in _live_forms(formset):
            person = form.cleaned_data.get("person")
            capacity = form.cleaned_data.get("capacity")
            if person is None:
                continue
            if person.pk in seen:
                form.add_error("person", f"{person} is listed twice.")
            seen.add(person.pk)
            outsider = capacity in ("member", "substitute")
            if outsider and person.pk not in members:
                form.add_error(
                    "person",
                    f"{person} is not a member of {board.title} on that date: "
                    "record them as an officer or guest, or add their membership first.",
                )


def _references_to_item(item):
    """A short description of what refers to a saved agenda item, or '' if nothing does."""
    parts = []
    minutes = item.minute_entries.count()
    if minutes:
        parts.append("the minutes")
    actions = item.actions.count()
    if actions:
        parts.append(f"{actions} action{'s' if actions != 1 else ''}")
    return " and ".join(parts)


OTHER_MEETINGS_ITEM = "Choose an agenda item of this meeting: minutes can only record their own meeting's business."


class MinutesPageForm(WagtailAdminPageForm):
    """Each minute's agenda item is chosen from the minutes' own meeting only, offered and accepted.

    The model modules import this one (base_form_class), so it looks their classes up in the app registry.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("entries")
        if formset is None:
            return
        items = self._meeting_items()
        limit = _limit_agenda_item_choices(items)
        # Rows built later (and the blank "Add minute" row) go through add_fields: limit those too.
        add_fields = formset.add_fields

        def limited_add_fields(form, index):
            add_fields(form, index)
            limit(form)

        formset.add_fields = limited_add_fields
        if "forms" in formset.__dict__:
            for form in formset.forms:
                limit(form)

    def _meeting(self):
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        parent = parent.specific if parent is not None else None
        return parent if isinstance(parent, apps.get_model("boards", "MeetingPage")) else None

    def _meeting_items(self):
        agenda_items = apps.get_model("boards", "AgendaItem").objects
        meeting = self._meeting()
        if meeting is None:
            return agenda_items.none()
        return agenda_items.filter(meeting_id=meeting.pk).order_by("sort_order", "pk")


def _limit_agenda_item_choices(items):
    def limit(form):
        field = form.fields.get("agenda_item")
        if field is not None:
            field.queryset = items
            field.error_messages = {**field.error_messages, "invalid_choice": OTHER_MEETINGS_ITEM}

    return limit


def _check_item_numbers(formset):
    """Each kept item's number: used once in the agenda, and not changed while minutes or actions refer to it."""
    seen = set()
    for form in _live_forms(formset):
        number = (form.cleaned_data.get("number") or "").strip()
        if not number:
            continue
        if number in seen:
            form.add_error("number", f"Item number {number} is used twice in this agenda.")
        seen.add(number)
        instance = form.instance
        if instance.pk and "number" in form.changed_data:
            refs = _references_to_item(instance)
            if refs:
                form.add_error(
                    "number", f"Item {form.initial.get('number')} cannot be renumbered: {refs} refer to it."
                )
    return seen


def _check_removed_items(formset):
    """An item marked for removal that minutes or actions refer to stays, with the reason next to it."""
    for form in formset.forms:
        if not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and form.instance.pk and formset._should_delete_form(form):
            refs = _references_to_item(form.instance)
            if refs:
                form.add_error(None, f"Item {form.instance.number} cannot be removed: {refs} refer to it.")
                formset._non_form_errors = formset.error_class(
                    [f"Item {form.instance.number} cannot be removed: {refs} refer to it."]
                )
