"""The public action log, the carried-forward "Action log" of the next meeting, and the minutes editor's panel."""

import datetime

import pytest

from boards.models import Action, MinutesPage
from tests import factories
from tests.boards.actions_helpers import (
    EXEMPT_ACTION,
    NHS_ACTION,
    OTHER_BOARD_ACTION,
    PUBLIC_ACTION,
    close_url,
    login,
)

pytestmark = pytest.mark.django_db


LOG_URL = "/boards/obpb/actions/"


def test_public_log_lists_actions_of_published_minutes_and_non_exempt_items(client, world):
    response = client.get(LOG_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert PUBLIC_ACTION in html and NHS_ACTION in html
    assert EXEMPT_ACTION not in html  # exempt item: never public
    assert OTHER_BOARD_ACTION not in html  # another board's log
    assert "Barnet Council" in html and "1 Sep 2011" in html


def test_public_log_hides_actions_of_unpublished_minutes(client, world):
    MinutesPage.objects.filter(pk=world.minutes.pk).update(live=False)
    html = client.get(LOG_URL).content.decode()
    assert PUBLIC_ACTION not in html and NHS_ACTION not in html


def test_public_log_hides_actions_of_meetings_without_minutes(client, world):
    item = factories.AgendaItemFactory(meeting=world.next_meeting, number="1", title="Open item")
    Action.objects.create(
        board=world.board,
        meeting=world.next_meeting,
        agenda_item=item,
        description="Unminuted action.",
        owner=world.council,
        due_on=datetime.date(2012, 1, 1),
    )
    Action.objects.create(
        board=world.board, description="Action with no meeting.", owner=world.council, due_on=datetime.date(2012, 1, 1)
    )
    html = client.get(LOG_URL).content.decode()
    assert "Unminuted action." not in html and "Action with no meeting." not in html


def test_public_log_is_the_same_for_agency_staff(client, world):
    # The public channel stays public: restricted viewers see restricted actions in the admin, not here.
    login(client, world.council_user)
    assert EXEMPT_ACTION not in client.get(LOG_URL).content.decode()


def test_latest_update_and_overdue_are_shown(client, world):
    world.council_action.change_status(None, "in_progress", "Consultation opened on 1 August.")
    world.council_action.change_status(None, "in_progress", "Consultation closes on 30 September.")
    html = client.get(LOG_URL).content.decode()
    assert "Consultation closes on 30 September." in html
    assert "Consultation opened on 1 August." not in html
    # Due in 2011 and still open: overdue, said in words, not only by colour.
    assert f'id="{world.council_action.anchor}"' in html
    assert "Overdue" in html


def test_filter_by_status_and_agency(client, world):
    world.nhs_action.change_status(None, "done", "Figures reported.")
    html = client.get(LOG_URL, {"status": "done"}).content.decode()
    assert NHS_ACTION in html and PUBLIC_ACTION not in html
    html = client.get(LOG_URL, {"owner": world.council.slug}).content.decode()
    assert PUBLIC_ACTION in html and NHS_ACTION not in html


def test_agency_filter_offers_only_public_owners(client, world):
    html = client.get(LOG_URL).content.decode()
    assert "London Fire Brigade" not in html


def test_bad_filter_is_a_400_with_the_form(client, world):
    response = client.get(LOG_URL, {"status": "finished"})
    assert response.status_code == 400
    assert "problem with the filter" in response.content.decode()


def test_pagination(client, world):
    for n in range(60):
        Action.objects.create(
            board=world.board,
            meeting=world.meeting,
            agenda_item=world.public_item,
            description=f"Bulk action {n}.",
            owner=world.council,
            due_on=datetime.date(2012, 1, 1),
        )
    first = client.get(LOG_URL).content.decode()
    assert "62 actions" in first and "Page 1 of 2" in first
    assert client.get(LOG_URL, {"page": 2}).status_code == 200
    assert client.get(LOG_URL, {"page": 9}).status_code == 404


def test_board_page_links_to_its_action_log(client, world):
    assert LOG_URL in client.get("/boards/obpb/").content.decode()


# --- carry-forward ---------------------------------------------------------------------------------------------


def next_meeting_url(world):
    return world.next_meeting.url


def test_next_meeting_shows_open_actions_from_earlier_meetings(client, world):
    world.nhs_action.change_status(None, "done", "")
    world.council_action.change_status(None, "in_progress", "Draft consultation ready.")
    html = client.get(next_meeting_url(world)).content.decode()
    assert "Action log" in html
    assert PUBLIC_ACTION in html and "Draft consultation ready." in html
    assert NHS_ACTION not in html  # done
    assert EXEMPT_ACTION not in html  # exempt item: public never sees it


def test_restricted_viewers_see_all_open_actions_carried_forward(client, world):
    login(client, world.nhs_user)
    html = client.get(next_meeting_url(world)).content.decode()
    assert EXEMPT_ACTION in html


def test_outsiders_do_not_see_restricted_actions_carried_forward(client, world):
    login(client, world.outsider)
    assert EXEMPT_ACTION not in client.get(next_meeting_url(world)).content.decode()


def test_earlier_meeting_does_not_carry_its_own_actions(client, world):
    html = client.get(world.meeting.url).content.decode()
    assert 'id="action-log-heading"' not in html


# --- the minutes editor -----------------------------------------------------------------------------------------


def minutes_of_next_meeting(world):
    return factories.MinutesPageFactory(
        parent=world.next_meeting, title="Minutes", slug="minutes", approved_on=None, approved_by="", live=False
    )


def test_minutes_editor_lists_actions_add_links_and_carried_forward(client, world):
    login(client, world.secretary)
    html = client.get(f"/admin/pages/{world.minutes.pk}/edit/").content.decode()
    assert world.council_action.reference in html and world.nhs_action.reference in html
    assert (
        f"/admin/snippets/boards/action/add/?meeting={world.meeting.pk}&amp;agenda_item={world.public_item.pk}" in html
    )

    minutes = minutes_of_next_meeting(world)
    html = client.get(f"/admin/pages/{minutes.pk}/edit/").content.decode()
    assert "Action log: open actions from earlier meetings" in html
    assert close_url(world.council_action) in html
    assert close_url(world.exempt_action) in html  # the secretariat sees restricted actions


# --- view restrictions (Wagtail's "private" pages) keep their actions and minutes from the public ----------------


def test_a_view_restriction_on_the_meeting_keeps_its_actions_from_the_log_and_the_carry_forward(client, world):
    from wagtail.models import PageViewRestriction

    assert PUBLIC_ACTION in client.get(LOG_URL).content.decode()
    assert PUBLIC_ACTION in client.get(next_meeting_url(world)).content.decode()
    PageViewRestriction.objects.create(page=world.meeting, restriction_type=PageViewRestriction.LOGIN)
    assert PUBLIC_ACTION not in client.get(LOG_URL).content.decode()
    assert PUBLIC_ACTION not in client.get(next_meeting_url(world)).content.decode()
    # Restricted viewers still see every open action carried forward.
    login(client, world.nhs_user)
    assert PUBLIC_ACTION in client.get(next_meeting_url(world)).content.decode()


def test_restricted_minutes_are_not_linked_from_their_meeting_page(client, world):
    from wagtail.models import PageViewRestriction

    assert "Read the minutes of this meeting" in client.get(world.meeting.url).content.decode()
    PageViewRestriction.objects.create(page=world.minutes, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(world.meeting.url).content.decode()
    assert "Read the minutes of this meeting" not in html and "Minutes not yet published." in html


@pytest.mark.parametrize("on", ["board", "meeting"])
def test_a_view_restriction_above_or_on_a_meeting_still_guards_its_page(client, world, on):
    # MeetingPage.get_view_restrictions answers Wagtail's serve hook in one query: it must still find both.
    from wagtail.models import PageViewRestriction

    page = world.board if on == "board" else world.next_meeting
    assert client.get(next_meeting_url(world)).status_code == 200
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert list(world.next_meeting.get_view_restrictions()) == [restriction]
    response = client.get(next_meeting_url(world))
    assert response.status_code == 302 and "login" in response["Location"]
    login(client, world.nhs_user)
    assert client.get(next_meeting_url(world)).status_code == 200
