"""Fill the anonymous page cache with the pages most visitors open first, as an anonymous visitor would.

Run after `migrate` at a deploy (which empties the cache by replacing the content generation), with the public
address: python manage.py warm_page_cache --base-url https://records.example.org
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from boards import permissions
from boards.models import BoardPage, MeetingPage, MinutesPage

FEEDS = ("feed/rss/", "feed/atom/", "meetings.ics", "actions/")


def warm_urls(meetings_per_board):
    """Home, the board index, each public board with its feeds and action log, its latest meetings and minutes."""
    urls = ["/", "/boards/", "/feeds/minutes/rss/", "/feeds/minutes/atom/", "/sitemap.xml"]
    for board in BoardPage.objects.live().public().order_by("path"):
        urls.append(board.url)
        urls.extend(board.url + suffix for suffix in FEEDS)
        for meeting in MeetingPage.objects.child_of(board).live().public().order_by("-starts_at")[:meetings_per_board]:
            urls.append(meeting.url)
            minutes = permissions.public_minutes(MinutesPage.objects.child_of(meeting)).first()
            if minutes is not None:
                urls.append(minutes.url)
    return urls


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", required=True, help="the address visitors use, e.g. https://records.example.org"
        )
        parser.add_argument("--meetings", type=int, default=12, help="latest meetings (and minutes) of each board")

    def handle(self, *args, base_url, meetings, **options):
        if settings.PAGE_CACHE_SECONDS <= 0:
            raise CommandError("The page cache is off (PAGE_CACHE_SECONDS=0): nothing to warm.")
        address = urlsplit(base_url)
        if address.scheme not in ("http", "https") or not address.netloc:
            raise CommandError(
                f"--base-url must be an http(s) address such as https://records.example.org, not {base_url!r}"
            )
        # The cache keys on the full address, so ask as visitors do: same scheme, same host. No session, no login.
        client = Client(HTTP_HOST=address.netloc, secure=address.scheme == "https")
        stored = skipped = 0
        for url in warm_urls(meetings):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            if response.get("X-Page-Cache") in ("miss", "hit"):
                stored += 1
            else:
                skipped += 1
                self.stderr.write(f"not cached: {url} (HTTP {response.status_code})")
        self.stdout.write(
            f"page cache warmed: {stored} pages for {address.scheme}://{address.netloc}, {skipped} not cacheable"
        )
