"""Backup and restore of the database and the uploaded files together: `make backup` / `make restore`.

Native dumps (pg_dump, SQLite's backup API) plus a tar of media; a manifest holds a per-table fingerprint
that restore checks, so a restore that does not reproduce the backup says so instead of passing quietly.
"""

import argparse
import datetime
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
# Per-visitor state that a restore must not resurrect (a restored session could sign in a disabled user).
# Sessions are ended by a restore; the page cache's generation is replaced by it (pagecache).
SKIP_FINGERPRINT = {"django_session", "home_contentgeneration"}


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says why."""


def _file_roots():
    """{name: folder} of the file storages kept on local disk (S3 buckets are backed up by their versioning)."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, storages

    roots = {}
    for alias in ("default", "private"):
        if alias not in settings.STORAGES:
            continue
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            roots[alias] = Path(storage.location)
    return roots


def fingerprint(connection):
    """{table: [row count, sha256 of the rows in primary-key order]} for every table of the connection."""
    result = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            if table in SKIP_FINGERPRINT or table.startswith("sqlite_"):
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")  # noqa: S608 - names from introspection
            order = ", ".join(str(i + 1) for i in range(len(cursor.description)))
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
            result[table] = [count, digest.hexdigest()]
    return result


def _plain(value):
    """Values that compare equal across a dump and restore (memoryview vs bytes, aware datetimes)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    return value


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")
    return result


def dump_database(connection, target_dir):
    """Write the database to target_dir; returns the file name."""
    vendor = connection.vendor
    if vendor == "postgresql":
        db = connection.settings_dict
        name = "database.pgdump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-acl", *_pg_args(db), "-f", str(target_dir / name)]
            + [db["NAME"]],
            env=_pg_env(db),
        )
        return name
    if vendor == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(target_dir / name)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return name
    raise BackupError(f"Backups of {vendor} databases are not supported (PostgreSQL and SQLite are).")


def restore_database(connection, source_dir, name):
    """Replace the connection's database content with the dump in source_dir."""
    vendor = connection.vendor
    path = source_dir / name
    if vendor == "postgresql":
        if not name.endswith(".pgdump"):
            raise BackupError(f"{path} is not a PostgreSQL dump; this site runs on PostgreSQL.")
        db = connection.settings_dict
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                *_pg_args(db),
                "-d",
                db["NAME"],
                str(path),
            ],
            env=_pg_env(db),
        )
        return
    if vendor == "sqlite":
        if not name.endswith(".sqlite3"):
            raise BackupError(f"{path} is not an SQLite backup; this site runs on SQLite.")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    raise BackupError(f"Restores into {vendor} databases are not supported.")


def backup(target_root, connection=None, label=None):
    """Back up database and files into target_root/<timestamp>/; returns that folder."""
    from django.db import connection as default_connection

    connection = connection or default_connection
    label = label or datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(target_root) / label
    target.mkdir(parents=True, exist_ok=False)
    database_file = dump_database(connection, target)
    roots = _file_roots()
    with tarfile.open(target / MEDIA_ARCHIVE, "w:gz") as archive:
        for alias, root in roots.items():
            if root.exists():
                archive.add(root, arcname=alias)
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": connection.vendor,
        "database": database_file,
        "media": MEDIA_ARCHIVE,
        "storages": sorted(roots),
        "tables": fingerprint(connection),
        "sha256": {
            name: hashlib.sha256((target / name).read_bytes()).hexdigest() for name in (database_file, MEDIA_ARCHIVE)
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    logger.info("backup written", extra={"event": "backup", "path": str(target), "tables": len(manifest["tables"])})
    return target


def _safe_members(archive, allowed):
    """Tar members that stay inside their storage folder (no absolute paths, no .., no links out)."""
    for member in archive.getmembers():
        parts = Path(member.name).parts
        if not parts or parts[0] not in allowed or member.name.startswith("/") or ".." in parts:
            raise BackupError(f"The media archive holds an unsafe path: {member.name!r}")
        if member.issym() or member.islnk():
            raise BackupError(f"The media archive holds a link: {member.name!r}")
        yield member


def restore(source, connection=None):
    """Restore database and files from a backup folder, then check the tables against the manifest."""
    from django.db import connection as default_connection

    connection = connection or default_connection
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder: {MANIFEST} is missing.")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["sha256"].items():
        if hashlib.sha256((source / name).read_bytes()).hexdigest() != expected:
            raise BackupError(f"{source / name} does not match its checksum: the backup is damaged.")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"The backup is of a {manifest['vendor']} database; this site runs on {connection.vendor}.")

    roots = _file_roots()
    with tempfile.TemporaryDirectory() as unpacked:
        with tarfile.open(source / manifest["media"], "r:gz") as archive:
            archive.extractall(unpacked, members=list(_safe_members(archive, set(roots))), filter="data")
        restore_database(connection, source, manifest["database"])
        for alias, root in roots.items():
            unpacked_root = Path(unpacked) / alias
            if root.exists():
                shutil.rmtree(root)
            if unpacked_root.exists():
                shutil.copytree(unpacked_root, root)
            else:
                root.mkdir(parents=True, exist_ok=True)

    actual = fingerprint(connection)
    differences = sorted(
        table for table in set(manifest["tables"]) | set(actual) if manifest["tables"].get(table) != actual.get(table)
    )
    if differences:
        raise BackupError(f"Restored, but these tables differ from the backup: {', '.join(differences)}")
    # Nobody stays signed in across a restore.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session")
    # Pages cached before the restore described other content.
    from pagecache.generation import bump  # local: run as a script, this module loads before django.setup()

    bump(connection=connection)
    logger.info("backup restored", extra={"event": "restore", "path": str(source)})
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup", help="write backups/<timestamp>/ (database dump, media.tar.gz, manifest.json)")
    make.add_argument("--into", default="backups", help="folder to hold the backup folders (default: backups)")
    back = sub.add_parser("restore", help="replace the database and files with a backup folder's content")
    back.add_argument("folder", help="a folder written by `backup`, e.g. backups/20260126T031500Z")
    back.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings.dev")
    import django

    django.setup()
    try:
        if args.command == "backup":
            folder = backup(args.into)
            print(f"Backup written to {folder}")
        else:
            if not args.yes:
                answer = input(f"Replace this site's database and files with {args.folder}? Type 'yes': ")
                if answer.strip().lower() != "yes":
                    print("Restore cancelled.")
                    return 1
            manifest = restore(args.folder)
            rows = sum(count for count, _ in manifest["tables"].values())
            tables = len(manifest["tables"])
            print(f"Restored {args.folder}: {tables} tables, {rows} rows, files of {', '.join(manifest['storages'])}.")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
