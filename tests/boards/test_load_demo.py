"""`load_demo` builds the One Barnet demo, and running it twice changes nothing."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page

from boards.models import Action, AgendaItem, BoardPage, MeetingPage, MinuteEntry, Organisation, Person

pytestmark = pytest.mark.django_db

MODELS = [Organisation, Person, BoardPage, MeetingPage, AgendaItem, MinuteEntry, Action, Page, User]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_load_demo_twice_gives_same_counts(client):
    call_command("load_demo", "--with-users", verbosity=0)
    first = counts()
    call_command("load_demo", "--with-users", verbosity=0)
    assert counts() == first
    assert first["BoardPage"] == 2
    assert first["MeetingPage"] >= 4


def test_demo_holds_the_real_business(client):
    call_command("load_demo", verbosity=0)
    board = BoardPage.objects.get(slug="one-barnet-partnership-board")
    assert board.code == "OBPB"
    names = set(board.partners.values_list("organisation__name", flat=True))
    assert {"London Borough of Barnet", "NHS Barnet", "Middlesex University", "Jobcentre Plus"} <= names
    titles = " ".join(AgendaItem.objects.values_list("title", flat=True))
    assert "New Support and Customer Service Organisation" in titles
    assert "Big Society Innovation Bank" in titles
    assert "Library Strategy" in titles
    exempt = AgendaItem.objects.get(exempt=True, meeting__slug="2011-06-29")
    assert exempt.exemption_paragraph == 3
    assert MeetingPage.objects.filter(slug__startswith="2011").count() >= 3
    response = client.get("/boards/one-barnet-partnership-board/2011-06-29/")
    assert response.status_code == 200
    assert "commercial terms" in response.content.decode()
    assert "Price envelope" not in response.content.decode()


@override_settings(DEBUG=False)
def test_demo_users_need_debug_or_flag(capsys):
    call_command("load_demo")
    assert not User.objects.filter(username="secretariat").exists()
    call_command("load_demo", "--with-users")
    out = capsys.readouterr().out
    assert "secretariat" in out and "Demo-Secretariat-2011" in out
    assert User.objects.get(username="secretariat").check_password("Demo-Secretariat-2011")
