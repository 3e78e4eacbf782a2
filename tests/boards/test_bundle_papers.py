"""Records bundle schema versions: version 1 (no schema_version) still imports; version 2 carries papers.

A version-2 paper is a file beside the JSON, known by its path and sha256: a file that is missing or has other
bytes refuses the whole import, naming the JSON path, and nothing is written.
"""

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents import get_document_model
from wagtail.models import Page

from boards import bundle
from boards.models import AgendaItem, MeetingPage, Organisation

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "bundle_small.json"
V2 = FIXTURES / "bundle_v2"
PAPER = "papers/library-consultation-report.txt"
Document = get_document_model()

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def stored_files():
    folder = Path(settings.MEDIA_ROOT) / "documents"
    return set(folder.iterdir()) if folder.exists() else set()


def copy_v2(tmp_path, edit=None):
    """The version-2 fixture copied to tmp_path, its JSON changed by `edit` (a function of the parsed data)."""
    target = tmp_path / "bundle"
    shutil.copytree(V2, target)
    if edit is not None:
        data = json.loads((target / "records.json").read_text(encoding="utf-8"))
        edit(data)
        (target / "records.json").write_text(json.dumps(data), encoding="utf-8")
    return target / "records.json"


def test_a_bundle_without_schema_version_is_version_1_and_imports():
    data = json.loads(V1.read_text(encoding="utf-8"))
    assert "schema_version" not in data
    run("import_records", str(V1))
    assert MeetingPage.objects.exists()
    assert json.loads(run("export_records"))["schema_version"] == 2


def test_version_2_imports_its_papers_as_documents():
    files_before = stored_files()
    run("import_records", str(V2 / "records.json"))
    item = AgendaItem.objects.get(number="1")
    (paper,) = item.papers.all()
    assert paper.title == "Library consultation report"
    with paper.file.open("rb") as handle:
        assert handle.read() == (V2 / PAPER).read_bytes()
    assert Path(paper.file.name).name == "library-consultation-report.txt"
    assert not AgendaItem.objects.get(number="2").papers.exists()
    assert len(stored_files() - files_before) == 1

    # Importing again changes nothing and stores no second copy.
    out = run("import_records", str(V2 / "records.json"))
    assert "meetings: 0 created, 0 updated, 1 unchanged" in out
    assert Document.objects.count() == 1
    assert len(stored_files() - files_before) == 1


def test_version_2_export_writes_the_papers_beside_it_and_round_trips(tmp_path):
    run("import_records", str(V2 / "records.json"))
    first = tmp_path / "first" / "records.json"
    first.parent.mkdir()
    run("export_records", "--output", str(first))
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2
    (paper,) = data["meetings"][0]["agenda"][0]["papers"]
    digest = hashlib.sha256((V2 / PAPER).read_bytes()).hexdigest()
    assert paper["title"] == "Library consultation report" and paper["sha256"] == digest
    # The stored file's name (storage may have added a suffix to keep it unique) under papers/.
    assert paper["path"].startswith("papers/library-consultation-report") and paper["path"].endswith(".txt")
    assert (first.parent / paper["path"]).read_bytes() == (V2 / PAPER).read_bytes()

    # To standard output there is nowhere to put the files: refused, plainly.
    with pytest.raises(CommandError, match="pass --output"):
        run("export_records")

    # The export is itself an importable bundle: a change of the paper is seen as one.
    (first.parent / paper["path"]).write_bytes(b"A revised report.\n")
    paper["sha256"] = hashlib.sha256(b"A revised report.\n").hexdigest()
    first.write_text(json.dumps(data), encoding="utf-8")
    out = run("import_records", str(first))
    assert "meetings: 0 created, 1 updated, 0 unchanged" in out
    (linked,) = AgendaItem.objects.get(number="1").papers.all()
    with linked.file.open("rb") as handle:
        assert handle.read() == b"A revised report.\n"


def refused(path):
    """Import `path`; return the problems written (the command fails and writes nothing)."""
    out, err = io.StringIO(), io.StringIO()
    pages, files = Page.objects.count(), stored_files()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", str(path), stdout=out, stderr=err)
    assert Page.objects.count() == pages and not Organisation.objects.exists() and not Document.objects.exists()
    assert stored_files() == files
    return err.getvalue()


def test_a_paper_whose_bytes_differ_is_refused_with_its_json_path(tmp_path):
    path = copy_v2(tmp_path)
    (path.parent / PAPER).write_bytes(b"Not the report that was approved.\n")
    err = refused(path)
    assert "meetings[0].agenda[0].papers[0].sha256: " in err
    assert "papers/library-consultation-report.txt" in err


def test_a_missing_paper_is_refused_with_its_json_path(tmp_path):
    path = copy_v2(tmp_path)
    (path.parent / PAPER).unlink()
    err = refused(path)
    assert f"meetings[0].agenda[0].papers[0].path: no file '{PAPER}' next to the bundle" in err


def test_a_paper_path_may_not_leave_the_bundles_folder(tmp_path):
    def outside(data):
        data["meetings"][0]["agenda"][0]["papers"][0]["path"] = "../secrets.txt"

    err = refused(copy_v2(tmp_path, outside))
    assert "meetings[0].agenda[0].papers[0].path: not a relative file path" in err


def test_papers_need_schema_version_2(tmp_path):
    def version_1(data):
        del data["schema_version"]

    err = refused(copy_v2(tmp_path, version_1))
    assert "meetings[0].agenda[0].papers: papers need schema_version 2" in err


def test_an_unknown_schema_version_is_refused():
    data = json.loads((V2 / "records.json").read_text(encoding="utf-8"))
    data["schema_version"] = 3
    with pytest.raises(bundle.BundleInvalid) as error:
        bundle.validate(data, base_dir=V2)
    assert error.value.problems == ["schema_version: 3 is not one of 1, 2"]


def test_a_failure_after_storing_a_paper_removes_the_file(monkeypatch):
    files = stored_files()

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(bundle.importer.Importer, "_apply_minutes", fail)
    with pytest.raises(RuntimeError):
        bundle.import_bundle(bundle.load(V2 / "records.json"), base_dir=V2)
    assert stored_files() == files
    assert not Document.objects.exists() and not Organisation.objects.exists()
