"""The meeting editor refuses bad agendas and attendance with a message next to the field."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from boards.models import AgendaItem, MeetingPage
from tests import factories
from tests.boards.admin_forms import agenda_row, attendance_row, meeting_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def add_url(board):
    return reverse("wagtailadmin_pages:add", args=("boards", "meetingpage", board.pk))


def errors_of(response):
    form = response.context["form"]
    messages = [str(e) for e in form.errors.values()]
    for formset in form.formsets.values():
        for f in formset.forms:
            messages += [str(e) for e in f.errors.values()]
        messages += [str(e) for e in formset.non_form_errors()]
    return " ".join(messages)


def test_valid_meeting_gets_date_slug_and_title(secretary_client, board):
    data = meeting_form_data(items=[agenda_row("1", "Apologies"), agenda_row("2", "Library Strategy")])
    response = secretary_client.post(add_url(board), data)
    assert response.status_code == 302, errors_of(response)
    meeting = MeetingPage.objects.child_of(board).get()
    assert meeting.slug == "2011-06-29"
    assert meeting.title == "One Barnet Partnership Board — 29 June 2011"
    assert list(meeting.agenda_items.values_list("number", flat=True)) == ["1", "2"]


def test_second_meeting_on_same_day_gets_suffix(secretary_client, board):
    starts_at = datetime.datetime(2011, 3, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    factories.MeetingPageFactory(board=board, starts_at=starts_at)
    data = meeting_form_data(starts_at="2011-03-01 18:00", ends_at="2011-03-01 19:00")
    response = secretary_client.post(add_url(board), data)
    assert response.status_code == 302, errors_of(response)
    assert MeetingPage.objects.child_of(board).filter(slug="2011-03-01-2").exists()


def test_meeting_must_end_after_it_starts(secretary_client, board):
    response = secretary_client.post(add_url(board), meeting_form_data(ends_at="2011-06-29 09:00"))
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.context["form"].errors["ends_at"][0]
    assert not MeetingPage.objects.exists()


def test_exempt_item_needs_paragraph(secretary_client, board):
    data = meeting_form_data(items=[agenda_row("3", "Commercial terms", exempt=True)])
    response = secretary_client.post(add_url(board), data)
    assert response.status_code == 200
    assert "Required when the item is exempt." in errors_of(response)
    assert not AgendaItem.objects.exists()


def test_paragraph_only_for_exempt_items(secretary_client, board):
    data = meeting_form_data(items=[agenda_row("3", "Budget", paragraph="3")])
    response = secretary_client.post(add_url(board), data)
    assert "Only an exempt item has an exemption paragraph." in errors_of(response)


def test_agenda_numbers_unique_in_meeting(secretary_client, board):
    data = meeting_form_data(items=[agenda_row("2", "One"), agenda_row("2", "Two")])
    response = secretary_client.post(add_url(board), data)
    assert response.status_code == 200
    assert "Item number 2 is used twice in this agenda." in errors_of(response)
    assert not MeetingPage.objects.exists()


def test_attendee_must_be_member_or_officer_or_guest(secretary_client, board):
    stranger = factories.PersonFactory(name="Stranger Danger")
    data = meeting_form_data(attendance=[attendance_row(stranger)])
    response = secretary_client.post(add_url(board), data)
    assert response.status_code == 200
    assert "is not a member of One Barnet Partnership Board" in errors_of(response)

    data = meeting_form_data(attendance=[attendance_row(stranger, capacity="guest")])
    response = secretary_client.post(add_url(board), data)
    assert response.status_code == 302, errors_of(response)


def test_member_may_attend(secretary_client, board):
    member = factories.MembershipFactory(board=board).person
    response = secretary_client.post(add_url(board), meeting_form_data(attendance=[attendance_row(member)]))
    assert response.status_code == 302, errors_of(response)


def test_declaration_must_name_an_existing_item(secretary_client, board):
    member = factories.MembershipFactory(board=board).person
    data = meeting_form_data(
        items=[agenda_row("1", "Apologies")],
        declarations=[{"id": "", "person": member.pk, "item": "7", "nature": "Trustee"}],
    )
    response = secretary_client.post(add_url(board), data)
    assert "There is no agenda item 7 in this meeting." in errors_of(response)


def test_referenced_item_cannot_be_removed(secretary_client, board):
    starts_at = datetime.datetime(2011, 3, 1, 10, tzinfo=ZoneInfo("Europe/London"))
    meeting = factories.MeetingPageFactory(board=board, held=True, starts_at=starts_at)
    item = factories.AgendaItemFactory(meeting=meeting, number="1", title="Library Strategy")
    meeting.save_revision().publish()
    factories.ActionFactory(board=board, meeting=meeting, agenda_item=item)
    edit_url = reverse("wagtailadmin_pages:edit", args=(meeting.pk,))
    row = agenda_row("1", "Library Strategy", item_id=item.pk)
    row.update({"DELETE": "1", "ORDER": "0"})
    data = meeting_form_data(
        title=meeting.title, starts_at="2011-03-01 10:00", ends_at="2011-03-01 12:00", items=[row], initial_items=1
    )
    data["slug"] = meeting.slug
    data["status"] = "held"
    response = secretary_client.post(edit_url, data)
    assert response.status_code == 200
    assert "cannot be removed: 1 action refer to it" in errors_of(response)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_partner_and_membership_dates_ordered(board, council):
    from django.core.exceptions import ValidationError

    partner = factories.BoardPartnerFactory.build(
        board=board, organisation=council, joined_on="2012-01-01", left_on="2011-01-01"
    )
    with pytest.raises(ValidationError) as excinfo:
        partner.full_clean()
    assert "left_on" in excinfo.value.message_dict

    person = factories.PersonFactory()
    membership = factories.MembershipFactory.build(board=board, person=person, start="2012-01-01", end="2011-01-01")
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert "end" in excinfo.value.message_dict
