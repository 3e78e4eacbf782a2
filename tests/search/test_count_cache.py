"""Cached totals and facet counts: reused while the index is unchanged, dead after any write, never shared
between audiences.

The database backend keys them by audience, query and filters under the index generation that every write
replaces; these tests run the real backend on the suite's database (SQLite or PostgreSQL) with the local-memory
cache the settings configure.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.models import MinutesPage
from boards.models.minutes import stamp_approval
from search.backends import backend_name, get_backend
from search.service import search
from tests.search.conftest import SECRET

ANON = AnonymousUser()

pytestmark = pytest.mark.skipif(backend_name() != "database", reason="the count cache is the database backend's")


def counted(user, query="", filters=None):
    """(results, whether the totals and facets were counted by the database rather than taken from the cache)."""
    with CaptureQueriesContext(connection) as captured:
        results = search(user, query, filters)
    return results, any("SELECT 'g'" in q["sql"] for q in captured.captured_queries)


def facet_counts(results):
    return {name: {(v.value, v.count) for v in values} for name, values in results.facets.items()}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_an_unchanged_index_reuses_the_counts(corpus):
    first, counted_first = counted(ANON, "library")
    again, counted_again = counted(ANON, "library")
    assert counted_first and not counted_again
    assert again.total == first.total and facet_counts(again) == facet_counts(first)
    # Another query, another filter: counted for itself.
    assert counted(ANON, "library", {"type": ["minute"]})[1]
    assert counted(ANON, "libraries")[1]


def test_unpublishing_and_republishing_invalidate_the_empty_query(corpus):
    before, _ = counted(ANON)
    assert counted(ANON)[1] is False  # cached
    minutes = MinutesPage.objects.get(pk=corpus.minutes1.pk)
    minutes.unpublish()
    after, recounted = counted(ANON)
    assert recounted
    minute_count = lambda r: dict((v.value, v.count) for v in r.facets["type"]).get("minute", 0)  # noqa: E731
    assert minute_count(before) == 3 and minute_count(after) == 0
    assert after.total == before.total - 4  # three minutes and the public action they made public
    # Made by a factory, the approval has no seal: republishing seals it as an import would.
    stamp_approval(minutes, minutes.approved_on, minutes.approved_by).save_revision().publish()
    again, recounted = counted(ANON)
    assert recounted and again.total == before.total and facet_counts(again) == facet_counts(before)


def test_editing_a_record_invalidates_its_query(corpus):
    assert search(ANON, "allotments").total == 0
    assert counted(ANON, "allotments")[1] is False
    from tests import factories

    factories.AgendaItemFactory(meeting=corpus.m2, number="9", title="Any other business: allotments")
    results, recounted = counted(ANON, "allotments")
    assert recounted and results.total == 1
    assert [v.value for v in results.facets["type"]] == ["agenda_item"]


@pytest.mark.parametrize("first", ["staff", "anonymous"])
def test_audiences_never_share_counts(corpus, viewers, first):
    staff = viewers["on_board"]
    order = [staff, ANON] if first == "staff" else [ANON, staff]
    results = {}
    for user in order:
        results[user], recounted = counted(user, SECRET)
        assert recounted, "each audience is counted for itself"
    assert results[staff].total == 3
    assert results[ANON].total == 0
    assert all(v.count == 0 for values in results[ANON].facets.values() for v in values)
    # Empty query too: the staff's larger total never reaches the public, in either order.
    public = search(ANON, "")
    restricted = search(staff, "")
    assert restricted.total == public.total + 2
    assert search(ANON, "").total == public.total
    # Another agency not on this board has its own audience set and its own entry.
    outsider, recounted = counted(viewers["not_on_board"], SECRET)
    assert recounted and outsider.total == 0


def test_every_write_replaces_the_generation(corpus):
    from search import records

    backend = get_backend()
    seen = {backend.generation()}
    scope = records.Scope(meeting_ids={corpus.m2.pk})
    built = records.build(scope)
    backend.replace(scope, built)
    seen.add(backend.generation())
    backend.delete(records.Scope(meeting_ids={corpus.m2.pk}))
    seen.add(backend.generation())
    backend.index(built)
    seen.add(backend.generation())
    backend.rebuild(records.iter_all_records())
    seen.add(backend.generation())
    assert len(seen) == 5
