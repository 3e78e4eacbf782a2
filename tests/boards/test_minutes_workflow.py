"""Minutes approval: only the chair or vice-chair of the minutes' own board approves, and nothing publishes
unapproved minutes — not the publish button, bulk publishing, scheduling, an import or a shell."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowPage

from boards.minutes.workflow import ensure_minutes_workflow
from boards.models import Membership, MinutesPage
from boards.models.minutes import MinutesNotApproved, stamp_approval
from tests import factories
from tests.boards.minutes_helpers import (
    PUBLIC_RESOLUTION,
    approve,
    edit_entry,
    held_meeting,
    make_chair,
    submit,
    write_minutes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(board, secretariat_user):
    meeting, _public, _exempt = held_meeting(board)
    return write_minutes(meeting, secretariat_user)


def test_minutes_alone_are_moderated_by_minutes_approval(draft, board):
    workflow = draft.get_workflow()
    assert workflow is not None and workflow.name == "Minutes approval"
    assert [t.specific.__class__.__name__ for t in workflow.tasks] == ["ChairApprovalTask"]
    assert draft.meeting.get_workflow() is None
    assert board.get_workflow() is None
    # Idempotent: running the setup again creates nothing new and keeps the root free of workflows.
    ensure_minutes_workflow()
    assert not WorkflowPage.objects.filter(page=Page.get_first_root_node()).exists()


def test_chair_of_the_board_approves_and_publishes_with_approval_recorded(draft, board, secretariat_user):
    chair = make_chair(board)
    page = approve(draft, chair, secretariat_user)
    assert page.live
    assert page.approved_on == timezone.localdate()
    assert page.approved_by == "Councillor Chair"
    assert page.approved_by_user == chair
    assert page.live_revision.user == chair or page.live_revision.content["approved_by_user"] == chair.pk


def test_vice_chair_may_approve(draft, board, secretariat_user):
    vice = make_chair(board, username="vice", role=Membership.Role.VICE_CHAIR)
    assert approve(draft, vice, secretariat_user).live


@pytest.mark.parametrize("who", ["other_chair", "agency", "member", "former_chair", "secretariat"])
def test_others_cannot_approve(draft, board, secretariat_user, council_user, who):
    if who == "other_chair":
        user = make_chair(factories.BoardPageFactory(title="Another Board"), username="otherchair")
    elif who == "agency":
        user = council_user
    elif who == "member":
        user = make_chair(board, username="member", role=Membership.Role.MEMBER)
    elif who == "former_chair":
        user = make_chair(board, username="former")
        Membership.objects.filter(person__user=user).update(end=datetime.date(2011, 1, 1))
    else:
        user = secretariat_user
    state = submit(draft, secretariat_user)
    task = state.task.specific
    assert task.get_actions(draft, user) == []
    assert not task.get_task_states_user_can_moderate(user).exists()
    assert task.locked_for_user(draft, user)
    with pytest.raises(Exception, match="chair"):
        task.on_action(state, user, "approve")
    page = MinutesPage.objects.get(pk=draft.pk)
    assert not page.live and page.approved_on is None


def test_chair_approves_through_the_admin_and_others_get_403(client, draft, board, secretariat_user):
    chair = make_chair(board)
    other = make_chair(factories.BoardPageFactory(title="Another Board"), username="otherchair")
    state = submit(draft, secretariat_user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", state.pk])
    client.force_login(other)
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error.
    refused = client.post(url, {"comment": ""})
    assert refused.status_code == 403 or refused["Location"] == reverse("wagtailadmin_home")
    assert not MinutesPage.objects.get(pk=draft.pk).live
    client.force_login(chair)
    # The chair reaches the editor through the task, and sees the task in "Awaiting your review".
    assert client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).status_code == 200
    assert state.task.specific.get_task_states_user_can_moderate(chair).filter(pk=state.pk).exists()
    response = client.post(url, {"comment": "A correct record."})
    assert response.status_code == 302
    page = MinutesPage.objects.get(pk=draft.pk)
    assert page.live and page.approved_by_user == chair


def test_request_changes_leaves_minutes_unpublished(draft, board, secretariat_user):
    chair = make_chair(board)
    state = submit(draft, secretariat_user)
    state.task.specific.on_action(state, chair, "reject", comment="Minute 1 is wrong.")
    page = MinutesPage.objects.get(pk=draft.pk)
    assert not page.live and page.approved_on is None
    assert page.current_workflow_state.status == "needs_changes"


# --- every publish path refuses unapproved minutes -------------------------------------------------


def test_shell_save_revision_publish_is_refused(draft):
    with pytest.raises(MinutesNotApproved):
        draft.save_revision().publish()
    assert not MinutesPage.objects.get(pk=draft.pk).live


def test_import_style_publish_with_approval_is_allowed_and_without_is_refused(board):
    meeting, public, _exempt = held_meeting(board)
    page = MinutesPage(title="Minutes", slug="minutes", live=False)
    meeting.add_child(instance=page)
    with pytest.raises(MinutesNotApproved):
        page.save_revision().publish()
    # A trusted import of an approved record seals it (stamp_approval); a bare approval date does not publish.
    page.approved_on = datetime.date(2011, 7, 20)
    with pytest.raises(MinutesNotApproved):
        page.save_revision().publish()
    stamp_approval(page, datetime.date(2011, 7, 20), "Cllr Imported")
    page.save_revision().publish()
    assert MinutesPage.objects.get(pk=page.pk).live


def test_saving_a_live_unapproved_page_is_refused_in_the_model(board):
    meeting, _public, _exempt = held_meeting(board)
    with pytest.raises(MinutesNotApproved):
        meeting.add_child(instance=MinutesPage(title="Minutes", slug="minutes"))  # live by default
    assert not MinutesPage.objects.exists()


def test_admin_publish_button_is_hidden_and_refused(client, draft, secretariat_user):
    client.force_login(secretariat_user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    html = client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html
    # Posting the publish action anyway: a clear message, and nothing published.
    page = draft.get_latest_revision_as_object()
    data = _edit_form_data(page)
    data["action-publish"] = "action-publish"
    response = client.post(edit_url, data)
    assert response.status_code == 302
    assert not MinutesPage.objects.get(pk=draft.pk).live


def test_admin_publish_of_an_unapproved_correction_is_refused_with_a_message(client, draft, board, secretariat_user):
    page = approve(draft, make_chair(board), secretariat_user)
    client.force_login(secretariat_user)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = _edit_form_data(page.get_latest_revision_as_object())
    data["entries-0-resolution"] = "Something the chair never saw."
    data["action-publish"] = "action-publish"
    response = client.post(edit_url, data)
    assert response.status_code == 302 and response["Location"] == edit_url
    assert any("have not been approved" in str(m) for m in get_messages(response.wsgi_request))
    assert "Something the chair never saw." not in client.get(page.url).content.decode()


def test_bulk_publish_skips_unapproved_minutes(client, draft, secretariat_user):
    client.force_login(secretariat_user)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={draft.pk}&next=/admin/"
    response = client.get(url)
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "You don't have permission to publish this page" in html and draft.title in html
    client.post(url, {"include_descendants": "on"})
    # Also publishing the meeting with its descendants leaves the draft minutes alone.
    meeting_url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={draft.meeting.pk}&next=/admin/"
    )
    client.post(meeting_url, {"include_descendants": "on"})
    assert not MinutesPage.objects.get(pk=draft.pk).live


def test_scheduled_publishing_is_refused_and_publish_scheduled_carries_on(draft, board):
    page = draft.get_latest_revision_as_object()
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = page.save_revision()
    with pytest.raises(MinutesNotApproved):
        revision.publish()
    # A schedule that slipped in anyway (set directly) is dropped by publish_scheduled, not published.
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    other_meeting = factories.MeetingPageFactory(board=board, live=False)
    other_revision = other_meeting.save_revision()
    other_revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    other_revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    assert not MinutesPage.objects.get(pk=draft.pk).live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    other_meeting.refresh_from_db()
    assert other_meeting.live


def test_scheduled_publishing_of_approved_minutes_works(draft, board, secretariat_user):
    page = draft.get_latest_revision_as_object()
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    stamp_approval(page, datetime.date(2011, 7, 20), "Cllr Chair")
    revision = page.save_revision()
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    assert not MinutesPage.objects.get(pk=draft.pk).live
    # Time passes: the schedule falls due.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled", verbosity=0)
    assert MinutesPage.objects.get(pk=draft.pk).live


# --- corrections --------------------------------------------------------------------------------


def test_a_correction_needs_approval_again_and_is_shown(client, draft, board, secretariat_user):
    chair = make_chair(board)
    page = approve(draft, chair, secretariat_user)
    first_approved_on = page.approved_on
    url = page.url

    correction = page.get_latest_revision_as_object()
    edit_entry(correction, "1", resolution="Agreed to extend Saturday and Sunday opening at Hendon library.")
    correction.correction_note = "Minute 1 corrected: Sunday opening was also agreed."
    revision = correction.save_revision(user=secretariat_user)
    assert not revision.content["approved_on"]
    with pytest.raises(MinutesNotApproved):
        revision.publish()
    # The public page still shows the approved version.
    assert PUBLIC_RESOLUTION in client.get(url).content.decode()

    page = approve(MinutesPage.objects.get(pk=page.pk), chair, secretariat_user)
    assert page.approved_on == first_approved_on
    assert page.corrected_at is not None
    html = client.get(url).content.decode()
    assert "Agreed to extend Saturday and Sunday opening at Hendon library." in html
    assert "Corrected on" in html and "Minute 1 corrected" in html


def test_resaving_unchanged_published_minutes_keeps_their_approval(draft, board, secretariat_user):
    page = approve(draft, make_chair(board), secretariat_user)
    revision = page.get_latest_revision_as_object().save_revision()
    assert revision.content["approved_on"]
    revision.publish()


def _edit_form_data(page):
    """The edit form's POST data for a minutes page, from its current entries."""
    entries = list(page.entries.all())
    data = {
        "title": page.title,
        "slug": page.slug,
        "correction_note": page.correction_note,
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate(entries):
        data.update(
            {
                f"entries-{n}-id": str(entry.pk),
                f"entries-{n}-ORDER": str(n + 1),
                f"entries-{n}-DELETE": "",
                f"entries-{n}-agenda_item": str(entry.agenda_item_id),
                f"entries-{n}-discussion": '{"blocks": [], "entityMap": {}}',
                f"entries-{n}-resolution": entry.resolution,
                f"entries-{n}-public_summary": entry.public_summary,
            }
        )
    return data


def test_submitting_emails_the_chair_and_vice_chair_of_that_board_only(draft, board, secretariat_user, mailoutbox):
    make_chair(board)
    make_chair(board, username="vice", role=Membership.Role.VICE_CHAIR)
    make_chair(factories.BoardPageFactory(title="Another Board"), username="otherchair")
    submit(draft, secretariat_user)
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == ["chair@example.org", "vice@example.org"]
    assert any(draft.title in message.subject or draft.title in message.body for message in mailoutbox)
