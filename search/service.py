"""The one entry point to search: search(user, query, filters, page) -> Results(hits, total, facets).

It asks boards.permissions for the viewer's audiences and hands them to the backend's query.
"""

import logging
import re

from boards import permissions
from search.backends import get_backend
from search.backends.base import FACETS, SORTS, Query, Results, SearchUnavailable
from search.query import MAX_QUERY_LENGTH, clean_query
from search.records import KIND_LABELS

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_PAGE = 10_000
_SLUG = re.compile(r"^[-\w]{1,100}$")

__all__ = ["search", "clean_filters", "Results", "SearchUnavailable", "MAX_QUERY_LENGTH"]


def _ints(values, low, high):
    out = []
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue
        if low <= number <= high and number not in out:
            out.append(number)
    return out


def clean_filters(raw):
    """Facet filters from request values: unknown facets dropped, malformed values ignored, never an error."""
    raw = raw or {}
    filters = {}
    for name in FACETS:
        values = raw.get(name) or []
        if isinstance(values, str | int):
            values = [values]
        values = [str(v) for v in values][:20]
        if name == "board":
            cleaned = _ints(values, 1, 2**62)
        elif name == "year":
            cleaned = _ints(values, 1000, 9999)
        elif name == "type":
            cleaned = [v for v in dict.fromkeys(values) if v in KIND_LABELS]
        else:
            cleaned = [v for v in dict.fromkeys(v.strip() for v in values) if _SLUG.match(v)]
        if cleaned:
            filters[name] = cleaned
    return filters


def clean_page(value):
    try:
        page = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


def search(user, query="", filters=None, page=1, sort="relevance", per_page=PER_PAGE, facets=True):
    """Search everything this user may see. Raises SearchUnavailable if the backend is down or fails.

    A page beyond the last gives the last page; the total is the same on every page.
    """
    text, _ = clean_query(query)
    full_board_ids = sorted(permissions.restricted_board_ids(user))
    q = Query(
        text=text,
        filters=clean_filters(filters),
        audiences=permissions.search_audiences(user, board_ids=full_board_ids),
        full_board_ids=full_board_ids,
        sort=sort if sort in SORTS else "relevance",
        page=clean_page(page),
        per_page=per_page,
        facets=facets,
    )
    backend = get_backend()
    results = backend.search(q)
    if not results.hits and results.total and q.page > results.num_pages:
        q.page = results.num_pages
        results = backend.search(q)
    return results
