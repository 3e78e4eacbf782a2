"""Choosers of actions (for other models' action fields): they list, search and return only actions the user may see.

Creating an action from a chooser is refused: it would skip the create view's secretariat-only check.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.views import chooser as snippet_chooser

from boards import permissions

from .queries import listing_queryset


class ActionChooserFilterForm(BaseFilterForm):
    """Search by reference or description with the ORM, inside the already-limited queryset.

    (Wagtail's search backend refuses the pk__in filter that limits it to the user's actions.)
    """

    q = forms.CharField(label="Search term", widget=forms.TextInput(attrs={"placeholder": "Search"}), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(reference__icontains=query) | Q(description__icontains=query))
            self.is_searching = True
            self.search_query = query
        return objects


class _VisibleChooserMixin:
    """Choosers list and return only the actions the user may see."""

    filter_form_class = ActionChooserFilterForm

    def get_object_list(self):
        return listing_queryset(self.request.user).order_by("-created_at", "-id")


class ActionChooseView(_VisibleChooserMixin, snippet_chooser.ChooseView):
    pass


class ActionChooseResultsView(_VisibleChooserMixin, snippet_chooser.ChooseResultsView):
    pass


class ActionChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return permissions.actions_visible_to(self.request.user).get(pk=pk)


class ActionChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return permissions.actions_visible_to(self.request.user).filter(pk__in=[p for p in pks if str(p).isdigit()])


class ActionChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ActionChooseView
    choose_results_view_class = ActionChooseResultsView
    chosen_view_class = ActionChosenView
    chosen_multiple_view_class = ActionChosenMultipleView

    @property
    def create_view(self):
        # Creating from a chooser would skip the secretariat-only check of the create view.
        def refuse(request, *args, **kwargs):
            raise PermissionDenied

        return refuse
