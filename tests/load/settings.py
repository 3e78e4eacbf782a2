"""Settings for the load test: production settings, minus the HTTPS-only parts a loopback run cannot use.

Secure cookies and the SSL redirect would stop a plain-HTTP load generator from staying signed in.
"""

from partnership.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Many simulated users log in from one address; the lockout would count their shared failures.
AXES_FAILURE_LIMIT = 1000
