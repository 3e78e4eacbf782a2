"""The index follows the record: publish, unpublish, edit and delete update search before the call returns.

A backend that is down never stops publishing: the failure is logged and the next update or rebuild repairs it.
"""

import datetime
import logging

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import override_settings

from boards.models import MinutesPage
from boards.models.minutes import stamp_approval
from search.models import SearchRecord
from search.service import search
from tests import factories
from tests.search.conftest import at

ANON = AnonymousUser()


def keys(query):
    return {h.key for h in search(ANON, query).hits}


def test_publishing_an_agenda_makes_its_items_public(corpus):
    meeting = corpus.m3
    assert search(ANON, "opening hours").total == 0
    draft = meeting.get_latest_revision_as_object()
    draft.agenda_published_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    draft.save_revision().publish()
    assert keys("opening hours") == {f"agenda_item:{corpus.draft_item.pk}:public"}


def test_unpublishing_a_meeting_removes_everything_of_it_at_once(corpus):
    assert search(ANON, "artsdepot").total >= 2
    corpus.m1.unpublish()
    # Gone before unpublish() returns: the meeting, its agenda, its minutes and its public action.
    assert all(corpus.m1.url_path not in h.url for h in search(ANON, "").hits)
    assert SearchRecord.objects.filter(meeting_id=corpus.m1.pk, audience="public").count() == 0
    assert keys("paper copies") == set()
    # Republishing brings it back.
    corpus.m1.save_revision().publish()
    assert f"agenda_item:{corpus.strategy.pk}:public" in keys("landmark")


def test_unpublishing_minutes_removes_minutes_and_makes_actions_restricted(corpus, viewers):
    minutes = MinutesPage.objects.get(pk=corpus.minutes1.pk)
    minutes.unpublish()
    assert keys("endorsed") == set()
    assert keys("paper copies") == set()
    staff = search(viewers["on_board"], "paper copies")
    assert staff.total == 1 and staff.hits[0].restricted


def test_publishing_minutes_indexes_their_entries(corpus):
    m2 = corpus.m2
    minutes = MinutesPage.objects.child_of(m2).get()
    factories.MinuteEntryFactory(
        page=minutes, agenda_item=corpus.nscso, resolution="Agreed the outline business case."
    )
    assert search(ANON, "outline business case").total == 0  # a draft: not in public search
    stamp_approval(
        MinutesPage.objects.get(pk=minutes.pk), datetime.date(2011, 7, 20), "Cllr Chair"
    ).save_revision().publish()
    assert search(ANON, "outline business case").hits[0].title.startswith("Minute 2:")


def test_editing_an_item_updates_its_record(corpus):
    item = corpus.bank
    item.title = "Big Society Innovation Bank: revised prospectus"
    item.save()
    # The item and its minute (titled after it) are both rebuilt.
    assert keys("revised prospectus") == {f"agenda_item:{item.pk}:public", f"minute:{corpus.e_bank.pk}:public"}


def test_making_an_item_exempt_hides_its_text_and_its_minute(corpus):
    item = corpus.strategy
    item.exempt, item.exemption_paragraph = True, 3
    item.save()
    assert search(ANON, "landmark").total == 0
    assert search(ANON, "consultation paper copies").total == 0  # the action of an exempt item is restricted
    stub = search(ANON, '"library strategy consultation"')
    assert all(h.restricted is False and "landmark" not in h.snippet for h in stub.hits)


def test_deleting_an_action_and_an_item_removes_their_records(corpus):
    action_key = f"action:{corpus.a_copies.pk}:public"
    assert action_key in keys("paper copies")
    corpus.a_copies.delete()
    assert action_key not in keys("paper copies")
    item = factories.AgendaItemFactory(meeting=corpus.m2, number="9", title="Any other business: allotments")
    assert keys("allotments") == {f"agenda_item:{item.pk}:public"}
    item.delete()
    assert keys("allotments") == set()


def test_action_tags_and_sharing_are_indexed(corpus):
    action = corpus.a_copies
    action.tags.add("consultation")
    action.save()
    action.shared_with.add(corpus.police)
    results = search(ANON, "paper copies", {"tag": ["consultation"], "organisation": ["metropolitan-police"]})
    assert [h.key for h in results.hits] == [f"action:{action.pk}:public"]


def test_backend_down_while_publishing_is_logged_and_publishing_succeeds(corpus, caplog):
    meeting = corpus.m3
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9"):
        with caplog.at_level(logging.ERROR, logger="search.indexing"):
            draft = meeting.get_latest_revision_as_object()
            draft.agenda_published_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
            draft.save_revision().publish()
    meeting.refresh_from_db()
    assert meeting.live and meeting.agenda_published_at is not None
    assert any("search index update failed" in r.getMessage() for r in caplog.records)
    # The database index missed it; a rebuild repairs it.
    assert search(ANON, "opening hours").total == 0
    call_command("rebuild_search_index", "--no-progress", stdout=open("/dev/null", "w"))
    assert search(ANON, "opening hours").total == 1


def test_rebuild_reports_counts_and_matches_incremental_index(corpus, capsys):
    before = set(SearchRecord.objects.values_list("key", "audience", "title", "body", "resolution", "url"))
    call_command("rebuild_search_index")
    after = set(SearchRecord.objects.values_list("key", "audience", "title", "body", "resolution", "url"))
    assert before == after
    out, err = capsys.readouterr()
    assert f"Indexed {len(after)} records from 2 boards" in out
    assert "2/2 boards" in err  # the progress bar


def test_new_meeting_of_a_new_board(db):
    board = factories.BoardPageFactory(title="Health and Wellbeing Board", code="HWB")
    meeting = factories.MeetingPageFactory(board=board, starts_at=at(2013, 5, 1), agenda_published=True)
    factories.AgendaItemFactory(meeting=meeting, number="1", title="Joint strategic needs assessment")
    assert search(ANON, "needs assessment").hits[0].board_title == "Health and Wellbeing Board"
    board.unpublish()
    assert search(ANON, "needs assessment").total == 0


def test_publishing_a_revision_with_edited_and_removed_items(corpus):
    meeting = corpus.m2
    draft = meeting.get_latest_revision_as_object()
    nscso = next(i for i in draft.agenda_items.all() if i.pk == corpus.nscso.pk)
    nscso.title = "NSCSO: revised business case"
    draft.agenda_items = [nscso]  # the consultation outcome item is removed
    draft.save_revision().publish()
    assert keys("revised business case") == {f"agenda_item:{corpus.nscso.pk}:public"}
    assert f"agenda_item:{corpus.outcome.pk}:public" not in keys("responses")
    assert search(ANON, "responses").total == 0


def test_import_builds_search_records_before_it_returns(db):
    from pathlib import Path

    fixture = Path(__file__).parents[1] / "boards" / "fixtures" / "bundle_small.json"
    call_command("import_records", str(fixture), stdout=open("/dev/null", "w"))
    hits = search(ANON, "library modernisation").hits
    # The item and its minute share the title and rank equally: both come first.
    assert {h.title for h in hits[:2]} == {
        "3. Library service modernisation",
        "Minute 3: Library service modernisation",
    }
    # The exempt contract award: its number and title are public, nothing else of it.
    stub = [h for h in search(ANON, "community equipment").hits if h.kind == "agenda_item"]
    assert stub and all(not h.restricted for h in stub)
    # Rebuilding from scratch gives the same records as the import built.
    before = set(SearchRecord.objects.values_list("key", "title", "body", "resolution", "audience", "url"))
    call_command("rebuild_search_index", "--no-progress", stdout=open("/dev/null", "w"))
    assert set(SearchRecord.objects.values_list("key", "title", "body", "resolution", "audience", "url")) == before


def test_moving_a_meeting_updates_its_board_and_urls(corpus):
    from boards.models import MeetingPage

    corpus.m2.move(corpus.safer, pos="last-child")
    moved = MeetingPage.objects.get(pk=corpus.m2.pk)
    hit = search(ANON, "customer services business case", {"type": ["agenda_item"]}).hits[0]
    assert hit.board_title == "Safer Communities Board"
    assert hit.url == f"{moved.url}#item-2"
