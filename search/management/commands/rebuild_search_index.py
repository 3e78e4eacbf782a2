"""manage.py rebuild_search_index: rebuild every search record from the data, with a progress bar and counts.

Works for whichever backend is configured (database or Elasticsearch, which swaps its alias atomically).
"""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from boards.models import BoardPage
from search import records
from search.backends import backend_name, get_backend

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the public search index from the records (boards, meetings, minutes, actions)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, **options):
        boards = BoardPage.objects.count()
        kinds = Counter()
        audiences = Counter()
        done = [0]
        started = time.monotonic()
        show = not options["no_progress"]

        def batches():
            for label, batch in records.iter_all_records():
                for record in batch:
                    kinds[record.kind] += 1
                    audiences["public" if not record.restricted else "restricted"] += 1
                yield label, batch

        def progress(label, count):
            done[0] += 1
            if show:
                filled = int(BAR_WIDTH * done[0] / max(boards, 1))
                bar = "#" * filled + "-" * (BAR_WIDTH - filled)
                self.stderr.write(
                    f"\r[{bar}] {done[0]}/{boards} boards  {label[:40]:<40} {count:>6} records", ending=""
                )
                self.stderr.flush()

        backend = get_backend()
        try:
            total = backend.rebuild(batches(), progress=progress)
        except Exception as exc:
            raise CommandError(f"Rebuilding the {backend_name()} search index failed: {exc}") from exc
        if show:
            self.stderr.write("")
        seconds = time.monotonic() - started
        by_kind = ", ".join(f"{records.KIND_LABELS.get(k, k).lower()}s {n}" for k, n in sorted(kinds.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} records from {boards} boards in {seconds:.1f}s ({backend_name()} backend): "
                f"{by_kind}; public {audiences['public']}, restricted {audiences['restricted']}."
            )
        )
