"""Records bundle round trip: import, export, import into an empty database, export — byte-identical.

Also what an import creates (pages, publication, approval, references) and that a second import changes nothing.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, ReferenceIndex, Site

from boards import bundle
from boards.models import (
    Action,
    ActionReferenceSequence,
    ActionUpdate,
    AgendaItem,
    Attendance,
    BoardIndexPage,
    BoardPage,
    Declaration,
    MeetingPage,
    MinuteEntry,
    MinutesPage,
    Organisation,
    Person,
)
from boards.signals import records_imported
from home.models import HomePage

FIXTURE = Path(__file__).parent / "fixtures" / "bundle_small.json"

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def export():
    return run("export_records")


def counts():
    models = [
        Organisation,
        Person,
        BoardPage,
        MeetingPage,
        MinutesPage,
        AgendaItem,
        Attendance,
        Declaration,
        MinuteEntry,
        Action,
        ActionUpdate,
        ActionReferenceSequence,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_round_trip_is_byte_identical():
    # First life: the hand-written fixture, then its export.
    sid = transaction.savepoint()
    run("import_records", str(FIXTURE))
    first = export()
    transaction.savepoint_rollback(sid)
    assert MeetingPage.objects.count() == 0 and Organisation.objects.count() == 0

    # Second life: the export imported into an empty database, exported again.
    path = FIXTURE.parent / "_roundtrip.tmp.json"
    try:
        path.write_text(first, encoding="utf-8")
        run("import_records", str(path))
    finally:
        path.unlink(missing_ok=True)
    second = export()
    assert second.encode() == first.encode()

    # The canonical form: every key, explicit nulls, London times with offsets, two-space indentation.
    data = json.loads(second)
    assert second.startswith('{\n  "organisations": [\n    {\n      "slug": ')
    meeting = data["meetings"][0]
    assert list(meeting) == [
        "board",
        "starts_at",
        "ends_at",
        "venue",
        "status",
        "published",
        "agenda_published_at",
        "lateness_reason",
        "attendance",
        "declarations",
        "agenda",
        "minutes",
        "actions",
    ]
    assert meeting["starts_at"] == "2011-03-01T10:00:00+00:00"
    assert meeting["lateness_reason"] is None
    summer = next(m for m in data["meetings"] if m["starts_at"].startswith("2011-07-12T18"))
    assert summer["starts_at"] == "2011-07-12T18:30:00+01:00"
    actions = meeting["actions"]
    assert [a["reference"] for a in actions] == ["OBPB/2011/03/2", "OBPB/2011/03/10"]
    assert [u["at"] for u in actions[0]["updates"]] == ["2011-03-15T09:30:00+00:00", "2011-04-20T16:00:00+01:00"]
    assert actions[0]["shared_with"] == ["jobcentre-plus", "nhs-barnet"]
    assert data["organisations"][1]["short_name"] is None  # "" in the input is written as null


def test_import_creates_pages_publication_and_approval():
    run("import_records", str(FIXTURE))
    index = BoardIndexPage.objects.get()
    assert index.slug == "boards" and index.get_parent().specific_class is HomePage
    board = BoardPage.objects.get(slug="one-barnet")
    assert board.get_parent().pk == index.pk and board.code == "OBPB" and board.live
    assert board.url_path.endswith("/boards/one-barnet/")

    meetings = {m.slug: m for m in MeetingPage.objects.child_of(board)}
    assert set(meetings) == {"2011-03-01", "2011-07-12", "2011-07-12-2", "2011-10-04"}
    assert meetings["2011-07-12"].starts_at.hour == 8  # 09:00 London = 08:00 UTC: first that day keeps the date
    assert not meetings["2011-07-12"].live and meetings["2011-03-01"].live
    assert meetings["2011-03-01"].url == "/boards/one-barnet/2011-03-01/"

    published = MinutesPage.objects.child_of(meetings["2011-03-01"]).get()
    assert published.live and published.slug == "minutes"
    assert published.approved_on.isoformat() == "2011-04-05" and published.approved_by == "Ann Chair"
    draft = MinutesPage.objects.child_of(meetings["2011-07-12-2"]).get()
    assert not draft.live and draft.approved_on is None

    # The tree is valid: treebeard's own check finds nothing wrong with the bulk-built paths.
    assert Page.find_problems() == ([], [], [], [], [])
    assert meetings["2011-03-01"].get_children().count() == 1

    item = AgendaItem.objects.get(meeting=meetings["2011-03-01"], number="4")
    assert item.exempt and item.exemption_paragraph == 3
    assert sorted(t.name for t in AgendaItem.objects.get(number="3", meeting=meetings["2011-03-01"]).tags.all()) == [
        "customer services",
        "libraries",
    ]
    sub = Attendance.objects.get(person__slug="eve-sub")
    assert sub.capacity == "substitute" and sub.substitute_for.slug == "bob-vice"

    action = Action.objects.get(reference="OBPB/2011/03/2")
    assert action.board == board and action.meeting_id == meetings["2011-03-01"].pk
    assert action.agenda_item.number == "3" and action.owner.slug == "barnet-council"
    assert sorted(o.slug for o in action.shared_with.all()) == ["jobcentre-plus", "nhs-barnet"]
    assert [u.author_name for u in action.updates.all()] == ["Cara Officer", "Cara Officer"]
    assert action.updates.last().new_status == "done"

    # References are kept, and the sequence is ahead of them, so a new reference is never a reused one.
    sequence = ActionReferenceSequence.objects.get(board=board, year=2011, month=3)
    assert sequence.last_number == 10
    assert ActionReferenceSequence.objects.get(board=board, year=2011, month=7).last_number == 1


def test_import_builds_wagtail_reference_index_and_search_index():
    from wagtail.search.backends import get_search_backend

    run("import_records", str(FIXTURE))
    meeting = MeetingPage.objects.get(slug="2011-03-01")
    action = Action.objects.get(reference="OBPB/2011/03/2")
    council = Organisation.objects.get(slug="barnet-council")
    # Wagtail's usage report for the council lists the meeting's agenda item and the action.
    sources = {(r.base_content_type.model, r.object_id) for r in ReferenceIndex.get_references_to(council)}
    assert ("page", str(meeting.pk)) in sources
    assert ("action", str(action.pk)) in sources
    hits = get_search_backend().search("consultation report", Action)
    assert action in list(hits)


def test_second_import_changes_nothing():
    first = run("import_records", str(FIXTURE))
    assert "meetings: 4 created, 0 updated, 0 unchanged" in first
    before = counts()
    modified = {p.pk: p.latest_revision_created_at for p in Page.objects.all()}
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    records_imported.connect(receiver)
    try:
        second = run("import_records", str(FIXTURE))
    finally:
        records_imported.disconnect(receiver)
    assert counts() == before
    for kind, n in [
        ("organisations", 4),
        ("people", 5),
        ("boards", 1),
        ("meetings", 4),
        ("minutes", 2),
        ("actions", 3),
    ]:
        assert f"{kind}: 0 created, 0 updated, {n} unchanged" in second
    assert received == []  # nothing changed: no finishing work to do
    assert {p.pk: p.latest_revision_created_at for p in Page.objects.all()} == modified


def test_changed_bundle_updates_in_place_and_keeps_history():
    run("import_records", str(FIXTURE))
    data = json.loads(FIXTURE.read_text())
    meeting = data["meetings"][0]
    meeting["venue"] = "Barnet House, Colindale"
    meeting["agenda"][2]["title"] = "Library service modernisation: final report"
    meeting["actions"][1]["status"] = "done"
    meeting["actions"][1]["updates"] = [{"at": "2011-05-30T10:00:00+01:00", "author": "Bob Vice", "note": "Done."}]
    data["people"][2]["job_title"] = "Governance Officer"
    item = AgendaItem.objects.get(number="3", meeting__slug="2011-03-01")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    records_imported.connect(receiver)
    try:
        report = bundle.import_bundle(data)
    finally:
        records_imported.disconnect(receiver)
    assert report.counts["meetings"]["updated"] == 1 and report.counts["meetings"]["unchanged"] == 3
    assert report.counts["actions"]["updated"] == 1 and report.counts["people"]["updated"] == 1
    item.refresh_from_db()  # same row, so actions and minutes that refer to it still do
    assert item.title == "Library service modernisation: final report"
    assert MeetingPage.objects.get(slug="2011-03-01").venue == "Barnet House, Colindale"
    action = Action.objects.get(reference="OBPB/2011/03/10")
    assert action.status == "done" and action.updates.get().author_name == "Bob Vice"
    changed_meeting = MeetingPage.objects.get(slug="2011-03-01")
    assert received[0]["meetings"] == [changed_meeting.pk] and received[0]["actions"] == [action.pk]
    # And importing the same changed bundle again is a no-op.
    again = bundle.import_bundle(data)
    assert not again.changed


def test_records_imported_signal_carries_the_ids():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    records_imported.connect(receiver)
    try:
        run("import_records", str(FIXTURE))
    finally:
        records_imported.disconnect(receiver)
    assert len(received) == 1
    ids = received[0]
    assert ids["boards"] == [BoardPage.objects.get().pk]
    assert ids["meetings"] == sorted(MeetingPage.objects.values_list("pk", flat=True))
    assert ids["minutes"] == sorted(MinutesPage.objects.values_list("pk", flat=True))
    assert ids["actions"] == sorted(Action.objects.values_list("pk", flat=True))
    assert len(ids["organisations"]) == 4 and len(ids["people"]) == 5


def test_import_into_database_without_home_page_creates_it():
    Site.objects.all().delete()
    HomePage.objects.all().delete()
    assert not HomePage.objects.exists()
    run("import_records", str(FIXTURE))
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert BoardIndexPage.objects.get().get_parent().pk == home.pk


def test_export_filters_by_board_and_since():
    run("import_records", str(FIXTURE))
    data = json.loads(run("export_records", "--board", "one-barnet", "--since", "2011-07-12"))
    assert [m["starts_at"] for m in data["meetings"]] == [
        "2011-07-12T09:00:00+01:00",
        "2011-07-12T18:30:00+01:00",
        "2011-10-04T14:00:00+01:00",
    ]
    assert [b["slug"] for b in data["boards"]] == ["one-barnet"]
    bundle.validate(data)  # a filtered export is itself a valid bundle

    with pytest.raises(Exception, match="no board with slug 'nope'"):
        run("export_records", "--board", "nope")
    with pytest.raises(Exception, match="--since: not a date"):
        run("export_records", "--since", "12/07/2011")


def test_reference_index_rows_are_what_wagtail_itself_would_record():
    run("import_records", str(FIXTURE))
    for obj in [
        MeetingPage.objects.get(slug="2011-03-01"),
        MinutesPage.objects.get(live=True),
        Action.objects.get(reference="OBPB/2011/03/2"),
    ]:
        expected = set(ReferenceIndex._extract_references_from_object(obj))
        stored = set(
            ReferenceIndex.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name).values_list(
                "to_content_type_id", "to_object_id", "model_path", "content_path"
            )
        )
        assert expected and stored == expected


def test_hostile_rich_text_is_cleaned_on_import_and_reimport_is_still_a_no_op():
    data = bundle.load(FIXTURE)
    entry = data["meetings"][0]["minutes"]["entries"][1]
    entry["discussion"] = '<p>Fine.</p><script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">link</a>'
    data["boards"][0]["remit"] = '<p onmouseover="x()">Remit</p><iframe src="http://evil.example/"></iframe>'
    bundle.import_bundle(data)
    minute = MinuteEntry.objects.get(agenda_item__number="3", page__live=True)
    assert "<script" not in minute.discussion and "javascript:" not in minute.discussion
    assert "onclick" not in minute.discussion and "Fine." in minute.discussion
    remit = BoardPage.objects.get().remit
    assert "<iframe" not in remit and "onmouseover" not in remit and "Remit" in remit
    assert not bundle.import_bundle(data).changed
