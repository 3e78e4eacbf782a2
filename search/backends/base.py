"""The interface every search backend implements, and the query and result types they share.

A backend applies the audience filter inside its own query: nothing is filtered after the fact.
"""

import math
from dataclasses import dataclass, field

from search.records import KIND_LABELS

FACETS = ("board", "type", "year", "organisation", "tag")
SORTS = ("relevance", "date")


class SearchUnavailable(Exception):
    """The backend is down or failed: the page says search is temporarily unavailable."""


@dataclass
class Query:
    """A parsed, validated search: text, facet filters, the viewer's audiences, sort and page."""

    text: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> list of values (OR within, AND across)
    audiences: list = field(default_factory=lambda: ["public"])
    # Boards whose full records the viewer sees: their public stubs (redactions) are left out.
    full_board_ids: list = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True

    @property
    def offset(self):
        return (self.page - 1) * self.per_page


@dataclass
class Hit:
    """One result: what the results page shows."""

    key: str
    kind: str
    title: str
    url: str
    board_id: int | None
    board_title: str
    date: object
    audience: str
    snippet: str  # safe HTML: escaped text with <mark> highlights
    score: float = 0.0

    @property
    def restricted(self):
        return self.audience != "public"

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Results:
    hits: list
    total: int
    facets: dict  # facet name -> list of FacetValue
    page: int = 1
    per_page: int = 20

    @property
    def num_pages(self):
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


class BaseBackend:
    """index(records), delete(scope), search(query) -> Results, rebuild(batches)."""

    name = "base"

    def index(self, records):
        raise NotImplementedError

    def delete(self, scope):
        raise NotImplementedError

    def replace(self, scope, records):
        """Delete what `scope` covers, then index `records` (the scope as it is now)."""
        self.delete(scope)
        self.index(records)

    def search(self, query):
        raise NotImplementedError

    def rebuild(self, batches, progress=None):
        """Replace the whole index with the records from `batches` (iterable of (label, records)).

        Returns the number of records indexed; `progress(label, count)` is called after each batch.
        """
        raise NotImplementedError

    def count(self):
        raise NotImplementedError
