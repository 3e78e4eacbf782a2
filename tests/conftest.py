"""Shared fixtures: a small board with partners, members, meetings and users of each role."""

import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page cached by another test's data or settings is not this one's.

    Within a test the page cache is on (as in production), so every test that changes data and reads a page
    again also checks that the change reached the page.
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def board(db):
    return factories.BoardPageFactory(title="One Barnet Partnership Board", code="OBPB")


@pytest.fixture
def council(db):
    return factories.OrganisationFactory(name="London Borough of Barnet", short_name="Barnet Council")


@pytest.fixture
def nhs(db):
    return factories.OrganisationFactory(name="NHS Barnet", short_name="NHS Barnet", kind="health")


@pytest.fixture
def outsider_org(db):
    return factories.OrganisationFactory(name="Elsewhere Fire Service", short_name="Fire", kind="other")


@pytest.fixture
def partnered_board(board, council, nhs):
    factories.BoardPartnerFactory(board=board, organisation=council)
    factories.BoardPartnerFactory(board=board, organisation=nhs)
    return board


@pytest.fixture
def secretariat_user(db):
    return factories.UserFactory(username="secretary", secretariat=True)


@pytest.fixture
def council_user(council):
    return factories.UserFactory(username="council-officer", groups=[council.group])


@pytest.fixture
def outsider_user(outsider_org):
    return factories.UserFactory(username="outsider-officer", groups=[outsider_org.group])


@pytest.fixture
def no_page_cache(settings):
    """The page cache off (pagecache/middleware.py reads the setting per request): a query count is the page's own.

    With it on, a second anonymous request of a page is one query (the cache hit), whatever the page costs.
    """
    settings.PAGE_CACHE_SECONDS = 0
