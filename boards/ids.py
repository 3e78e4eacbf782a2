"""Row ids read from URLs and forms: anything that is not one ("abc", "²", 2**70) is refused before it reaches a query.

Django guards integer lookups against out-of-range numbers, but not lookups through a relation (a page's pk is its
page_ptr) or `__in`: there SQLite raises OverflowError and PostgreSQL a DataError, both 500s.
"""

import re

from django import forms

MAX_ID = 2**63 - 1  # BIGINT, the widest primary key here
BAD_ID_MESSAGE = "Select a valid choice. That choice is not one of the available choices."


def row_id(value):
    """An id read from a URL or form as an int of BIGINT range, or None for anything else."""
    value = str(getattr(value, "pk", value)).strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class RowIdGuardMixin:
    """For a ModelForm: a model choice whose submitted value is no row id becomes a field error, not a 500.

    The bad value is taken out of the form's data before any field (or widget, re-displaying it) looks it up.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bad_id_fields = []
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            key = self.add_prefix(name)
            raw = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
            submitted = [v for v in raw if v not in (None, "")]
            good = [v for v in submitted if row_id(v) is not None]
            if len(good) != len(submitted):
                self._bad_id_fields.append(name)
                if hasattr(data, "setlist"):
                    data.setlist(key, good)
                else:
                    data[key] = good[0] if good else ""
        self.data = data

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "_bad_id_fields", ()):
            # The one message that says what happened (not "This field is required" for a blanked value).
            self._errors[name] = self.error_class([BAD_ID_MESSAGE])
            self.cleaned_data.pop(name, None)


# URL parameters that name a row: admin URL converters by these names, and the `id` query parameter.
ID_PARAM = re.compile(r"^(pk|id|object_id|.+_id|.+_pk)$")


def is_bad_id_param(name, value):
    """Whether a URL parameter that names a row holds no row id: "abc", "²", a number beyond BIGINT.

    Ints come from <int:…> converters (only size can be wrong); strings from <str:…>/<path:…> ones.
    """
    if isinstance(value, int):
        return not 0 <= value <= MAX_ID
    return bool(ID_PARAM.match(name)) and isinstance(value, str) and row_id(value) is None


def bad_id_query(query, allow_all=False):
    """Whether a query string's `id` values (bulk actions, choosers) hold anything but row ids (and "all")."""
    return any(not (allow_all and value == "all") and row_id(value) is None for value in query.getlist("id"))
