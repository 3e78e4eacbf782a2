"""Baselines: the floor (one hand-written query, a bare template) and the peer (Wagtail's own search).

Registered only by tests/benchmarks/urls.py, inside the benchmark process: never part of the site.
"""

import datetime
from pathlib import Path

from django.db import connection
from django.http import Http404, HttpResponse
from django.template import engines
from django.utils import timezone
from wagtail.models import Page

from search.query import parse, to_fts5

# What the meeting page shows an anonymous visitor, bare: header, minutes and PDF links, agenda (details of
# non-exempt items only: summary, lead, presenter, papers, tags), attendance and the carried-forward action log.
MEETING_TEMPLATE = engines["django"].from_string((Path(__file__).parent / "floor_meeting.html").read_text())

SEARCH_TEMPLATE = engines["django"].from_string(
    """<!doctype html><title>Search</title><p>{{ total }} results</p>
<ol>{% for h in hits %}<li><a href="{{ h.1 }}">{{ h.0 }}</a> {{ h.2 }} {{ h.3|safe }}</li>{% endfor %}</ol>
{% for name, values in facets.items %}<h2>{{ name }}</h2><ul>{% for label, n in values %}<li>{{ label }} ({{ n }})</li>
{% endfor %}</ul>{% endfor %}"""
)

PEER_TEMPLATE = engines["django"].from_string(
    """<!doctype html><title>Search</title><ol>{% for p in pages %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>
{% empty %}<li>No results</li>{% endfor %}</ol>"""
)


def _agg(expr):
    return f"group_concat({expr}, ', ')" if connection.vendor == "sqlite" else f"string_agg({expr}, ', ')"


def _timestamp(value):
    """A datetime column as SQLite's raw cursor gives it (text, UTC) or PostgreSQL's (aware)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value)).replace(tzinfo=datetime.UTC)


def _date(value):
    return value if value is None or isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def _url(url_path):
    """A page's URL from its url_path, below the site root page (one segment: /home/)."""
    return "/" + url_path.split("/", 2)[2] if url_path else None


def meeting(request, page_id):
    """What the meeting page shows an anonymous visitor, from one UNION ALL statement, rendered bare.

    Rows: the meeting (with board and published minutes), agenda items (lead, presenter, tags), papers,
    attendance and the carried-forward action log (the public actions of the board's earlier meetings).
    The public rules are the page's: details of non-exempt items only; actions minuted in published minutes
    of a public meeting on a non-exempt item (or on none).
    """
    pg = connection.vendor == "postgresql"
    ts = "timestamptz" if pg else "timestamp"
    text = "text"
    # SQLite's planner would scan every agenda item, attendance row or action of the site and probe the one-row
    # CTE for each; CROSS JOIN makes it start from the meeting (in SQLite it only fixes the join order).
    first = "JOIN" if pg else "CROSS JOIN"
    n_t, n_ts = f"CAST(NULL AS {text})", f"CAST(NULL AS {ts})"
    today = timezone.localdate().isoformat()
    parent = "substr(%s.path, 1, length(%s.path) - 4)"
    restricted = (
        "EXISTS (SELECT 1 FROM wagtailcore_pageviewrestriction vr "
        + first
        + " wagtailcore_page vp ON vp.id = vr.page_id"
        " WHERE substr({0}.path, 1, length(vp.path)) = vp.path)"
    )
    sql = f"""
        WITH mt AS (
            SELECT p.id, p.title, p.path, p.url_path, m.starts_at, m.ends_at, m.venue, m.status,
                   m.agenda_published_at, m.lateness_reason,
                   (m.agenda_published_at IS NOT NULL AND m.agenda_published_at <= %s) AS agenda_public,
                   b.id AS board_id, b.title AS board_title, b.url_path AS board_url, bi.url_path AS index_url
              FROM wagtailcore_page p
              JOIN boards_meetingpage m ON m.page_ptr_id = p.id
              JOIN wagtailcore_page b ON b.path = {parent % ("p", "p")}
              JOIN wagtailcore_page bi ON bi.path = {parent % ("b", "b")}
             WHERE p.id = %s AND p.live AND b.live AND NOT {restricted.format("p")}
        )
        SELECT 'meeting' AS kind, 0 AS o1, 0 AS o2, mt.title AS s1, mt.url_path AS s2, mt.venue AS s3,
               mt.status AS s4, mt.lateness_reason AS s5, mt.board_title AS s6, mt.board_url AS s7,
               mt.index_url AS s8, CAST(mt.agenda_public AS {text}) AS s9,
               mt.starts_at AS t1, mt.ends_at AS t2, mt.agenda_published_at AS t3
          FROM mt
        UNION ALL
        SELECT 'minutes', 0, 0, mp.url_path, CAST(mi.approved_on AS {text}), {n_t}, {n_t}, {n_t}, {n_t}, {n_t},
               {n_t}, {n_t}, mp.last_published_at, mi.corrected_at, {n_ts}
          FROM mt {first} wagtailcore_page mp ON mp.path > mt.path AND mp.path < mt.path || 'ZZZZ'
           AND mp.depth = length(mt.path) / 4 + 1
          JOIN boards_minutespage mi ON mi.page_ptr_id = mp.id
         WHERE mp.live AND mi.approved_on IS NOT NULL AND NOT {restricted.format("mp")}
        UNION ALL
        SELECT 'item', i.sort_order, i.id, i.number, i.title,
               CASE WHEN i.exempt THEN NULL ELSE i.summary END, CAST(i.exemption_paragraph AS {text}),
               CASE WHEN i.exempt THEN NULL ELSE o.name END, CASE WHEN i.exempt THEN NULL ELSE pe.name END,
               CASE WHEN i.exempt THEN NULL ELSE pe.job_title END,
               CASE WHEN i.exempt THEN NULL ELSE (SELECT {_agg("t.name")} FROM boards_agendaitemtag at
                    JOIN taggit_tag t ON t.id = at.tag_id WHERE at.content_object_id = i.id) END,
               CASE WHEN i.exempt THEN 'exempt' END, {n_ts}, {n_ts}, {n_ts}
          FROM mt {first} boards_agendaitem i ON i.meeting_id = mt.id
          LEFT JOIN boards_organisation o ON o.id = i.lead_organisation_id
          LEFT JOIN boards_person pe ON pe.id = i.presenter_id
         WHERE mt.agenda_public
        UNION ALL
        SELECT 'paper', i.sort_order, i.id, CAST(d.id AS {text}), d.title, d.file, CAST(d.file_size AS {text}),
               {n_t}, {n_t}, {n_t}, {n_t}, {n_t}, {n_ts}, {n_ts}, {n_ts}
          FROM mt {first} boards_agendaitem i ON i.meeting_id = mt.id
          JOIN boards_agendaitem_papers ip ON ip.agendaitem_id = i.id
          JOIN wagtaildocs_document d ON d.id = ip.document_id
         WHERE mt.agenda_public AND NOT i.exempt
        UNION ALL
        SELECT 'attendance', a.sort_order, 0, pe.name, o.name, a.capacity, sub.name, a.status, {n_t}, {n_t},
               {n_t}, {n_t}, {n_ts}, {n_ts}, {n_ts}
          FROM mt {first} boards_attendance a ON a.meeting_id = mt.id
          JOIN boards_person pe ON pe.id = a.person_id
          LEFT JOIN boards_organisation o ON o.id = a.on_behalf_of_id
          LEFT JOIN boards_person sub ON sub.id = a.substitute_for_id
         WHERE mt.status = 'held'
        UNION ALL
        SELECT 'action', 0, ac.id, ac.reference, ac.description, COALESCE(NULLIF(ow.short_name, ''), ow.name),
               CAST(ac.due_on AS {text}), ac.status,
               (SELECT u.note FROM boards_actionupdate u WHERE u.action_id = ac.id
                 ORDER BY u.created_at DESC, u.id DESC LIMIT 1),
               {n_t}, {n_t}, {n_t}, am.starts_at,
               (SELECT u.created_at FROM boards_actionupdate u WHERE u.action_id = ac.id
                 ORDER BY u.created_at DESC, u.id DESC LIMIT 1),
               {n_ts}
          FROM mt {first} boards_action ac ON ac.board_id = mt.board_id
          JOIN boards_meetingpage am ON am.page_ptr_id = ac.meeting_id
          JOIN wagtailcore_page amp ON amp.id = am.page_ptr_id
          JOIN boards_organisation ow ON ow.id = ac.owner_id
          LEFT JOIN boards_agendaitem ai ON ai.id = ac.agenda_item_id
         WHERE ac.status IN ('open', 'in_progress') AND am.starts_at < mt.starts_at
           AND (ai.id IS NULL OR NOT ai.exempt) AND amp.live AND NOT {restricted.format("amp")}
           AND amp.path IN (SELECT substr(ap.path, 1, length(ap.path) - 4) FROM wagtailcore_page ap
                              JOIN boards_minutespage ami ON ami.page_ptr_id = ap.id
                             WHERE ap.live AND ami.approved_on IS NOT NULL)
    """
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if pg else now.strftime("%Y-%m-%d %H:%M:%S.%f"), page_id])
        rows = cursor.fetchall()
    head = next((r for r in rows if r[0] == "meeting"), None)
    if head is None:
        raise Http404
    _k, _o1, _o2, title, url_path, venue, status, lateness, board, board_url, index_url, agenda_public, *times = head
    m = {
        "title": title,
        "url": _url(url_path),
        "venue": venue,
        "status": status,
        "status_label": status.capitalize(),
        "lateness_reason": lateness,
        "board": board,
        "board_url": _url(board_url),
        "index_url": _url(index_url),
        "agenda_public": agenda_public in ("1", "true", "True"),
        "starts_at": _timestamp(times[0]),
        "ends_at": _timestamp(times[1]),
        "agenda_published_at": _timestamp(times[2]),
    }
    minutes = next(
        (
            {
                "url": _url(r[3]),
                "approved_on": _date(r[4]),
                "published": _timestamp(r[12]),
                "corrected": _timestamp(r[13]),
            }
            for r in rows
            if r[0] == "minutes"
        ),
        None,
    )
    papers = {}
    for r in rows:
        if r[0] == "paper":
            name = r[5].rsplit("/", 1)[-1]
            papers.setdefault(r[2], []).append(
                {"id": r[3], "title": r[4], "name": name, "ext": name.rsplit(".", 1)[-1], "size": r[6]}
            )
    items = sorted((r for r in rows if r[0] == "item"), key=lambda r: r[1])
    items = [
        {
            "number": r[3],
            "title": r[4],
            "summary": r[5],
            "paragraph": r[6],
            "lead": r[7],
            "presenter": r[8],
            "job": r[9],
            "tags": r[10],
            "exempt": r[11] == "exempt",
            "papers": papers.get(r[2], ()),
        }
        for r in items
    ]
    people = sorted((r for r in rows if r[0] == "attendance"), key=lambda r: r[1])
    attendance = [
        (label, [{"name": r[3], "org": r[4], "capacity": r[5], "instead_of": r[6]} for r in people if r[7] == status])
        for label, status in (("Present", "present"), ("Apologies", "apologies"), ("Absent", "absent"))
    ]
    actions = sorted((r for r in rows if r[0] == "action"), key=lambda r: (_timestamp(r[12]), r[3]))
    actions = [
        {
            "reference": r[3],
            "description": r[4],
            "owner": r[5],
            "due_on": _date(r[6]),
            "overdue": r[6][:10] < today,
            "updated_at": _timestamp(r[13]),
            "note": r[8],
        }
        for r in actions
    ]
    context = {"m": m, "minutes": minutes, "items": items, "attendance": attendance, "actions": actions}
    return HttpResponse(MEETING_TEMPLATE.render(context))


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
                          -bm25(search_searchrecord_fts, 10.0, 6.0, 1.0) AS rank
                     FROM search_searchrecord_fts JOIN search_searchrecord r ON r.id = search_searchrecord_fts.rowid
                    WHERE {match} AND {where}),
        hits AS (SELECT * FROM m ORDER BY rank DESC, date DESC, id DESC LIMIT 20)
        -- snippet() for the 20 hits only (in `m` SQLite made one for every match before sorting)
        SELECT 'hit', h.title, h.url, h.board_title,
               snippet(search_searchrecord_fts, 2, '<mark>', '</mark>', ' … ', 32), h.rank
          FROM hits h JOIN search_searchrecord_fts ON search_searchrecord_fts.rowid = h.id WHERE {match}
        UNION ALL SELECT 'total', NULL, NULL, NULL, NULL, count(*) FROM m
        UNION ALL SELECT 'board', board_title, NULL, NULL, NULL, count(*) FROM m GROUP BY board_title
        UNION ALL SELECT 'type', kind, NULL, NULL, NULL, count(*) FROM m GROUP BY kind
        UNION ALL SELECT 'year', CAST(year AS text), NULL, NULL, NULL, count(*) FROM m GROUP BY year
        UNION ALL SELECT 'organisation', o.name, NULL, NULL, NULL, count(DISTINCT o.record_id)
                    FROM search_searchrecordorganisation o JOIN m ON m.id = o.record_id GROUP BY o.name
        UNION ALL SELECT 'tag', t.name, NULL, NULL, NULL, count(DISTINCT t.record_id)
                    FROM search_searchrecordtag t JOIN m ON m.id = t.record_id GROUP BY t.name
        """
        params = [expr, *params, expr]
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
    """Wagtail's own search over live pages through the configured Wagtail backend: the first 20, rendered bare.

    The query goes through Wagtail's parse_query_string, as its docs advise, so a quoted phrase is a phrase.
    """
    from wagtail.search.utils import parse_query_string

    _filters, query = parse_query_string(request.GET.get("q", ""))
    pages = list(Page.objects.live().search(query)[:20])
    return HttpResponse(PEER_TEMPLATE.render({"pages": pages}))
