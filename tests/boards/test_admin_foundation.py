"""The secretariat's admin: organisations and their groups, guarded deletion, publishing an agenda."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from boards.models import MeetingPage, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def test_organisation_has_its_group_renamed_with_it(db):
    org = Organisation.objects.create(name="NHS Barnet", slug="nhs-barnet", kind="health")
    assert org.group.name == "Agency: NHS Barnet"
    org.name = "NHS North Central London"
    org.save()
    org.refresh_from_db()
    assert org.group.name == "Agency: NHS North Central London"
    assert not Group.objects.filter(name="Agency: NHS Barnet").exists()


def test_secretariat_creates_organisation_and_person_in_admin(secretary_client):
    response = secretary_client.post(
        reverse("wagtailsnippets_boards_organisation:add"),
        {
            "name": "Middlesex University",
            "short_name": "Middlesex",
            "slug": "middlesex-university",
            "kind": "education",
            "website": "https://www.mdx.ac.uk/",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(slug="middlesex-university")
    assert org.group.name == "Agency: Middlesex University"
    response = secretary_client.post(
        reverse("wagtailsnippets_boards_person:add"),
        {
            "name": "Professor Margaret Ellis",
            "slug": "margaret-ellis",
            "job_title": "Deputy Vice-Chancellor",
            "organisation": org.pk,
            "user": "",
        },
    )
    assert response.status_code == 302
    assert org.people.get().name == "Professor Margaret Ellis"


def test_boards_menu_groups_organisations_and_people(secretary_client):
    html = secretary_client.get("/admin/").content.decode()
    assert "Boards" in html
    assert reverse("wagtailsnippets_boards_organisation:list") in html
    assert reverse("wagtailsnippets_boards_person:list") in html


def test_referenced_organisation_cannot_be_deleted(secretary_client, partnered_board, council):
    factories.MembershipFactory(board=partnered_board, on_behalf_of=council, person=factories.PersonFactory())
    url = reverse("wagtailsnippets_boards_organisation:delete", args=(council.pk,))
    response = secretary_client.post(url)
    assert response.status_code in (200, 302, 403)
    assert Organisation.objects.filter(pk=council.pk).exists()
    page = secretary_client.get(url).content.decode()
    assert "prevent it from being deleted" in page


def test_unreferenced_organisation_can_be_deleted(secretary_client):
    org = factories.OrganisationFactory(name="Short-lived Agency")
    response = secretary_client.post(reverse("wagtailsnippets_boards_organisation:delete", args=(org.pk,)))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not Group.objects.filter(name="Agency: Short-lived Agency").exists()


def test_meeting_with_minutes_cannot_be_deleted(secretary_client, partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board, held=True)
    factories.MinutesPageFactory(parent=meeting, approved_on=datetime.date(2011, 6, 29))
    response = secretary_client.post(reverse("wagtailadmin_pages:delete", args=(meeting.pk,)), follow=True)
    assert MeetingPage.objects.filter(pk=meeting.pk).exists()
    assert "has minutes and cannot be deleted" in response.content.decode()


def test_meeting_without_minutes_can_be_deleted(secretary_client, partnered_board):
    meeting = factories.MeetingPageFactory(board=partnered_board)
    secretary_client.post(reverse("wagtailadmin_pages:delete", args=(meeting.pk,)))
    assert not MeetingPage.objects.filter(pk=meeting.pk).exists()


def test_publish_agenda_sets_time_and_publishes(secretary_client, partnered_board, client):
    starts_at = timezone.now() + datetime.timedelta(days=30)
    meeting = factories.MeetingPageFactory(board=partnered_board, starts_at=starts_at)
    factories.AgendaItemFactory(meeting=meeting, number="1", title="Library Strategy")
    meeting.save_revision().publish()
    url = reverse("boards_publish_agenda", args=(meeting.pk,))
    assert "clear working days remain" in secretary_client.get(url).content.decode()
    response = secretary_client.post(url, {})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
    client.logout()
    html = client.get(meeting.url).content.decode()
    assert "Library Strategy" in html
    assert "Agenda not yet published" not in html


def test_late_agenda_needs_a_reason_which_the_public_sees(secretary_client, partnered_board, client):
    starts_at = timezone.now() + datetime.timedelta(days=1)
    meeting = factories.MeetingPageFactory(board=partnered_board, starts_at=starts_at)
    meeting.save_revision().publish()
    url = reverse("boards_publish_agenda", args=(meeting.pk,))
    response = secretary_client.post(url, {"lateness_reason": ""})
    assert response.status_code == 200
    assert "Give the reason the agenda is late" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    secretary_client.post(url, {"lateness_reason": "Papers from NHS Barnet arrived late."})
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
    client.logout()
    assert "Papers from NHS Barnet arrived late." in client.get(meeting.url).content.decode()


def test_agency_staff_cannot_publish_agenda(client, council_user, partnered_board):
    meeting = factories.MeetingPageFactory(
        board=partnered_board, starts_at=datetime.datetime(2031, 1, 8, 10, tzinfo=ZoneInfo("Europe/London"))
    )
    client.force_login(council_user)
    response = client.post(reverse("boards_publish_agenda", args=(meeting.pk,)), {"lateness_reason": "x"})
    assert response.status_code in (302, 403)
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None


def test_protected_delete_refused_even_with_stale_reference_index(secretary_client, partnered_board, council):
    from wagtail.models import ReferenceIndex

    factories.MembershipFactory(board=partnered_board, on_behalf_of=council, person=factories.PersonFactory())
    ReferenceIndex.objects.all().delete()  # as after a bulk import that has not rebuilt it yet
    url = reverse("wagtailsnippets_boards_organisation:delete", args=(council.pk,))
    response = secretary_client.post(url, follow=True)
    assert response.status_code == 200
    assert Organisation.objects.filter(pk=council.pk).exists()
    assert "cannot be deleted" in response.content.decode()
