"""Baselines: the floor (one hand-written query, a bare template) and the peer (Wagtail's own search).

Registered only by tests/benchmarks/urls.py, inside the benchmark process: never part of the site.
"""

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from wagtail.models import Page

from search.query import parse, to_fts5

MEETING_TEMPLATE = engines["django"].from_string(
    """<!doctype html><title>{{ m.0 }}</title><h1>{{ m.0 }}</h1><p>{{ m.4 }} · {{ m.1 }} · {{ m.2 }} · {{ m.3 }}</p>
<ol>{% for i in items %}<li id="item-{{ i.0 }}"><h2>{{ i.0 }}. {{ i.1 }}</h2>{% if i.3 %}
<p>Exempt information — Schedule 12A paragraph {{ i.4 }}</p>{% else %}<p>{{ i.2 }}</p><p>{{ i.5 }} {{ i.6 }}</p>
<p>{{ i.7 }}</p>{% endif %}</li>
{% endfor %}</ol>"""
)

SEARCH_TEMPLATE = engines["django"].from_string(
    """<!doctype html><title>Search</title><p>{{ total }} results</p>
<ol>{% for h in hits %}<li><a href="{{ h.1 }}">{{ h.0 }}</a> {{ h.2 }} {{ h.3|safe }}</li>{% endfor %}</ol>
{% for name, values in facets.items %}<h2>{{ name }}</h2><ul>{% for label, n in values %}<li>{{ label }} ({{ n }})</li>
{% endfor %}</ul>{% endfor %}"""
)

PEER_TEMPLATE = engines["django"].from_string(
    """<!doctype html><title>Search</title><ol>{% for p in pages %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>
{% endfor %}</ol>"""
)


def _agg(expr):
    return f"group_concat({expr}, ', ')" if connection.vendor == "sqlite" else f"string_agg({expr}, ', ')"


def meeting(request, page_id):
    """A meeting and its agenda (lead organisation, presenter, tags) in one query, rendered bare."""
    sql = f"""
        SELECT p.title, m.starts_at, m.venue, m.status, b.title,
               i.number, i.title, i.summary, i.exempt, i.exemption_paragraph, o.name, pe.name,
               (SELECT {_agg("t.name")} FROM boards_agendaitemtag at JOIN taggit_tag t ON t.id = at.tag_id
                 WHERE at.content_object_id = i.id)
          FROM wagtailcore_page p
          JOIN boards_meetingpage m ON m.page_ptr_id = p.id
          JOIN wagtailcore_page b ON b.path = substr(p.path, 1, length(p.path) - 4)
          LEFT JOIN boards_agendaitem i ON i.meeting_id = p.id AND m.agenda_published_at IS NOT NULL
          LEFT JOIN boards_organisation o ON o.id = i.lead_organisation_id
          LEFT JOIN boards_person pe ON pe.id = i.presenter_id
         WHERE p.id = %s AND p.live
         ORDER BY i.sort_order
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [page_id])
        rows = cursor.fetchall()
    if not rows:
        raise Http404
    head = rows[0][:5]
    items = [r[5:] for r in rows if r[5] is not None]
    items = [(n, t, s, ex, para, org, person, tags) for n, t, s, ex, para, org, person, tags in items]
    return HttpResponse(MEETING_TEMPLATE.render({"m": head, "items": items}))


def _audiences(request):
    audiences = [a for a in request.GET.get("aud", "public").split(",") if a]
    full = [int(b) for b in request.GET.get("full", "").split(",") if b]
    return audiences, full


def _in(values):
    return ", ".join(["%s"] * len(values)) or "NULL"


def search(request):
    """Hits (ranked, highlighted), total and every facet in one hand-written statement, rendered bare."""
    text = request.GET.get("q", "")
    audiences, full = _audiences(request)
    where = f"r.audience IN ({_in(audiences)})"
    params = list(audiences)
    if full:
        where += f" AND NOT (r.is_redaction AND r.board_id IN ({_in(full)}))"
        params += full
    if connection.vendor == "postgresql":
        sql = f"""
        WITH q AS (SELECT websearch_to_tsquery('english', %s) AS query),
        m AS (SELECT r.id, r.title, r.url, r.board_title, r.kind, r.year, r.date, r.resolution, r.body,
                     ts_rank(r.search_vector, q.query) AS rank
                FROM search_searchrecord r, q WHERE r.search_vector @@ q.query AND {where}),
        hits AS (SELECT * FROM m ORDER BY rank DESC, date DESC, id DESC LIMIT 20)
        SELECT 'hit', title, url, board_title,
               ts_headline('english', concat_ws(' — ', nullif(resolution, ''), body), q.query,
                           'StartSel=<mark>, StopSel=</mark>, MaxFragments=2'), rank FROM hits, q
        UNION ALL SELECT 'total', NULL, NULL, NULL, NULL, count(*) FROM m
        UNION ALL SELECT 'board', board_title, NULL, NULL, NULL, count(*) FROM m GROUP BY board_title
        UNION ALL SELECT 'type', kind, NULL, NULL, NULL, count(*) FROM m GROUP BY kind
        UNION ALL SELECT 'year', year::text, NULL, NULL, NULL, count(*) FROM m GROUP BY year
        UNION ALL SELECT 'organisation', o.name, NULL, NULL, NULL, count(DISTINCT o.record_id)
                    FROM search_searchrecordorganisation o JOIN m ON m.id = o.record_id GROUP BY o.name
        UNION ALL SELECT 'tag', t.name, NULL, NULL, NULL, count(DISTINCT t.record_id)
                    FROM search_searchrecordtag t JOIN m ON m.id = t.record_id GROUP BY t.name
        """
        params = [text, *params]
    else:
        parsed = parse(text)
        expr = to_fts5(parsed) if not parsed.is_empty else '""'
        match = "search_searchrecord_fts MATCH %s"
        sql = f"""
        WITH m AS (SELECT r.id, r.title, r.url, r.board_title, r.kind, r.year, r.date,
                          -bm25(search_searchrecord_fts, 10.0, 6.0, 1.0) AS rank,
                          snippet(search_searchrecord_fts, 2, '<mark>', '</mark>', ' … ', 32) AS snip
                     FROM search_searchrecord_fts JOIN search_searchrecord r ON r.id = search_searchrecord_fts.rowid
                    WHERE {match} AND {where}),
        hits AS (SELECT * FROM m ORDER BY rank DESC, date DESC, id DESC LIMIT 20)
        SELECT 'hit', title, url, board_title, snip, rank FROM hits
        UNION ALL SELECT 'total', NULL, NULL, NULL, NULL, count(*) FROM m
        UNION ALL SELECT 'board', board_title, NULL, NULL, NULL, count(*) FROM m GROUP BY board_title
        UNION ALL SELECT 'type', kind, NULL, NULL, NULL, count(*) FROM m GROUP BY kind
        UNION ALL SELECT 'year', CAST(year AS text), NULL, NULL, NULL, count(*) FROM m GROUP BY year
        UNION ALL SELECT 'organisation', o.name, NULL, NULL, NULL, count(DISTINCT o.record_id)
                    FROM search_searchrecordorganisation o JOIN m ON m.id = o.record_id GROUP BY o.name
        UNION ALL SELECT 'tag', t.name, NULL, NULL, NULL, count(DISTINCT t.record_id)
                    FROM search_searchrecordtag t JOIN m ON m.id = t.record_id GROUP BY t.name
        """
        params = [expr, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits = sorted((r for r in rows if r[0] == "hit"), key=lambda r: -(r[5] or 0))
    total = next((int(r[5]) for r in rows if r[0] == "total"), 0)
    facets = {}
    for kind, label, _u, _b, _s, n in rows:
        if kind not in ("hit", "total"):
            facets.setdefault(kind, []).append((label, int(n)))
    for values in facets.values():
        values.sort(key=lambda v: -v[1])
    context = {"hits": [h[1:5] for h in hits], "total": total, "facets": facets}
    return HttpResponse(SEARCH_TEMPLATE.render(context))


def peer_search(request):
    """Wagtail's own search over live pages through the configured Wagtail backend: the first 20, rendered bare."""
    pages = list(Page.objects.live().search(request.GET.get("q", ""))[:20])
    return HttpResponse(PEER_TEMPLATE.render({"pages": pages}))
