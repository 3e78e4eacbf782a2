"""manage.py send_action_reminders: email each agency's staff a digest of actions due within 7 days or overdue.

Run daily (also boards.actions.tasks.send_action_reminders_task); a second run on the same day sends nothing.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from boards.actions.reminders import send_reminders


class Command(BaseCommand):
    help = "Email each agency a digest of its actions due within 7 days and overdue (once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Send as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: “{date}” is not a date in YYYY-MM-DD form.") from error
        sent = send_reminders(today)
        for organisation, recipients, actions in sent:
            self.stdout.write(f"  {organisation.name}: {len(actions)} action(s) to {len(recipients)} recipient(s)")
        self.stdout.write(f"send_action_reminders: {len(sent)} digest{'s' if len(sent) != 1 else ''} sent.")
