"""Helpers that post the Wagtail page editor's own form data, as a browser would."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data


def agenda_row(number, title, exempt=False, paragraph="", summary="", item_id=""):
    return {
        "id": item_id,
        "number": number,
        "title": title,
        "summary": summary,
        "lead_organisation": "",
        "presenter": "",
        "exempt": "on" if exempt else "",
        "exemption_paragraph": paragraph,
        "tags": "",
    }


def attendance_row(person, capacity="member", status="present", substitute_for=""):
    return {
        "id": "",
        "person": person.pk,
        "on_behalf_of": "",
        "status": status,
        "capacity": capacity,
        "substitute_for": substitute_for,
    }


def meeting_form_data(
    starts_at="2011-06-29 10:00",
    ends_at="2011-06-29 12:00",
    items=(),
    attendance=(),
    declarations=(),
    title="",
    initial_items=0,
    **extra,
):
    data = {
        "title": title,
        "slug": "",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": "Hendon Town Hall",
        "status": "scheduled",
        "lateness_reason": "",
        "agenda_items": inline_formset(list(items), initial=initial_items),
        "attendances": inline_formset(list(attendance)),
        "declarations": inline_formset(list(declarations)),
        "comments": inline_formset([]),
    }
    data.update(extra)
    return nested_form_data(data)
