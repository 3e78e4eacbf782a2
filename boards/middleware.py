"""Deny by default in the admin: agency staff reach only the admin URL names boards.permissions allows them.

Decided by URL name before any view runs, so whatever a Wagtail upgrade or another app adds under /admin/ (or
/django-admin/) is closed to agency staff until someone puts its name on the allow-list.
"""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import Resolver404, resolve

from . import ids, permissions


def is_admin_path(path):
    """A path under the admin or Django's admin (settings.CSP_ADMIN_PREFIXES)."""
    return path.startswith(tuple(settings.CSP_ADMIN_PREFIXES))


DENIED_HTML = (
    "<!doctype html><title>Not available</title>"
    "<h1>Not available</h1><p>This part of the admin is not open to partner agency staff.</p>"
    '<p><a href="/admin/">Back to your dashboard</a></p>'
)


def admin_url_name(path_info):
    """The namespaced URL name of an admin path, or None when it resolves to nothing or to an unnamed pattern."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    # An unnamed pattern's view_name is its view's dotted path: no name to allow.
    return match.view_name if match.url_name else None


class AgencyAdminAllowListMiddleware:
    """Answers 403 to agency staff for every admin URL whose name is not on the allow-list (after auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request.path_info) and permissions.is_agency_user(request.user):
            name = admin_url_name(request.path_info)
            if not permissions.agency_may_reach(request.user, name):
                # Named in the refusal log line (partnership.middleware.log_refusal): the URL name, never content.
                request.denied_object = f"admin-url:{name or '-'}"
                return HttpResponseForbidden(DENIED_HTML)
        return self.get_response(request)


class AdminIdGuardMiddleware:
    """An admin URL naming a row by something that is no row id answers 404 (400 for query ids), never a 500.

    Wagtail's and Django's admin views pass URL ids straight to the ORM: 2**70 overflows SQLite and PostgreSQL
    through page_ptr keys, and "abc" in a <str:pk> or `?id=` raises ValueError.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_path(request.path_info):
            return None
        if any(ids.is_bad_id_param(name, value) for name, value in view_kwargs.items()):
            raise Http404("No such object.")
        bulk = getattr(request.resolver_match, "url_name", None) == "wagtail_bulk_action"
        if ids.bad_id_query(request.GET, allow_all=bulk):
            return HttpResponseBadRequest("Ids are numbers.", content_type="text/plain; charset=utf-8")
        return None
