"""Site pages that are not Wagtail pages: the accessibility statement.

Its wording follows the government's model accessibility statement; dates and contacts come from settings.
"""

import datetime
import logging

from django.conf import settings
from django.views.generic import TemplateView

logger = logging.getLogger(__name__)

# When this statement was prepared and last reviewed, and when the site was last tested.
# Update these with each review (the e2e axe suite in tests/e2e is the automated part of the test).
STATEMENT_PREPARED_ON = datetime.date(2026, 11, 26)
STATEMENT_REVIEWED_ON = datetime.date(2026, 11, 26)
SITE_TESTED_ON = datetime.date(2026, 11, 26)


class AccessibilityStatementView(TemplateView):
    """/accessibility/: the accessibility statement required by the 2018 regulations."""

    template_name = "home/accessibility_statement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "contact_email": getattr(settings, "ACCESSIBILITY_CONTACT_EMAIL", "accessibility@barnet.gov.uk"),
                "contact_phone": getattr(settings, "ACCESSIBILITY_CONTACT_PHONE", "020 8359 2000"),
                "response_days": 5,
                "site_url": self.request.build_absolute_uri("/"),
                "prepared_on": STATEMENT_PREPARED_ON,
                "reviewed_on": STATEMENT_REVIEWED_ON,
                "tested_on": SITE_TESTED_ON,
            }
        )
        return context
