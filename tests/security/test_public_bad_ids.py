"""Bad ids in public views: every public (non-admin) URL that reads an id or a number from its path or query
string answers 400, 404 or ignores the value, never a 5xx (issue 15, leak path 7, public half).

Swept anonymous and signed in, with 2**70 (beyond any database integer), -1, a non-number, a very long value
and a NUL byte (which PostgreSQL refuses in text), on SQLite and PostgreSQL alike.
"""

import pytest
from django.urls import reverse

from boards.models import Action
from tests.boards.actions_helpers import make_paper
from tests.boards.minutes_helpers import published_minutes

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
BAD_VALUES = [HUGE, "-1", "abc", "9" * 5000, "1\x00"]

SEARCH_PARAMS = ["q", "board", "organisation", "year", "tag", "type", "sort", "page"]
ACTION_LOG_PARAMS = ["status", "owner", "page", "action"]
GENERIC_PARAMS = ["page", "p", "id", "pk", "year", "format"]


@pytest.fixture
def site(partnered_board, council, secretariat_user):
    page, meeting, public, _exempt = published_minutes(partnered_board, secretary=secretariat_user)
    paper = make_paper("Public library report")
    public.papers.add(paper)
    public.save()
    Action.objects.create(
        reference="OBPB/2011/06/1",
        board=partnered_board,
        meeting=meeting,
        agenda_item=public,
        description="Report back on opening hours.",
        owner=council,
        due_on=meeting.starts_at.date(),
    )
    board_url = partnered_board.url
    return {
        "pages": ["/", board_url, meeting.url, page.url, "/accessibility/"],
        "files": [
            f"{meeting.url}agenda.pdf",
            f"{meeting.url}agenda-full.pdf",
            f"{page.url}minutes.pdf",
            f"{page.url}minutes-full.pdf",
            f"{board_url}meetings.ics",
            f"{board_url}feed/rss/",
            f"{board_url}feed/atom/",
            reverse("minutes_rss"),
            reverse("minutes_atom"),
            reverse("sitemap"),
        ],
        "action_log": f"{board_url}actions/",
        "paper": paper,
        "meeting": meeting,
    }


def _id_paths(site):
    """Public routes with ids in the path, filled with bad ids (the int converter takes only digits)."""
    paper = site["paper"]
    meeting = site["meeting"]
    paths = []
    for bad in (HUGE, "0", "9" * 40):
        paths += [
            f"/search/action/{bad}/",
            f"/documents/{bad}/{paper.filename}",
            f"/documents/{paper.pk}/{bad}.pdf",
            f"/documents/authenticate_with_password/{bad}/",
            f"/_util/authenticate_with_password/{bad}/{meeting.pk}/",
            f"/_util/authenticate_with_password/1/{bad}/",
            f"/boards/{bad}/",
            f"{meeting.url}{bad}/",
            f"{meeting.url}{bad}.pdf",
        ]
    return paths


def _sweep(client, site):
    requests = []
    for value in BAD_VALUES:
        for name in SEARCH_PARAMS:
            requests.append(("/search/", {name: value, "q": "library"} if name != "q" else {name: value}))
        requests.append(("/search/", {name: value for name in SEARCH_PARAMS}))
        for name in ACTION_LOG_PARAMS:
            requests.append((site["action_log"], {name: value}))
        requests.append((site["action_log"], {name: value for name in ACTION_LOG_PARAMS}))
        for url in site["pages"] + site["files"]:
            requests.append((url, {name: value for name in GENERIC_PARAMS}))
    for url in _id_paths(site):
        requests.append((url, {}))
    failures = []
    for url, params in requests:
        response = client.get(url, params)
        if response.status_code >= 500:
            shown = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in params.items()}
            failures.append(f"{response.status_code} GET {url} {shown}")
    # Wagtail's public password forms take ids in the path and a POST.
    for url in [u for u in _id_paths(site) if "authenticate_with_password" in u]:
        for value in BAD_VALUES:
            response = client.post(url, {"password": value, "return_url": value})
            if response.status_code >= 500:
                failures.append(f"{response.status_code} POST {url} {value[:20]}")
    return failures, len(requests)


@pytest.mark.parametrize("who", ["anonymous", "agency", "secretariat"])
def test_public_views_never_answer_5xx_to_bad_ids(client, site, council_user, secretariat_user, who):
    if who == "agency":
        client.force_login(council_user)
    elif who == "secretariat":
        client.force_login(secretariat_user)
    failures, swept = _sweep(client, site)
    assert swept > 150
    assert not failures, "\n".join(failures)


def test_bad_values_are_refused_or_ignored_not_obeyed(client, site):
    """The value is ignored (the same page as without it) or refused with 400/404: spot checks of each kind."""
    plain = client.get("/search/", {"q": "library"})
    assert plain.status_code == 200
    for name in ("board", "organisation", "year", "page"):
        for value in (HUGE, "-1", "abc"):
            response = client.get("/search/", {"q": "library", name: value})
            assert response.status_code in (200, 400), (name, value)
    log = site["action_log"]
    assert client.get(log, {"page": "abc"}).status_code == 400
    assert client.get(log, {"page": HUGE}).status_code in (400, 404)
    assert client.get(log, {"owner": HUGE}).status_code == 400
    assert client.get(log, {"action": HUGE}).status_code == 200
    assert client.get(reverse("sitemap"), {"p": HUGE}).status_code in (400, 404)
    assert client.get(reverse("sitemap"), {"p": "abc"}).status_code in (400, 404)
    assert client.get(f"/documents/{HUGE}/{site['paper'].filename}").status_code == 404
    assert client.get(f"/search/action/{HUGE}/").status_code == 404
