"""manage.py export_records [--board SLUG] [--since DATE]: write the record as a canonical bundle.

Output goes to standard output, or to --output FILE with the papers in a papers/ folder beside it; importing it
into an empty database and exporting again gives byte-identical output.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from boards import bundle
from boards.bundle import canonical, exporter, papers
from boards.models import BoardPage


class Command(BaseCommand):
    help = "Export the record as a records bundle (canonical JSON) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--board", help="Only this board (its slug) and its meetings.")
        parser.add_argument("--since", help="Only meetings starting on or after this date (YYYY-MM-DD).")
        parser.add_argument(
            "--output", "-o", help="Write to this file instead of standard output, and the papers beside it."
        )

    def handle(self, *args, board=None, since=None, output=None, **options):
        if since is not None:
            try:
                since = datetime.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since: not a date: {since!r} (expected YYYY-MM-DD)", returncode=1) from None
        if board is not None and not BoardPage.objects.filter(slug=board).exists():
            raise CommandError(f"--board: no board with slug {board!r}", returncode=1)
        if output:
            exporter.write_bundle(output, board=board, since=since)
            return
        data = bundle.export_bundle(board=board, since=since)
        count = sum(1 for _ in papers.references(data))
        if count:
            raise CommandError(
                f"the record has {count} paper reference(s): pass --output FILE, the papers are written beside it",
                returncode=1,
            )
        self.stdout.write(canonical.dumps(data), ending="")
