"""/sitemap.xml lists only what the public may see: no draft, unpublished or unapproved minutes, no private page."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories
from tests.boards.minutes_helpers import held_meeting, published_minutes, write_minutes

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {urlparse(loc.text).path for loc in root.findall("s:url/s:loc", NS)}


def test_sitemap_lists_public_pages_and_nothing_else(client, board, secretariat_user):
    minutes, meeting, _public, _exempt = published_minutes(board, secretary=secretariat_user)
    draft_meeting, _p, _e = held_meeting(board, when=timezone.make_aware(datetime.datetime(2011, 7, 13, 10)))
    draft = write_minutes(draft_meeting, secretariat_user)
    private = factories.MeetingPageFactory(board=board)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    unpublished = factories.MeetingPageFactory(board=board, live=False)

    paths = sitemap_paths(client)
    assert {board.url, meeting.url, minutes.url, draft_meeting.url} <= paths
    assert draft.url not in paths and "/minutes/" not in draft_meeting.url
    assert f"{draft_meeting.url}minutes/" not in paths
    assert private.url not in paths
    assert unpublished.url not in paths
    for path in paths:
        assert "agenda-full" not in path and "minutes-full" not in path
        assert client.get(path).status_code == 200

    minutes.unpublish()
    assert minutes.url not in sitemap_paths(client)


def test_minutes_under_an_unpublished_meeting_are_not_listed(client, board, secretariat_user):
    minutes, meeting, _public, _exempt = published_minutes(board, secretary=secretariat_user)
    meeting.unpublish()  # its minutes stay live in the tree, but the meeting is not public
    paths = sitemap_paths(client)
    assert minutes.url not in paths and meeting.url not in paths
    # Nor served: the page and its PDF are gone with the meeting.
    assert client.get(minutes.url).status_code == 404
    assert client.get(minutes.pdf_url).status_code == 404
