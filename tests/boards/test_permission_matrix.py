"""The permission matrix: one test class per role, one test per operation, every channel (admin and public) asserted.

Roles: anonymous, agency staff on the board (council), agency staff not on the board (fire), the board's chair
(in Chairs, in no agency group), the secretariat. Each cell is observed through real requests where a path exists
(public pages, the paper download, the full minutes PDF, the admin) and through boards.permissions.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from boards import permissions
from boards.models import Action
from tests.boards.actions_helpers import (
    EXEMPT_ACTION,
    EXEMPT_SUMMARY,
    NHS_ACTION,
    OTHER_BOARD_ACTION,
    PUBLIC_ACTION,
    admin_list_url,
    close_url,
    delete_url,
    edit_url,
    fresh,
    history_url,
    status_url,
    usage_url,
)

pytestmark = pytest.mark.django_db


LOG_URL = "/boards/obpb/actions/"


class MatrixBase:
    """Subclasses name a role and what it may do; each test observes one operation through every channel."""

    role = None
    # operation -> expected answer (True = allowed / sees it)
    expected = {}

    @pytest.fixture
    def user(self, world):
        return {
            "anonymous": AnonymousUser(),
            "council": world.council_user,
            "outsider": world.outsider,
            "chair": world.chair,
            "secretariat": world.secretary,
        }[self.role]

    @pytest.fixture
    def http(self, client, user):
        if user.is_authenticated:
            client.force_login(user)
        return client

    def own_action(self, world):
        """The action this role's agency owns (for roles without an agency: the council's)."""
        return world.other_action if self.role == "outsider" else world.council_action

    def other_action(self, world):
        """An action of another agency on the board."""
        return world.council_action if self.role == "outsider" else world.nhs_action

    def check(self, operation, observations):
        want = self.expected[operation]
        wrong = {channel: seen for channel, seen in observations.items() if seen != want}
        assert not wrong, f"{self.role} / {operation}: expected {want}, but {wrong}"

    # --- operations -----------------------------------------------------------------------------------------

    def test_view_public(self, world, http, user):
        meeting_html = http.get(world.meeting.url).content.decode()
        log_html = http.get(LOG_URL).content.decode()
        self.check(
            "view_public",
            {
                "public meeting page": "Library opening hours" in meeting_html,
                "public action log": PUBLIC_ACTION in log_html,
                "permissions.can_view_item_detail": permissions.can_view_item_detail(fresh(user), world.public_item),
            },
        )

    def test_view_restricted_item(self, world, http, user):
        meeting_html = http.get(world.meeting.url).content.decode()
        carried_html = http.get(world.next_meeting.url).content.decode()
        self.check(
            "view_restricted_item",
            {
                "public meeting page": EXEMPT_SUMMARY in meeting_html,
                "next meeting's action log": EXEMPT_ACTION in carried_html,
                "permissions.can_view_item_detail": permissions.can_view_item_detail(fresh(user), world.exempt_item),
                "permissions.can_view_restricted": permissions.can_view_restricted(fresh(user), world.board),
            },
        )
        # The exempt item's number, title and paragraph are public to everyone.
        assert "Contract for leisure services" in meeting_html

    def test_download_restricted_paper(self, world, http, user):
        response = http.get(world.paper.url)
        if response.status_code == 200:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            downloaded = b"confidential tender figures" in body
        else:
            downloaded = False
            assert response.status_code in (403, 404)
        self.check(
            "download_restricted_paper",
            {
                "document URL": downloaded,
                "permissions.can_download_document": permissions.can_download_document(fresh(user), world.paper),
            },
        )

    def test_view_full_minutes_pdf(self, world, http, user):
        response = http.get(f"{world.minutes.url}minutes-full.pdf")
        if response.status_code == 200:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            got_pdf = body.startswith(b"%PDF")
        else:
            got_pdf = False
            assert response.status_code in (403, 404)
        public = http.get(f"{world.minutes.url}minutes.pdf")
        assert public.status_code == 200  # the public PDF is everyone's
        self.check(
            "view_full_minutes_pdf",
            {
                "minutes-full.pdf": got_pdf,
                "permissions.can_view_full_minutes": permissions.can_view_full_minutes(fresh(user), world.minutes),
            },
        )

    def test_list_actions(self, world, http, user):
        response = http.get(admin_list_url())
        listed = response.status_code == 200 and PUBLIC_ACTION in response.content.decode()
        visible = set(permissions.actions_visible_to(fresh(user)).values_list("pk", flat=True))
        self.check(
            "list_actions",
            {
                "admin listing": listed,
                "permissions.actions_visible_to": world.council_action.pk in visible,
            },
        )
        # The public log lists public actions to everyone and never the exempt one.
        log_html = http.get(LOG_URL).content.decode()
        assert PUBLIC_ACTION in log_html and EXEMPT_ACTION not in log_html
        if response.status_code == 200:
            assert EXEMPT_ACTION not in response.content.decode() or self.expected["list_actions"]

    def _change_status(self, world, http, user, action, operation):
        allowed = permissions.can_change_action_status(fresh(user), action)
        http.post(LOG_URL, {"new_status": "done", "note": "From the public site."})
        public_changed = Action.objects.get(pk=action.pk).status == "done"
        http.post(status_url(action), {"new_status": "done", "note": f"{self.role} closed it."})
        admin_changed = Action.objects.get(pk=action.pk).status == "done"
        self.check(operation, {"admin status form": admin_changed, "permissions": allowed})
        assert not public_changed  # no public path changes anything
        assert action.updates.exists() == admin_changed  # every change is an update, no update without one

    def test_change_status_of_own_action(self, world, http, user):
        self._change_status(world, http, user, self.own_action(world), "change_own_status")

    def test_change_status_of_another_agencys_action(self, world, http, user):
        self._change_status(world, http, user, self.other_action(world), "change_other_status")

    def test_edit_description(self, world, http, user):
        action = self.own_action(world)
        data = {
            "board": action.board_id,
            "meeting": action.meeting_id or "",
            "agenda_item": action.agenda_item_id or "",
            "description": "Rewritten.",
            "owner": action.owner_id,
            "owner_person": "",
            "due_on": action.due_on.isoformat(),
            "tags": "",
        }
        http.post(edit_url(action), data)
        changed = Action.objects.get(pk=action.pk).description == "Rewritten."
        self.check(
            "edit_description",
            {"admin edit form": changed, "permissions": permissions.can_edit_action(fresh(user), action)},
        )

    def test_delete(self, world, http, user):
        victim = self.other_action(world)
        http.post(f"/admin/bulk/boards/action/delete/?id={victim.pk}")
        bulk_deleted = not Action.objects.filter(pk=victim.pk).exists()
        action = self.own_action(world)
        http.post(delete_url(action))
        deleted = not Action.objects.filter(pk=action.pk).exists()
        self.check(
            "delete",
            {
                "admin delete view": deleted,
                "admin bulk delete": bulk_deleted,
                "permissions": permissions.can_delete_action(fresh(user), action),
            },
        )


class TestAnonymous(MatrixBase):
    role = "anonymous"
    expected = {
        "view_public": True,
        "view_restricted_item": False,
        "download_restricted_paper": False,
        "view_full_minutes_pdf": False,
        "list_actions": False,
        "change_own_status": False,
        "change_other_status": False,
        "edit_description": False,
        "delete": False,
    }


class TestAgencyStaffOnTheBoard(MatrixBase):
    role = "council"
    expected = {
        "view_public": True,
        "view_restricted_item": True,
        "download_restricted_paper": True,
        "view_full_minutes_pdf": True,
        "list_actions": True,
        "change_own_status": True,
        "change_other_status": False,
        "edit_description": False,
        "delete": False,
    }


class TestAgencyStaffNotOnTheBoard(MatrixBase):
    role = "outsider"
    expected = {
        "view_public": True,
        "view_restricted_item": False,
        "download_restricted_paper": False,
        "view_full_minutes_pdf": False,
        "list_actions": False,
        "change_own_status": True,  # its own action, on its own board
        "change_other_status": False,
        "edit_description": False,
        "delete": False,
    }


class TestChair(MatrixBase):
    """The chair approves minutes through the workflow; Chairs alone opens no restricted content or actions."""

    role = "chair"
    expected = {
        "view_public": True,
        "view_restricted_item": False,
        "download_restricted_paper": False,
        "view_full_minutes_pdf": False,
        "list_actions": False,
        "change_own_status": False,
        "change_other_status": False,
        "edit_description": False,
        "delete": False,
    }


class TestSecretariat(MatrixBase):
    role = "secretariat"
    expected = {
        "view_public": True,
        "view_restricted_item": True,
        "download_restricted_paper": True,
        "view_full_minutes_pdf": True,
        "list_actions": True,
        "change_own_status": True,
        "change_other_status": True,
        "edit_description": True,
        "delete": True,
    }


# --- another agency's action in every per-object admin view ----------------------------------------------------

# view name -> its URL for an action. Every per-object admin view of an action (tests/boards/actions_helpers.py and
# the snippet viewset's URLs: edit, delete, history, history results, usage, chooser "chosen", bulk delete).
PER_OBJECT_VIEWS = {
    "edit": edit_url,
    "delete": delete_url,
    "history": history_url,
    "history results": lambda a: f"/admin/snippets/boards/action/history-results/{a.pk}/",
    "usage": usage_url,
    "status": status_url,
    "close": close_url,
    "chooser chosen": lambda a: f"/admin/snippets/choose/boards/action/chosen/{a.pk}/",
    "bulk delete": lambda a: f"/admin/bulk/boards/action/delete/?id={a.pk}",
}
DESCRIPTIONS = {"council_action": PUBLIC_ACTION, "exempt_action": EXEMPT_ACTION, "nhs_action": NHS_ACTION}
DESCRIPTIONS["other_action"] = OTHER_BOARD_ACTION

# (agency user, another agency's action): on the same board, on another board, an exempt one of the same board.
INTRUSIONS = [
    ("council_user", "nhs_action"),
    ("nhs_user", "council_action"),
    ("nhs_user", "exempt_action"),
    ("outsider", "council_action"),
    ("council_user", "other_action"),
]


def snapshot(action_pk):
    """Everything a view could change about an action: its row, its sharing, its updates."""
    row = Action.objects.filter(pk=action_pk).values().first()
    if row is None:
        return None
    action = Action.objects.get(pk=action_pk)
    return (
        row,
        sorted(action.shared_with.values_list("pk", flat=True)),
        list(action.updates.values_list("pk", flat=True)),
    )


def post_data(action):
    """A valid submission for any of the views: the edit form, the status form, a delete confirmation."""
    return {
        "board": action.board_id,
        "meeting": action.meeting_id or "",
        "agenda_item": action.agenda_item_id or "",
        "description": "Rewritten by another agency.",
        "owner": action.owner_id,
        "owner_person": "",
        "due_on": "2030-01-01",
        "tags": "",
        "new_status": "done",
        "note": "Closed by another agency.",
    }


@pytest.mark.parametrize("view", PER_OBJECT_VIEWS)
@pytest.mark.parametrize(("who", "target"), INTRUSIONS)
def test_agency_user_cannot_reach_another_agencys_action(client, world, who, target, view):
    action = getattr(world, target)
    client.force_login(getattr(world, who))
    url = PER_OBJECT_VIEWS[view](action)
    before = snapshot(action.pk)
    got = client.get(url)
    posted = client.post(url, post_data(action))
    # 405: a view that takes one method only (close: POST; chosen: GET) refuses the other before any lookup.
    assert got.status_code in (403, 404, 405), f"GET {url}: {got.status_code}"
    assert posted.status_code in (403, 404, 405), f"POST {url}: {posted.status_code}"
    assert {got.status_code, posted.status_code} & {403, 404}, f"{url}: no method reached the refusal"
    assert DESCRIPTIONS[target] not in got.content.decode()
    assert DESCRIPTIONS[target] not in posted.content.decode()
    assert snapshot(action.pk) == before, f"POST {url} changed the action"


@pytest.mark.parametrize("who", ["nhs_user", "outsider"])
def test_the_control_sharing_opens_the_status_views_and_nothing_else(client, world, who):
    """Shared with their agency, the same URLs answer: the refusals above are about the agency, not the URL."""
    action = world.council_action
    user = getattr(world, who)
    action.shared_with.add(getattr(world, {"nhs_user": "nhs", "outsider": "fire"}[who]))
    client.force_login(user)
    got = client.get(status_url(action))
    assert got.status_code == 200 and PUBLIC_ACTION in got.content.decode()
    assert client.post(status_url(action), post_data(action)).status_code == 302
    assert Action.objects.get(pk=action.pk).status == "done"
    before = snapshot(action.pk)
    for view in ("edit", "delete", "bulk delete"):
        client.post(PER_OBJECT_VIEWS[view](action), post_data(action))
        assert snapshot(action.pk) == before, f"{who} changed a shared action through {view}"


def test_the_control_the_secretariat_reaches_every_view(client, world):
    """The URLs are real: the secretariat gets each (a POST-only view answers its GET with 405)."""
    client.force_login(world.secretary)
    for view, url_of in PER_OBJECT_VIEWS.items():
        response = client.get(url_of(world.nhs_action))
        assert response.status_code == (405 if view == "close" else 200), view
