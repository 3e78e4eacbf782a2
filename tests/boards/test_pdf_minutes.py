"""PDFs of minutes and agenda packs: public ones withhold exempt business, full ones are for the board only.

Text is read back with pypdf; nothing is mocked.
"""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from boards.models import MinutesPage
from boards.publishing.pdf import render, storage
from tests import factories
from tests.boards.minutes_helpers import (
    EXEMPT_DISCUSSION,
    EXEMPT_RESOLUTION,
    EXEMPT_SUMMARY,
    PUBLIC_DISCUSSION,
    PUBLIC_RESOLUTION,
    published_minutes,
)

pytestmark = pytest.mark.django_db


def text_of(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def words(text):
    return {w.strip(".,:;()") for w in text.split() if len(w.strip(".,:;()")) > 3}


@pytest.fixture
def minutes(partnered_board, secretariat_user):
    page, meeting, public, exempt = published_minutes(partnered_board, secretary=secretariat_user)
    return page


def test_public_minutes_pdf_has_public_resolutions_and_not_one_word_of_exempt_discussion(client, minutes):
    response = client.get(minutes.url + "minutes.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="one-barnet-partnership-board-2011-06-29-minutes.pdf"' in response["Content-Disposition"]
    assert "max-age" in response["Cache-Control"]
    text, reader = text_of(response.getvalue())
    flat = " ".join(text.split())
    assert PUBLIC_RESOLUTION in flat
    assert "£40,000" in flat  # the embedded font prints £
    assert "Exempt information — Schedule 12A paragraph 3" in flat
    assert EXEMPT_SUMMARY in flat
    leaked = words(EXEMPT_DISCUSSION + " " + EXEMPT_RESOLUTION) - words(PUBLIC_DISCUSSION + " " + EXEMPT_SUMMARY)
    assert leaked and not (leaked & words(flat)), leaked & words(flat)
    # Attendance, the board, date and venue on the first page; header and footer on every page.
    first = " ".join(reader.pages[0].extract_text().split())
    assert "One Barnet Partnership Board" in first and "29 June 2011" in first and "Hendon Town Hall" in first
    assert "Ann Present" in flat and "Bob Apologetic" in flat
    assert f"Page 1 of {len(reader.pages)}" in flat
    meta = reader.metadata
    assert meta.title == "Minutes — One Barnet Partnership Board — 29 June 2011"
    assert "One Barnet Partnership Board" in meta.author
    assert meta.subject.startswith("Minutes of the meeting")
    assert reader.trailer["/Root"].get("/Lang") == "en-GB"
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
        if f.get_object().get("/BaseFont")
    }
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_full_pdf_has_exempt_business_for_a_partner_agency(client, minutes, council_user):
    client.force_login(council_user)
    response = client.get(minutes.url + "minutes-full.pdf")
    assert response.status_code == 200
    flat = " ".join(text_of(response.getvalue())[0].split())
    assert EXEMPT_DISCUSSION in flat and EXEMPT_RESOLUTION in flat
    assert "RESTRICTED" in flat
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_full_pdf_is_refused_to_the_public_and_to_agencies_not_on_the_board(client, minutes, outsider_user, who):
    if who == "outsider":
        client.force_login(outsider_user)
    response = client.get(minutes.url + "minutes-full.pdf")
    assert response.status_code in (403, 404)
    assert EXEMPT_DISCUSSION.encode() not in response.content


def test_pdfs_are_made_on_publish_stored_and_not_rendered_again(client, minutes, monkeypatch):
    public_name = storage.stored_name(minutes, "minutes", False)
    full_name = storage.stored_name(minutes, "minutes", True)
    assert default_storage.exists(public_name)
    assert storage.storage_for(True).exists(full_name)
    assert not default_storage.exists(full_name)  # the full one never lands in public media

    def refuse(*args, **kwargs):
        raise AssertionError("a stored current PDF was rendered again")

    monkeypatch.setitem(storage.RENDERERS, "minutes", refuse)
    assert client.get(minutes.url + "minutes.pdf").status_code == 200


def test_republishing_replaces_the_pdf(client, minutes, partnered_board, secretariat_user):
    from tests.boards.minutes_helpers import approve, edit_entry, make_chair

    old_name = storage.stored_name(minutes, "minutes", False)
    draft = minutes.get_latest_revision_as_object()
    edit_entry(draft, "1", resolution="Agreed to open Hendon library on Sundays too.")
    draft.correction_note = "Minute 1 corrected."
    draft.save_revision(user=secretariat_user)
    chair = MinutesPage.objects.get(pk=minutes.pk).approved_by_user or make_chair(partnered_board, "chair2")
    page = approve(MinutesPage.objects.get(pk=minutes.pk), chair, secretariat_user)
    new_name = storage.stored_name(page, "minutes", False)
    assert new_name != old_name
    assert default_storage.exists(new_name) and not default_storage.exists(old_name)
    flat = " ".join(text_of(client.get(page.url + "minutes.pdf").getvalue())[0].split())
    assert "Sundays too" in flat and "Corrected on" in flat


def test_a_missing_pdf_is_rendered_on_first_request(client, minutes):
    default_storage.delete(storage.stored_name(minutes, "minutes", False))
    response = client.get(minutes.url + "minutes.pdf")
    assert response.status_code == 200
    assert default_storage.exists(storage.stored_name(minutes, "minutes", False))


def test_unpublished_minutes_pdfs_are_gone_at_once(client, minutes):
    url = minutes.url
    name = storage.stored_name(minutes, "minutes", False)
    minutes.unpublish()
    assert client.get(url + "minutes.pdf").status_code == 404
    assert not default_storage.exists(name)


def test_user_text_is_escaped_not_interpreted():
    board = factories.BoardPageFactory(title="Board <b>&amp; ’Co’ £ é ŵ")
    meeting = factories.MeetingPageFactory(board=board, held=True, agenda_published=True)
    factories.AgendaItemFactory(meeting=meeting, number="1", title='<font color="red">Item</font> <img src="x"/>')
    content = render.render_agenda(meeting)
    flat = " ".join(text_of(content)[0].split())
    assert '<font color="red">Item</font>' in flat
    assert "’Co’ £ é ŵ" in flat


def test_agenda_pack_public_and_full(client, minutes, council_user):
    meeting = minutes.meeting
    exempt = meeting.agenda_items.get(exempt=True)
    exempt.summary = "Quuxly commercial terms of the Grimsditch bid."
    exempt.save()
    meeting.save_revision().publish()
    response = client.get(meeting.url + "agenda.pdf")
    assert response.status_code == 200
    assert 'filename="one-barnet-partnership-board-2011-06-29-agenda.pdf"' in response["Content-Disposition"]
    flat = " ".join(text_of(response.getvalue())[0].split())
    assert "Library opening hours" in flat
    assert "Contract for leisure services" in flat and "Schedule 12A paragraph 3" in flat
    assert "Quuxly" not in flat and "Grimsditch" not in flat
    assert client.get(meeting.url + "agenda-full.pdf").status_code == 404
    client.force_login(council_user)
    full = client.get(meeting.url + "agenda-full.pdf")
    assert full.status_code == 200
    assert "Quuxly commercial terms" in " ".join(text_of(full.getvalue())[0].split())


def test_agenda_pdf_is_not_served_before_the_agenda_is_published(client, board):
    meeting = factories.MeetingPageFactory(board=board)
    factories.AgendaItemFactory(meeting=meeting, title="Secret draft item")
    assert client.get(meeting.url + "agenda.pdf").status_code == 404


def test_long_minutes_run_over_pages_with_numbered_footers(board, secretariat_user):
    from tests.boards.minutes_helpers import held_meeting, write_minutes

    meeting, _public, _exempt = held_meeting(board, items=25)
    page = write_minutes(meeting, secretariat_user)
    draft = page.get_latest_revision_as_object()
    for entry in draft.entries.all():
        entry.discussion = "<p>" + "A long discussion of the matter. " * 40 + "</p>"
    text, reader = text_of(render.render_minutes(draft, full=True))
    assert len(reader.pages) > 2
    last = " ".join(reader.pages[-1].extract_text().split())
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "One Barnet Partnership Board — 29 June 2011" in last


def test_admin_link_reverse_exists():
    assert reverse("sitemap") == "/sitemap.xml"


def test_an_agenda_published_for_later_gets_no_public_pdf_until_then(client, board):
    import datetime

    from django.utils import timezone

    meeting = factories.MeetingPageFactory(
        board=board, agenda_published_at=timezone.now() + datetime.timedelta(days=1)
    )
    factories.AgendaItemFactory(meeting=meeting, title="Not yet public")
    meeting.save_revision().publish()
    meeting.refresh_from_db()
    assert not default_storage.exists(storage.stored_name(meeting, "agenda", False))
    assert storage.storage_for(True).exists(storage.stored_name(meeting, "agenda", True))
    assert client.get(meeting.agenda_pdf_url).status_code == 404


# --- the public PDFs' own path (boards.publishing.pdf.serve.serve_public_pdf): no routing or rendering, same checks


def test_a_stored_public_pdf_is_streamed_from_storage_in_few_queries(client, minutes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    name = storage.stored_name(minutes, "minutes", False)
    with default_storage.open(name, "rb") as handle:
        stored = handle.read()
    client.get(minutes.pdf_url).getvalue()  # the Site answering the host is cached from the first request on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(minutes.pdf_url)
    assert response.status_code == 200
    assert response.streaming  # FileResponse: streamed from storage, not built in memory
    assert response.getvalue() == stored
    assert response["Content-Length"] == str(len(stored))
    assert response["Content-Disposition"] == 'inline; filename="one-barnet-partnership-board-2011-06-29-minutes.pdf"'
    assert response["Cache-Control"] == "public, max-age=300"
    # Minutes, meeting with its board's slug (file name), view restrictions: Wagtail's serve chain took 9 or more.
    assert len(queries) <= 3, [q["sql"] for q in queries.captured_queries]


def test_a_stored_public_agenda_pdf_is_streamed_in_few_queries_with_its_boards_name(client, minutes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = minutes.meeting.agenda_pdf_url
    assert client.get(url).status_code == 200  # rendered and stored
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'inline; filename="one-barnet-partnership-board-2011-06-29-agenda.pdf"'
    assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]


def test_a_view_restriction_on_the_minutes_or_the_meeting_keeps_the_pdf_from_the_public(client, minutes):
    from wagtail.models import PageViewRestriction

    for page in (minutes, minutes.meeting):
        assert client.get(minutes.pdf_url).status_code == 200
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        response = client.get(minutes.pdf_url)
        assert response.status_code in (302, 404), page
        assert not response.streaming and not response.content.startswith(b"%PDF")
        restriction.delete()


def test_a_stored_public_pdf_answers_not_modified_to_the_same_etag(client, minutes):
    first = client.get(minutes.pdf_url)
    again = client.get(minutes.pdf_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert client.get(minutes.pdf_url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_view_restriction_on_the_board_still_keeps_its_pdfs_from_the_public(client, minutes, partnered_board):
    from wagtail.models import PageViewRestriction

    assert client.get(minutes.pdf_url).status_code == 200
    assert client.get(minutes.meeting.agenda_pdf_url).status_code == 200
    PageViewRestriction.objects.create(page=partnered_board, restriction_type=PageViewRestriction.LOGIN)
    for url in (minutes.pdf_url, minutes.meeting.agenda_pdf_url):
        response = client.get(url)
        assert response.status_code in (302, 404), url  # Wagtail's login redirect, as for the page itself
        assert not response.streaming and not response.content.startswith(b"%PDF")


def test_minutes_pdf_of_an_unpublished_meeting_is_not_served_even_when_stored(client, minutes):
    name = storage.stored_name(minutes, "minutes", False)
    assert default_storage.exists(name)
    meeting = minutes.meeting
    meeting.live = False  # as an unpublish that leaves the minutes page live in the tree
    meeting.save(update_fields=["live"])
    assert client.get(minutes.pdf_url).status_code == 404


def test_another_sites_path_is_not_served(client, minutes):
    assert client.get("/nowhere" + minutes.pdf_url).status_code == 404
    assert client.get(minutes.pdf_url.replace("minutes/minutes.pdf", "minutes.pdf")).status_code == 404


def test_the_cached_site_for_a_host_is_forgotten_when_a_site_changes(client, minutes):
    from wagtail.models import Site

    assert client.get(minutes.pdf_url).status_code == 200  # the host's site is now cached
    site = Site.objects.get(is_default_site=True)
    site.is_default_site, site.hostname = False, "elsewhere.example"
    site.save()  # no site answers "testserver" any more
    response = client.get(minutes.pdf_url)
    assert response.status_code == 404 and not response.streaming
    site.is_default_site = True
    site.save()
    assert client.get(minutes.pdf_url).status_code == 200
    site.delete()
    response = client.get(minutes.pdf_url)
    assert response.status_code == 404 and not response.streaming
