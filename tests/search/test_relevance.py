"""Relevance, stemming, phrases, exclusion, `or`, sorting and facets on a corpus mirroring the demo business.

Runs on whichever database the suite uses (SQLite FTS5 or PostgreSQL): CI runs both.
"""

from django.contrib.auth.models import AnonymousUser

from search.service import search

ANON = AnonymousUser()


def titles(results):
    return [h.title for h in results.hits]


def test_expected_first_results(corpus):
    assert titles(search(ANON, "Friern Barnet landmark arts library"))[0] == "3. Library Strategy: consultation"
    assert titles(search(ANON, "Friern Barnet responses"))[0] == "3. Library Strategy: outcome of the consultation"
    bank = search(ANON, "Innovation Bank grants", {"type": ["agenda_item"]})
    assert titles(bank)[0] == "2. Big Society Innovation Bank"
    first = titles(search(ANON, "customer service organisation"))[0]
    assert first == "2. New Support and Customer Service Organisation: business case"
    assert titles(search(ANON, "paper copies GP surgery"))[0].startswith("Action OBPB/2011/03/1")


def test_titles_and_resolutions_outrank_discussion(corpus):
    # "endorsed" is only in a resolution; "welcomed" only in the discussion of the same minute.
    resolution_hit = search(ANON, "endorsed").hits[0]
    discussion_hit = search(ANON, "welcomed").hits[0]
    assert resolution_hit.key == discussion_hit.key == f"minute:{corpus.e_bank.pk}:public"
    assert resolution_hit.score > discussion_hit.score


def test_stemming(corpus):
    # "libraries" finds "library" and the other way round.
    plural = {h.key for h in search(ANON, "libraries").hits}
    singular = {h.key for h in search(ANON, "library").hits}
    assert plural == singular
    assert f"agenda_item:{corpus.outcome.pk}:public" in plural  # says "library", never "libraries"
    assert f"agenda_item:{corpus.safety.pk}:public" in singular  # says "libraries" in its title


def test_phrase(corpus):
    results = search(ANON, '"landmark arts library"')
    assert [h.key for h in results.hits] == [f"agenda_item:{corpus.strategy.pk}:public"]
    assert search(ANON, '"library arts landmark"').total == 0


def test_exclusion(corpus):
    with_excluded = {h.key for h in search(ANON, "library -artsdepot").hits}
    assert with_excluded
    assert f"agenda_item:{corpus.strategy.pk}:public" not in with_excluded
    assert f"agenda_item:{corpus.safety.pk}:public" in with_excluded


def test_or(corpus):
    either = search(ANON, "artsdepot or antisocial").total
    assert either == search(ANON, "artsdepot").total + search(ANON, "antisocial").total
    assert search(ANON, "artsdepot antisocial").total == 0


def test_sort_by_date(corpus):
    results = search(ANON, "library", sort="date")
    dates = [h.date for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_facet_counts_equal_filtered_totals(corpus):
    results = search(ANON, "library")
    assert set(results.facets) == {"board", "type", "year", "organisation", "tag"}
    checked = 0
    for name, values in results.facets.items():
        for value in values:
            filtered = search(ANON, "library", {name: [value.value]})
            assert filtered.total == value.count, (name, value.value)
            checked += 1
    assert checked >= 8


def test_facets_combine(corpus):
    results = search(ANON, "library", {"board": [str(corpus.board.pk)], "type": ["agenda_item"], "year": ["2011"]})
    assert results.total == 2
    assert {h.board_title for h in results.hits} == {"One Barnet Partnership Board"}
    assert {h.kind for h in results.hits} == {"agenda_item"}
    # Within a facet values are alternatives: both boards together give everything.
    both = search(ANON, "library", {"board": [str(corpus.board.pk), str(corpus.safer.pk)]})
    assert both.total == search(ANON, "library").total


def test_pagination_has_a_stable_total(corpus):
    everything = search(ANON, "", per_page=3)
    assert everything.total > 6
    keys = []
    for page in range(1, everything.num_pages + 1):
        results = search(ANON, "", page=page, per_page=3)
        assert results.total == everything.total
        keys += [h.key for h in results.hits]
    assert len(keys) == len(set(keys)) == everything.total
    # Beyond the last page: the last page, same total.
    beyond = search(ANON, "", page=999, per_page=3)
    assert beyond.page == everything.num_pages and beyond.total == everything.total


def test_empty_query_lists_most_recent_first(corpus):
    results = search(ANON, "")
    assert results.hits[0].date.year == 2012
    dates = [h.date for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_results_link_to_the_exact_item(corpus):
    hit = search(ANON, '"landmark arts library"').hits[0]
    assert hit.url == f"{corpus.m1.url}#item-3"
    minute = search(ANON, "endorsed").hits[0]
    assert minute.url.endswith("/minutes/#item-2")
