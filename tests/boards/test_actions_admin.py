"""The actions admin: "Our actions" for agencies, status-only updates, and every generic view closed per object.

Requests here bypass the UI on purpose: direct GETs and POSTs to other agencies' URLs, bulk actions, choosers, search.
"""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from boards.models import Action, ActionUpdate
from tests import factories
from tests.boards.actions_helpers import (
    EXEMPT_ACTION,
    NHS_ACTION,
    OTHER_BOARD_ACTION,
    PUBLIC_ACTION,
    admin_list_url,
    close_url,
    delete_url,
    edit_url,
    history_url,
    login,
    status_url,
    usage_url,
)

pytestmark = pytest.mark.django_db


CHOOSER = "/admin/snippets/choose/boards/action/"
BULK_DELETE = "/admin/bulk/boards/action/delete/"


@pytest.fixture
def council_client(client, world):
    return login(client, world.council_user)


@pytest.fixture
def secretary_client(client, world):
    return login(client, world.secretary)


@pytest.fixture
def chair_council_client(client, world):
    """A chair who also works for the council: not held to the agency allow-list, so each object must decide."""
    world.chair.groups.add(world.council.group)
    return login(client, world.chair)


def assert_denied_by_default(response):
    """The agency allow-list (boards.middleware) refuses the URL before any view or object lookup runs."""
    assert response.status_code == 403, response.status_code
    assert b"not open to partner agency staff" in response.content


def assert_refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message, or a 403."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def edit_form_data(action, **overrides):
    data = {
        "board": action.board_id,
        "meeting": action.meeting_id or "",
        "agenda_item": action.agenda_item_id or "",
        "description": action.description,
        "owner": action.owner_id,
        "owner_person": "",
        "due_on": action.due_on.isoformat(),
        "tags": "",
    }
    data.update(overrides)
    return data


# --- the listing ---------------------------------------------------------------------------------------------


def test_agency_sees_our_actions_only(council_client, world):
    response = council_client.get(admin_list_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Our actions" in html
    assert PUBLIC_ACTION in html and EXEMPT_ACTION in html
    assert NHS_ACTION not in html and OTHER_BOARD_ACTION not in html


def test_shared_actions_appear_for_the_sharing_agency(client, world):
    world.nhs_action.shared_with.add(world.council)
    login(client, world.council_user)
    assert NHS_ACTION in client.get(admin_list_url()).content.decode()


def test_agency_listing_links_to_status_updates_not_edit_or_delete(council_client, world):
    html = council_client.get(admin_list_url()).content.decode()
    assert status_url(world.council_action) in html
    assert edit_url(world.council_action) not in html
    assert delete_url(world.council_action) not in html
    assert "/admin/snippets/boards/action/add/" not in html


def test_secretariat_sees_everything_with_edit_links(secretary_client, world):
    html = secretary_client.get(admin_list_url()).content.decode()
    for text in (PUBLIC_ACTION, EXEMPT_ACTION, NHS_ACTION, OTHER_BOARD_ACTION):
        assert text in html
    assert edit_url(world.nhs_action) in html


def listing_row(html, action):
    """The <tr> of an action in the listing's HTML."""
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    return next(row for row in rows if f'id="snippet_{action.pk}_title"' in row)


def test_listing_row_shows_board_owner_due_date_status_and_latest_update(council_client, world):
    Action.objects.filter(pk=world.council_action.pk).update(description="Report <b>figures</b> & trends.")
    world.council_action.change_status(world.council_user, "in_progress", "Consultation <drafted>.")
    row = listing_row(council_client.get(admin_list_url()).content.decode(), world.council_action)
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)
    ]
    assert cells[0].startswith(world.council_action.reference) and cells[0].endswith("Update status")
    assert cells[1:] == [
        "Report &lt;b&gt;figures&lt;/b&gt; &amp; trends.",  # text, escaped, never markup
        "OBPB",
        "Barnet Council",
        "1 Sep 2011",
        "In progress — overdue",
        "Consultation &lt;drafted&gt;.",
    ]
    assert '<time datetime="2011-09-01">1 Sep 2011</time>' in row


def test_agency_rows_offer_update_status_only(council_client, world):
    html = council_client.get(admin_list_url()).content.decode()
    row = listing_row(html, world.council_action)
    assert f'<a href="{status_url(world.council_action)}"' in row and "Update status" in row
    # No bulk checkbox (delete, the only bulk action, is not theirs) and no "More" menu repeating the link.
    assert "data-bulk-action-checkbox" not in html and "More options for" not in html
    assert edit_url(world.council_action) not in row and delete_url(world.council_action) not in row


def test_secretariat_rows_keep_bulk_selection_and_the_more_menu(secretary_client, world):
    html = secretary_client.get(admin_list_url()).content.decode()
    row = listing_row(html, world.nhs_action)
    assert f'data-object-id="{world.nhs_action.pk}" data-bulk-action-checkbox' in row
    assert "More options for" in row
    for url in (edit_url(world.nhs_action), delete_url(world.nhs_action), status_url(world.nhs_action)):
        assert url in row


def test_agency_menu_shows_actions(council_client):
    html = council_client.get("/admin/").content.decode()
    assert admin_list_url() in html


@pytest.mark.parametrize(
    "query, expected, absent",
    [
        ({"status": "done"}, [EXEMPT_ACTION], [PUBLIC_ACTION]),
        ({"overdue": "true"}, [PUBLIC_ACTION], [EXEMPT_ACTION]),
        ({"due_before": "2011-08-15"}, [PUBLIC_ACTION], [EXEMPT_ACTION]),
    ],
)
def test_listing_filters(council_client, world, query, expected, absent):
    world.exempt_action.change_status(None, "done", "")
    Action.objects.filter(pk=world.exempt_action.pk).update(due_on=datetime.date(2099, 1, 1))
    Action.objects.filter(pk=world.council_action.pk).update(due_on=datetime.date(2011, 8, 1))
    html = council_client.get(admin_list_url(), query).content.decode()
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


def test_board_filter_never_reveals_other_agencies(client, world):
    login(client, world.outsider)
    html = client.get(admin_list_url(), {"board": world.board.pk}).content.decode()
    assert PUBLIC_ACTION not in html and NHS_ACTION not in html


def test_admin_search_finds_only_visible_actions(client, world):
    login(client, world.outsider)
    html = client.get(admin_list_url(), {"q": "library"}).content.decode()
    assert PUBLIC_ACTION not in html
    html = client.get(admin_list_url(), {"q": world.council_action.reference}).content.decode()
    assert PUBLIC_ACTION not in html
    results = client.get("/admin/snippets/boards/action/results/", {"q": "Grimsditch"}).content.decode()
    assert EXEMPT_ACTION not in results


# --- Wagtail's admin search ---------------------------------------------------------------------------------

DRAFT_TITLE = "Quarrendon buyout briefing"


def admin_search_urls():
    """The admin search (pages) and every search area Wagtail registers (documents, images, …), by the resolver."""
    from django.urls import reverse
    from wagtail import hooks

    urls = {reverse("wagtailadmin_pages:search"), reverse("wagtailadmin_pages:search_results")}
    urls |= {fn().url for fn in hooks.get_hooks("register_admin_search_area")}
    return sorted(urls)


@pytest.fixture
def admin_search_canaries(world):
    """A draft meeting on the other board titled with a canary; the exempt item's paper is the other canary."""
    factories.MeetingPageFactory(board=world.other_board, title=DRAFT_TITLE, slug="quarrendon", live=False)
    return {"Quarrendon": DRAFT_TITLE, "tender": world.paper.title}


def test_wagtail_admin_search_finds_the_canaries_for_the_secretariat(secretary_client, admin_search_canaries):
    """The control: each canary is found by one of the search URLs, so the refusals below can fail."""
    found = set()
    for url in admin_search_urls():
        for query, canary in admin_search_canaries.items():
            response = secretary_client.get(url, {"q": query})
            assert response.status_code in (200, 302), url  # 302: an area the secretariat has no rights in (images)
            if canary in response.content.decode():
                found.add(canary)
    assert found == set(admin_search_canaries.values())


@pytest.mark.parametrize("who", ["council_user", "outsider"])
def test_wagtail_admin_search_shows_agency_users_no_canary(client, world, admin_search_canaries, who):
    """Refused (Wagtail's redirect to the dashboard, or 403/404 under deny-by-default), and no canary either way."""
    login(client, getattr(world, who))
    for url in admin_search_urls():
        for query, canary in admin_search_canaries.items():
            response = client.get(url, {"q": query})
            assert response.status_code in (302, 403, 404), f"{url}: {response.status_code}"
            if response.status_code == 302:
                assert response["Location"] == "/admin/", url
            assert canary not in response.content.decode(), f"{who} sees {canary!r} at {url}"


def test_admin_search_finds_own_actions(council_client, world):
    html = council_client.get(admin_list_url(), {"q": "library"}).content.decode()
    assert PUBLIC_ACTION in html


# --- export --------------------------------------------------------------------------------------------------


def test_csv_export_lists_own_actions_and_neutralises_formulas(council_client, world):
    Action.objects.filter(pk=world.council_action.pk).update(description='=HYPERLINK("http://evil","x")')
    Action.objects.filter(pk=world.exempt_action.pk).update(description="-2+3")
    world.council_action.change_status(None, "in_progress", "@SUM(A1:A2)")
    response = council_client.get(admin_list_url(), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    descriptions = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil","x")' in descriptions
    assert "'-2+3" in descriptions
    assert any(row[-1] == "'@SUM(A1:A2)" for row in rows[1:])
    assert all(NHS_ACTION not in ",".join(row) for row in rows)
    assert len(rows) == 3  # heading + the council's two actions


def test_csv_export_writes_board_meeting_sharing_and_lead_person(council_client, world):
    world.council_action.shared_with.add(world.nhs)
    lead = factories.PersonFactory(name="Priya Raman", organisation=world.council)
    Action.objects.filter(pk=world.council_action.pk).update(owner_person=lead)
    world.council_action.change_status(None, "in_progress", "Consultation drafted.")
    response = council_client.get(admin_list_url(), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    exported = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == world.council_action.reference), strict=True))
    assert exported == {
        "Reference": world.council_action.reference,
        "Description": PUBLIC_ACTION,
        "Board": "One Barnet Partnership Board",
        "Meeting": "2011-06-29",
        "Owner": "London Borough of Barnet",
        "Shared with": "NHS Barnet",
        "Lead person": "Priya Raman",
        "Due on": "2011-09-01",
        "Status": "In progress",
        "Overdue": "yes",
        "Latest update": "Consultation drafted.",
    }


def test_xlsx_export_neutralises_formulas(council_client, world):
    Action.objects.filter(pk=world.council_action.pk).update(description="+cmd|' /C calc'!A0")
    response = council_client.get(admin_list_url(), {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'+cmd|' /C calc'!A0" in values
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))) for v in values)
    assert NHS_ACTION not in values


# --- status updates: what agency staff may do ------------------------------------------------------------------


def test_agency_updates_status_of_own_action(council_client, world):
    response = council_client.post(
        status_url(world.council_action), {"new_status": "in_progress", "note": "Consultation drafted."}
    )
    assert response.status_code == 302
    world.council_action.refresh_from_db()
    assert world.council_action.status == "in_progress"
    update = ActionUpdate.objects.get(action=world.council_action)
    assert update.author == world.council_user and update.note == "Consultation drafted."


def test_status_page_shows_fields_read_only_and_history(council_client, world):
    world.council_action.change_status(world.secretary, "in_progress", "Started by the secretariat.")
    response = council_client.get(status_url(world.council_action))
    html = response.content.decode()
    assert PUBLIC_ACTION in html and "Started by the secretariat." in html
    assert set(response.context["form"].fields) == {"new_status", "note"}
    assert 'textarea name="description"' not in html and 'name="due_on"' not in html and 'name="owner"' not in html


def test_update_needs_a_change_or_a_note(council_client, world):
    response = council_client.post(status_url(world.council_action), {"new_status": "open", "note": ""})
    assert response.status_code == 200
    assert "Change the status or write a note" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_bad_status_is_a_form_error_not_a_500(council_client, world):
    response = council_client.post(status_url(world.council_action), {"new_status": "finished", "note": "x"})
    assert response.status_code == 200
    assert not ActionUpdate.objects.exists()


def test_agency_cannot_update_another_agencys_action(council_client, world):
    response = council_client.post(status_url(world.nhs_action), {"new_status": "done", "note": "Not ours."})
    assert response.status_code == 404
    assert council_client.get(status_url(world.nhs_action)).status_code == 404
    assert council_client.post(close_url(world.nhs_action)).status_code == 404
    world.nhs_action.refresh_from_db()
    assert world.nhs_action.status == "open" and not ActionUpdate.objects.exists()


def test_agency_edit_url_of_own_action_is_denied_and_post_changes_nothing(council_client, world):
    assert_denied_by_default(council_client.get(edit_url(world.council_action)))
    response = council_client.post(
        edit_url(world.council_action), edit_form_data(world.council_action, description="Rewritten by agency.")
    )
    assert_denied_by_default(response)
    world.council_action.refresh_from_db()
    assert world.council_action.description == PUBLIC_ACTION


def test_edit_url_of_own_action_redirects_to_status_and_post_changes_nothing(chair_council_client, world):
    response = chair_council_client.get(edit_url(world.council_action))
    assert response.status_code == 302 and response["Location"] == status_url(world.council_action)
    response = chair_council_client.post(
        edit_url(world.council_action), edit_form_data(world.council_action, description="Rewritten by agency.")
    )
    assert_refused(response)
    world.council_action.refresh_from_db()
    assert world.council_action.description == PUBLIC_ACTION


# --- every generic view, closed to other agencies ----------------------------------------------------------------


@pytest.mark.parametrize("url", [edit_url, delete_url, history_url, usage_url])
def test_generic_views_are_denied_to_agency_staff(council_client, world, url):
    for action in (world.council_action, world.nhs_action):
        assert_denied_by_default(council_client.get(url(action)))
        assert_denied_by_default(council_client.post(url(action)))


@pytest.mark.parametrize("url", [edit_url, delete_url, history_url, usage_url])
def test_other_agencys_generic_views_are_404(chair_council_client, world, url):
    assert chair_council_client.get(url(world.nhs_action)).status_code == 404


def test_actions_have_no_lock_views_to_open(chair_council_client, world):
    # Action is not lockable: Wagtail registers no lock/unlock URLs for it at all.
    for verb in ("lock", "unlock"):
        url = f"/admin/snippets/boards/action/{verb}/{world.nhs_action.pk}/"
        assert chair_council_client.post(url).status_code == 404


def test_post_to_other_agencys_edit_changes_nothing(chair_council_client, world):
    response = chair_council_client.post(
        edit_url(world.nhs_action), edit_form_data(world.nhs_action, description="Hacked")
    )
    assert response.status_code == 404
    world.nhs_action.refresh_from_db()
    assert world.nhs_action.description == NHS_ACTION


def test_post_to_delete_refused_for_other_and_own_actions(chair_council_client, world):
    assert chair_council_client.post(delete_url(world.nhs_action)).status_code == 404
    assert_refused(chair_council_client.post(delete_url(world.council_action)))
    assert Action.objects.filter(pk__in=[world.nhs_action.pk, world.council_action.pk]).count() == 2


def test_bulk_delete_deletes_nothing_for_agency_staff(council_client, world):
    ids = [world.nhs_action.pk, world.council_action.pk, world.other_action.pk]
    query = "&".join(f"id={pk}" for pk in ids)
    response = council_client.get(f"{BULK_DELETE}?{query}")
    assert response.status_code in (200, 403)
    response = council_client.post(f"{BULK_DELETE}?{query}")
    assert Action.objects.filter(pk__in=ids).count() == 3
    response = council_client.post(f"{BULK_DELETE}?id=all")
    assert Action.objects.count() == 4


def test_chooser_is_denied_to_agency_staff(council_client, world):
    assert_denied_by_default(council_client.get(CHOOSER))
    assert_denied_by_default(council_client.get(f"{CHOOSER}chosen/{world.council_action.pk}/"))


def test_chooser_lists_and_returns_only_visible_actions(chair_council_client, world):
    client = chair_council_client
    html = client.get(CHOOSER).content.decode()
    assert PUBLIC_ACTION in html and NHS_ACTION not in html
    results = client.get(f"{CHOOSER}results/", {"q": "GP registration"}).content.decode()
    assert NHS_ACTION not in results
    assert client.get(f"{CHOOSER}chosen/{world.nhs_action.pk}/").status_code == 404
    assert client.get(f"{CHOOSER}chosen/{world.council_action.pk}/").status_code == 200
    multiple = client.get(f"{CHOOSER}chosen-multiple/?id={world.nhs_action.pk}&id={world.council_action.pk}")
    assert NHS_ACTION not in multiple.content.decode()
    assert PUBLIC_ACTION in multiple.content.decode()


def test_agency_cannot_create_actions(council_client, world):
    assert_refused(council_client.get("/admin/snippets/boards/action/add/"))
    before = Action.objects.count()
    council_client.post("/admin/snippets/boards/action/add/", edit_form_data(world.council_action))
    assert Action.objects.count() == before


def test_model_level_perms_do_not_open_other_objects(client, world):
    # Even with every model-level permission on actions, a user of an agency is held to its own objects (a chair,
    # to whom the agency allow-list does not apply).
    world.council.group.permissions.add(*Permission.objects.filter(content_type__model="action"))
    world.chair.groups.add(world.council.group)
    login(client, world.chair)
    assert client.get(edit_url(world.nhs_action)).status_code == 404
    assert client.post(delete_url(world.nhs_action)).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in (admin_list_url(), edit_url(world.nhs_action), status_url(world.nhs_action)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_chair_without_agency_sees_no_actions(client, world):
    login(client, world.chair)
    assert client.get(admin_list_url()).status_code in (302, 403)
    assert client.get(status_url(world.council_action)).status_code == 404


# --- the secretariat ------------------------------------------------------------------------------------------


def test_secretariat_edits_description_and_it_is_logged(secretary_client, world):
    response = secretary_client.post(
        edit_url(world.nhs_action), edit_form_data(world.nhs_action, description="Report GP figures by ward.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.nhs_action.refresh_from_db()
    assert world.nhs_action.description == "Report GP figures by ward."
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(object_id=str(world.nhs_action.pk), action="wagtail.edit").exists()


def test_secretariat_edit_cannot_change_status_or_reference(secretary_client, world):
    data = edit_form_data(world.nhs_action, status="done", reference="HACK/1")
    secretary_client.post(edit_url(world.nhs_action), data)
    world.nhs_action.refresh_from_db()
    assert world.nhs_action.status == "open" and world.nhs_action.reference.startswith("OBPB/2011/06/")


def test_secretariat_deletes(secretary_client, world):
    assert secretary_client.post(delete_url(world.other_action)).status_code == 302
    assert not Action.objects.filter(pk=world.other_action.pk).exists()


def test_create_form_is_prefilled_from_the_minutes_editor(secretary_client, world):
    url = f"/admin/snippets/boards/action/add/?meeting={world.meeting.pk}&agenda_item={world.public_item.pk}"
    response = secretary_client.get(url)
    form = response.context["form"]
    assert form["meeting"].value() == world.meeting.pk
    assert form["agenda_item"].value() == world.public_item.pk
    assert form["board"].value() == world.board.pk
    assert f'value="{world.public_item.pk}" selected' in response.content.decode()
    # Only the meeting's own items are offered.
    assert set(form.fields["agenda_item"].queryset) == {world.public_item, world.exempt_item}


def test_creating_an_action_generates_its_reference(secretary_client, world):
    data = {
        "board": "",
        "meeting": world.meeting.pk,
        "agenda_item": world.public_item.pk,
        "description": "Write to residents about Saturday opening.",
        "owner": world.council.pk,
        "owner_person": "",
        "due_on": "2011-12-01",
        "tags": "libraries",
    }
    response = secretary_client.post("/admin/snippets/boards/action/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get(description="Write to residents about Saturday opening.")
    assert action.board == world.board
    assert action.reference == "OBPB/2011/06/4"  # three exist for this board in June 2011
    assert world.council.group.actiongroupobjectpermission_set.filter(content_object=action).exists()


def test_agenda_item_of_another_meeting_is_a_form_error(secretary_client, world):
    data = edit_form_data(world.nhs_action, agenda_item=world.public_item.pk, meeting=world.next_meeting.pk)
    response = secretary_client.post(edit_url(world.nhs_action), data)
    assert response.status_code == 200
    world.nhs_action.refresh_from_db()
    assert world.nhs_action.meeting_id == world.meeting.pk


def test_board_filter_narrows_the_listing_to_that_board(client, world):
    login(client, world.secretary)
    html = client.get(admin_list_url()).content.decode()
    assert world.other_action.reference in html and world.council_action.reference in html
    response = client.get(admin_list_url(), {"board": world.board.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert world.council_action.reference in html and world.other_action.reference not in html
    # Every board is offered by its title, the chosen one selected.
    assert f'<option value="{world.board.pk}" selected>One Barnet Partnership Board</option>' in html
    assert "Safer Communities Board</option>" in html
    # An id that is no board's narrows nothing and breaks nothing.
    response = client.get(admin_list_url(), {"board": "99999999999999999999"})
    assert response.status_code == 200
