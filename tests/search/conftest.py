"""Search fixtures: a small corpus mirroring the demo business, viewers of every kind, a hypothesis CI profile.

The corpus is built through factories and model saves, so the index is filled by the same signals as in use.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings

from tests import factories

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("ci")

SECRET = "marzipanclause"  # planted only in restricted text of the exempt item


def at(y, m, d, hour=10):
    return timezone.make_aware(datetime.datetime(y, m, d, hour, 0))


def _item(meeting, number, title, summary="", tags=(), lead=None, exempt=False):
    item = factories.AgendaItemFactory(
        meeting=meeting,
        number=number,
        title=title,
        summary=summary,
        lead_organisation=lead,
        exempt=exempt,
        exemption_paragraph=3 if exempt else None,
    )
    if tags:
        item.tags.add(*tags)
        item.save()
    return item


def _action(board, meeting, item, reference, description, owner, shared=(), tags=(), status="open"):
    action = factories.ActionFactory(
        board=board,
        meeting=meeting,
        agenda_item=item,
        reference=reference,
        description=description,
        owner=owner,
        status=status,
        due_on=datetime.date(2011, 9, 30),
    )
    if shared:
        action.shared_with.add(*shared)
    if tags:
        action.tags.add(*tags)
        action.save()
    return action


class Corpus:
    """Handles on everything the corpus made, for tests to state expectations against."""


@pytest.fixture
def corpus(db, board, council, nhs, outsider_org):
    c = Corpus()
    c.board, c.council, c.nhs = board, council, nhs
    police = factories.OrganisationFactory(name="Metropolitan Police", short_name="Met Police", kind="police")
    c.police = police
    factories.BoardPartnerFactory(board=board, organisation=council)
    factories.BoardPartnerFactory(board=board, organisation=nhs)
    c.safer = factories.BoardPageFactory(title="Safer Communities Board", code="SCB")
    factories.BoardPartnerFactory(board=c.safer, organisation=police)
    factories.BoardPartnerFactory(board=c.safer, organisation=outsider_org)

    # March 2011: agenda and minutes published.
    m1 = factories.MeetingPageFactory(board=board, starts_at=at(2011, 3, 15), held=True, agenda_published=True)
    c.m1 = m1
    c.bank = _item(
        m1,
        "2",
        "Big Society Innovation Bank",
        "The Big Society Innovation Bank offers grants from £500 to £50,000 for ideas that help residents.",
        tags=["community grants", "big society"],
        lead=council,
    )
    c.strategy = _item(
        m1,
        "3",
        "Library Strategy: consultation",
        "The draft Library Strategy proposes that Friern Barnet library moves to a landmark arts library at the "
        "artsdepot in North Finchley.",
        tags=["libraries"],
        lead=council,
    )
    c.exempt = _item(
        m1,
        "4",
        "Strategic partner procurement: commercial terms",
        f"Price envelopes and the {SECRET} of the preferred bidder.",
        tags=["procurement"],
        lead=council,
        exempt=True,
    )
    c.minutes1 = factories.MinutesPageFactory(parent=m1, approved_on=datetime.date(2011, 4, 20))
    c.e_bank = factories.MinuteEntryFactory(
        page=c.minutes1,
        agenda_item=c.bank,
        discussion="<p>Members welcomed grants and asked that small community groups be helped to apply.</p>",
        resolution="The board endorsed the Big Society Innovation Bank.",
    )
    c.e_strategy = factories.MinuteEntryFactory(
        page=c.minutes1,
        agenda_item=c.strategy,
        discussion="<p>Members asked how residents without internet access would respond to the consultation "
        "on libraries.</p>",
        resolution="The board noted the Library Strategy consultation and asked for paper copies.",
    )
    c.e_exempt = factories.MinuteEntryFactory(
        page=c.minutes1,
        agenda_item=c.exempt,
        discussion=f"<p>The board discussed the {SECRET} in detail.</p>",
        resolution=f"The board agreed the {SECRET} envelope.",
        public_summary="The board considered the commercial terms of the procurement.",
    )
    c.a_copies = _action(
        board,
        m1,
        c.strategy,
        "OBPB/2011/03/1",
        "Place paper copies of the Library Strategy consultation in every library and GP surgery.",
        council,
        shared=[nhs],
        tags=["libraries"],
    )
    c.a_secret = _action(board, m1, c.exempt, "OBPB/2011/03/2", f"Renegotiate the {SECRET} with bidders.", council)

    # June 2011: agenda published, minutes not yet approved.
    m2 = factories.MeetingPageFactory(board=board, starts_at=at(2011, 6, 20), held=True, agenda_published=True)
    c.m2 = m2
    c.nscso = _item(
        m2,
        "2",
        "New Support and Customer Service Organisation: business case",
        "The business case for a strategic partner to deliver customer services.",
        tags=["customer services", "procurement"],
        lead=council,
    )
    c.outcome = _item(
        m2,
        "3",
        "Library Strategy: outcome of the consultation",
        "Over 2,000 responses, many about Friern Barnet library and the artsdepot proposal.",
        tags=["libraries"],
        lead=council,
    )
    factories.MinutesPageFactory(parent=m2, draft=True)

    # September 2011: scheduled, agenda not yet published (a draft for partner agencies only).
    m3 = factories.MeetingPageFactory(board=board, starts_at=at(2011, 9, 12))
    c.m3 = m3
    c.draft_item = _item(m3, "1", "Library opening hours review", "Draft proposals for opening hours.")

    # Another board, 2012.
    m4 = factories.MeetingPageFactory(board=c.safer, starts_at=at(2012, 1, 10), held=True, agenda_published=True)
    c.m4 = m4
    c.safety = _item(
        m4,
        "1",
        "Community safety in libraries",
        "Police and library staff on antisocial behaviour in Burnt Oak library.",
        tags=["libraries", "community safety"],
        lead=police,
    )
    return c


@pytest.fixture
def viewers(db, corpus, council_user, outsider_user, secretariat_user):
    """anonymous, agency on the board (council), agency not on the board (fire service), secretariat."""
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "on_board": council_user,
        "not_on_board": outsider_user,
        "secretariat": secretariat_user,
    }
