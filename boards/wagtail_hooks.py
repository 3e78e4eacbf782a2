"""Wagtail admin wiring for boards: snippets under one "Boards" menu, document and delete guards.

Every decision about who may see what is delegated to boards.permissions.
"""

from urllib.parse import urlsplit

from django.http import HttpResponseForbidden
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import action_views, admin_views, permissions
from .action_admin import ActionDeleteBulkAction, ActionPermissionPolicy, ActionViewSet
from .models import Action, MeetingPage, MinutesPage, Organisation, Person

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
    delete_view_class = admin_views.GuardedDeleteView


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["name", "job_title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "job_title"]
    ordering = ["name"]
    delete_view_class = admin_views.GuardedDeleteView


class BoardsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Boards"
    menu_icon = "clipboard-list"
    menu_order = 200
    items = (OrganisationViewSet, PersonViewSet, ActionViewSet)


register_snippet(BoardsViewSetGroup)


def _reachable_menu_items(request, items):
    """The menu items (submenus rebuilt with their reachable children) whose links the user may follow."""
    from wagtail.admin.menu import Menu, SubmenuMenuItem

    from .middleware import admin_url_name, is_admin_path

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


@hooks.register("before_delete_page")
def refuse_deleting_minuted_meetings(request, page):
    specific = page.specific
    if isinstance(specific, MeetingPage) and MinutesPage.objects.child_of(specific).exists():
        messages.error(request, f"“{page.title}” has minutes and cannot be deleted. Cancel the meeting instead.")
        from django.shortcuts import redirect

        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_admin_urls")
def register_boards_admin_urls():
    return [
        path("boards/actions/<int:pk>/status/", action_views.action_status, name="boards_action_status"),
        path("boards/actions/<int:pk>/close/", action_views.close_action, name="boards_action_close"),
        path(
            "boards/meetings/<int:page_id>/publish-agenda/",
            admin_views.publish_agenda,
            name="boards_publish_agenda",
        ),
    ]


class PublishAgendaMenuItem(ActionMenuItem):
    label = "Publish agenda"
    name = "action-publish-agenda"
    icon_name = "doc-full"

    def is_shown(self, context):
        page = context.get("page")
        if context.get("view") != "edit" or not isinstance(page, MeetingPage):
            return False
        return page.agenda_published_at is None and page.permissions_for_user(context["request"].user).can_publish()

    def get_url(self, context):
        return reverse("boards_publish_agenda", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_publish_agenda_menu_item():
    return PublishAgendaMenuItem(order=15)


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    actions.register_action(action_views.STATUS_LOG_ACTION, "Change action status", "Action status changed")


# Minutes: "Draft minutes", the approval guard on publishing, the agenda-deadline panel.
from . import minutes_hooks  # noqa: E402, F401
