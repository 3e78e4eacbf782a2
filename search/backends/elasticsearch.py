"""The Elasticsearch backend (elasticsearch-dsl, imported from elasticsearch.dsl), selected by ELASTICSEARCH_URL.

Audience is a bool filter of the query itself; facet filters are a post_filter with per-facet filter aggregations.
"""

import logging
import time

from django.conf import settings
from elasticsearch import Elasticsearch, helpers
from elasticsearch import exceptions as es_exceptions
from elasticsearch.dsl import A, Boolean, Date, Document, Integer, Keyword, Long, Q, Search, Text
from elasticsearch.dsl import Index as EsIndex

from search.backends import elasticsearch_url
from search.backends.base import FACETS, BaseBackend, FacetValue, Hit, Results, SearchUnavailable
from search.backends.database import plain_snippet, render_highlighted
from search.query import parse
from search.records import HIGHLIGHT_START, HIGHLIGHT_STOP, KIND_LABELS

logger = logging.getLogger(__name__)

# Never "wagtail__…": Wagtail's own indices use its INDEX_PREFIX; ours have their own name.
DEFAULT_ALIAS = "partnership-records-search"
SEP = "\x1f"  # joins a facet value and its label in one keyword
FACET_SIZE = 25
TEXT_FIELDS = ["title^3", "resolution^3", "body"]
FACET_FIELDS = {
    "board": ("board_id", "board_facet"),
    "type": ("kind", "kind"),
    "year": ("year", "year"),
    "organisation": ("organisations", "organisation_facet"),
    "tag": ("tags", "tag_facet"),
}
ES_ERRORS = (es_exceptions.ApiError, es_exceptions.TransportError, ConnectionError, OSError)


class RecordDocument(Document):
    """The mapping of a search record in Elasticsearch (fields mirror search.models.SearchRecord)."""

    key = Keyword()
    kind = Keyword()
    object_id = Long()
    meeting_id = Long()
    board_id = Long()
    board_title = Keyword()
    board_facet = Keyword()
    url = Keyword(index=False)
    title = Text(analyzer="english", fields={"raw": Keyword(ignore_above=512)})
    resolution = Text(analyzer="english")
    body = Text(analyzer="english")
    date = Date(format="strict_date")
    year = Integer()
    audience = Keyword()
    is_redaction = Boolean()
    organisations = Keyword()
    organisation_facet = Keyword()
    tags = Keyword()
    tag_facet = Keyword()

    def __str__(self):
        return str(getattr(self, "key", ""))


def alias_name():
    return getattr(settings, "SEARCH_ELASTICSEARCH_INDEX", DEFAULT_ALIAS)


def index_definition(name):
    """An Index with our mapping and settings (one shard is plenty for a council's record)."""
    index = EsIndex(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(RecordDocument)
    return index


def record_source(record):
    """The document body of a records.Record."""
    return {
        "key": record.key,
        "kind": record.kind,
        "object_id": record.object_id,
        "meeting_id": record.meeting_id,
        "board_id": record.board_id,
        "board_title": record.board_title,
        "board_facet": f"{record.board_id}{SEP}{record.board_title}" if record.board_id else None,
        "url": record.url,
        "title": record.title,
        "resolution": record.resolution,
        "body": record.body,
        "date": record.date.isoformat() if record.date else None,
        "year": record.year,
        "audience": record.audience,
        "is_redaction": record.is_redaction,
        "organisations": [slug for _, slug, _ in record.organisations],
        "organisation_facet": [f"{slug}{SEP}{name}" for _, slug, name in record.organisations],
        "tags": [slug for slug, _ in record.tags],
        "tag_facet": [f"{slug}{SEP}{name}" for slug, name in record.tags],
    }


# Query bodies: pure functions of a Query, unit-tested through to_dict().


def _term_query(term):
    if term.phrase:
        return Q("multi_match", query=" ".join(term.words), fields=TEXT_FIELDS, type="phrase")
    return Q("multi_match", query=term.words[0], fields=TEXT_FIELDS, type="best_fields")


def text_query(text):
    """words, "phrases", -excluded, or → a bool query over title, resolution (boosted) and body."""
    parsed = parse(text)
    if not text:
        return Q("match_all")
    if parsed.is_empty:
        return Q("match_none")
    groups = []
    for group in parsed.groups:
        must = [_term_query(t) for t in group.include] or [Q("match_all")]
        must_not = [_term_query(t) for t in group.exclude]
        groups.append(Q("bool", must=must, must_not=must_not) if must_not else Q("bool", must=must))
    if len(groups) == 1:
        return groups[0]
    return Q("bool", should=groups, minimum_should_match=1)


def audience_filter(query):
    """The viewer's audiences; their boards' public stubs left out for those who see the full records."""
    clauses = [Q("terms", audience=list(query.audiences))]
    must_not = []
    if query.full_board_ids:
        must_not.append(
            Q("bool", filter=[Q("term", is_redaction=True), Q("terms", board_id=list(query.full_board_ids))])
        )
    return Q("bool", filter=clauses, must_not=must_not) if must_not else Q("bool", filter=clauses)


def facet_filter(name, values):
    field = FACET_FIELDS[name][0]
    return Q("terms", **{field: [int(v) if name in ("board", "year") else v for v in values]})


def _filters_except(filters, skip=None):
    return [facet_filter(n, v) for n, v in filters.items() if n != skip and v and n in FACET_FIELDS]


def build_search(query, index=None):
    """The whole request body for one results page: query, post_filter, aggregations, highlight, sort, page."""
    s = Search(index=index or alias_name())
    s = s.query(Q("bool", must=[text_query(query.text)], filter=[audience_filter(query)]))
    active = _filters_except(query.filters)
    if active:
        s = s.post_filter(Q("bool", filter=active))
    if query.facets:
        for name in FACETS:
            others = _filters_except(query.filters, skip=name)
            facet = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
            facet.bucket("values", "terms", field=FACET_FIELDS[name][1], size=FACET_SIZE)
            s.aggs.bucket(name, facet)
    if query.text:
        s = s.highlight_options(
            pre_tags=[HIGHLIGHT_START],
            post_tags=[HIGHLIGHT_STOP],
            number_of_fragments=2,
            fragment_size=160,
            no_match_size=200,
            encoder="default",
        ).highlight("resolution", "body")
    if query.sort == "date" or not query.text:
        s = s.sort({"date": {"order": "desc", "missing": "_last"}}, {"key": {"order": "desc"}})
    else:
        s = s.sort("_score", {"date": {"order": "desc", "missing": "_last"}}, {"key": {"order": "desc"}})
    s = s.source(["key", "kind", "title", "url", "board_id", "board_title", "date", "audience", "resolution", "body"])
    s = s.extra(track_total_hits=True)
    return s[query.offset : query.offset + query.per_page]


def scope_query(scope):
    """Which documents a scope covers (for delete_by_query)."""
    should = []
    if scope.meeting_ids:
        should.append(Q("terms", meeting_id=sorted(scope.meeting_ids)))
    if scope.board_ids:
        should.append(Q("terms", board_id=sorted(scope.board_ids)))
    for kind, ids in sorted(scope.objects.items()):
        if ids:
            should.append(Q("bool", filter=[Q("term", kind=kind), Q("terms", object_id=sorted(ids))]))
    return Q("bool", should=should, minimum_should_match=1)


def _split(value):
    value, _, label = str(value).partition(SEP)
    return value, label or value


class ElasticsearchBackend(BaseBackend):
    """Records in an Elasticsearch 8 index behind an alias, so a rebuild swaps atomically."""

    name = "elasticsearch"

    def __init__(self, client=None):
        self.client = client or Elasticsearch(
            elasticsearch_url(),
            request_timeout=getattr(settings, "SEARCH_ELASTICSEARCH_TIMEOUT", 5),
            max_retries=0,
            retry_on_timeout=False,
        )
        self.alias = alias_name()

    def _ensure_index(self):
        if not self.client.indices.exists_alias(name=self.alias):
            name = f"{self.alias}-{int(time.time() * 1000)}"
            index_definition(name).create(using=self.client)
            self.client.indices.put_alias(index=name, name=self.alias)

    def _actions(self, records, index):
        for record in records:
            yield {"_op_type": "index", "_index": index, "_id": record.key, "_source": record_source(record)}

    def index(self, records):
        records = list(records)
        if not records:
            return 0
        self._ensure_index()
        helpers.bulk(self.client, self._actions(records, self.alias), refresh="wait_for")
        return len(records)

    def delete(self, scope):
        if scope.is_empty():
            return 0
        self._ensure_index()
        response = self.client.delete_by_query(
            index=self.alias, query=scope_query(scope).to_dict(), refresh=True, conflicts="proceed"
        )
        return response.get("deleted", 0)

    def rebuild(self, batches, progress=None):
        name = f"{self.alias}-{int(time.time() * 1000)}"
        index_definition(name).create(using=self.client)
        total = 0
        for label, records in batches:
            helpers.bulk(self.client, self._actions(records, name))
            total += len(records)
            if progress:
                progress(label, len(records))
        self.client.indices.refresh(index=name)
        old = list(self.client.indices.get_alias(name=self.alias).keys()) if self._alias_exists() else []
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)  # one atomic swap
        for o in old:
            self.client.indices.delete(index=o, ignore_unavailable=True)
        return total

    def _alias_exists(self):
        return bool(self.client.indices.exists_alias(name=self.alias))

    def count(self):
        return self.client.count(index=self.alias)["count"] if self._alias_exists() else 0

    def search(self, query):
        try:
            if not self._alias_exists():
                return Results(hits=[], total=0, facets={}, page=query.page, per_page=query.per_page)
            response = build_search(query, self.alias).using(self.client).execute()
        except ES_ERRORS as exc:
            logger.exception("elasticsearch search failed: %s", exc)
            raise SearchUnavailable(str(exc)) from exc
        return self.results(query, response)

    def results(self, query, response):
        hits = []
        for doc in response:
            meta = doc.meta
            highlight = getattr(meta, "highlight", None)
            parts = []
            if highlight is not None:
                for field in ("resolution", "body"):
                    parts += [p for p in getattr(highlight, field, []) if HIGHLIGHT_START in p]
            snippet = render_highlighted(" … ".join(parts)) if parts else plain_snippet(doc.resolution, doc.body)
            hits.append(
                Hit(
                    key=doc.key,
                    kind=doc.kind,
                    title=doc.title,
                    url=doc.url,
                    board_id=getattr(doc, "board_id", None),
                    board_title=getattr(doc, "board_title", ""),
                    date=_date(getattr(doc, "date", None)),
                    audience=doc.audience,
                    snippet=snippet,
                    score=meta.score or 0.0,
                )
            )
        facets = {}
        aggs = getattr(response, "aggregations", None)
        for name in FACETS if query.facets and aggs is not None else []:
            chosen = {str(v) for v in query.filters.get(name, [])}
            values = []
            for bucket in aggs[name]["values"]["buckets"]:
                value, label = _split(bucket["key"])
                if name == "type":
                    label = KIND_LABELS.get(value, value)
                values.append(FacetValue(value, label, bucket["doc_count"], value in chosen))
            if name == "year":
                values.sort(key=lambda v: v.value, reverse=True)
            facets[name] = values
        total = response.hits.total.value
        return Results(hits=hits, total=total, facets=facets, page=query.page, per_page=query.per_page)


def _date(value):
    import datetime

    if not value or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
