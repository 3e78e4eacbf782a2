"""Wagtail's built-in accessibility checker (axe in the editor's Checks panel and the userbar) stays on.

Nothing in our hooks or settings may remove it for our page types.
"""

import pytest
from django.test import RequestFactory
from wagtail.admin.ui.side_panels import ChecksSidePanel
from wagtail.admin.userbar import ContentCheckerItem, apply_userbar_hooks

from home.models import HomePage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(board):
    meeting = factories.MeetingPageFactory(board=board, held=True, agenda_published=True)
    minutes = factories.MinutesPageFactory(parent=meeting)
    return [HomePage.objects.first(), factories.boards_index(), board, meeting, minutes]


def test_userbar_hooks_keep_the_content_checker_for_every_page_type(pages, secretariat_user):
    request = RequestFactory().get("/")
    request.user = secretariat_user
    for page in pages:
        items = [ContentCheckerItem()]
        apply_userbar_hooks(request, items, page)
        checkers = [item for item in items if isinstance(item, ContentCheckerItem)]
        assert checkers, f"the accessibility checker was removed for {type(page).__name__}"
        config = checkers[0].get_axe_configuration(request)
        # Wagtail's own editor-facing rules are still run.
        assert {"link-name", "heading-order", "empty-heading"} <= set(config["options"]["runOnly"])


def test_editor_checks_panel_has_an_axe_configuration_for_every_page_type(pages, secretariat_user):
    request = RequestFactory().get("/admin/")
    request.user = secretariat_user
    for page in pages:
        panel = ChecksSidePanel(page.specific, request)
        assert panel.get_axe_configuration() is not None, type(page).__name__


def test_page_editor_shows_the_checks_panel(client, pages, secretariat_user):
    client.force_login(secretariat_user)
    meeting = pages[3]
    response = client.get(f"/admin/pages/{meeting.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-checks-panel" in html
    assert 'id="checker-axe-configuration"' in html


def test_live_pages_carry_the_userbar_checker_for_editors_only(client, pages, secretariat_user):
    meeting = pages[3]
    assert "checker-axe-configuration" not in client.get(meeting.url).content.decode()
    client.force_login(secretariat_user)
    html = client.get(meeting.url).content.decode()
    assert "<wagtail-userbar" in html
    assert 'id="checker-axe-configuration"' in html
