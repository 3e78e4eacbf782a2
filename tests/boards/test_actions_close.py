"""One-click close of a carried-forward action from the minutes editor: a POST of its own, never a submit of the
minutes form, recorded as an update, permission-checked, CSRF-protected, and refused cleanly on bad input."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from boards.actions.status_views import STATUS_LOG_ACTION
from boards.models import Action, ActionUpdate, MinutesPage
from tests import factories
from tests.boards.actions_helpers import close_url, login, status_url

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
DRAFT_TEXT = "Draft: the board noted progress on the library consultation."


@pytest.fixture
def minutes(world):
    """Draft minutes of the next meeting (where the first meeting's open actions are carried forward), with a
    saved revision holding draft text."""
    page = factories.MinutesPageFactory(
        parent=world.next_meeting, title="Minutes", slug="minutes", approved_on=None, approved_by="", live=False
    )
    page = MinutesPage.objects.get(pk=page.pk)
    page.correction_note = DRAFT_TEXT
    page.save_revision(user=world.secretary)
    return MinutesPage.objects.get(pk=page.pk)


def editor_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def close(client, action, meeting, **extra):
    data = {"meeting": meeting.pk} if meeting is not None else {}
    return client.post(close_url(action), data, **{**JSON, **extra})


def nothing_recorded(action, status="open"):
    action.refresh_from_db()
    return action.status == status and not ActionUpdate.objects.filter(action=action).exists()


# --- the editor's button ----------------------------------------------------------------------------------------


def test_close_button_is_not_a_submit_of_the_minutes_form(client, world, minutes):
    login(client, world.secretary)
    html = client.get(editor_url(minutes)).content.decode()
    button = re.search(
        r"<button[^>]*data-boards-close-action[^>]*>\s*Close " + re.escape(world.council_action.reference), html
    )
    assert button, "no close button for the carried-forward action"
    tag = button.group(0)
    assert 'type="button"' in tag  # a plain button: clicking it never submits the page edit form around it
    assert "formaction" not in tag and "formmethod" not in tag and " form=" not in tag
    assert f'data-url="{close_url(world.council_action)}"' in tag
    assert f'data-meeting="{world.next_meeting.pk}"' in tag
    # The script that sends the close is a static file (no inline script), loaded with the panel.
    assert re.search(r'<script[^>]+src="/static/boards/js/close-action\.js"', html)
    assert "formaction" not in html[html.index("Action log: open actions") :]


def test_close_script_is_served(client):
    from django.contrib.staticfiles import finders

    path = finders.find("boards/js/close-action.js")
    assert path, "boards/js/close-action.js is not found by the static files finders"
    text = open(path, encoding="utf-8").read()
    assert "X-CSRFToken" in text and 'method: "POST"' in text


# --- the request ------------------------------------------------------------------------------------------------


def test_close_records_a_done_update_with_author_time_and_meeting(client, world, minutes):
    login(client, world.secretary)
    before = timezone.now()
    response = close(client, world.council_action, world.next_meeting)
    assert response.status_code == 200
    when = timezone.localtime(world.next_meeting.starts_at)
    expected_note = f"Closed at the meeting of {when.day} {when:%B %Y}."
    body = response.json()
    assert body["closed"] is True and body["status"] == "done" and body["status_display"] == "Done"
    assert body["note"] == expected_note and body["reference"] == world.council_action.reference
    world.council_action.refresh_from_db()
    assert world.council_action.status == "done"
    update = world.council_action.updates.get()
    assert update.new_status == "done" and update.note == expected_note
    assert update.author == world.secretary and update.author_name == "secretary"
    assert before <= update.created_at <= timezone.now()
    log = ModelLogEntry.objects.get(action=STATUS_LOG_ACTION, object_id=str(world.council_action.pk))
    assert log.user == world.secretary and log.data["to"] == "done"


def test_close_does_not_touch_the_minutes_page_or_its_revisions(client, world, minutes):
    login(client, world.secretary)
    revisions = list(minutes.revisions.order_by("pk").values_list("pk", "content"))
    page_logs = PageLogEntry.objects.filter(page=minutes).count()
    assert revisions[-1][1]["correction_note"] == DRAFT_TEXT

    assert close(client, world.council_action, world.next_meeting).status_code == 200
    assert close(client, world.exempt_action, world.next_meeting).status_code == 200

    after = MinutesPage.objects.get(pk=minutes.pk)
    assert list(after.revisions.order_by("pk").values_list("pk", "content")) == revisions
    assert after.latest_revision_id == minutes.latest_revision_id
    assert after.get_latest_revision_as_object().correction_note == DRAFT_TEXT
    assert after.has_unpublished_changes == minutes.has_unpublished_changes and not after.live
    assert PageLogEntry.objects.filter(page=minutes).count() == page_logs
    assert Action.objects.filter(pk__in=[world.council_action.pk, world.exempt_action.pk], status="done").count() == 2


def test_closed_action_leaves_the_carried_forward_list(client, world, minutes):
    login(client, world.secretary)
    assert close_url(world.council_action) in client.get(editor_url(minutes)).content.decode()
    assert close(client, world.council_action, world.next_meeting).status_code == 200
    html = client.get(editor_url(minutes)).content.decode()
    assert close_url(world.council_action) not in html
    assert close_url(world.nhs_action) in html  # the others are still there, one click each


def test_closing_twice_records_one_update(client, world, minutes):
    login(client, world.secretary)
    close(client, world.council_action, world.next_meeting)
    response = close(client, world.council_action, world.next_meeting)
    assert response.status_code == 200
    assert response.json()["closed"] is False and "already done" in response.json()["message"]
    assert world.council_action.updates.count() == 1


def test_owning_agency_may_close_its_own_action(client, world):
    login(client, world.council_user)
    assert close(client, world.council_action, world.next_meeting).status_code == 200
    world.council_action.refresh_from_db()
    assert world.council_action.status == "done"
    assert world.council_action.updates.get().author == world.council_user


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nhs_user", "outsider", "chair"])
def test_another_agency_cannot_close_the_action(client, world, who):
    # Another agency's action is not acknowledged at all (as on its status page): 404, nothing recorded.
    login(client, getattr(world, who))
    assert close(client, world.council_action, world.next_meeting).status_code == 404
    assert client.post(close_url(world.council_action), {"meeting": world.next_meeting.pk}).status_code == 404
    assert nothing_recorded(world.council_action)


def test_anonymous_cannot_close(client, world):
    response = client.post(close_url(world.council_action), {"meeting": world.next_meeting.pk})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert close(client, world.council_action, world.next_meeting).status_code == 403
    assert nothing_recorded(world.council_action)


def test_get_is_refused(client, world):
    login(client, world.secretary)
    assert client.get(close_url(world.council_action), {"meeting": world.next_meeting.pk}).status_code == 405
    assert client.get(close_url(world.council_action), **JSON).status_code == 405
    assert nothing_recorded(world.council_action)


def test_csrf_is_required(world, minutes):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.secretary)
    response = strict.post(close_url(world.council_action), {"meeting": world.next_meeting.pk}, **JSON)
    assert response.status_code == 403
    assert nothing_recorded(world.council_action)
    # With the token the editor page carries (what the script sends), the same request is accepted.
    html = strict.get(editor_url(minutes)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = strict.post(
        close_url(world.council_action), {"meeting": world.next_meeting.pk}, HTTP_X_CSRFTOKEN=token, **JSON
    )
    assert response.status_code == 200
    world.council_action.refresh_from_db()
    assert world.council_action.status == "done"


@pytest.mark.parametrize("meeting", ["abc", "-3", "0", "1.5", "99999999999999999999", "9" * 400])
def test_bad_meeting_is_a_400_not_a_500(client, world, meeting):
    login(client, world.secretary)
    response = client.post(close_url(world.council_action), {"meeting": meeting}, **JSON)
    assert response.status_code == 400 and "meeting" in response.json()["error"]
    response = client.post(close_url(world.council_action), {"meeting": meeting})
    assert response.status_code == 400
    assert nothing_recorded(world.council_action)


def test_meeting_of_another_board_is_a_400(client, world):
    login(client, world.secretary)
    other_meeting = world.other_action.meeting
    response = close(client, world.council_action, other_meeting)
    assert response.status_code == 400 and "One Barnet Partnership Board" in response.json()["error"]
    missing = close(client, world.council_action, type("M", (), {"pk": 2**31 - 1})())
    assert missing.status_code == 400
    assert nothing_recorded(world.council_action)


def test_unknown_action_is_a_404(client, world):
    login(client, world.secretary)
    assert client.post("/admin/boards/actions/2147483647/close/", {}, **JSON).status_code == 404


# --- a plain form POST (no script) --------------------------------------------------------------------------------


def test_plain_post_redirects_to_next_on_this_host_only(client, world, minutes):
    login(client, world.secretary)
    response = client.post(
        close_url(world.council_action), {"meeting": world.next_meeting.pk, "next": editor_url(minutes)}
    )
    assert response.status_code == 302 and response["Location"] == editor_url(minutes)
    world.council_action.refresh_from_db()
    assert world.council_action.status == "done"
    assert "Closed at the meeting of" in world.council_action.updates.get().note
    response = client.post(close_url(world.nhs_action), {"next": "https://evil.example/"})
    assert response["Location"] == status_url(world.nhs_action)
    assert world.nhs_action.updates.get().note == "Closed."


def test_meeting_dates_are_london_dates(client, world):
    # A meeting just after midnight in summer (BST) is closed "at" its London date, not its UTC date.
    late = factories.MeetingPageFactory(
        board=world.board, starts_at=timezone.make_aware(datetime.datetime(2011, 10, 1, 0, 30)), agenda_published=True
    )
    login(client, world.secretary)
    assert close(client, world.council_action, late).json()["note"] == "Closed at the meeting of 1 October 2011."
