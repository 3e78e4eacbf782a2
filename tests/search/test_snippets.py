"""Snippets: highlighted where the text matched, plain otherwise, and made for the displayed page only.

Highlighting (ts_headline, FTS5 snippet()) costs per record: a broad query must not pay it for every match.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import backend_name
from search.models import SearchRecord
from search.service import search

ANON = AnonymousUser()
HIGHLIGHTERS = ("snippet(", "ts_headline(")


def test_matched_words_are_marked_and_unmatched_records_keep_plain_text(corpus):
    hit = next(h for h in search(ANON, "artsdepot").hits if h.key == f"agenda_item:{corpus.strategy.pk}:public")
    assert "<mark>artsdepot</mark>" in hit.snippet
    # Without text every snippet is the record's own text, unmarked.
    assert all("<mark>" not in h.snippet for h in search(ANON, "").hits)
    assert any("Friern Barnet" in h.snippet for h in search(ANON, "", {"type": ["agenda_item"]}).hits)


@pytest.mark.skipif(backend_name() != "database", reason="statements of the database backend")
@pytest.mark.parametrize("page", [1, 2])
def test_highlights_are_made_for_the_page_shown_only(corpus, page):
    everything = search(ANON, "library", per_page=50)
    assert everything.total >= 4
    with CaptureQueriesContext(connection) as captured:
        results = search(ANON, "library", page=page, per_page=2)
    statements = [q["sql"] for q in captured.captured_queries]
    highlighting = [s for s in statements if any(f in s for f in HIGHLIGHTERS)]
    assert len(results.hits) == 2 and len(highlighting) == 1
    # Restricted to the ids of the two records shown.
    (ids,) = re.findall(r"(?:rowid|id) IN \(([\d, ]+)\)", highlighting[0])
    shown = SearchRecord.objects.filter(key__in=[h.key for h in results.hits]).values_list("pk", flat=True)
    assert {int(i) for i in ids.split(",")} == set(shown)
    # The statement that ranks every match makes no highlight.
    assert not any(f in s for s in statements if "LIMIT" in s for f in HIGHLIGHTERS)
