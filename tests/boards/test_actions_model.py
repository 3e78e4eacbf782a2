"""Actions as records: generated references that are never reused, and a history that is never rewritten."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from boards.models import Action, ActionReferenceSequence, ActionUpdate
from boards.models.actions import allocate_reference, record_reference
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def obpb(db):
    return factories.BoardPageFactory(title="One Barnet Partnership Board", code="OBPB")


@pytest.fixture
def june_meeting(obpb):
    return factories.MeetingPageFactory(board=obpb, starts_at=timezone.make_aware(datetime.datetime(2011, 6, 29, 18)))


def new_action(board, meeting=None, **kwargs):
    kwargs.setdefault("owner", factories.OrganisationFactory(name="London Borough of Barnet"))
    kwargs.setdefault("due_on", datetime.date(2011, 9, 1))
    return Action.objects.create(board=board, meeting=meeting, description="Report back.", **kwargs)


def test_reference_comes_from_board_code_and_meeting_month(obpb, june_meeting):
    first = new_action(obpb, june_meeting)
    second = new_action(obpb, june_meeting)
    assert first.reference == "OBPB/2011/06/1"
    assert second.reference == "OBPB/2011/06/2"


def test_reference_without_meeting_uses_creation_date(obpb):
    action = new_action(obpb, created_at=timezone.make_aware(datetime.datetime(2012, 1, 15, 9)))
    assert action.reference == "OBPB/2012/01/1"


def test_meeting_date_is_london_date(obpb):
    # 23:30 London on 30 June 2011 is 22:30 UTC: still June in London.
    meeting = factories.MeetingPageFactory(
        board=obpb, starts_at=timezone.make_aware(datetime.datetime(2011, 6, 30, 23, 30))
    )
    assert new_action(obpb, meeting).reference == "OBPB/2011/06/1"


def test_deleted_reference_is_never_reused(obpb, june_meeting):
    first = new_action(obpb, june_meeting)
    second = new_action(obpb, june_meeting)
    second.delete()
    third = new_action(obpb, june_meeting)
    assert third.reference == "OBPB/2011/06/3"
    assert {first.reference, third.reference} == {"OBPB/2011/06/1", "OBPB/2011/06/3"}


def test_imported_reference_is_skipped_even_if_the_sequence_lags(obpb, june_meeting):
    # An import that wrote OBPB/2011/06/1 without advancing the sequence must not cause a clash.
    Action.objects.create(
        board=obpb,
        meeting=june_meeting,
        reference="OBPB/2011/06/1",
        description="Imported.",
        owner=factories.OrganisationFactory(),
        due_on=datetime.date(2011, 9, 1),
    )
    assert new_action(obpb, june_meeting).reference == "OBPB/2011/06/2"


def test_record_reference_keeps_the_sequence_ahead(obpb):
    assert record_reference(obpb, "OBPB/2011/06/7")
    assert record_reference(obpb, "OBPB/2011/06/3")  # lower: leaves the sequence alone
    assert not record_reference(obpb, "not a reference")
    assert ActionReferenceSequence.objects.get(board=obpb, year=2011, month=6).last_number == 7
    assert allocate_reference(obpb, datetime.date(2011, 6, 1)) == "OBPB/2011/06/8"


def test_sequences_are_per_board_and_month(obpb, june_meeting):
    other = factories.BoardPageFactory(code="SCB")
    july = factories.MeetingPageFactory(board=obpb, starts_at=timezone.make_aware(datetime.datetime(2011, 7, 5, 10)))
    assert new_action(obpb, june_meeting).reference == "OBPB/2011/06/1"
    assert new_action(obpb, july).reference == "OBPB/2011/07/1"
    assert new_action(other, created_at=june_meeting.starts_at).reference == "SCB/2011/06/1"


def test_allocation_locks_the_sequence_row(obpb):
    with CaptureQueriesContext(connection) as queries:
        allocate_reference(obpb, datetime.date(2011, 6, 1))
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_reference_is_not_editable_in_forms():
    assert not Action._meta.get_field("reference").editable


def test_status_change_is_recorded_with_author_time_and_note(obpb, june_meeting):
    action = new_action(obpb, june_meeting)
    user = factories.UserFactory(username="officer", first_name="Olu", last_name="Officer")
    before = timezone.now()
    update = action.change_status(user, "in_progress", "Consultation drafted.")
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert update.author == user and update.author_name == "Olu Officer"
    assert update.note == "Consultation drafted." and update.new_status == "in_progress"
    assert update.created_at >= before


def test_note_without_change_keeps_status_and_records_no_new_status(obpb, june_meeting):
    action = new_action(obpb, june_meeting)
    update = action.change_status(None, "open", "Still waiting for the data.")
    assert update.new_status == ""
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_two_updates_are_both_recorded_in_order(obpb, june_meeting):
    action = new_action(obpb, june_meeting)
    stale_copy = Action.objects.get(pk=action.pk)  # a second editor who loaded the page earlier
    action.change_status(None, "in_progress", "Started.")
    stale_copy.change_status(None, "done", "Finished.")
    notes = list(action.updates.values_list("note", "new_status"))
    assert notes == [("Started.", "in_progress"), ("Finished.", "done")]
    action.refresh_from_db()
    assert action.status == "done"


def test_status_change_locks_the_action_row(obpb, june_meeting):
    action = new_action(obpb, june_meeting)
    with CaptureQueriesContext(connection) as queries:
        action.change_status(None, "done", "")
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] and "boards_action" in q["sql"] for q in queries.captured_queries)


def test_unknown_status_is_refused(obpb, june_meeting):
    action = new_action(obpb, june_meeting)
    with pytest.raises(ValidationError):
        action.change_status(None, "finished", "")
    assert not action.updates.exists()


def test_updates_are_never_edited_or_deleted(obpb, june_meeting):
    action = new_action(obpb, june_meeting)
    update = action.change_status(None, "done", "Done.")
    update.note = "Rewritten history."
    with pytest.raises(ValidationError):
        update.save()
    with pytest.raises(ValidationError):
        update.delete()
    assert ActionUpdate.objects.get(pk=update.pk).note == "Done."


def test_action_clean_refuses_an_item_of_another_meeting(obpb, june_meeting):
    other_meeting = factories.MeetingPageFactory(board=obpb)
    item = factories.AgendaItemFactory(meeting=other_meeting)
    action = Action(
        board=obpb,
        meeting=june_meeting,
        agenda_item=item,
        description="x",
        owner=factories.OrganisationFactory(),
        due_on=datetime.date(2011, 9, 1),
    )
    with pytest.raises(ValidationError) as error:
        action.clean()
    assert "agenda_item" in error.value.message_dict


def test_overdue_is_derived_not_stored(obpb, june_meeting):
    action = new_action(obpb, june_meeting, due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert action.is_overdue
    action.change_status(None, "done", "")
    assert not action.is_overdue
    assert "overdue" not in {f.name for f in Action._meta.get_fields()}


def test_status_view_writes_the_audit_log(client, obpb, june_meeting):
    secretary = factories.UserFactory(username="secretary", secretariat=True)
    action = new_action(obpb, june_meeting)
    client.force_login(secretary)
    response = client.post(f"/admin/boards/actions/{action.pk}/status/", {"new_status": "done", "note": "All done."})
    assert response.status_code == 302
    entry = ModelLogEntry.objects.filter(object_id=str(action.pk), action="boards.action_status").get()
    assert entry.user == secretary
    assert entry.data["to"] == "done"
