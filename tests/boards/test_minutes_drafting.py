"""Drafting minutes from a held meeting: one click, one entry per agenda item, never twice, never for a meeting
that has not been held; Wagtail's locking and concurrent-editing notices stay on."""

import pytest
from django.urls import reverse

from boards.minutes.drafting import DraftMinutesRefused, draft_minutes
from boards.models import MinutesPage
from tests import factories
from tests.boards.minutes_helpers import held_meeting

pytestmark = pytest.mark.django_db


def test_draft_minutes_creates_one_entry_per_agenda_item_in_order(client, board, secretariat_user):
    meeting, public, exempt = held_meeting(board, items=4)
    client.force_login(secretariat_user)
    url = reverse("boards_draft_minutes", args=[meeting.pk])
    page_html = client.get(url).content.decode()
    assert "Library opening hours" in page_html
    response = client.post(url)
    page = MinutesPage.objects.child_of(meeting).get()
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.slug == "minutes"
    assert page.title == "Minutes — One Barnet Partnership Board — 29 June 2011"
    assert not page.live and page.approved_on is None
    draft = page.get_latest_revision_as_object()
    assert [(e.agenda_item.number, e.agenda_item.title) for e in draft.entries.all()] == [
        ("1", "Library opening hours"),
        ("2", "Contract for leisure services"),
        ("3", "Item 3"),
        ("4", "Item 4"),
    ]
    # The editor opens on it, and the public cannot see it.
    assert client.get(response["Location"]).status_code == 200
    client.logout()
    assert client.get(f"{meeting.url}minutes/").status_code == 404


def test_the_action_is_offered_once(client, board, secretariat_user):
    meeting, _public, _exempt = held_meeting(board)
    client.force_login(secretariat_user)
    edit = reverse("wagtailadmin_pages:edit", args=[meeting.pk])
    url = reverse("boards_draft_minutes", args=[meeting.pk])
    assert url in client.get(edit).content.decode()
    client.post(url)
    assert url not in client.get(edit).content.decode()
    second = client.post(url)
    assert second.status_code == 400
    assert "already has minutes" in second.content.decode()
    assert MinutesPage.objects.child_of(meeting).count() == 1
    with pytest.raises(DraftMinutesRefused):
        draft_minutes(meeting)


@pytest.mark.parametrize("status", ["scheduled", "postponed", "cancelled"])
def test_refused_for_a_meeting_not_held_with_a_clear_message(client, board, secretariat_user, status):
    meeting = factories.MeetingPageFactory(board=board, status=status)
    factories.AgendaItemFactory(meeting=meeting)
    client.force_login(secretariat_user)
    url = reverse("boards_draft_minutes", args=[meeting.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "only be drafted for a held meeting" in response.content.decode()
    assert not MinutesPage.objects.exists()


def test_agency_staff_cannot_draft_minutes(client, board, council_user):
    meeting, _public, _exempt = held_meeting(board)
    client.force_login(council_user)
    response = client.post(reverse("boards_draft_minutes", args=[meeting.pk]))
    assert response.status_code in (302, 403)
    assert not MinutesPage.objects.exists()


def test_locking_and_concurrent_editing_notices_stay_on(client, board, secretariat_user):
    meeting, _public, _exempt = held_meeting(board)
    page = draft_minutes(meeting, user=secretariat_user)
    other = factories.UserFactory(username="secretary2", secretariat=True)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.force_login(secretariat_user)
    html = client.get(edit_url).content.decode()
    # The editor pings its editing session, which is how Wagtail warns two people editing at once.
    assert "/admin/editing-sessions/ping/wagtailcore/page/" in html
    # A page locked by one secretary: the other is told, and cannot save over it.
    page.locked, page.locked_by = True, secretariat_user
    page.save(update_fields=["locked", "locked_by"])
    client.force_login(other)
    assert page.permissions_for_user(other).page_locked()
    before = page.get_latest_revision().pk
    response = client.post(edit_url, {"title": "Overwritten", "slug": "minutes"})
    assert response.status_code in (200, 302)
    assert MinutesPage.objects.get(pk=page.pk).get_latest_revision().pk == before
