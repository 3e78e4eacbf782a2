"""`manage.py load_demo`: the One Barnet Partnership Board demo (boards/demo/), idempotent.

Demo users (known passwords) only with DEBUG on or --with-users.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from boards import demo


class Command(BaseCommand):
    help = "Load the demo boards, meetings, minutes and actions (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Create demo users with known passwords even when DEBUG is off.",
        )
        parser.add_argument("--no-users", action="store_true", help="Do not create demo users.")

    def handle(self, *args, **options):
        if options["with_users"] and options["no_users"]:
            raise CommandError("Use either --with-users or --no-users, not both.")
        with_users = options["with_users"] or (settings.DEBUG and not options["no_users"])
        if not with_users and not options["no_users"]:
            self.stdout.write("DEBUG is off: no demo users created (pass --with-users to create them).")
        report, users = demo.load(with_users=with_users)
        if options["verbosity"] > 1:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if users:
            self.stdout.write("Demo users (log in at /admin/):")
            for username, password, groups in users:
                self.stdout.write(f"  {username:<22} {password:<24} {groups}")
