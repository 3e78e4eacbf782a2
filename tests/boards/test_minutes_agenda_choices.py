"""The minutes editor offers only its own meeting's agenda items, and refuses any other (issue 15, leak path 6).

The canary is an exempt item of an unpublished meeting of another board: its title must not reach the editor,
and naming it in a POST is refused with a message next to the field, nothing saved. The model refuses it too.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from boards.models import MinuteEntry, MinutesPage
from tests import factories
from tests.boards.minutes_helpers import held_meeting, write_minutes
from tests.boards.test_minutes_workflow import _edit_form_data

pytestmark = pytest.mark.django_db

CANARY = "Quillwort redundancy settlement"


@pytest.fixture
def canary_item(db):
    other_board = factories.BoardPageFactory(title="Another Partnership Board", code="APB")
    unpublished = factories.MeetingPageFactory(board=other_board, live=False)
    return factories.AgendaItemFactory(meeting=unpublished, number="7", title=CANARY, exempt_item=True)


@pytest.fixture
def minutes(board, secretariat_user):
    meeting, public, exempt = held_meeting(board)
    page = write_minutes(meeting, secretariat_user)
    # Another meeting of the same board: its items are not this meeting's either.
    sibling = factories.AgendaItemFactory(
        meeting=factories.MeetingPageFactory(board=board, held=True), number="9", title="Sibling meeting item"
    )
    return page, public, exempt, sibling


def _options(html):
    return html.split('name="entries-0-agenda_item"', 1)[1].split("</select>", 1)[0]


def test_the_edit_form_offers_only_this_meetings_items(client, minutes, canary_item, secretariat_user):
    page, public, exempt, sibling = minutes
    client.force_login(secretariat_user)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert CANARY not in html
    assert sibling.title not in html
    options = _options(html)
    assert public.title in options and exempt.title in options
    assert f'value="{canary_item.pk}"' not in options and f'value="{sibling.pk}"' not in options


def test_the_add_form_offers_only_the_parent_meetings_items(client, board, canary_item, secretariat_user):
    meeting, public, _exempt = held_meeting(board)
    client.force_login(secretariat_user)
    url = reverse("wagtailadmin_pages:add", args=["boards", "minutespage", meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert CANARY not in html
    # The blank row template ("Add minute") lists this meeting's items only.
    assert public.title in html


@pytest.mark.parametrize("foreign", ["canary", "sibling"])
def test_a_post_naming_another_meetings_item_is_refused_next_to_the_field(
    client, minutes, canary_item, secretariat_user, foreign
):
    page, _public, _exempt, sibling = minutes
    item = canary_item if foreign == "canary" else sibling
    revisions_before = page.revisions.count()
    entries_before = list(MinuteEntry.objects.filter(page=page).values_list("agenda_item_id", flat=True))
    client.force_login(secretariat_user)
    data = _edit_form_data(page.get_latest_revision_as_object())
    data["entries-0-agenda_item"] = str(item.pk)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "Choose an agenda item of this meeting" in html
    assert CANARY not in html
    assert page.revisions.count() == revisions_before
    assert list(MinuteEntry.objects.filter(page=page).values_list("agenda_item_id", flat=True)) == entries_before
    latest = MinutesPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert item.pk not in {e.agenda_item_id for e in latest.entries.all()}


def test_a_new_entry_for_another_meetings_item_is_refused(client, minutes, canary_item, secretariat_user):
    page, *_ = minutes
    revisions_before = page.revisions.count()
    client.force_login(secretariat_user)
    data = _edit_form_data(page.get_latest_revision_as_object())
    n = int(data["entries-TOTAL_FORMS"])
    data.update(
        {
            "entries-TOTAL_FORMS": str(n + 1),
            f"entries-{n}-id": "",
            f"entries-{n}-ORDER": str(n + 1),
            f"entries-{n}-DELETE": "",
            f"entries-{n}-agenda_item": str(canary_item.pk),
            f"entries-{n}-discussion": '{"blocks": [], "entityMap": {}}',
            f"entries-{n}-resolution": "Smuggled.",
            f"entries-{n}-public_summary": "",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert "Choose an agenda item of this meeting" in response.content.decode()
    assert page.revisions.count() == revisions_before
    assert not MinuteEntry.objects.filter(agenda_item=canary_item).exists()


@pytest.mark.parametrize("bad", ["99999999999999999999999", "-1", "abc"])
def test_a_post_with_a_bad_item_id_is_a_form_error_not_a_500(client, minutes, secretariat_user, bad):
    page, *_ = minutes
    client.force_login(secretariat_user)
    data = _edit_form_data(page.get_latest_revision_as_object())
    data["entries-0-agenda_item"] = bad
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code in (200, 400)
    assert "Choose an agenda item of this meeting" in response.content.decode()


def test_the_model_refuses_another_meetings_item_outside_the_form(minutes, canary_item, secretariat_user):
    page, *_ = minutes
    draft = page.get_latest_revision_as_object()
    entries = list(draft.entries.all())
    entries[0].agenda_item = canary_item
    draft.entries = entries
    with pytest.raises(ValidationError) as refused:
        draft.save_revision(user=secretariat_user)
    assert "agenda item of this meeting" in str(refused.value)
    entry = MinuteEntry(page=page, agenda_item=canary_item, resolution="Smuggled.")
    with pytest.raises(ValidationError):
        entry.full_clean()
    page = MinutesPage.objects.get(pk=page.pk)
    page.entries = [*page.entries.all(), MinuteEntry(agenda_item=canary_item, resolution="Smuggled.")]
    with pytest.raises(ValidationError):
        page.save()
    assert not MinuteEntry.objects.filter(agenda_item=canary_item).exists()
