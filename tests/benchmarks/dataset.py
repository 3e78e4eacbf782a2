"""The benchmark dataset: built once per seed, size, generator and schema version, and database; cached, kept current.

`python -m tests.benchmarks.dataset build|empty ...` runs in its own process (run.py calls it) so the
measuring process's peak RSS is not the import's.
"""

import argparse
import ast
import functools
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench-data"
MARKER_TABLE = "bench_dataset"
USERS = 500
SETTINGS = "tests.benchmarks.settings"


@functools.cache
def _constant(relative_path, name):
    """An integer constant of one of our modules, read from its source: the parent process has no Django set up."""
    tree = ast.parse((ROOT / relative_path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{relative_path} has no {name}")


def versions():
    """The generator's and the bundle schema's versions: a dataset built by other ones is another dataset."""
    generator = _constant("boards/bundle/synthetic/generator.py", "VERSION")
    schema = _constant("boards/bundle/canonical.py", "SCHEMA_VERSION")
    return f"g{generator}-s{schema}"


@dataclass(frozen=True)
class Spec:
    """What a dataset is: generator arguments and the database it lives in."""

    boards: int
    years: int
    seed: int
    database_url: str = ""  # empty: SQLite under bench-data/

    @property
    def size(self):
        return f"{self.boards}x{self.years}-seed{self.seed}-{versions()}"

    @property
    def vendor(self):
        return "postgresql" if self.database_url.startswith(("postgres://", "postgresql://")) else "sqlite"

    @property
    def key(self):
        if self.vendor == "sqlite":
            return f"sqlite-{self.size}"
        return f"postgresql-{urlsplit(self.database_url).path.lstrip('/')}-{self.size}"

    @property
    def sqlite_path(self):
        return DATA / f"{self.key}.sqlite3"

    @property
    def media_root(self):
        return DATA / f"media-{self.key}"

    @property
    def bundle_path(self):
        return DATA / f"bundle-{self.size}.json"

    def env(self, sqlite_path=None, database_url=None):
        """Environment for a child process working on this dataset (or on another path/URL of it)."""
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS, BENCH_MEDIA_ROOT=str(self.media_root))
        env.pop("DATABASE_URL", None)
        if self.vendor == "sqlite":
            env["BENCH_DB_PATH"] = str(sqlite_path or self.sqlite_path)
        else:
            env["DATABASE_URL"] = database_url or self.database_url
        return env


def migrations_fingerprint():
    """A hash of every migration file name in the project: a cached dataset older than this is migrated."""
    names = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/[0-9]*.py"))
    return hashlib.sha1("\n".join(names).encode()).hexdigest()[:12]


def _manage(env, *args, quiet=True):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    logger.info("$ %s", " ".join(args))
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL if quiet else None)


def _self(env, *args):
    subprocess.run([sys.executable, "-m", "tests.benchmarks.dataset", *args], cwd=ROOT, env=env, check=True)


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _pg(url, sql):
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE need no transaction)."""
    import psycopg

    with psycopg.connect(with_database(url, "postgres").replace("postgres://", "postgresql://"), autocommit=True) as c:
        cursor = c.execute(sql)
        return cursor.fetchall() if sql.lstrip().upper().startswith("SELECT") else None


def _db_name(url):
    return urlsplit(url).path.lstrip("/")


# --- what a built dataset records about itself --------------------------------------------------


def read_marker(spec):
    """The marker row of a dataset ({stage, size, migrations}) or None when missing or unreadable."""
    if spec.vendor == "sqlite":
        import sqlite3

        if not spec.sqlite_path.exists():
            return None
        try:
            with sqlite3.connect(spec.sqlite_path) as conn:
                row = conn.execute(f"SELECT stage, size, migrations FROM {MARKER_TABLE}").fetchone()
        except sqlite3.Error:
            return None
    else:
        import psycopg

        try:
            with psycopg.connect(spec.database_url.replace("postgres://", "postgresql://")) as conn:
                row = conn.execute(f"SELECT stage, size, migrations FROM {MARKER_TABLE}").fetchone()
        except psycopg.Error:
            return None
    return dict(zip(("stage", "size", "migrations"), row, strict=True)) if row else None


def write_marker(stage, size):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (stage varchar(20), size varchar(40), migrations varchar(20))"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (stage, size, migrations) VALUES (%s, %s, %s)",
            [stage, size, migrations_fingerprint()],
        )


# --- building (parent side) ---------------------------------------------------------------------


def ensure_bundle(spec, env):
    if not spec.bundle_path.exists():
        DATA.mkdir(exist_ok=True)
        partial = spec.bundle_path.with_suffix(".partial")
        _manage(
            env,
            "generate_records",
            f"--boards={spec.boards}",
            f"--years={spec.years}",
            f"--seed={spec.seed}",
            f"--output={partial}",
        )
        partial.rename(spec.bundle_path)
    return spec.bundle_path


def empty_template(spec):
    """A migrated, empty database to copy from (import benchmark, dataset builds): SQLite file or PG template."""
    fingerprint = migrations_fingerprint()
    if spec.vendor == "sqlite":
        path = DATA / f"sqlite-empty-{fingerprint}.sqlite3"
        if not path.exists():
            DATA.mkdir(exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            _manage(spec.env(sqlite_path=partial), "migrate", "--noinput", "-v0")
            partial.rename(path)
        return str(path)
    name = f"{_db_name(spec.database_url)}_empty_{fingerprint}"
    if not _pg(spec.database_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        _pg(spec.database_url, f'CREATE DATABASE "{name}"')
        try:
            _manage(spec.env(database_url=with_database(spec.database_url, name)), "migrate", "--noinput", "-v0")
        except BaseException:
            _pg(spec.database_url, f'DROP DATABASE IF EXISTS "{name}"')
            raise
    return name


def copy_empty(spec, template, target):
    """A fresh empty database at `target` (a file path or a PG database name), copied from the template."""
    if spec.vendor == "sqlite":
        shutil.copyfile(template, target)
    else:
        _pg(spec.database_url, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        _pg(spec.database_url, f'CREATE DATABASE "{target}" TEMPLATE "{template}"')


def ensure_dataset(spec, rebuild=False):
    """Build the dataset if missing, incomplete or `rebuild`; migrate it if migrations were added since."""
    env = spec.env()
    marker = None if rebuild else read_marker(spec)
    if marker and marker["size"] != spec.size:
        raise SystemExit(
            f"{spec.database_url or spec.sqlite_path} holds the {marker['size']} dataset, not {spec.size}: "
            "use another database name or --rebuild"
        )
    if marker and marker["stage"] == "complete":
        if marker["migrations"] != migrations_fingerprint():
            logger.info("dataset %s: new migrations since it was built; migrating", spec.key)
            _manage(env, "migrate", "--noinput", "-v0")
            _self(env, "mark", spec.size)
        return
    started = time.monotonic()
    bundle = ensure_bundle(spec, env)
    if not marker or marker["stage"] != "imported":
        logger.info("dataset %s: building from %s (this takes a while for 20x10)", spec.key, bundle.name)
        shutil.rmtree(spec.media_root, ignore_errors=True)
        template = empty_template(spec)
        if spec.vendor == "sqlite":
            building = spec.sqlite_path.with_suffix(".building")
            copy_empty(spec, template, building)
            build_env = spec.env(sqlite_path=building)
        else:
            copy_empty(spec, template, _db_name(spec.database_url))
            build_env = env
        _manage(build_env, "import_records", str(bundle))
        _self(build_env, "mark-imported", spec.size)
        if spec.vendor == "sqlite":
            building.rename(spec.sqlite_path)
    _self(env, "finish", spec.size)
    logger.info("dataset %s ready in %.0fs", spec.key, time.monotonic() - started)


# --- building (child side: Django configured for the dataset) -----------------------------------


def create_users(count=USERS):
    """~500 accounts: most are agency staff spread evenly over the agency groups, some secretariat and chairs."""
    from django.contrib.auth.models import Group, User

    from boards.models import Organisation  # local: the parent process imports this module without Django set up
    from boards.roles import CHAIRS, SECRETARIAT  # local: as above

    if User.objects.filter(username__startswith="bench-").exists():
        return 0
    groups = [o.group for o in Organisation.objects.select_related("group").order_by("slug") if o.group_id]
    secretariat = Group.objects.get(name=SECRETARIAT)
    chairs = Group.objects.get(name=CHAIRS)
    users = [
        User(username=f"bench-{n:04d}", email=f"bench-{n:04d}@example.org", is_staff=True, password="!")
        for n in range(count)
    ]
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(username__startswith="bench-").order_by("username"))
    through = User.groups.through
    rows = []
    for n, user in enumerate(users):
        if n < 10:
            group = secretariat
        elif n < 20:
            group = chairs
        else:
            group = groups[n % len(groups)]
        rows.append(through(user_id=user.pk, group_id=group.pk))
    through.objects.bulk_create(rows, batch_size=500)
    return len(users)


def finish(size):
    """After the import: users, and Wagtail's own index over the same text (the peer search's corpus)."""
    from boards.bundle.finishing import update_search_index  # local: only the child process sets Django up
    from boards.models import MeetingPage, MinutesPage  # local: as above
    from tests.benchmarks import peer  # local: as above (peer imports models)

    made = create_users()
    logger.info("users created: %s", made)
    peer.extend_search_fields()
    for model in (MeetingPage, MinutesPage):
        ids = list(model.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            update_search_index(model, ids[start : start + 500])
        logger.info("wagtail index: %s %s pages with their agenda/minute text", len(ids), model.__name__)
    write_marker("complete", size)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["finish", "mark", "mark-imported"])
    parser.add_argument("size")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    import django

    django.setup()
    if args.step == "finish":
        finish(args.size)
    elif args.step == "mark":
        write_marker("complete", args.size)
    else:
        write_marker("imported", args.size)


if __name__ == "__main__":
    main()
