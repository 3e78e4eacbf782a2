"""django-filter filter sets for action listings: the admin "Our actions" listing and the public action log.

Filters only narrow a queryset that boards.permissions already limited to what the user may see.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from boards.models import Action, BoardPage, Organisation
from boards.models.actions import OPEN_STATUSES, ActionStatus


def _filter_overdue(queryset, name, value):
    today = timezone.localdate()
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today)
    if value is True:
        return queryset.filter(overdue)
    if value is False:
        return queryset.exclude(overdue)
    return queryset


def _board_choices():
    # (id, title) pairs: a select of every board without building a page object for each (5 ms a listing).
    return list(BoardPage.objects.order_by("title").values_list("pk", "title"))


class AdminActionFilterSet(WagtailFilterSet):
    """Filters of the admin actions listing: board, status, overdue, due before."""

    # Chosen among the boards' ids as text: an id too large for the database is "not one of the choices", not a 500.
    board = django_filters.ChoiceFilter(field_name="board_id", choices=_board_choices, label="Board")
    # distinct=False: status is a column of the row, and DISTINCT over 60,000 annotated rows is slow.
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label="Status", distinct=False)
    overdue = django_filters.BooleanFilter(method=_filter_overdue, label="Overdue")
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lt", label="Due before", widget=AdminDateInput
    )

    class Meta:
        model = Action
        fields = ["board", "status", "overdue", "due_before"]


class PublicActionFilterSet(django_filters.FilterSet):
    """Filters of the public action log: status and owning agency."""

    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label="Status", empty_label="Any status")
    owner = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label="Agency", empty_label="Any agency", to_field_name="slug"
    )

    class Meta:
        model = Action
        fields = ["status", "owner"]

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.filters["owner"].queryset = owners
