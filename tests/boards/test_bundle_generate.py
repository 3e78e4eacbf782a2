"""generate_records: deterministic, realistic, valid, importable — and canonical, so it round-trips exactly.

Small sizes only; the 20-board, 10-year measurement lives in the report, not in the suite.
"""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boards import bundle
from boards.models import Action, AgendaItem, MeetingPage, MinutesPage


def generate(*args):
    out = io.StringIO()
    call_command("generate_records", *args, stdout=out)
    return out.getvalue()


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = generate("--boards", "2", "--years", "1", "--seed", "7")
    again = generate("--boards", "2", "--years", "1", "--seed", "7")
    other = generate("--boards", "2", "--years", "1", "--seed", "8")
    assert hashlib.sha256(first.encode()).digest() == hashlib.sha256(again.encode()).digest()
    assert first != other


@pytest.mark.django_db
def test_generated_bundle_is_realistic_valid_and_round_trips(tmp_path):
    text = generate("--boards", "2", "--years", "1", "--seed", "3")
    data = json.loads(text)
    bundle.validate(data)

    assert len(data["organisations"]) == 30
    assert len(data["meetings"]) == 20  # about ten meetings a year per board
    for meeting in data["meetings"]:
        assert 8 <= len(meeting["agenda"]) <= 20
        if meeting["status"] == "held":
            assert meeting["attendance"] and meeting["minutes"]["entries"]
            assert all(0 <= sum(a["item"] == i["number"] for a in meeting["actions"]) <= 4 for i in meeting["agenda"])
    owners = {a["owner"] for m in data["meetings"] for a in m["actions"]}
    assert len(owners) >= 5
    words = " ".join(e["discussion"] or "" for m in data["meetings"] for e in (m["minutes"] or {}).get("entries", []))
    assert "lorem" not in words.lower() and "residents" in words
    assert any(i["exempt"] for m in data["meetings"] for i in m["agenda"])
    assert any(i["tags"] for m in data["meetings"] for i in m["agenda"])

    path = tmp_path / "generated.json"
    path.write_text(text, encoding="utf-8")
    call_command("import_records", str(path), stdout=io.StringIO())
    assert MeetingPage.objects.count() == 20
    assert MinutesPage.objects.filter(live=True, approved_on__isnull=True).count() == 0
    assert AgendaItem.objects.count() == sum(len(m["agenda"]) for m in data["meetings"])
    assert Action.objects.count() == sum(len(m["actions"]) for m in data["meetings"])
    # The generator writes canonical form, so the export of its import is the very same file.
    out = io.StringIO()
    call_command("export_records", stdout=out)
    assert out.getvalue() == text


def test_generate_refuses_nonsense_sizes():
    with pytest.raises(CommandError, match="at least 1"):
        generate("--boards", "0")
