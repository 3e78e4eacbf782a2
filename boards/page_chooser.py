"""Wagtail's page chooser "chosen multiple" view, with the tree's root left out (it has no parent: a 500).

Routed over Wagtail's own view by partnership/urls.py.
"""

from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.models import Page

from . import ids


class ChosenPagesView(ChosenMultipleView):
    """Wagtail's page chooser "chosen multiple" answer, with the tree's root left out (it has no parent: a 500).

    Routed over Wagtail's own at the same path (partnership/urls.py), unnamed, so reverse() and the agency
    allow-list still see Wagtail's name; ids are already row ids here (boards.middleware.AdminIdGuardMiddleware).
    """

    def get(self, request):
        roots = set(Page.objects.filter(depth=1).values_list("pk", flat=True))
        request.GET = request.GET.copy()
        request.GET.setlist("id", [pk for pk in request.GET.getlist("id") if ids.row_id(pk) not in roots])
        return super().get(request)
