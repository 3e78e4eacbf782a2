"""The Action snippet in the Wagtail admin: its viewset and views, each closed per object by boards.permissions.

Agency staff see "Our actions" and may only update status; the secretariat sees and edits every action.
"""

import logging

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets.button import MenuItem
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import snippets as snippet_views

from boards import permissions
from boards.ids import row_id
from boards.models import Action, AgendaItem, BoardPage, MeetingPage

from .choosers import ActionChooserViewSet
from .filters import AdminActionFilterSet
from .forms import ACTION_PANELS, ActionForm
from .paginator import CachedCountPaginator, listing_count_key
from .policy import ActionPermissionPolicy
from .queries import listing_queryset
from .table import (
    ActionTable,
    DueColumn,
    ReferenceColumn,
    StatusButton,
    StatusColumn,
    TextColumn,
    status_url,
    url_pattern,
)

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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
        if permissions.actions_status_only(self.request.user, obj):
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
