"""Routing down the page tree in one query: what Wagtail's Page.route does with two queries per level.

HomePage.route uses it; a page with routing of its own (RoutablePageMixin routes, a custom route()) still decides.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


def _answers_itself(page, remaining):
    """Whether `page` would answer `remaining` itself (its own route) instead of passing it to a child."""
    cls = page.specific_class
    if cls is None:
        return True  # a page whose model is gone: let Wagtail decide, as it always did
    if cls.route is Page.route:
        return False
    if cls.route is RoutablePageMixin.route:
        # RoutablePageMixin.route: a live page's own routes win over its children.
        if not page.live:
            return False
        try:
            cls.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Http404:
            return False
        return True
    return True  # a custom route(): let it run


def _candidates(root, path_components, by_url_path=True):
    """The pages that may make up the chain, keyed by (parent path, slug), in one query.

    Each level's page is wanted by (depth, slug), as Wagtail looks a child up by slug under its parent. With
    `by_url_path` each is also narrowed to the url_path the chain gives it: without that, "minutes" at its
    depth would bring every meeting's minutes page of the site (two thousand pages at ten years of history).
    """
    step = root.steplen
    wanted = Q()
    url_path = root.url_path
    for level, slug in enumerate(path_components, start=1):
        url_path += slug + "/"
        level_q = Q(depth=root.depth + level, slug=slug)
        if by_url_path:
            level_q &= Q(url_path=url_path)
        wanted |= level_q
    return {
        (page.path[:-step], page.slug): page
        for page in Page.objects.filter(wanted, path__startswith=root.path).order_by("path")
    }


def route(root, request, path_components):
    """Route `path_components` below `root` exactly as Wagtail would, fetching the chain of pages at once.

    Each level's page is found by (depth, slug) under its parent's path, as `get_children().get(slug=…)` does;
    only the page that answers is made specific. Parents are cached on their children (`get_parent()` is free).
    A page whose stored url_path disagrees with its slugs is still found: a missing link in the chain fetches
    the candidates again by (depth, slug) alone before answering 404.
    """
    candidates = _candidates(root, path_components)
    broadened = False
    current, remaining = root, list(path_components)
    while remaining:
        if current is not root and _answers_itself(current, remaining):
            break
        child = candidates.get((current.path, remaining[0]))
        if child is None and not broadened:
            candidates, broadened = _candidates(root, path_components, by_url_path=False), True
            child = candidates.get((current.path, remaining[0]))
        if child is None:
            raise Http404
        child._cached_parent_obj = current
        current, remaining = child, remaining[1:]
    return current.specific.route(request, remaining)
