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
    PUBLIC_ACTION,
    admin_list_url,
    delete_url,
    edit_url,
    fresh,
    status_url,
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
