"""The peer baseline: Wagtail's own search (`Page.objects.live().search(...)`) over the same text.

Out of the box Wagtail indexes page titles only; for a fair race, the benchmark (and only it) adds the agenda
and minute text to the meeting and minutes pages' search_fields before indexing and querying.
"""

from wagtail.search import index

_EXTENDED = False


def extend_search_fields():
    """Index agenda items (title, summary) with meetings and minute entries with minutes: bench process only."""
    global _EXTENDED
    if _EXTENDED:
        return
    from boards.models import MeetingPage, MinutesPage

    MeetingPage.search_fields = list(MeetingPage.search_fields) + [
        index.RelatedFields("agenda_items", [index.SearchField("title"), index.SearchField("summary")]),
    ]
    MinutesPage.search_fields = list(MinutesPage.search_fields) + [
        index.RelatedFields("entries", [index.SearchField("discussion"), index.SearchField("resolution")]),
    ]
    _EXTENDED = True
