"""Every response carries the browser protections; public pages allow no inline script or style.

The admin alone gets the relaxations Wagtail's own inline scripts need.
"""

import re

import pytest

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


def test_every_inline_script_carries_the_nonce_of_its_response(client, meeting):
    for path in public_paths(meeting):
        response = client.get(path)
        html = response.content.decode()
        nonces = [v for v in directives(response)["script-src"] if v.startswith("'nonce-")]
        for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            attrs, body = script
            if "src=" in attrs:
                continue
            assert nonces, f"inline script on {path} but no nonce in the policy"
            assert f'nonce="{nonces[0][7:-1]}"' in attrs, f"inline script without the nonce on {path}"
        # No inline style anywhere a public visitor can reach.
        assert not re.search(r"<style\b", html), path
        assert not re.search(r"\sstyle\s*=", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler on {path}"


def test_nonce_differs_per_response(client):
    first = [v for v in directives(client.get("/"))["script-src"] if v.startswith("'nonce-")]
    second = [v for v in directives(client.get("/"))["script-src"] if v.startswith("'nonce-")]
    assert first and second and first != second


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
