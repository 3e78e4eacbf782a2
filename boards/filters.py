"""django-filter filter sets for action listings: the admin "Our actions" listing and the public action log.

Filters only narrow a queryset that boards.permissions already limited to what the user may see.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from .models import Action, BoardPage, Organisation
from .models.actions import OPEN_STATUSES, ActionStatus


def _filter_overdue(queryset, name, value):
    today = timezone.localdate()
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today)
    if value is True:
        return queryset.filter(overdue)
    if value is False:
        return queryset.exclude(overdue)
    return queryset


class _BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice by id that answers "not a valid choice" to ids too large for the database (not a 500)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _BoundedModelChoiceField


class AdminActionFilterSet(WagtailFilterSet):
    """Filters of the admin actions listing: board, status, overdue, due before."""

    board = BoundedModelChoiceFilter(queryset=BoardPage.objects.order_by("title"), label="Board")
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
