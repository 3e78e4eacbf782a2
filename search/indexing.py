"""Keeping the search index current: refresh a scope (meetings, boards, objects) or rebuild everything.

Backend failures are logged and swallowed here, so publishing never fails because search is down.
"""

import logging

from pagecache.generation import bump
from search import records
from search.backends import get_backend

logger = logging.getLogger(__name__)


def refresh(scope, raise_errors=False):
    """Replace the records of `scope` with what the data says now. Returns the number of records written."""
    if scope.is_empty():
        return 0
    try:
        records.expand_scope(scope)
        built = records.build(scope)
        get_backend().replace(scope, built)
        # Cached search pages (and any page listing search results) describe the old records.
        bump()
    except Exception:
        logger.exception(
            "search index update failed meetings=%s boards=%s objects=%s",
            sorted(scope.meeting_ids),
            sorted(scope.board_ids),
            {k: sorted(v) for k, v in scope.objects.items()},
        )
        if raise_errors:
            raise
        return 0
    return len(built)


def rebuild(progress=None):
    """Rebuild the whole index from the data; returns the number of records indexed."""
    count = get_backend().rebuild(records.iter_all_records(), progress=progress)
    bump()
    return count
