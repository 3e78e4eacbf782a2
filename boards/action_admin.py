"""The Action snippet in the Wagtail admin: a guardian-backed permission policy and views closed per object.

Agency staff see "Our actions" and may only update status; every generic view asks boards.permissions per object.
"""

import hashlib
import json
import logging
from html import escape as _escape

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table, TitleColumn
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets import ListingButton
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from pagecache.generation import current_generation

from . import permissions
from .filters import AdminActionFilterSet
from .ids import RowIdGuardMixin, row_id
from .models import Action, ActionUpdate, AgendaItem, BoardPage, MeetingPage
from .models.actions import ActionStatus

logger = logging.getLogger(__name__)

STATUS_LABELS = dict(ActionStatus.choices)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class ActionPermissionPolicy(ModelPermissionPolicy):
    """Model-level answers from boards.permissions, never from auth perms; objects decide the rest.

    Model level: "view" (the menu and "Our actions") for the secretariat and staff of any agency; everything else
    for the secretariat only. Agency groups hold no model-level action permission, which Wagtail's bulk actions and
    site history would trust. Per instance: "view" and "change_status" for the owning and sharing agencies (guardian
    grants + current data); "change", "delete" and anything else for the secretariat only.
    """

    def user_has_permission(self, user, action):
        if action == "view":
            return permissions.can_list_actions(user)
        return permissions.is_secretariat(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("view", "change_status"):
            return permissions.can_change_action_status(user, instance)
        if action == "delete":
            return permissions.can_delete_action(user, instance)
        return permissions.can_edit_action(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if permissions.is_secretariat(user):
            return Action.objects.all()
        if {"view", "change_status"} & set(actions):
            return permissions.actions_visible_to(user)
        return Action.objects.none()


def listing_queryset(user, export=False):
    """The actions a user sees, with what a listing row shows, in a constant number of queries.

    A listing page shows the board's code (an annotation: no BoardPage and Page objects built for each row), the owner
    (one join) and the latest update's note (one subquery). An export also writes the board's title, the meeting's
    date, the lead person and the agencies it is shared with: those come only when `export` asks for them.
    """
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    queryset = permissions.actions_visible_to(user).annotate(
        board_code=F("board__code"),
        latest_update_note=Subquery(latest.values("note")[:1]),
    )
    if export:
        return queryset.select_related("board", "owner", "owner_person", "meeting").prefetch_related(
            Prefetch("shared_with")
        )
    return queryset.select_related("owner")


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


# The listing writes 50 rows x 7 cells: Django's format_html/conditional_escape/flatatt, with their lazy-string
# wrappers, cost more than the rest of the page's body. These do the same escaping (Django's escape is
# html.escape) in plain string operations.
def _html(value):
    """conditional_escape(value) as a str."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def _attrs(attrs):
    """flatatt(attrs) as a str: True gives a bare attribute; False and None leave it out."""
    return "".join(
        f" {key}" if value is True else f' {key}="{_html(value)}"'
        for key, value in attrs.items()
        if value is not None and value is not False
    )


class TextColumn(Column):
    """A plain cell, written without a template: the same markup as Wagtail's cell.html, for 50 rows x 6 columns."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None or not str(value).strip():
            value = self.empty_value_display
        if self.classname:
            return SafeString(f'<td class="{_html(self.classname)}">{_html(value)}</td>')
        return SafeString(f"<td>{_html(value)}</td>")


class ReferenceColumn(TitleColumn):
    """The title cell (reference, linked; the row's buttons) in the markup of Wagtail's title_cell.html, written
    without that template and its buttons include; each button still renders as its own component."""

    def render_cell_html(self, instance, parent_context):
        context = self.get_cell_context_data(instance, parent_context)
        title = _html(context["value"])
        if context.get("title_id"):
            title = f'<span id="{_html(context["title_id"])}">{title}</span>'
        if context.get("link_url"):
            title = f"<a{_attrs(context['link_attrs'])}>{title}</a>"
        buttons = [button for button in context.get("buttons", ()) if button.show]
        actions = ""
        if buttons:
            items = "".join(f"<li>{_html(button.render_html(parent_context))}</li>" for button in buttons)
            actions = f'<ul class="actions">{items}</ul>'
        classname = f"{self.classname} title" if self.classname else "title"
        return SafeString(f'<td class="{_html(classname)}"><div class="title-wrapper">{title}</div>{actions}</td>')


class StatusColumn(TextColumn):
    """Status, with "overdue" said in words (not only colour)."""

    def get_value(self, instance):
        label = STATUS_LABELS.get(instance.status, instance.status)
        return f"{label} — overdue" if instance.is_overdue else label


class DueColumn(TextColumn):
    """The due date as a date ("5 Feb 2024"), not Wagtail's "2 years ago": it is compared with today's work."""

    def render_cell_html(self, instance, parent_context):
        due = instance.due_on
        if due is None:
            return SafeString("<td></td>")
        return SafeString(f'<td><time datetime="{due.isoformat()}">{_html(date_format(due, "j M Y"))}</time></td>')


class ActionTable(Table):
    """Wagtail's tables/table.html, with the body written here: 50 rows x 7 cells without 400 template tags.

    Headers still render through their templates (sorting links); every cell through its column's
    render_cell_html, with the same context the template's {% component cell %} gives it.
    """

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context or {})
        parts = [format_html("<table{}>", flatatt(self.attrs))]
        caption = self.get_caption()
        if caption:
            parts.append(format_html('<caption class="w-sr-only">{}</caption>', caption))
        if self.has_column_widths():
            parts.extend(
                format_html("<col{} />", flatatt({"width": c.width} if c.width else {})) for c in self.columns.values()
            )
        header_attrs = flatatt({"class": self.header_row_classname} if self.header_row_classname else {})
        parts.append(format_html("<thead><tr{}>", header_attrs))
        parts.extend(column.header.render_html(context) for column in self.columns.values())
        parts.append("</tr></thead><tbody>")
        columns = list(self.columns.values())
        for index, instance in enumerate(self.data):
            row = Table.Row(self, instance, index)
            context["row"] = row  # as the template's {% for row in table.rows %} gives each cell
            parts.append(f"<tr{_attrs(row.attrs)}>")
            parts.extend(column.render_cell_html(instance, context) for column in columns)
            parts.append("</tr>")
        parts.append("</tbody></table>")
        return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part is escaped above


def status_url(action):
    return reverse("boards_action_status", args=[action.pk])


_STAND_IN = 987654321


def url_pattern(name):
    """reverse(name, args=[pk]) for many pks: reversed once, then formatted (a listing asks for 100 a page)."""
    # reverse() percent-encodes any brace in a script prefix, so the only "{}" is the one put here.
    return reverse(name, args=[_STAND_IN]).replace(str(_STAND_IN), "{}")


class StatusButton(ListingButton):
    """Each agency row's "Update status": Wagtail's button.html markup written directly (50 template renders less)."""

    def __init__(self, url):
        super().__init__("Update status", url=url, icon_name="tasks")

    def render_html(self, parent_context=None):
        icon = _html(self.icon_name)
        return SafeString(
            f'<a href="{_html(self.url)}" class="{_html(self.classname)}"{_attrs(self.attrs)}>'
            f'<svg class="icon icon-{icon} icon" aria-hidden="true"><use href="#icon-{icon}"></use>'
            f"</svg> {_html(self.label)} </a>"  # the spaces the template's line breaks leave
        )


COUNT_CACHE_SECONDS = 600
# Parameters that change the order, page or format of a listing but never which actions are in it.
NOT_COUNTED = {"p", "ordering", "export"}


class CachedCountPaginator(WagtailPaginator):
    """Wagtail's paginator, with the total read from the cache while the content generation stands.

    The listing's count is a second pass over every visible action (an agency's 2,000 at ten years). Its key is the
    content generation (replaced by every write: pagecache) and what decides the set: the viewer's
    agencies (or the secretariat) and the filter and search parameters. The generation is read before counting, so a
    count computed across a concurrent write is stored under the generation that write replaced.
    """

    def __init__(self, *args, count_key=None, **kwargs):
        self.count_key = count_key
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        # CACHES is partnership.cache.ResilientRedisCache in production: with Redis down this is a miss, then a no-op.
        count = cache.get(self.count_key)
        if count is None:
            count = super().count
            cache.set(self.count_key, count, COUNT_CACHE_SECONDS)
        return count


def listing_count_key(request):
    """The cache key of the action listing's total for this viewer and these parameters (None: do not cache)."""
    generation = current_generation()
    if generation is None:
        return None
    user = request.user
    who = "secretariat" if permissions.is_secretariat(user) else sorted(permissions.agency_group_ids(user))
    params = sorted((key, value) for key, values in request.GET.lists() if key not in NOT_COUNTED for value in values)
    digest = hashlib.sha256(json.dumps([who, params]).encode()).hexdigest()[:40]
    return f"actions:count:{generation}:{digest}"


class ActionIndexView(snippet_views.IndexView):
    """All actions for the secretariat; "Our actions" for agency staff. Rows link to what the user may do."""

    table_class = ActionTable
    paginator_class = CachedCountPaginator

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, count_key=listing_count_key(self.request), **kwargs)

    def get_page_title(self):
        return "Actions" if permissions.is_secretariat(self.request.user) else "Our actions"

    @cached_property
    def can_edit(self):
        return permissions.can_edit_action(self.request.user)

    @cached_property
    def _status_url(self):
        return url_pattern("boards_action_status").format

    @cached_property
    def _edit_url(self):
        return url_pattern(self.edit_url_name).format

    def get_edit_url(self, instance):
        if self.can_edit:
            return self._edit_url(quote(instance.pk))
        return self._status_url(instance.pk)

    def get_delete_url(self, instance):
        if permissions.can_delete_action(self.request.user):
            return super().get_delete_url(instance)
        return None

    def _get_title_column(self, field_name, column_class=ReferenceColumn, **kwargs):
        return super()._get_title_column(field_name, column_class=column_class, **kwargs)

    @cached_property
    def columns(self):
        columns = super().columns
        if not permissions.can_delete_action(self.request.user):
            # Delete is the only bulk action on actions, and theirs to refuse: no checkbox on every row.
            columns = [c for c in columns if not isinstance(c, BulkActionsCheckboxColumn)]
        return columns

    def get_list_more_buttons(self, instance):
        if not self.can_edit:
            # Agency staff: "Update status" is beside each reference (which links there too); a "More" menu would
            # only repeat it as "Edit".
            return []
        buttons = super().get_list_more_buttons(instance)
        buttons.append(MenuItem("Update status", url=self._status_url(instance.pk), icon_name="tasks", priority=15))
        return buttons

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if not self.can_edit:
            buttons.insert(0, StatusButton(self._status_url(instance.pk)))
        return buttons

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


class ActionCreateView(snippet_views.CreateView):
    """The create form, prefilled from ?board=&meeting=&agenda_item= (the minutes editor's "Add action")."""

    def get_initial(self):
        """Ids that are no row id, or of nothing, are ignored: the form opens empty there."""
        initial = super().get_initial()
        meeting = item = None
        item_id = row_id(self.request.GET.get("agenda_item", ""))
        meeting_id = row_id(self.request.GET.get("meeting", ""))
        board_id = row_id(self.request.GET.get("board", ""))
        if item_id:
            item = AgendaItem.objects.filter(pk=item_id).select_related("meeting").first()
            if item is not None:
                initial["agenda_item"] = item.pk
                meeting = item.meeting
        if meeting is None and meeting_id:
            meeting = MeetingPage.objects.filter(pk=meeting_id).first()
        if meeting is not None:
            initial["meeting"] = meeting.pk
            initial["board"] = meeting.get_parent().pk
        elif board_id and BoardPage.objects.filter(pk=board_id).exists():
            initial["board"] = board_id
        return initial


class _ObjectCheckedMixin:
    """Load only actions the user may see (404 otherwise), then ask the policy for `object_permission`."""

    object_permission = "change"

    def _checked(self, obj):
        if obj is None:
            return obj
        if not permissions.can_view_action(self.request.user, obj):
            raise Http404
        if not ActionPermissionPolicy(Action).user_has_permission_for_instance(
            self.request.user, self.object_permission, obj
        ):
            logger.warning("action %s refused user=%s action=%s", self.object_permission, self.request.user.pk, obj.pk)
            raise PermissionDenied
        return obj


class ActionEditView(_ObjectCheckedMixin, snippet_views.EditView):
    """The full form, secretariat only; an agency's own action GETs its "Update status" page instead."""

    object_permission = "change"
    status_only = False

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if permissions.can_view_action(self.request.user, obj) and not permissions.can_edit_action(
            self.request.user, obj
        ):
            self.status_only = True
            return obj
        return self._checked(obj)

    def dispatch(self, request, *args, **kwargs):
        if self.status_only:
            if request.method == "GET":
                return redirect(status_url(self.object))
            logger.warning("action edit refused user=%s action=%s", request.user.pk, self.object.pk)
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ActionDeleteView(_ObjectCheckedMixin, snippet_views.DeleteView):
    object_permission = "delete"

    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        return self._checked(super().get_object(queryset))


class ActionHistoryView(_ObjectCheckedMixin, snippet_views.HistoryView):
    object_permission = "view"

    def get_object(self):
        return self._checked(super().get_object())


class ActionUsageView(_ObjectCheckedMixin, snippet_views.UsageView):
    object_permission = "view"

    def get_object(self):
        return self._checked(super().get_object())


class ActionChooserFilterForm(BaseFilterForm):
    """Search by reference or description with the ORM, inside the already-limited queryset.

    (Wagtail's search backend refuses the pk__in filter that limits it to the user's actions.)
    """

    q = forms.CharField(label="Search term", widget=forms.TextInput(attrs={"placeholder": "Search"}), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(reference__icontains=query) | Q(description__icontains=query))
            self.is_searching = True
            self.search_query = query
        return objects


class _VisibleChooserMixin:
    """Choosers list and return only the actions the user may see."""

    filter_form_class = ActionChooserFilterForm

    def get_object_list(self):
        return listing_queryset(self.request.user).order_by("-created_at", "-id")


class ActionChooseView(_VisibleChooserMixin, snippet_chooser.ChooseView):
    pass


class ActionChooseResultsView(_VisibleChooserMixin, snippet_chooser.ChooseResultsView):
    pass


class ActionChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return permissions.actions_visible_to(self.request.user).get(pk=pk)


class ActionChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return permissions.actions_visible_to(self.request.user).filter(pk__in=[p for p in pks if str(p).isdigit()])


class ActionChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ActionChooseView
    choose_results_view_class = ActionChooseResultsView
    chosen_view_class = ActionChosenView
    chosen_multiple_view_class = ActionChosenMultipleView

    @property
    def create_view(self):
        # Creating from a chooser would skip the secretariat-only check of the create view.
        def refuse(request, *args, **kwargs):
            raise PermissionDenied

        return refuse


class ActionViewSet(snippet_views.SnippetViewSet):
    model = Action
    icon = "tasks"
    menu_label = "Actions"
    menu_name = "actions"
    add_to_admin_menu = False
    index_view_class = ActionIndexView
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    delete_view_class = ActionDeleteView
    history_view_class = ActionHistoryView
    usage_view_class = ActionUsageView
    chooser_viewset_class = ActionChooserViewSet
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = AdminActionFilterSet
    search_fields = ["reference", "description"]
    search_backend_name = None
    edit_handler = ObjectList(ACTION_PANELS, base_form_class=ActionForm)
    list_per_page = 50
    ordering = ["due_on", "reference"]
    list_display = [
        "reference",
        TextColumn("description", label="Description", sort_key="description"),
        TextColumn("board", label="Board", accessor="board_code"),
        TextColumn("owner", label="Owner", accessor="owner.display_name"),
        DueColumn("due_on", label="Due"),
        StatusColumn("status", label="Status"),
        TextColumn("latest_update_note", label="Latest update"),
    ]
    list_export = [
        "reference",
        "description",
        "board.title",
        "meeting_date",
        "owner.name",
        "shared_with_names",
        "owner_person_name",
        "due_on",
        "get_status_display",
        "overdue_label",
        "latest_update_note",
    ]
    export_headings = {
        "board.title": "Board",
        "meeting_date": "Meeting",
        "owner.name": "Owner",
        "shared_with_names": "Shared with",
        "owner_person_name": "Lead person",
        "get_status_display": "Status",
        "overdue_label": "Overdue",
        "latest_update_note": "Latest update",
    }
    export_filename = "actions"

    def get_queryset(self, request):
        return listing_queryset(request.user, export=request.GET.get("export") in SpreadsheetExportMixin.FORMATS)


class ActionDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete, looking only at actions the user may see.

    Wagtail's lists every chosen object on its confirmation page, those the user may not delete by name ("You don't
    have permission to delete these actions: …"), and `?id=all` chooses every action of the site.
    """

    models = [Action]
    _visible_actionable = None

    def visible_queryset(self):
        """The chosen actions (`?id=…` or `?id=all`) among those the user may see."""
        visible = permissions.actions_visible_to(self.request.user)
        object_ids = self.request.GET.getlist("id")
        if "all" in object_ids:
            return visible
        # Ids that are no row id (text, beyond BIGINT) choose nothing rather than failing the query.
        return visible.filter(pk__in=[pk for pk in map(row_id, object_ids) if pk is not None])

    def get_all_objects_in_listing_query(self, parent_id):
        return permissions.actions_visible_to(self.request.user).values_list("pk", flat=True)

    def get_actionable_objects(self):
        if self._visible_actionable is None:
            objects, no_access = [], []
            for obj in self.visible_queryset().order_by("pk"):
                (objects if self.check_perm(obj) else no_access).append(obj)
            if not objects and not no_access:
                raise Http404
            self._visible_actionable = (objects, {"items_with_no_access": no_access})
        return self._visible_actionable


def get_object_or_404_visible(user, pk):
    """An action the user may see, or 404 (other agencies' actions are not acknowledged)."""
    return get_object_or_404(permissions.actions_visible_to(user), pk=unquote(str(pk)))


def redirect_to_status(action):
    return redirect(reverse("boards_action_status", args=[quote(action.pk)]))
