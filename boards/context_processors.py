"""Template context shared by every public page."""

from django.conf import settings


def site(request):
    return {"site_owner_name": settings.SITE_OWNER_NAME}
