"""manage.py import_records FILE [--dry-run]: load a records bundle (and the papers beside it) in one transaction.

Exit status 0 on success, 1 on invalid input (every problem listed, nothing written).
"""

import logging
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from boards import bundle

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import a records bundle (JSON): organisations, people, boards, meetings, minutes and actions."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the bundle, e.g. history.json")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report counts; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        started = time.monotonic()
        try:
            data = bundle.load(file)
            report = bundle.import_bundle(data, dry_run=dry_run, base_dir=Path(file).parent)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file", returncode=1) from None
        except bundle.BundleInvalid as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{file}: {len(error.problems)} problem(s); nothing was imported.", returncode=1
            ) from None
        except bundle.ImportFailed as error:
            raise CommandError(f"{file}: {error}; nothing was imported.", returncode=1) from None
        except DatabaseError as error:
            # The transaction was rolled back: say so plainly, keep the detail in the log.
            logger.exception("import of %s failed in the database", file)
            raise CommandError(
                f"{file}: the database refused the import ({error}); nothing was imported.", returncode=2
            ) from None
        for line in report.lines():
            self.stdout.write(line)
        if options.get("verbosity", 1) >= 2:
            self.stdout.write(report.timing_line())
        elapsed = time.monotonic() - started
        if dry_run:
            self.stdout.write(f"Dry run: nothing was written ({elapsed:.1f}s).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {file} in {elapsed:.1f}s."))
