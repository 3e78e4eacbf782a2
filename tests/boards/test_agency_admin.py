"""Deny by default in the admin (issue 15): who counts as agency staff, the allow-list and its hook, the menu, chairs
in agency groups (bulk actions, site history), and admin ids that are no row ids (2**70, "abc")."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import log

from boards import permissions
from boards.models import Action
from tests import factories
from tests.boards.actions_helpers import NHS_ACTION, fresh, login

pytestmark = pytest.mark.django_db

HUGE = str(2**70)


# --- who is agency staff ---------------------------------------------------------------------------------------


def test_agency_staff_are_those_of_an_agency_group_only(world):
    assert permissions.is_agency_user(fresh(world.council_user))
    world.chair.groups.add(world.council.group)
    assert not permissions.is_agency_user(fresh(world.chair))  # Chairs keep their workflow views
    world.secretary.groups.add(world.council.group)
    assert not permissions.is_agency_user(fresh(world.secretary))
    boss = factories.UserFactory(username="boss", is_superuser=True, is_staff=True, groups=[world.council.group])
    assert not permissions.is_agency_user(fresh(boss))
    nobody = factories.UserFactory(username="nobody", is_staff=True)
    assert not permissions.is_agency_user(fresh(nobody))


def test_agency_may_reach_only_allow_listed_names(world):
    user = fresh(world.council_user)
    assert permissions.agency_may_reach(user, "wagtailsnippets_boards_action:list")
    assert permissions.agency_may_reach(user, "boards_action_status")
    for name in ("wagtail_bulk_action", "wagtailadmin_reports:site_history", "wagtaildocs:index", None):
        assert not permissions.agency_may_reach(user, name)
    # Everyone else is held by their own permissions, not by the allow-list.
    assert permissions.agency_may_reach(fresh(world.secretary), "wagtail_bulk_action")


def test_other_apps_add_names_through_the_hook(client, world):
    url = "/admin/reports/site-history/"
    login(client, world.council_user)
    assert client.get(url).status_code == 403
    with hooks.register_temporarily(permissions.AGENCY_ADMIN_URLS_HOOK, lambda: ["wagtailadmin_reports:site_history"]):
        assert permissions.agency_may_reach(fresh(world.council_user), "wagtailadmin_reports:site_history")
        assert client.get(url).status_code != 403


def test_denials_are_logged_with_the_url_name(client, world, caplog):
    login(client, world.council_user)
    with caplog.at_level("WARNING", logger="partnership.security"):
        assert client.get("/admin/documents/").status_code == 403
    assert any(getattr(r, "object", None) == "admin-url:wagtaildocs:index" for r in caplog.records)


def test_unnamed_and_unknown_admin_urls_are_denied_too(client, world):
    login(client, world.council_user)
    for url in ("/admin/test404/", "/admin/no-such-view/", "/django-admin/", "/django-admin/auth/user/"):
        assert client.get(url).status_code == 403, url


# --- the menu --------------------------------------------------------------------------------------------------


def _menu_item():
    return MenuItem("Site history", "/admin/reports/site-history/", name="walk-history", order=1)


def test_menu_hides_items_leading_to_denied_views(client, world):
    with hooks.register_temporarily("register_admin_menu_item", _menu_item):
        login(client, world.council_user)
        html = client.get("/admin/").content.decode()
        assert "/admin/snippets/boards/action/" in html  # "Our actions" stays
        assert "/admin/reports/site-history/" not in html
        login(client, world.secretary)
        assert "/admin/reports/site-history/" in client.get("/admin/").content.decode()


# --- a chair who works for an agency: not held to the allow-list, so the objects must hold ------------------------


@pytest.fixture
def chair_in_agency(client, world):
    world.chair.groups.add(world.council.group)
    log(instance=world.nhs_action, action="wagtail.edit", user=world.secretary)
    return login(client, world.chair)


def test_chair_in_an_agency_gets_no_other_agencys_action_from_bulk_actions(chair_in_agency, world):
    client = chair_in_agency
    ids = "&".join(f"id={a.pk}" for a in Action.objects.all())
    for query in ("id=all", ids, f"id={world.nhs_action.pk}"):
        response = client.get(f"/admin/bulk/boards/action/delete/?{query}")
        assert response.status_code in (200, 404)
        assert NHS_ACTION[:40] not in response.content.decode()
        assert world.nhs_action.reference not in response.content.decode()
    client.post(f"/admin/bulk/boards/action/delete/?{ids}")
    assert Action.objects.count() == 4


def test_chair_in_an_agency_gets_no_other_agencys_action_from_site_history(chair_in_agency, world):
    client = chair_in_agency
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        assert world.nhs_action.reference not in client.get(url).content.decode()
    csv = client.get("/admin/reports/site-history/?export=csv")
    assert world.nhs_action.reference not in b"".join(csv.streaming_content).decode()
    xlsx = client.get("/admin/reports/site-history/?export=xlsx")
    with zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content))) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert world.nhs_action.reference not in text


def test_site_history_shows_actions_to_whoever_holds_model_perms(chair_in_agency, world):
    """The control: with the old model-level grant back, the same report names the action (the test can fail)."""
    world.council.group.permissions.add(Permission.objects.get(codename="view_action"))
    assert world.nhs_action.reference in chair_in_agency.get("/admin/reports/site-history/").content.decode()


# --- ids that are no row ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", [f"board={HUGE}", f"meeting={HUGE}", f"agenda_item={HUGE}", "board=abc", "meeting=²"]
)
def test_action_create_form_ignores_ids_that_are_no_row_ids(client, world, query):
    login(client, world.secretary)
    response = client.get(f"/admin/snippets/boards/action/add/?{query}")
    assert response.status_code == 200
    assert not response.context["form"].initial.get("board") and not response.context["form"].initial.get("meeting")


@pytest.mark.parametrize("field", ["board", "meeting", "agenda_item", "owner", "shared_with"])
@pytest.mark.parametrize("value", [HUGE, "abc"])
def test_action_create_post_with_a_bad_id_is_a_field_error(client, world, field, value):
    login(client, world.secretary)
    data = {
        "board": world.board.pk,
        "meeting": world.meeting.pk,
        "agenda_item": "",
        "description": "A new action.",
        "owner": world.council.pk,
        "owner_person": "",
        "due_on": "2012-01-01",
        "tags": "",
        field: value,
    }
    before = Action.objects.count()
    response = client.post("/admin/snippets/boards/action/add/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Action.objects.count() == before


@pytest.mark.parametrize(
    "url, status",
    [
        (f"/admin/pages/{HUGE}/edit/", 404),
        (f"/admin/boards/meetings/{HUGE}/publish-agenda/", 404),
        (f"/admin/boards/meetings/{HUGE}/draft-minutes/", 404),
        (f"/django-admin/r/1/{HUGE}/", 404),
        ("/admin/snippets/choose/boards/action/chosen/abc/", 404),
        ("/admin/documents/chooser/chosen/abc/", 404),
        ("/admin/documents/chooser/chosen-multiple/?id=abc", 400),
        ("/admin/api/main/pages/find/?id=all", 400),
    ],
)
def test_admin_ids_that_are_no_row_ids_are_404_or_400(client, world, url, status):
    login(client, world.secretary)
    assert client.get(url).status_code == status


def test_page_chooser_chosen_multiple_leaves_out_the_root_page(client, world):
    """Wagtail's view asked for the tree's root (it has no parent) answered 500; the root is left out."""
    from wagtail.models import Page

    login(client, world.secretary)
    root = Page.objects.get(depth=1)
    board = Page.objects.filter(depth__gt=2).first()
    response = client.get(f"/admin/choose-page/chosen-multiple/?id={root.pk}&id={board.pk}")
    assert response.status_code == 200
    assert f'"id": {board.pk}' in response.content.decode()
    assert f'"id": {root.pk},' not in response.content.decode()


def test_page_chooser_chosen_multiple_is_for_admin_users_only(client, world):
    """Routed outside Wagtail's admin URLs, it keeps their access check: anonymous visitors are sent to log in."""
    from wagtail.models import Page

    board = Page.objects.filter(depth__gt=2).first()
    response = client.get(f"/admin/choose-page/chosen-multiple/?id={board.pk}")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert board.title not in response.content.decode()
    login(client, world.council_user)
    assert client.get(f"/admin/choose-page/chosen-multiple/?id={board.pk}").status_code == 403


def test_agency_dashboard_has_no_search_box_leading_to_a_denied_view(client, world):
    login(client, world.council_user)
    html = client.get("/admin/").content.decode()
    assert 'role="search"' not in html and "Search all pages" not in html
    login(client, world.secretary)
    assert "Search all pages" in client.get("/admin/").content.decode()
