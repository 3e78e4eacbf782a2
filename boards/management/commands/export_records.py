"""manage.py export_records [--board SLUG] [--since DATE]: write the record as a canonical bundle.

Output goes to standard output (or --output FILE); importing it into an empty database and exporting again
gives byte-identical output.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from boards import bundle


class Command(BaseCommand):
    help = "Export the record as a records bundle (canonical JSON) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--board", help="Only this board (its slug) and its meetings.")
        parser.add_argument("--since", help="Only meetings starting on or after this date (YYYY-MM-DD).")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, board=None, since=None, output=None, **options):
        from boards.models import BoardPage

        if since is not None:
            try:
                since = datetime.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since: not a date: {since!r} (expected YYYY-MM-DD)", returncode=1) from None
        if board is not None and not BoardPage.objects.filter(slug=board).exists():
            raise CommandError(f"--board: no board with slug {board!r}", returncode=1)
        text = bundle.export_text(board=board, since=since)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
