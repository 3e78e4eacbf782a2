"""Action results link to where the action is shown: a public action to its row in the board's public action log
(the page holding it, and the anchor that row renders), a restricted one to wherever the viewer may see it.
"""

import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from boards.models import Action
from search import indexing
from search.service import search
from tests import factories
from tests.search.conftest import SECRET

ANON = AnonymousUser()


def action_hit(user, query):
    return next(h for h in search(user, query, {"type": ["action"]}).hits)


def follow(client, url):
    """GET a result's URL as a browser would (the fragment stays in the browser): (response, fragment)."""
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path), parts.fragment


def test_public_action_links_to_its_row_in_the_action_log(client, corpus):
    hit = action_hit(ANON, "paper copies")
    assert hit.key == f"action:{corpus.a_copies.pk}:public"
    response, fragment = follow(client, hit.url)
    assert response.status_code == 200
    assert urlsplit(hit.url).path == f"{corpus.board.url}actions/"
    assert fragment == corpus.a_copies.anchor
    html = response.content.decode()
    assert f'id="{fragment}"' in html
    row = html[html.index(f'id="{fragment}"') :]
    assert "OBPB/2011/03/1" in row[: row.index("</tr>")]


def test_an_action_beyond_the_first_page_of_the_log_opens_the_page_holding_it(client, corpus):
    # 60 more public actions at the March meeting: the log (50 a page) runs to two pages.
    Action.objects.bulk_create(
        [
            Action(
                board=corpus.board,
                meeting=corpus.m1,
                agenda_item=corpus.strategy,
                reference=f"OBPB/2011/03/{n}",
                description=f"Survey allotment plot{n}.",
                owner=corpus.council,
                due_on=datetime.date(2011, 9, 30),
            )
            for n in range(100, 160)
        ]
    )
    indexing.rebuild()
    first_page = client.get(f"{corpus.board.url}actions/").content.decode()
    hit = action_hit(ANON, "plot155")
    target = Action.objects.get(reference="OBPB/2011/03/155")
    assert f'id="{target.anchor}"' not in first_page
    response, fragment = follow(client, hit.url)
    html = response.content.decode()
    assert response.status_code == 200 and fragment == target.anchor
    assert f'id="{fragment}"' in html
    assert "Page 2 of 2" in html
    # Its pagination links do not carry the jump: "Previous" is page 1.
    assert "action=" not in html.split('class="govuk-pagination"')[1]


def test_restricted_action_sends_each_viewer_where_they_may_see_it(client, corpus, viewers):
    staff = viewers["on_board"]  # the owning agency
    hit = action_hit(staff, SECRET)
    assert hit.restricted and hit.url == reverse("search:open_action", args=[corpus.a_secret.pk])

    # Its agency and the secretariat: its "Update status" page in the admin.
    for user in (staff, viewers["secretariat"]):
        client.force_login(user)
        response = client.get(hit.url)
        assert response.status_code == 302
        assert response.url == reverse("boards_action_status", args=[corpus.a_secret.pk])
        assert client.get(response.url).status_code == 200

    # Another partner of the board may read it but not update it: the exempt item it was agreed under.
    nhs_officer = factories.UserFactory(username="nhs-officer", groups=[corpus.nhs.group])
    assert action_hit(nhs_officer, SECRET).url == hit.url
    client.force_login(nhs_officer)
    response = client.get(hit.url)
    assert response.status_code == 302
    assert response.url == f"{corpus.m1.url}#{corpus.exempt.anchor}"
    page = client.get(response.url).content.decode()
    assert f'id="{corpus.exempt.anchor}"' in page and SECRET in page

    # Nobody else is told it exists.
    client.force_login(viewers["not_on_board"])
    assert client.get(hit.url).status_code == 404
    client.logout()
    assert client.get(hit.url).status_code == 404


def test_unknown_and_out_of_range_action_links_are_404(client, corpus):
    for pk in (987654, 2**63, 10**30):
        assert client.get(f"/search/action/{pk}/").status_code == 404
