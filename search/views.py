"""The public search page, /search/: query, facets, pagination; 503 when the backend is unavailable.

Every result comes from search.service, which asks boards.permissions who may see what.
"""

import logging
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render

from boards import permissions
from boards.models import Action
from search import service
from search.backends.base import FACETS
from search.query import MAX_QUERY_LENGTH, clean_query
from search.records import KIND_LABELS, action_log_url

logger = logging.getLogger(__name__)

FACET_LABELS = {"board": "Board", "type": "Type", "year": "Year", "organisation": "Organisation", "tag": "Topic"}
SORT_LABELS = {"relevance": "Relevance", "date": "Newest first"}


def _url(params):
    pairs = [(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values]) if v]
    return "?" + urlencode(pairs) if pairs else "?"


def search_view(request):
    raw_query = request.GET.get("q", "")
    text, truncated = clean_query(raw_query)
    filters = service.clean_filters({name: request.GET.getlist(name) for name in FACETS})
    sort = request.GET.get("sort") if request.GET.get("sort") in SORT_LABELS else ("relevance" if text else "date")
    page = service.clean_page(request.GET.get("page", 1))
    context = {
        "query": text,
        "search_query": text,
        "truncated": truncated,
        "max_query_length": MAX_QUERY_LENGTH,
        "sort": sort,
        "sort_labels": SORT_LABELS,
        "filters": filters,
        "kind_labels": KIND_LABELS,
    }
    try:
        results = service.search(request.user, text, filters, page, sort=sort)
    except service.SearchUnavailable:
        logger.error("search unavailable query=%r", text[:100])
        return render(request, "search/unavailable.html", context, status=503)

    base = {"q": text, "sort": sort if text else "", **{k: [str(v) for v in vals] for k, vals in filters.items()}}
    facets = []
    for name in FACETS:
        values = results.facets.get(name, [])
        chosen = {str(v) for v in filters.get(name, [])}
        options = []
        for value in values:
            # The link shows exactly `count` results: this value alone for this facet, the rest kept.
            only = {**base, name: [value.value]}
            without = {**base, name: [v for v in chosen if v != value.value]}
            options.append(
                {
                    "value": value.value,
                    "label": value.label,
                    "count": value.count,
                    "selected": value.selected,
                    "url": _url(only),
                    "remove_url": _url(without),
                }
            )
        if options:
            facets.append({"name": name, "label": FACET_LABELS[name], "options": options})

    active_filters = []
    labels = {(f["name"], o["value"]): o["label"] for f in facets for o in f["options"]}
    for name, values in filters.items():
        for value in values:
            rest = {**base, name: [str(v) for v in values if v != value]}
            active_filters.append(
                {
                    "facet": FACET_LABELS[name],
                    "label": labels.get((name, str(value)), str(value)),
                    "remove_url": _url(rest),
                }
            )

    page_links = []
    for number in range(max(1, results.page - 3), min(results.num_pages, results.page + 3) + 1):
        page_links.append(
            {"number": number, "url": _url({**base, "page": str(number)}), "current": number == results.page}
        )
    context.update(
        {
            "results": results,
            "hits": results.hits,
            "facets": facets,
            "active_filters": active_filters,
            "clear_filters_url": _url({"q": text}),
            "page_links": page_links,
            "previous_url": _url({**base, "page": str(results.page - 1)}) if results.page > 1 else "",
            "next_url": _url({**base, "page": str(results.page + 1)}) if results.page < results.num_pages else "",
            "first_index": (results.page - 1) * results.per_page + 1,
            "last_index": (results.page - 1) * results.per_page + len(results.hits),
            "sort_urls": {key: _url({**base, "sort": key}) for key in SORT_LABELS},
        }
    )
    return render(request, "search/search.html", context)


def open_action(request, pk):
    """Where a restricted action found by search leads: to wherever this viewer may see it, or a 404.

    Its agency's staff and the secretariat get its admin "Update status" page; other partners of the board,
    who may read it but not update it, get the meeting item it was agreed under; anyone else is not told it
    exists. An action made public since it was indexed goes to its row in the public action log.
    """
    action = Action.objects.select_related("board", "meeting", "agenda_item").filter(pk=pk).first()
    if action is None:
        raise Http404
    destination = permissions.action_destination(request.user, action)
    board = action.board
    if destination == "status":
        return redirect("boards_action_status", action.pk)
    if destination == "public_log":
        return redirect(action_log_url(action, board.get_url(request) or board.url_path))
    if destination == "meeting":
        anchor = f"#{action.agenda_item.anchor}" if action.agenda_item_id else ""
        return redirect(f"{action.meeting.get_url(request)}{anchor}")
    if destination == "board":
        return redirect(board.get_url(request))
    raise Http404
