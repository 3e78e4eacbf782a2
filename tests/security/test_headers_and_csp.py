"""Every response carries the browser protections; public pages allow no inline script or style.

The admin alone gets the relaxations Wagtail's own inline scripts need.
"""

import base64
import hashlib
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ["/", "/boards/", "/search/?q=library", "/.well-known/security.txt"]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def public_paths(meeting):
    board = meeting.get_parent()
    return PUBLIC_PATHS + [board.url, meeting.url]


def test_public_pages_forbid_inline_script_and_style(client, meeting):
    for path in public_paths(meeting):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = directives(response)
        assert "'unsafe-inline'" not in csp["script-src"], path
        assert "'unsafe-eval'" not in csp["script-src"], path
        assert "'unsafe-inline'" not in csp["style-src"], path
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]


def script_hash(body):
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"


def test_every_inline_script_is_allowed_by_its_hash_and_nothing_else(client, meeting):
    for path in public_paths(meeting):
        for _ in range(2):  # rendered, then (for anonymous 200s) from the page cache
            response = client.get(path)
            html = response.content.decode()
            allowed = directives(response)["script-src"]
            # A nonce would be frozen into a cached page and shared by everyone who gets that copy.
            assert not any(v.startswith("'nonce-") for v in allowed), path
            for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
                if "src=" in attrs:
                    continue
                assert script_hash(body) in allowed, f"inline script on {path} not allowed by the policy"
            # No inline style anywhere a public visitor can reach.
            assert not re.search(r"<style\b", html), path
            assert not re.search(r"\sstyle\s*=", html), path
            assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler on {path}"


def test_the_allowed_hash_is_of_the_script_the_template_carries(client):
    # Editing the template's script without the setting (or the reverse) must fail here, not in a browser.
    html = client.get("/").content.decode()
    bodies = [body for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S) if body]
    assert bodies == [settings.JS_ENABLED_SCRIPT]
    assert settings.JS_ENABLED_SCRIPT_HASH == script_hash(bodies[0])


def test_admin_keeps_what_wagtail_needs_and_only_the_admin(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = directives(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert not any(v.startswith("'nonce-") for v in csp["script-src"]), "a nonce would disable 'unsafe-inline'"
    # A path that merely contains "admin" elsewhere stays strict.
    strict = directives(client.get("/boards/?next=/admin/"))
    assert "'unsafe-inline'" not in strict["script-src"]


def test_protective_headers_everywhere(client, meeting, secretariat_user):
    responses = [client.get(path) for path in public_paths(meeting)]
    client.force_login(secretariat_user)
    responses.append(client.get("/admin/"))
    for response in responses:
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert responses[0]["X-Frame-Options"] == "DENY"
