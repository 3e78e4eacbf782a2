"""Wagtail admin wiring for boards: snippets under one "Boards" menu, document and delete guards.

Every decision about who may see what is delegated to boards.permissions.
"""

from urllib.parse import urlsplit

from django.http import HttpResponseForbidden
from django.urls import path
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import permissions
from .actions import status_views
from .actions.policy import ActionPermissionPolicy
from .actions.viewset import ActionDeleteBulkAction, ActionViewSet
from .meetings import agenda, deletion
from .meetings.panels import agenda_deadlines_panel_for
from .middleware import admin_url_name, is_admin_path
from .minutes import hooks as minutes_hooks  # noqa: F401  (registers the minutes' hooks)
from .models import Action, Organisation, Person

# First, before anything asks the policy registry about Action (it would cache a model-level fallback).
register_permission_policy(Action, ActionPermissionPolicy(Action))


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    list_display = ["name", "short_name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    # The ORM's icontains: Wagtail's SQLite search backend failed the listing's search ("no such column: name").
    search_backend_name = None
    ordering = ["name"]
    delete_view_class = deletion.GuardedDeleteView


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["name", "job_title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "job_title"]
    ordering = ["name"]
    delete_view_class = deletion.GuardedDeleteView


class BoardsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Boards"
    menu_icon = "clipboard-list"
    menu_order = 200
    items = (OrganisationViewSet, PersonViewSet, ActionViewSet)


register_snippet(BoardsViewSetGroup)


def _reachable_menu_items(request, items):
    """The menu items (submenus rebuilt with their reachable children) whose links the user may follow."""
    kept = []
    for item in items:
        if isinstance(item, SubmenuMenuItem):
            children = _reachable_menu_items(request, item.menu.menu_items_for_request(request))
            if children:
                kept.append(
                    SubmenuMenuItem(
                        item.label,
                        Menu(items=children),
                        name=item.name,
                        classname=item.classname,
                        icon_name=item.icon_name,
                        attrs=item.attrs,
                        order=item.order,
                    )
                )
            continue
        path = urlsplit(str(item.url)).path
        if not is_admin_path(path) or permissions.agency_may_reach(request.user, admin_url_name(path)):
            kept.append(item)
    return kept


@hooks.register("construct_main_menu")
def hide_denied_menu_items(request, menu_items):
    """Agency staff see no menu item leading to an admin view the allow-list refuses them."""
    if permissions.is_agency_user(request.user):
        menu_items[:] = _reachable_menu_items(request, menu_items)


# After wagtail.snippets' own delete (order 0): the registry keeps the last class registered for a model and action.
hooks.register("register_bulk_action", ActionDeleteBulkAction, order=1)


@hooks.register("before_serve_document")
def refuse_restricted_papers(document, request):
    """Papers are private until published (boards.permissions.can_download_document decides)."""
    if not permissions.can_download_document(request.user, document):
        # Named for the refusal log line (partnership.middleware): which object, never its content.
        request.denied_object = f"document:{document.pk}"
        return HttpResponseForbidden("This paper is not available to you.")
    return None


hooks.register("before_delete_page", deletion.refuse_deleting_minuted_meetings)


@hooks.register("register_admin_urls")
def register_boards_admin_urls():
    return [
        path("boards/actions/<int:pk>/status/", status_views.action_status, name="boards_action_status"),
        path("boards/actions/<int:pk>/close/", status_views.close_action, name="boards_action_close"),
        path(
            "boards/meetings/<int:page_id>/publish-agenda/",
            agenda.publish_agenda,
            name="boards_publish_agenda",
        ),
    ]


@hooks.register("register_page_action_menu_item")
def register_publish_agenda_menu_item():
    return agenda.PublishAgendaMenuItem(order=15)


@hooks.register("construct_homepage_panels")
def add_agenda_deadlines_panel(request, panels):
    panel = agenda_deadlines_panel_for(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    actions.register_action(status_views.STATUS_LOG_ACTION, "Change action status", "Action status changed")
