"""Authentication backends of the project: django-axes' lockout check, tolerant of request-less calls.

Used by the test settings only, where `Client.login()` authenticates without a request.
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class RequestOptionalAxesBackend(AxesStandaloneBackend):
    """Checks the lockout when there is a request (every HTTP login); skips it for `Client.login()`."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        # Client.force_login() names the first backend in the session; load users as ModelBackend does.
        return ModelBackend().get_user(user_id)
