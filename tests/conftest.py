"""Shared fixtures: a small board with partners, members, meetings and users of each role."""

import pytest

from tests import factories


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
