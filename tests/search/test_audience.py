"""The audience matrix: anonymous, agency on the board, agency not on the board, secretariat.

Over results, totals, facets and snippets: restricted text never reaches a viewer who may not see it.
"""

import pytest

from search.service import search
from tests.search.conftest import SECRET

SEES_RESTRICTED = {"anonymous": False, "on_board": True, "not_on_board": False, "secretariat": True}


def everything_shown(results):
    """All text a viewer could read from a results page: titles, snippets, facet labels, URLs."""
    parts = [f"{h.title} {h.snippet} {h.url} {h.board_title}" for h in results.hits]
    parts += [f"{v.value} {v.label}" for values in results.facets.values() for v in values]
    return " ".join(parts).lower()


@pytest.mark.parametrize("who", list(SEES_RESTRICTED))
def test_secret_in_exempt_discussion_only_for_the_board(corpus, viewers, who):
    results = search(viewers[who], SECRET)
    if SEES_RESTRICTED[who]:
        # The exempt agenda item, its full minute and the restricted action.
        assert results.total == 3
        assert {h.kind for h in results.hits} == {"agenda_item", "minute", "action"}
        assert all(h.restricted for h in results.hits)
        assert SECRET in everything_shown(results)
        assert sum(v.count for v in results.facets["type"]) == 3
    else:
        assert results.total == 0
        assert results.hits == []
        assert all(v.count == 0 for values in results.facets.values() for v in values)
        assert SECRET not in everything_shown(results)


@pytest.mark.parametrize("who", list(SEES_RESTRICTED))
def test_public_stub_of_an_exempt_item(corpus, viewers, who):
    results = search(viewers[who], "commercial terms")
    shown = everything_shown(results)
    keys = {h.key for h in results.hits}
    assert "exempt information — schedule 12a paragraph 3" in shown
    minute_public = f"minute:{corpus.e_exempt.pk}:public"
    minute_full = f"minute:{corpus.e_exempt.pk}:board:{corpus.board.pk}"
    if SEES_RESTRICTED[who]:
        # The full record replaces the stub: no duplicates.
        assert minute_full in keys and minute_public not in keys
    else:
        assert minute_public in keys and minute_full not in keys
        assert SECRET not in shown
        stub = next(h for h in results.hits if h.key == minute_public)
        assert "public summary" not in stub.snippet.lower()
        assert not stub.restricted


@pytest.mark.parametrize("who", list(SEES_RESTRICTED))
def test_totals_and_facets_never_count_what_cannot_be_seen(corpus, viewers, who):
    results = search(viewers[who], "")
    public = search(viewers["anonymous"], "")
    restricted_extra = results.total - public.total
    if SEES_RESTRICTED[who]:
        # Unpublished agenda item (m3), exempt item and minute replace their stubs, the restricted action.
        assert restricted_extra == 2
        assert any(h.restricted for h in search(viewers[who], "opening hours").hits)
    else:
        assert restricted_extra == 0
        assert not any(h.restricted for h in results.hits)
        assert search(viewers[who], "opening hours").total == 0
    for name, values in results.facets.items():
        for value in values:
            assert search(viewers[who], "", {name: [value.value]}).total == value.count


def test_agency_of_another_board_sees_only_that_board(corpus, viewers, outsider_org):
    # The outsider's agency sits on the Safer Communities Board, not on One Barnet.
    from tests import factories

    m = factories.MeetingPageFactory(board=corpus.safer, starts_at=corpus.m4.starts_at.replace(year=2013))
    factories.AgendaItemFactory(meeting=m, number="1", title="Draft: CCTV contract renewal", summary="Draft.")
    outsider = search(viewers["not_on_board"], "CCTV")
    assert outsider.total == 1 and outsider.hits[0].restricted
    assert search(viewers["on_board"], "CCTV").total == 0
    assert search(viewers["anonymous"], "CCTV").total == 0


def test_former_partner_loses_access(corpus, viewers, council):
    import datetime

    from boards.models import BoardPartner

    BoardPartner.objects.filter(board=corpus.board, organisation=council).update(left_on=datetime.date(2012, 1, 1))
    assert search(viewers["on_board"], SECRET).total == 0


def test_search_page_labels_restricted_results_and_hides_them_from_the_public(client, corpus, viewers):
    response = client.get("/search/", {"q": SECRET})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No results for “marzipanclause”" in html
    assert 'class="search-results' not in html and "restricted-label" not in html
    client.force_login(viewers["on_board"])
    response = client.get("/search/", {"q": SECRET})
    html = response.content.decode()
    assert html.count('class="govuk-tag govuk-tag--red restricted-label">Restricted<') == 3
    assert "3 results" in html
