"""The action listing's table body is written in Python (boards.actions.table.ActionTable) for speed.

It must stay the markup Wagtail's own tables/table.html gives, for agency staff and the secretariat alike:
compared here with Wagtail's template-rendered table on the same page, so a Wagtail upgrade that changes
the template fails this test instead of quietly changing the admin.
"""

import re

import pytest
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.widgets import ListingButton

from boards.actions.table import ActionTable, ReferenceColumn, StatusButton, TextColumn
from boards.actions.viewset import ActionIndexView
from tests.boards.actions_helpers import admin_list_url, login

pytestmark = pytest.mark.django_db


def normalised(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).replace(" >", ">").replace("> ", ">").replace(" <", "<")


def listing_table(response):
    html = response.content.decode()
    start = html.index('<table class="listing')
    return normalised(html[start : html.index("</table>", start) + len("</table>")])


def test_the_update_status_button_is_wagtails_button_markup():
    url = "/admin/boards/actions/7/status/"
    wagtails = ListingButton("Update status", url=url, icon_name="tasks").render_html({})
    assert normalised(StatusButton(url).render_html({})) == normalised(wagtails)


@pytest.mark.parametrize("who", ["council_user", "secretary"])
@pytest.mark.parametrize("query", ["", "?status=open", "?ordering=-due_on"])
def test_the_python_written_table_is_wagtails_markup(client, world, monkeypatch, who, query):
    login(client, getattr(world, who))
    assert ActionIndexView.table_class is ActionTable
    ours = listing_table(client.get(admin_list_url() + query))
    # Wagtail's table.html, and its cell.html, title_cell.html and button templates for every cell but the due date
    # (ours: a date, not "2 years ago").
    monkeypatch.setattr(ActionIndexView, "table_class", Table)
    monkeypatch.setattr(TextColumn, "render_cell_html", Column.render_cell_html)
    monkeypatch.setattr(ReferenceColumn, "render_cell_html", TitleColumn.render_cell_html)
    monkeypatch.setattr(StatusButton, "render_html", ListingButton.render_html)
    wagtails = listing_table(client.get(admin_list_url() + query))
    assert "<tbody><tr" in wagtails and ours.count("<tr") == wagtails.count("<tr") > 1
    assert ours == wagtails


def test_cells_escape_what_users_typed(client, world):
    """The hand-written cells escape as Django's templates do: markup in a description or update stays text."""
    from boards.models import ActionUpdate

    action = world.council_action
    action.description = '<script>alert("x")</script> & <b>bold</b>'
    action.save()
    ActionUpdate.objects.create(action=action, note="<img src=x onerror=alert(1)>", author=world.secretary)
    login(client, world.council_user)
    html = listing_table(client.get(admin_list_url()))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("prefix", ["/", "/records/", "/{odd}/"])
def test_listing_urls_are_what_reverse_gives_under_any_script_prefix(prefix):
    from django.urls import reverse
    from django.urls.base import get_script_prefix, set_script_prefix

    from boards.actions.table import url_pattern

    saved = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for pk in (1, 7, 987654321, 12345678901):
            expected = reverse("boards_action_status", args=[pk])
            assert url_pattern("boards_action_status").format(pk) == expected
    finally:
        set_script_prefix(saved)
