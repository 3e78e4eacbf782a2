"""manage.py sync_permissions: rebuild every guardian grant from the data and report what changed.

Idempotent: on a consistent database it reports 0 changes. Runs daily as boards.actions.tasks.sync_permissions_task.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from boards.grants import sync_all


class Command(BaseCommand):
    help = "Rebuild board and action object permissions from partners, owners and sharing; report the changes."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            report = sync_all()
            if dry_run:
                transaction.set_rollback(True)
        n = report.changes
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"sync_permissions: {n} change{'s' if n != 1 else ''} ({verb}).")
        for line in report.lines():
            self.stdout.write(f"  {line}")
