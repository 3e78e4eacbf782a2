"""Approval travels with approval, not with copies: every path that could make minutes live needs the chair's
approval of exactly that content, for that page under that meeting (issue 15, leak path 5).

Copy, alias and move are refused for minutes; the admin hides them and the model refuses them in code too. An
approval is sealed to the content, page and meeting the chair approved, so a revert, an edit after unpublishing,
a copied revision or a forged approval date cannot be published.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.copy_page import CopyPageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page

from boards.models import MeetingPage, MinutesPage
from boards.models.minutes import MinutesNotApproved, MinutesNotCopied, stamp_approval
from tests import factories
from tests.boards.minutes_helpers import approve, edit_entry, held_meeting, make_chair, write_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(board, secretariat_user):
    """Approved, published minutes of a held meeting, and an empty held meeting of the same board."""
    meeting, _public, _exempt = held_meeting(board)
    page = approve(write_minutes(meeting, secretariat_user), make_chair(board), secretariat_user)
    other = factories.MeetingPageFactory(
        board=board, starts_at=timezone.make_aware(datetime.datetime(2011, 9, 21, 18, 30)), held=True
    )
    other.save_revision().publish()
    assert page.live and page.approved_on
    return page, MeetingPage.objects.get(pk=other.pk)


def _untouched(page):
    fresh = MinutesPage.objects.get(pk=page.pk)
    assert fresh.live and fresh.approved_on == page.approved_on and fresh.approved_by == page.approved_by
    assert fresh.get_parent().pk == page.get_parent().pk


def _no_live_minutes_under(meeting):
    assert not MinutesPage.objects.child_of(meeting).live().exists()
    for copy in MinutesPage.objects.child_of(meeting):
        assert copy.approved_on is None and not copy.approved_by and copy.approved_by_user_id is None


# --- copy ---------------------------------------------------------------------------------------------


def test_admin_copy_of_minutes_is_refused_and_the_original_untouched(client, approved, secretariat_user):
    page, other = approved
    client.force_login(secretariat_user)
    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("wagtailadmin_pages:copy", args=[page.pk]) not in edit_html
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    response = client.post(
        url,
        {
            "new_title": "Copied minutes",
            "new_slug": "minutes",
            "new_parent_page": str(other.pk),
            "publish_copies": "on",
        },
    )
    assert response.status_code in (302, 403)
    assert not MinutesPage.objects.child_of(other).exists()
    assert MinutesPage.objects.count() == 1
    _untouched(page)


def test_admin_alias_of_minutes_is_refused(client, approved, secretariat_user):
    page, other = approved
    client.force_login(secretariat_user)
    client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Alias", "new_slug": "minutes", "new_parent_page": str(other.pk), "alias": "on"},
    )
    assert not MinutesPage.objects.child_of(other).exists()
    _untouched(page)


def test_admin_copy_of_a_meeting_with_its_minutes_is_refused_with_a_message(client, approved, secretariat_user, board):
    page, _other = approved
    meeting = page.get_parent()
    client.force_login(secretariat_user)
    url = reverse("wagtailadmin_pages:copy", args=[meeting.pk])
    response = client.post(
        url,
        {
            "new_title": "Copied meeting",
            "new_slug": "copied-meeting",
            "new_parent_page": str(board.pk),
            "copy_subpages": "on",
            "publish_copies": "on",
        },
        follow=True,
    )
    assert "minutes" in response.content.decode().lower() and "not copied" in response.content.decode()
    assert not Page.objects.filter(slug="copied-meeting").exists()
    assert MinutesPage.objects.count() == 1
    _untouched(page)
    # Without its subpages the meeting copies as before: the minutes stay with the meeting they record.
    client.post(
        url,
        {"new_title": "Copied meeting", "new_slug": "copied-meeting", "new_parent_page": str(board.pk)},
    )
    copied = Page.objects.get(slug="copied-meeting")
    assert not MinutesPage.objects.child_of(copied).exists()


@pytest.mark.parametrize("keep_live", [True, False])
def test_code_copy_of_minutes_to_another_meeting_is_refused(approved, keep_live):
    page, other = approved
    with pytest.raises((MinutesNotApproved, ValidationError)):
        CopyPageAction(page, to=other, keep_live=keep_live, update_attrs={"title": "Copy"}).execute()
    assert not MinutesPage.objects.child_of(other).exists()
    _untouched(page)


@pytest.mark.parametrize("keep_live", [True, False])
def test_code_copy_of_a_meeting_with_its_minutes_is_refused(approved, board, keep_live):
    page, _other = approved
    meeting = page.get_parent()
    with pytest.raises((MinutesNotApproved, ValidationError)), transaction.atomic():
        CopyPageAction(
            meeting, to=board, recursive=True, keep_live=keep_live, update_attrs={"slug": "copied-meeting"}
        ).execute()
    assert MinutesPage.objects.count() == 1
    _untouched(page)


def test_a_copy_never_carries_the_approval(approved):
    """Where a copy is made (same meeting, valid entries), neither the page nor its revisions are approved."""
    page, _other = approved
    meeting = page.get_parent()
    copy = _copy_beside(page, meeting)
    assert not copy.live and copy.approved_on is None and not copy.approved_by and not copy.approval_seal
    for revision in copy.revisions.all():
        assert not revision.content.get("approved_on") and not revision.content.get("approval_seal")
        with pytest.raises(MinutesNotApproved):
            revision.publish()
    _untouched(page)


def _copy_beside(page, meeting):
    """A copy in code under the same meeting (one minutes page per meeting is the admin's rule, not the model's)."""
    copy = CopyPageAction(page, keep_live=False, update_attrs={"slug": "minutes-copy"}).execute()
    assert copy.get_parent().pk == meeting.pk
    return MinutesPage.objects.get(pk=copy.pk)


# --- move ---------------------------------------------------------------------------------------------


def test_admin_move_of_minutes_is_refused(client, approved, secretariat_user):
    page, other = approved
    client.force_login(secretariat_user)
    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("wagtailadmin_pages:move", args=[page.pk]) not in edit_html
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, other.pk]))
    assert response.status_code in (302, 403)
    assert not MinutesPage.objects.child_of(other).exists()
    _untouched(page)


def test_code_move_of_minutes_is_refused(approved):
    page, other = approved
    with pytest.raises(MinutesNotCopied):
        MovePageAction(page, other, pos="last-child").execute()
    with pytest.raises(MinutesNotCopied):
        page.move(other, pos="last-child")
    _untouched(page)


def test_approval_is_sealed_to_its_meeting(approved):
    """Were minutes moved anyway (raw tree surgery), their approval would not publish under the new meeting."""
    page, other = approved
    from treebeard.mp_tree import MP_MoveHandler

    MP_MoveHandler(Page.objects.get(pk=page.pk), Page.objects.get(pk=other.pk), "last-child").process()
    MinutesPage.objects.filter(pk=page.pk).update(live=False)
    moved = MinutesPage.objects.get(pk=page.pk)
    assert moved.get_parent().pk == other.pk
    with pytest.raises(MinutesNotApproved):
        moved.get_latest_revision().publish()


# --- revisions ----------------------------------------------------------------------------------------


def _revert_post_data(page):
    from tests.boards.test_minutes_workflow import _edit_form_data

    data = _edit_form_data(page)
    data["action-publish"] = "action-publish"
    return data


def test_revert_to_a_revision_before_approval_cannot_be_published(client, approved, secretariat_user):
    page, _other = approved
    before = page.revisions.order_by("created_at", "pk").first()
    assert not before.content.get("approved_on")
    client.force_login(secretariat_user)
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, before.pk])
    assert client.get(url).status_code == 200
    old = before.as_object()
    edit_entry(old, "1", resolution="Wording from before the chair's approval.")
    client.post(url, _revert_post_data(old))
    assert "Wording from before the chair's approval." not in client.get(page.url).content.decode()
    _untouched(page)


def test_unpublished_minutes_edited_cannot_be_republished_on_their_old_approval(client, approved, secretariat_user):
    page, _other = approved
    page.unpublish()
    draft = MinutesPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edit_entry(draft, "1", resolution="Never seen by the chair.")
    revision = draft.save_revision(user=secretariat_user)
    with pytest.raises(MinutesNotApproved):
        revision.publish()
    # And through the admin's publish button.
    client.force_login(secretariat_user)
    data = _revert_post_data(MinutesPage.objects.get(pk=page.pk).get_latest_revision_as_object())
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert not MinutesPage.objects.get(pk=page.pk).live


def test_unpublished_approved_minutes_unchanged_may_be_republished(approved):
    page, _other = approved
    page.unpublish()
    MinutesPage.objects.get(pk=page.pk).get_latest_revision().publish()
    assert MinutesPage.objects.get(pk=page.pk).live


def test_a_forged_approval_date_does_not_publish(approved, secretariat_user):
    page, _other = approved
    page.unpublish()
    draft = MinutesPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edit_entry(draft, "1", resolution="Forged.")
    draft.approved_on = datetime.date(2011, 7, 1)
    revision = draft.save_revision(user=secretariat_user)
    with pytest.raises(MinutesNotApproved):
        revision.publish()
    assert not MinutesPage.objects.get(pk=page.pk).live


def test_revert_to_the_first_approval_after_a_correction_needs_approval_again(approved, board, secretariat_user):
    page, _other = approved
    first_approved = page.live_revision
    correction = page.get_latest_revision_as_object()
    edit_entry(correction, "1", resolution="Corrected wording.")
    correction.save_revision(user=secretariat_user)
    page = approve(MinutesPage.objects.get(pk=page.pk), make_chair(board, username="chair2"), secretariat_user)
    assert page.corrected_at is not None
    # Publishing the first approved revision itself, or a revert to it, would undo the approved correction.
    with pytest.raises(MinutesNotApproved):
        first_approved.publish()
    reverted = first_approved.as_object()
    revision = reverted.save_revision(user=secretariat_user)
    assert not revision.content.get("approved_on")
    with pytest.raises(MinutesNotApproved):
        revision.publish()
    assert MinutesPage.objects.get(pk=page.pk).live_revision.content["corrected_at"]


# --- scheduling, shell, import ------------------------------------------------------------------------


def test_scheduled_publishing_of_an_edit_after_unpublishing_is_dropped(approved, secretariat_user):
    page, _other = approved
    page.unpublish()
    draft = MinutesPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edit_entry(draft, "1", resolution="Scheduled without the chair.")
    revision = draft.save_revision(user=secretariat_user)
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    assert not MinutesPage.objects.get(pk=page.pk).live


def test_stamped_approval_publishes_and_editing_afterwards_breaks_the_seal(board):
    meeting, _public, _exempt = held_meeting(board)
    page = MinutesPage(title="Minutes", slug="minutes", live=False)
    meeting.add_child(instance=page)
    stamp_approval(page, datetime.date(2011, 7, 20), "Cllr Imported")
    page.title = "Minutes, retitled after approval"
    with pytest.raises(MinutesNotApproved):
        page.save_revision().publish()
    stamp_approval(page, datetime.date(2011, 7, 20), "Cllr Imported")
    page.save_revision().publish()
    assert MinutesPage.objects.get(pk=page.pk).live
