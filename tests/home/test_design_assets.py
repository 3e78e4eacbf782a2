"""The vendored GOV.UK Frontend build: one pinned version, our font stack, nothing reserved for GOV.UK,
and the only inline script is allowed by its hash in the CSP."""

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOVUK = ROOT / "static" / "govuk"


def test_vendored_build_names_its_version_and_licence():
    version = (GOVUK / "VERSION").read_text()
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["govuk-frontend"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "govuk-frontend must be pinned to one version"
    assert f"govuk-frontend {pinned}" in version
    assert "MIT" in (GOVUK / "LICENCE.txt").read_text()


def test_compiled_css_uses_the_system_font_stack_and_no_gov_uk_assets():
    css = (GOVUK / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    assert 'font-family:system-ui,-apple-system,"Segoe UI"' in css
    # No url() to a file (fonts, crest, crown): only inline data, if anything.
    assert [u for u in re.findall(r"url\(([^)]*)\)", css) if not u.strip("\"'").startswith("data:")] == []
    assert not list(GOVUK.rglob("*.woff*")) and not list(GOVUK.rglob("*crest*")) and not list(GOVUK.rglob("*crown*"))


@pytest.mark.django_db
def test_pages_use_the_build_and_the_inline_script_is_allowed_by_its_hash(client, board):
    response = client.get(board.url)
    html = response.content.decode()
    assert "/static/govuk/govuk-frontend.min.css" in html and "/static/js/govuk-init.js" in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    inline = [(attrs, body) for attrs, body in scripts if body.strip()]
    assert len(inline) == 1 and "js-enabled" in inline[0][1]
    digest = base64.b64encode(hashlib.sha256(inline[0][1].encode()).digest()).decode()
    policy = response.headers.get("Content-Security-Policy", "")
    assert f"'sha256-{digest}'" in policy and "'unsafe-inline'" not in policy and "nonce-" not in policy
    assert 'lang="en-GB"' in html and "London Borough of Barnet" in html and "Partnership Records" in html
