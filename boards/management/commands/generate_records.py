"""manage.py generate_records --boards N --years N --seed N: write a synthetic, realistic records bundle.

Deterministic: the same arguments always give the same bytes. Used by benchmarks and demos.
"""

from django.core.management.base import BaseCommand, CommandError

from boards.bundle import canonical, synthetic


class Command(BaseCommand):
    help = "Write a synthetic records bundle (JSON) to standard output: same seed, same file."

    def add_arguments(self, parser):
        parser.add_argument("--boards", type=int, default=20, help="Number of boards (default 20).")
        parser.add_argument("--years", type=int, default=10, help="Years of meetings, ending in 2025 (default 10).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, boards, years, seed, output=None, **options):
        if boards < 1 or years < 1:
            raise CommandError("--boards and --years must be at least 1", returncode=1)
        if years > 100:
            raise CommandError("--years must be at most 100", returncode=1)
        text = canonical.dumps(synthetic.generate(boards=boards, years=years, seed=seed))
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
