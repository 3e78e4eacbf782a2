"""HTTP safety nets around every response: cache headers by audience, the public/admin CSP split.

Also logs each refused request (403) as one structured line: user, method, path, object — never content.
"""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import patch_vary_headers

from boards.middleware import is_admin_path

logger = logging.getLogger(__name__)
security_logger = logging.getLogger("partnership.security")

PRIVATE = "private, no-store"
SAFE_METHODS = ("GET", "HEAD")


def _user_is_authenticated(request):
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _viewer_dependent(request, response):
    """True when the response may differ by who asks, so no shared cache may keep it."""
    return (
        request.method not in SAFE_METHODS
        or _user_is_authenticated(request)
        # A session cookie means a session-bound answer (page passwords, messages, a stale login).
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        # Setting a cookie (CSRF token, session) is per-visitor by definition.
        or bool(response.cookies)
        or is_admin_path(request.path_info)
    )


class ViewerCacheControlMiddleware:
    """Viewer-dependent responses become `private, no-store`; anonymous 200s may be cached publicly.

    `Vary: Cookie` on everything, so a shared cache keys on the cookie and never hands the
    anonymous version to a signed-in visitor (whose own version it never stores anyway).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_refusal(request)
        if _viewer_dependent(request, response):
            response["Cache-Control"] = PRIVATE
            if "Expires" in response:
                del response["Expires"]
        elif response.status_code == 200 and not response.has_header("Cache-Control"):
            response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
        elif not response.has_header("Cache-Control"):
            # Errors and redirects of the moment (a 503 while search is down) are not kept.
            response["Cache-Control"] = "no-store"
        patch_vary_headers(response, ["Cookie"])
        return response


def log_refusal(request):
    """One line per refusal. Views name what they refused by setting `request.denied_object`."""
    user = getattr(request, "user", None)
    security_logger.warning(
        "permission denied",
        extra={
            "event": "permission_denied",
            "user": getattr(user, "pk", None) if user is not None and user.is_authenticated else None,
            "method": request.method,
            "path": request.path,
            "object": getattr(request, "denied_object", None),
        },
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with the strict policy everywhere but the admin, which gets what Wagtail needs."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and is_admin_path(request.path_info):
            parts.replace = {**settings.CSP_ADMIN_DIRECTIVES, **(parts.replace or {})}
            # With a nonce present browsers ignore 'unsafe-inline', which Wagtail's admin needs.
            parts.nonce = None
        return parts
