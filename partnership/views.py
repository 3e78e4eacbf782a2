"""Site-wide operational views: /health/ for the load balancer and /.well-known/security.txt.

Health: database, cache and storage decide the status; search is reported but never fails the probe.
"""

import asyncio
import dataclasses
import datetime
import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from search.backends import get_backend

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class SearchBackend(HealthCheck):
    """The configured search backend (database or Elasticsearch) answers a count of its records."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=5), repr=False)

    def run(self):
        try:
            get_backend().count()
        except Exception as error:  # any backend or transport failure means "not available"
            raise ServiceUnavailable("Search backend unavailable") from error


FATAL_CHECKS = (Database, Cache, Storage)


class HealthView(HealthCheckView):
    """200 when the parts a page needs work, 503 otherwise; plain text, or JSON on request."""

    checks = (Database, Cache, Storage, SearchBackend)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        failed = [r for r in self.results if r.error and isinstance(r.check, FATAL_CHECKS)]
        status = 503 if failed else 200
        for result in self.results:
            if result.error:
                logger.warning(
                    "health check failed",
                    extra={"event": "health_failed", "check": type(result.check).__name__, "fatal": result in failed},
                )
        wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get("accept", "")
        if wants_json:
            return self.render_to_response_json(status)
        return self.render_to_response_text(status)


@require_safe
def security_txt(request):
    """RFC 9116: who to tell about a vulnerability. Expires is always about six months ahead."""
    expires = (timezone.now() + datetime.timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
