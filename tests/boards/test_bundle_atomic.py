"""An import is all or nothing: a failure half-way leaves nothing behind; a dry run writes nothing.

Failures are injected where they would really happen: a database error on the N-th meeting, a failing receiver.
"""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from taggit.models import Tag
from wagtail.models import Page, ReferenceIndex

from boards import bundle
from boards.bundle import importer
from boards.models import (
    Action,
    ActionReferenceSequence,
    AgendaItem,
    BoardPage,
    MeetingPage,
    MinuteEntry,
    Organisation,
    Person,
)
from boards.signals import records_imported

FIXTURE = Path(__file__).parent / "fixtures" / "bundle_small.json"

pytestmark = pytest.mark.django_db


def state():
    return {
        "pages": Page.objects.count(),
        "organisations": Organisation.objects.count(),
        "groups": Group.objects.count(),
        "people": Person.objects.count(),
        "boards": BoardPage.objects.count(),
        "meetings": MeetingPage.objects.count(),
        "items": AgendaItem.objects.count(),
        "entries": MinuteEntry.objects.count(),
        "actions": Action.objects.count(),
        "sequences": ActionReferenceSequence.objects.count(),
        "tags": Tag.objects.count(),
        "references": ReferenceIndex.objects.count(),
    }


def test_database_error_on_the_nth_meeting_leaves_nothing_behind():
    before = state()
    real = importer.Importer._agenda_item
    seen = set()

    def failing(self, page_id, index, data):
        seen.add(page_id)
        if len(seen) == 2:  # the second meeting: pages, organisations and people are already written
            raise DatabaseError("disk I/O error (injected)")
        return real(self, page_id, index, data)

    with mock.patch.object(importer.Importer, "_agenda_item", failing):
        with pytest.raises(DatabaseError, match="injected"):
            bundle.import_bundle(bundle.load(FIXTURE))
    assert len(seen) == 2
    assert state() == before


def test_failing_receiver_of_records_imported_rolls_the_import_back():
    before = state()

    def receiver(sender, **kwargs):
        assert MeetingPage.objects.count() == 4  # it runs after the writes, inside the transaction
        raise DatabaseError("search index unavailable (injected)")

    records_imported.connect(receiver)
    try:
        with pytest.raises(DatabaseError, match="injected"):
            bundle.import_bundle(bundle.load(FIXTURE))
    finally:
        records_imported.disconnect(receiver)
    assert state() == before


def test_protected_agenda_item_refuses_the_update_and_writes_nothing():
    bundle.import_bundle(bundle.load(FIXTURE))
    before = state()
    data = bundle.load(FIXTURE)
    # Renumber item 3, which a minute and an action of the existing record refer to.
    data["meetings"][0]["agenda"][2]["number"] = "3b"
    data["meetings"][0]["minutes"]["entries"][1]["item"] = "3b"
    data["meetings"][0]["actions"][0]["item"] = "3b"
    data["meetings"][0]["venue"] = "Elsewhere"
    data["people"][0]["job_title"] = "Changed"
    with pytest.raises(bundle.ImportFailed, match="cannot be removed or renumbered"):
        bundle.import_bundle(data)
    assert state() == before
    assert Person.objects.get(slug="ann-chair").job_title == "Leader of the Council"
    assert MeetingPage.objects.get(slug="2011-03-01").venue != "Elsewhere"


def test_dry_run_reports_counts_and_writes_nothing():
    before = state()
    out = io.StringIO()
    call_command("import_records", str(FIXTURE), "--dry-run", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "meetings: 4 would be created, 0 would be updated, 0 unchanged" in text
    assert "actions: 3 would be created" in text
    assert "Dry run: nothing was written" in text
    assert state() == before


def test_dry_run_after_an_import_reports_only_changes():
    bundle.import_bundle(bundle.load(FIXTURE))
    data = bundle.load(FIXTURE)
    data["meetings"][3]["venue"] = "Hendon Town Hall"
    before = state()
    report = bundle.import_bundle(data, dry_run=True)
    assert report.counts["meetings"]["updated"] == 1 and report.counts["meetings"]["unchanged"] == 3
    assert state() == before
    assert MeetingPage.objects.get(slug="2011-10-04").venue == ""


def test_invalid_bundle_is_refused_and_nothing_written():
    data = bundle.load(FIXTURE)
    data["meetings"][0]["agenda"][4]["exemption_paragraph"] = None
    before = state()
    with pytest.raises(bundle.BundleInvalid) as raised:
        bundle.import_bundle(data)
    assert raised.value.problems == ["meetings[0].agenda[4].exemption_paragraph: required when exempt is true"]
    assert state() == before


def test_command_reports_a_database_failure_in_one_line_and_writes_nothing():
    before = state()

    def failing(self, *args, **kwargs):
        raise DatabaseError("database is locked (injected)")

    with mock.patch.object(importer.Importer, "_apply_actions", failing):
        with pytest.raises(CommandError) as raised:
            call_command("import_records", str(FIXTURE), stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 2
    assert "the database refused the import (database is locked (injected)); nothing was imported" in str(raised.value)
    assert state() == before
