"""No uploaded file is reachable under MEDIA_URL, in any settings: papers only through /documents/ (which asks
boards.permissions), PDFs only through their pages. Under DEBUG only the admin's image renditions are served.
"""

import importlib

import pytest
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import override_settings
from django.urls import clear_url_caches

from tests.security.conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` builds it (DEBUG=True), put back as it was afterwards."""
    import partnership.urls

    settings.DEBUG = True
    importlib.reload(partnership.urls)
    clear_url_caches()
    yield partnership.urls
    settings.DEBUG = False
    importlib.reload(partnership.urls)
    clear_url_caches()


def test_under_debug_no_paper_pdf_or_original_is_served_as_media(client, debug_urls, settings, secretariat_user):
    paper = make_document("Exempt price schedule", "price-schedule.pdf")
    public_pdf = default_storage.save("pdfs/abc/minutes.pdf", ContentFile(b"%PDF-1.4 public"))
    original = default_storage.save("original_images/photo.png", ContentFile(b"\x89PNG original"))
    private = storages["private"].save("pdfs/abc/minutes-full.pdf", ContentFile(b"%PDF-1.4 full"))
    rendition = default_storage.save("images/photo.width-400.png", ContentFile(b"\x89PNG rendition"))
    # The control: the route exists under DEBUG and serves the admin's renditions.
    response = client.get(f"{settings.MEDIA_URL}{rendition}")
    assert response.status_code == 200 and b"rendition" in b"".join(response.streaming_content)
    client.force_login(secretariat_user)  # not even the secretariat: files have no media route
    for name in (paper.file.name, public_pdf, original, private, "../" + private, f"images/../{paper.file.name}"):
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404, name
    private_root = storages["private"].location
    assert client.get(f"{settings.MEDIA_URL}{private_root.lstrip('/')}/{private}").status_code == 404
    # The paper itself is still served, through its view.
    assert client.get(paper.url).status_code == 200


def test_without_debug_nothing_is_served_under_media(client, settings):
    rendition = default_storage.save("images/photo.width-400.png", ContentFile(b"\x89PNG rendition"))
    paper = make_document("Paper", "paper.pdf")
    for name in (rendition, paper.file.name):
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404


@pytest.mark.parametrize("where", ["inside MEDIA_ROOT", "holding MEDIA_ROOT", "MEDIA_ROOT itself"])
def test_a_private_storage_inside_a_served_folder_fails_the_system_check(settings, where):
    media = settings.MEDIA_ROOT
    location = {"inside MEDIA_ROOT": media / "private", "holding MEDIA_ROOT": media.parent, "MEDIA_ROOT itself": media}
    private = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location[where])}}
    assert not [e for e in run_checks() if e.id == "partnership.E001"]
    with override_settings(STORAGES={**settings.STORAGES, "private": private}):
        assert [e.id for e in run_checks() if e.id == "partnership.E001"] == ["partnership.E001"]
