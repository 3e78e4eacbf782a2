"""Logins: throttled by django-axes through Wagtail's own login view, with one message for every failure.

Sessions end after a working day of inactivity, and at once when the account is deactivated.
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def visible_text(response):
    """The page without per-response tokens, for comparing what two attackers see."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"CSRF_TOKEN": "[^"]+"', "", html)
    html = re.sub(r"nonce-[A-Za-z0-9+/=]+|nonce=\"[^\"]+\"", "", html)
    return re.sub(r'value="(ghost|secretary)"', "", html)


def test_wrong_password_and_unknown_user_get_the_same_answer(client, secretariat_user):
    known = attempt(client, "secretary", "wrong-password")
    unknown = attempt(client, "ghost", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert visible_text(known) == visible_text(unknown)
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_is_the_same_for_real_and_unknown_users(client, secretariat_user):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        attempt(client, "secretary", "wrong-password")
        attempt(client, "ghost", "wrong-password")
    real, ghost = attempt(client, "secretary", "wrong"), attempt(client, "ghost", "wrong")
    assert real.status_code == ghost.status_code == 429
    assert real.content == ghost.content
    # Locked means locked: even the right password does not open it, nor does a forged client address.
    right = attempt(client, "secretary", PASSWORD)
    assert right.status_code == 429
    spoofed = attempt(client, "secretary", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="secretary").exists()


def test_other_users_and_addresses_are_not_locked_out(client, secretariat_user, council_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "secretary", "wrong-password")
    # The same account from another address, and another account from this one, still log in.
    other_address = attempt(client, "secretary", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 302
    client.logout()
    council_user.is_staff = True
    council_user.save()
    response = attempt(client, "council-officer", PASSWORD)
    assert response.status_code in (200, 302)
    assert response.status_code != 429


def test_success_resets_the_failure_count(client, secretariat_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "secretary", "wrong-password")
    assert attempt(client, "secretary", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "secretary", "wrong-password")
    assert attempt(client, "secretary", PASSWORD).status_code == 302


def test_password_validators_refuse_weak_passwords(secretariat_user):
    for weak in ["password", "12345678901234", "secretary2011", "short1!"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=secretariat_user)
    validate_password("plum tractor harbour lantern", user=secretariat_user)


def change_password(client, new):
    return client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Sam",
            "name_email-last_name": "Secretary",
            "name_email-email": "secretary@example.org",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "password-old_password": PASSWORD,
            "password-new_password1": new,
            "password-new_password2": new,
        },
    )


def test_weak_password_refused_through_the_admin_password_form(client, secretariat_user):
    client.force_login(secretariat_user)
    change_password(client, "password1")
    secretariat_user.refresh_from_db()
    assert secretariat_user.check_password(PASSWORD), "a weak password was accepted"
    # The same form does change a strong one, so the refusal above is the validators at work.
    change_password(client, "plum tractor harbour lantern")
    secretariat_user.refresh_from_db()
    assert secretariat_user.check_password("plum tractor harbour lantern")


def test_session_lasts_a_working_day_of_inactivity_and_renews_on_use(client, secretariat_user):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    assert attempt(client, "secretary", PASSWORD).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    # Nearly expired: one request renews it for another working day.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get("/admin/").status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + datetime.timedelta(hours=8, minutes=55)
    # Idle past the expiry: signed out.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_deactivating_a_user_ends_every_session_of_theirs(client, secretariat_user):
    other_device = client.__class__()
    assert attempt(client, "secretary", PASSWORD).status_code == 302
    assert attempt(other_device, "secretary", PASSWORD).status_code == 302
    bystander = factories.UserFactory(username="bystander", secretariat=True)
    third = client.__class__()
    third.force_login(bystander)
    assert Session.objects.count() == 3

    secretariat_user.is_active = False
    secretariat_user.save()

    assert Session.objects.count() == 1, "only the bystander's session survives"
    for device in (client, other_device):
        response = device.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert third.get("/admin/").status_code == 200


def test_a_bulk_deactivation_that_skips_signals_still_locks_the_user_out(client, secretariat_user):
    """`queryset.update()` sends no signal, so the session rows stay: the auth backend refuses them instead."""
    from django.contrib.auth import get_user_model

    assert attempt(client, "secretary", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    get_user_model().objects.filter(pk=secretariat_user.pk).update(is_active=False)
    assert Session.objects.count() == 1, "no signal ran: the row is still there"
    for path in ("/admin/", "/admin/snippets/boards/action/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), path


def test_passwords_are_hashed_with_argon2id_and_old_pbkdf2_hashes_are_upgraded_at_login(client):
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from partnership.settings import base

    # The test settings hash with MD5 for speed; here, the deployed list.
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password(PASSWORD).startswith("argon2$argon2id$")
        user = factories.UserFactory(username="old-hash", is_staff=True)
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        assert attempt(client, "old-hash", PASSWORD).status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")
        client.logout()
        assert attempt(client, "old-hash", PASSWORD).status_code == 302


def test_argon2id_costs_what_owasp_recommends_and_heavier_hashes_are_rehashed_at_login(client):
    """19 MiB, 2 passes, 1 lane (partnership.hashers): a burst of logins must not take both cores of a small server."""
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
    from django.test import override_settings

    from partnership.settings import base

    configured = "$m=19456,t=2,p=1$"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert configured in make_password(PASSWORD)
        user = factories.UserFactory(username="heavy-hash", is_staff=True)
        stock = Argon2PasswordHasher()  # Django's own parameters: 100 MiB over 8 lanes
        user.password = stock.encode(PASSWORD, stock.salt())
        user.save(update_fields=["password"])
        assert "$m=102400,t=2,p=8$" in user.password
        assert attempt(client, "heavy-hash", PASSWORD).status_code == 302
        user.refresh_from_db()
        assert configured in user.password
        client.logout()
        assert attempt(client, "heavy-hash", PASSWORD).status_code == 302
        # A deployment may ask for more: the next login rehashes to that.
        with override_settings(ARGON2_MEMORY_KIB=65536, ARGON2_TIME_COST=3, ARGON2_PARALLELISM=4):
            client.logout()
            assert attempt(client, "heavy-hash", PASSWORD).status_code == 302
            user.refresh_from_db()
            assert "$m=65536,t=3,p=4$" in user.password


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ARGON2_MEMORY_KIB": "lots"}, "ARGON2_MEMORY_KIB must be a whole number of at least 7168"),
        ({"ARGON2_PARALLELISM": "0"}, "ARGON2_PARALLELISM must be a whole number of at least 1"),
        ({"ARGON2_MEMORY_KIB": "8192", "ARGON2_TIME_COST": "1"}, "must be at least 35840"),
    ],
)
def test_an_argon2_cost_below_owasps_minimum_stops_the_start(env, message):
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import partnership.settings.base"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
