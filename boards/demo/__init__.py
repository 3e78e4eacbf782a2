"""The demo of `manage.py load_demo`: the One Barnet Partnership Board in 2011 and a second board.

The record is a records bundle (records.json and its papers/), loaded by the bundle importer; this adds what a
bundle does not hold: the site's wording, the boards' meeting frequency, the upcoming meeting's date, the users.
"""

import datetime
import json
import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from boards import bundle
from boards.bundle import canonical, site_root
from boards.models import BoardIndexPage, BoardPage, MeetingPage
from boards.roles import ensure_role_groups

from .users import DEMO_USERS, create_users

logger = logging.getLogger(__name__)

FOLDER = Path(__file__).resolve().parent
BUNDLE = FOLDER / "records.json"

HOME_INTRO = (
    "<p>Agendas, minutes and actions of the partnership boards where Barnet's public services sit at one table.</p>"
)
INDEX_INTRO = "<p>Every partnership board, its remit and its partner organisations.</p>"
FREQUENCIES = {
    "one-barnet-partnership-board": "Quarterly",
    "safer-communities-partnership-board": "Every two months",
}
# The bundle's one meeting that is always upcoming: loaded on a Wednesday about three months from today.
UPCOMING = ("one-barnet-partnership-board", "2027-03-10T10:00:00+00:00")

__all__ = ["BUNDLE", "DEMO_USERS", "load"]


def upcoming_start(today):
    """10:00 (London) on the first Wednesday at least 90 days after `today`."""
    day = today + datetime.timedelta(days=90)
    while day.weekday() != 2:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=canonical.LONDON)


def _move_upcoming(data):
    """Date the upcoming meeting from today, or leave it out when its board already has a meeting to come."""
    board_slug, placeholder = UPCOMING
    (index,) = [
        i
        for i, m in enumerate(data["meetings"])
        if m["board"] == board_slug and canonical.normalise_time(m["starts_at"]) == placeholder
    ]
    meeting = data["meetings"][index]
    board = BoardPage.objects.filter(slug=board_slug).first()
    if board is not None and MeetingPage.objects.child_of(board).filter(starts_at__gte=timezone.now()).exists():
        del data["meetings"][index]
        return
    starts = upcoming_start(timezone.localdate())
    length = canonical.parse_datetime(meeting["ends_at"]) - canonical.parse_datetime(meeting["starts_at"])
    meeting["starts_at"] = canonical.format_datetime(starts)
    meeting["ends_at"] = canonical.format_datetime(starts + length)


def _board_index(home):
    index = BoardIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=BoardIndexPage(title="Boards", slug="boards", intro=INDEX_INTRO))
        index.save_revision().publish()
    return index


def _frequencies():
    for board in BoardPage.objects.filter(slug__in=FREQUENCIES, meeting_frequency=""):
        board.meeting_frequency = FREQUENCIES[board.slug]
        board.save(update_fields=["meeting_frequency"])


@transaction.atomic
def load(with_users=False):
    """Load the demo (idempotent); returns the import report and the demo users made or found."""
    ensure_role_groups()
    _board_index(site_root.ensure(title="One Barnet partnership records", intro=HOME_INTRO))
    data = json.loads(BUNDLE.read_text(encoding="utf-8"))
    _move_upcoming(data)
    report = bundle.import_bundle(data, base_dir=FOLDER)
    _frequencies()
    users = create_users() if with_users else []
    return report, users
