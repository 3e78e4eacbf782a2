"""The site root an import puts the boards index under, made by a factory a higher app registers.

boards never imports the app that owns the home page: that app calls `register()` in its `ready()`.
"""

import logging
from dataclasses import dataclass

from wagtail.models import Page, Site

logger = logging.getLogger(__name__)


class NoSiteRootFactory(LookupError):
    """No app registered a site-root factory, and the database has no site root to use."""


@dataclass(frozen=True)
class SiteRootFactory:
    """The page model of the site root and the title a newly made one gets."""

    model: type
    title: str

    def make(self, title=None, **fields):
        return self.model(title=title or self.title, slug="home", **fields)


_factory = None


def register(model, title):
    """Make `model` (a Page subclass) the site root an import creates when there is none; the last call wins."""
    global _factory
    _factory = SiteRootFactory(model=model, title=title)


def registered():
    return _factory


def ensure(title=None, **fields):
    """The default site's root page (specific), creating it (and the default site) with the factory when missing.

    `title` names a page made now; an existing root keeps its own. `fields` are given to a page made now, and
    to an existing root where they are blank (published as a new revision).
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return _fill(site.root_page.specific, fields)
    if _factory is None:
        raise NoSiteRootFactory("no site-root factory is registered (is the home app installed?)")
    root = _factory.model.objects.first()
    if root is None:
        root = Page.get_first_root_node().add_child(instance=_factory.make(title, **fields))
        logger.info("created the site root page")
    Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    logger.info("created the default site")
    return _fill(root, fields)


def _fill(page, fields):
    blank = {name: value for name, value in fields.items() if not getattr(page, name, None)}
    if blank:
        for name, value in blank.items():
            setattr(page, name, value)
        page.save_revision().publish()
    return page
