"""The Elasticsearch backend: mapping and every query body checked through to_dict(); a real cluster when set.

Integration tests run the behavioural checks against ELASTICSEARCH_URL and are skipped, with that reason, without it.
"""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from search.backends.base import Query
from search.backends.elasticsearch import (
    DEFAULT_ALIAS,
    RecordDocument,
    alias_name,
    audience_filter,
    build_search,
    index_definition,
    scope_query,
    text_query,
)
from search.records import HIGHLIGHT_START, HIGHLIGHT_STOP, Scope

FIELDS = ["title^3", "resolution^3", "body"]


def test_mapping_uses_the_english_analyzer_and_keyword_facets():
    body = index_definition("partnership-records-search-1").to_dict()
    props = body["mappings"]["properties"]
    for field in ("title", "resolution", "body"):
        assert props[field]["type"] == "text" and props[field]["analyzer"] == "english"
    for field in ("audience", "kind", "organisations", "tags", "board_facet", "organisation_facet", "tag_facet"):
        assert props[field]["type"] == "keyword"
    assert props["is_redaction"]["type"] == "boolean"
    assert props["date"]["type"] == "date" and props["year"]["type"] == "integer"
    assert props["url"] == {"type": "keyword", "index": False}
    assert body["settings"] == {"number_of_shards": 1, "number_of_replicas": 0}
    assert set(props) >= {f for f in RecordDocument._doc_type.mapping.to_dict()["properties"]}


def test_index_name_does_not_collide_with_wagtail():
    assert alias_name() == DEFAULT_ALIAS
    assert not DEFAULT_ALIAS.startswith("wagtail")


def test_text_query_words_phrases_exclusions_or():
    assert text_query("").to_dict() == {"match_all": {}}
    assert text_query("or -").to_dict() == {"match_none": {}}
    assert text_query('library "friern barnet" -grants or artsdepot').to_dict() == {
        "bool": {
            "should": [
                {
                    "bool": {
                        "must": [
                            {"multi_match": {"query": "library", "fields": FIELDS, "type": "best_fields"}},
                            {"multi_match": {"query": "friern barnet", "fields": FIELDS, "type": "phrase"}},
                        ],
                        "must_not": [{"multi_match": {"query": "grants", "fields": FIELDS, "type": "best_fields"}}],
                    }
                },
                {"bool": {"must": [{"multi_match": {"query": "artsdepot", "fields": FIELDS, "type": "best_fields"}}]}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert text_query("-library").to_dict() == {
        "bool": {
            "must": [{"match_all": {}}],
            "must_not": [{"multi_match": {"query": "library", "fields": FIELDS, "type": "best_fields"}}],
        }
    }


def test_audience_is_a_filter_of_the_query_not_a_post_filter():
    query = Query(text="library", audiences=["public", "board:3"], full_board_ids=[3], filters={"tag": ["libraries"]})
    body = build_search(query).to_dict()
    assert body["query"]["bool"]["filter"] == [audience_filter(query).to_dict()]
    assert audience_filter(query).to_dict() == {
        "bool": {
            "filter": [{"terms": {"audience": ["public", "board:3"]}}],
            "must_not": [{"bool": {"filter": [{"term": {"is_redaction": True}}, {"terms": {"board_id": [3]}}]}}],
        }
    }
    assert "audience" not in str(body["post_filter"])
    # Anonymous: public only, no stub exclusion.
    assert audience_filter(Query()).to_dict() == {"bool": {"filter": [{"terms": {"audience": ["public"]}}]}}


def test_facets_are_filter_aggregations_excluding_their_own_filter():
    query = Query(text="library", filters={"board": [3], "tag": ["libraries"], "year": [2011]})
    body = build_search(query).to_dict()
    assert body["post_filter"] == {
        "bool": {
            "filter": [{"terms": {"board_id": [3]}}, {"terms": {"tags": ["libraries"]}}, {"terms": {"year": [2011]}}]
        }
    }
    aggs = body["aggs"]
    assert set(aggs) == {"board", "type", "year", "organisation", "tag"}
    assert aggs["board"]["filter"] == {
        "bool": {"filter": [{"terms": {"tags": ["libraries"]}}, {"terms": {"year": [2011]}}]}
    }
    assert aggs["board"]["aggs"]["values"] == {"terms": {"field": "board_facet", "size": 25}}
    assert aggs["type"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]
    assert aggs["tag"]["aggs"]["values"]["terms"]["field"] == "tag_facet"
    assert "aggs" not in build_search(Query(text="x", facets=False)).to_dict()


def test_highlight_sort_and_page():
    body = build_search(Query(text="library", page=3, per_page=20)).to_dict()
    assert body["highlight"]["pre_tags"] == [HIGHLIGHT_START] and body["highlight"]["post_tags"] == [HIGHLIGHT_STOP]
    assert set(body["highlight"]["fields"]) == {"resolution", "body"}
    assert body["sort"][0] == "_score"
    assert body["from"] == 40 and body["size"] == 20
    assert body["track_total_hits"] is True
    by_date = build_search(Query(text="library", sort="date")).to_dict()
    assert by_date["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    empty = build_search(Query(text="")).to_dict()
    assert "highlight" not in empty and empty["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}


def test_scope_query_for_delete_by_query():
    scope = Scope(meeting_ids={7}, board_ids={2}).add("action", [5, 4])
    assert scope_query(scope).to_dict() == {
        "bool": {
            "should": [
                {"terms": {"meeting_id": [7]}},
                {"terms": {"board_id": [2]}},
                {"bool": {"filter": [{"term": {"kind": "action"}}, {"terms": {"object_id": [4, 5]}}]}},
            ],
            "minimum_should_match": 1,
        }
    }


ES_URL = os.environ.get("ELASTICSEARCH_URL", "")
needs_es = pytest.mark.skipif(not ES_URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test")


@pytest.fixture
def es_backend(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = ES_URL
    settings.SEARCH_ELASTICSEARCH_INDEX = "partnership-records-search-test"
    from search.backends import get_backend

    backend = get_backend()
    yield backend
    backend.client.indices.delete(index="partnership-records-search-test-*", ignore_unavailable=True)


@pytest.mark.elasticsearch
@needs_es
def test_es_behaviour_matches_the_database_backend(corpus, viewers, es_backend):
    from search import indexing
    from search.service import search
    from tests.search.conftest import SECRET

    indexing.rebuild()
    anon = AnonymousUser()
    assert search(anon, "Friern Barnet landmark arts library").hits[0].title == "3. Library Strategy: consultation"
    assert {h.key for h in search(anon, "libraries").hits} == {h.key for h in search(anon, "library").hits}
    assert search(anon, SECRET).total == 0
    assert search(viewers["on_board"], SECRET).total == 3
    results = search(anon, "library")
    for name, values in results.facets.items():
        for value in values:
            assert search(anon, "library", {name: [value.value]}).total == value.count
    corpus.m1.unpublish()
    assert search(anon, "landmark").total == 0


@pytest.mark.elasticsearch
@needs_es
def test_es_rebuild_swaps_the_alias(corpus, es_backend):
    from search import indexing

    indexing.rebuild()
    first = set(es_backend.client.indices.get_alias(name=es_backend.alias))
    indexing.rebuild()
    second = set(es_backend.client.indices.get_alias(name=es_backend.alias))
    assert len(first) == len(second) == 1 and first != second


def test_unreachable_cluster_is_reported_as_unavailable(db):
    from search.backends.base import SearchUnavailable

    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9"):
        from search.backends import get_backend

        with pytest.raises(SearchUnavailable):
            get_backend().search(Query(text="library"))
