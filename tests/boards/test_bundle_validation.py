"""Invalid bundles: every problem reported at once with its JSON path, exit status 1, nothing written.

One test per class of invalid input, each run through the import_records command as an operator would.
"""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boards import bundle
from boards.models import Action, BoardPage, MeetingPage, Organisation, Person
from tests import factories

FIXTURE = Path(__file__).parent / "fixtures" / "bundle_small.json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def snapshot():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        BoardPage.objects.count(),
        MeetingPage.objects.count(),
        Action.objects.count(),
    )


def import_text(tmp_path, text):
    """Run import_records on text; return (exit code, stderr lines, message)."""
    path = tmp_path / "bundle.json"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, [line for line in err.getvalue().splitlines() if line], str(error)
    return 0, err.getvalue().splitlines(), out.getvalue()


def refused(tmp_path, data):
    before = snapshot()
    code, lines, message = import_text(tmp_path, json.dumps(data))
    assert code == 1, message
    assert "nothing was imported" in message
    assert snapshot() == before
    prefix = f"{tmp_path / 'bundle.json'}: "
    return [line.removeprefix(prefix) for line in lines]


def test_the_fixture_itself_is_valid(tmp_path, data):
    code, _, out = import_text(tmp_path, json.dumps(data))
    assert code == 0 and "meetings: 4 created" in out


def test_missing_required_key(tmp_path, data):
    del data["meetings"][1]["agenda"][0]["title"]
    del data["organisations"][0]["kind"]
    assert refused(tmp_path, data) == [
        "organisations[0].kind: required",
        "meetings[1].agenda[0].title: required",
    ]


def test_wrong_type(tmp_path, data):
    data["meetings"][0]["published"] = "yes"
    data["meetings"][0]["agenda"][4]["exemption_paragraph"] = "3"
    data["boards"][0]["partners"] = {"organisation": "nhs-barnet"}
    assert refused(tmp_path, data) == [
        "boards[0].partners: expected a list or null, got an object",
        "meetings[0].published: expected true or false, got text",
        "meetings[0].agenda[4].exemption_paragraph: expected a whole number or null, got text",
    ]


def test_unknown_key_is_an_error_not_silently_dropped(tmp_path, data):
    data["meetings"][0]["agenda"][2]["sumary"] = "A typo"
    data["extra"] = []
    assert refused(tmp_path, data) == [
        "meetings[0].agenda[2].sumary: unknown key",
        "extra: unknown key",
    ]


def test_bad_values(tmp_path, data):
    data["meetings"][0]["status"] = "adjourned"
    data["meetings"][0]["agenda"][4]["exemption_paragraph"] = 9
    assert refused(tmp_path, data) == [
        "meetings[0].status: 'adjourned' is not one of scheduled, held, cancelled, postponed",
        "meetings[0].agenda[4].exemption_paragraph: 9 is out of range (1–7)",
    ]


def test_bad_dates(tmp_path, data):
    data["boards"][0]["partners"][0]["joined_on"] = "01/01/2010"
    data["meetings"][0]["minutes"]["approved_on"] = "2011-02-30"
    data["meetings"][0]["starts_at"] = "2011-03-01T10:00:00"  # no offset
    data["meetings"][1]["actions"][0]["due_on"] = "2011-13-01"
    data["meetings"][3]["ends_at"] = "2011-10-04T13:00:00+01:00"  # before it starts
    assert refused(tmp_path, data) == [
        "boards[0].partners[0].joined_on: not a date: '01/01/2010' (expected YYYY-MM-DD)",
        "meetings[0].starts_at: not a date and time with an offset: '2011-03-01T10:00:00' "
        "(expected e.g. 2011-03-01T10:00:00+00:00)",
        "meetings[1].actions[0].due_on: not a real date: '2011-13-01'",
        "meetings[3].ends_at: the meeting must end after it starts",
    ]


def test_bad_date_inside_a_valid_meeting_is_reported_with_its_path(tmp_path, data):
    data["meetings"][0]["minutes"]["approved_on"] = "2011-02-30"
    assert refused(tmp_path, data) == ["meetings[0].minutes.approved_on: not a real date: '2011-02-30'"]


def test_unknown_references(tmp_path, data):
    data["people"][0]["organisation"] = "barnet-counci"
    data["boards"][0]["memberships"][0]["person"] = "ann-char"
    data["meetings"][0]["agenda"][2]["lead_organisation"] = "nhs-barnt"
    data["meetings"][0]["actions"][0]["shared_with"] = ["nhs-barnet", "fire-brigade"]
    data["meetings"][0]["actions"][0]["item"] = "7"
    data["meetings"][0]["minutes"]["entries"][0]["item"] = "9"
    data["meetings"][0]["declarations"][0]["item"] = "3b"
    data["meetings"][1]["board"] = "two-barnet"
    assert refused(tmp_path, data) == [
        "people[0].organisation: unknown organisation 'barnet-counci'",
        "boards[0].memberships[0].person: unknown person 'ann-char'",
        "meetings[0].declarations[0].item: no agenda item '3b' in this meeting",
        "meetings[0].agenda[2].lead_organisation: unknown organisation 'nhs-barnt'",
        "meetings[0].minutes.entries[0].item: no agenda item '9' in this meeting",
        "meetings[0].actions[0].item: no agenda item '7' in this meeting",
        "meetings[0].actions[0].shared_with[1]: unknown organisation 'fire-brigade'",
        "meetings[1].board: unknown board 'two-barnet'",
    ]


def test_references_may_point_at_records_already_in_the_database(tmp_path, data):
    factories.OrganisationFactory(slug="fire-brigade", name="London Fire Brigade")
    data["meetings"][0]["actions"][0]["shared_with"] = ["fire-brigade"]
    code, _, _ = import_text(tmp_path, json.dumps(data))
    assert code == 0
    assert [o.slug for o in Action.objects.get(reference="OBPB/2011/03/2").shared_with.all()] == ["fire-brigade"]


def test_duplicate_agenda_number(tmp_path, data):
    data["meetings"][0]["agenda"][3]["number"] = "3"
    assert refused(tmp_path, data) == [
        "meetings[0].declarations[0].item: no agenda item '3a' in this meeting",
        "meetings[0].agenda[3].number: duplicate agenda number '3' in this meeting",
    ]


def test_exempt_without_paragraph(tmp_path, data):
    data["meetings"][0]["agenda"][4]["exemption_paragraph"] = None
    data["meetings"][0]["agenda"][0]["exemption_paragraph"] = 2
    assert refused(tmp_path, data) == [
        "meetings[0].agenda[0].exemption_paragraph: must be null unless exempt is true",
        "meetings[0].agenda[4].exemption_paragraph: required when exempt is true",
    ]


def test_published_minutes_need_approval(tmp_path, data):
    data["meetings"][0]["minutes"]["approved_on"] = None
    assert refused(tmp_path, data) == [
        "meetings[0].minutes.approved_on: required when the minutes are published (only approved minutes publish)"
    ]


def test_duplicates_across_the_bundle(tmp_path, data):
    data["people"].append(copy.deepcopy(data["people"][0]))
    data["meetings"][1]["actions"][0]["reference"] = "OBPB/2011/03/2"
    data["meetings"][2]["starts_at"] = "2011-07-12T18:30:00+01:00"
    assert refused(tmp_path, data) == [
        "people[5].slug: duplicate slug 'ann-chair' (also people[0])",
        "meetings[1].actions[0].reference: duplicate action reference 'OBPB/2011/03/2' (also meetings[0].actions[0])",
        "meetings[2].starts_at: duplicate meeting of 'one-barnet' (also meetings[1])",
    ]


def test_every_problem_is_reported_at_once(tmp_path, data):
    del data["meetings"][0]["agenda"][0]["title"]  # schema
    data["meetings"][1]["agenda"][0]["exempt"] = True  # semantic, in another meeting
    data["organisations"][0]["colour"] = "red"  # unknown key
    lines = refused(tmp_path, data)
    assert lines == [
        "organisations[0].colour: unknown key",
        "meetings[0].agenda[0].title: required",
        "meetings[1].agenda[0].exemption_paragraph: required when exempt is true",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this is not json", "not JSON: Expecting value at line 1, column 1"),
        ('{"organisations": [{"slug": "a", ', "the file ends too early (truncated?) at line 1"),
        ("[]", "the bundle must be a JSON object with organisations, people, boards and meetings, not a list"),
        ("", "the file ends too early (truncated?)"),
    ],
)
def test_not_a_bundle_gets_one_clear_line(tmp_path, text, expected):
    code, lines, message = import_text(tmp_path, text)
    assert code == 1
    assert len(lines) == 1 and expected in lines[0]
    assert "Traceback" not in message


def test_missing_file(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="no such file") as raised:
        call_command("import_records", str(tmp_path / "nope.json"), stdout=out, stderr=err)
    assert raised.value.returncode == 1


def test_readme_example_is_a_valid_bundle():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Records bundle", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    data = json.loads(example)
    bundle.validate(data)
    report = bundle.import_bundle(data)
    assert report.counts["meetings"]["created"] == 1 and report.counts["actions"]["created"] == 1
