"""Walk every URL pattern the admin's URL resolver knows, as agency staff, looking for planted canaries.

The patterns come from django.urls.get_resolver() (everything under /admin/ and /django-admin/), not from a list
written here: a view a Wagtail upgrade or another app adds is walked the day it appears. Each converter is filled
with the ids of the canaries (another agency's action, another board's exempt paper, a draft page, a tag on an
exempt item of a draft meeting), with 2**70 and with a non-numeric value; each URL is requested by GET and POST,
bare and with query strings (bulk-action ids, `?id=all`, searches, exports).

Every canary carries a secret word that no request contains: searches ask for the HANDLE word beside it, so a page
echoing the search box cannot hide or fake a leak. A pattern no value fills is listed in UNFILLABLE with its reason;
an unlisted one fails the walk. The secretariat walks the same URLs by GET: nothing may answer 5xx, and the canaries
must turn up for it (so this walk can see them).
"""

import io
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from taggit.models import Tag
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.log_actions import log

from boards import grants
from boards.models import Action
from tests import factories
from tests.security.conftest import make_document

pytestmark = pytest.mark.django_db

HANDLE = "Zarquon"
SECRETS = {
    "action": "Vexillaction",
    "reference": "VEXILLREF",
    "update": "Vexillnote",
    "paper": "Vexillpaper",
    "page": "Vexillpage",
    "tag": "vexilltag",
}
HUGE = 2**70
NOT_A_NUMBER = "abc"

# Patterns no value fills, by route (as ResolverMatch.route spells it), with the reason.
UNFILLABLE = {}

# Views that answer 5xx by design, to the secretariat (agency staff are refused them).
SECRETARIAT_5XX_EXPECTED = {
    "admin/failwhale/": "Wagtail's own error test view raises on purpose (wagtailadmin_error_test)",
}

# Multi-converter patterns whose full product is larger than this get one row per value instead.
MAX_PRODUCT = 200


# --- the patterns --------------------------------------------------------------------------------------------


@dataclass
class Leaf:
    route: str  # as ResolverMatch.route gives it
    segments: tuple  # the pattern objects from the admin include down to the leaf
    name: str | None  # namespaced URL name


def admin_leaves():
    """Every URL pattern under the admin includes, walked from the root resolver."""
    leaves = []

    def walk(resolver, route, segments, namespaces):
        for entry in resolver.url_patterns:
            joined = URLResolver._join_route(route, str(entry.pattern))
            if isinstance(entry, URLResolver):
                walk(entry, joined, segments + (entry.pattern,), namespaces + [entry.namespace])
            else:
                names = [n for n in namespaces if n]
                leaves.append(
                    Leaf(joined, segments + (entry.pattern,), ":".join(names + [entry.name]) if entry.name else None)
                )

    prefixes = {prefix.strip("/") + "/" for prefix in settings.CSP_ADMIN_PREFIXES}
    found = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) in prefixes:
            found.add(str(entry.pattern))
            walk(entry, str(entry.pattern), (entry.pattern,), [entry.namespace])
    assert found == prefixes, f"admin includes not found at the root: {prefixes - found}"
    return leaves


ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


def _regex_groups(regex):
    """[(name, body, start, end)] of the named groups of a regex (balanced parentheses)."""
    groups = []
    for match in NAMED_GROUP.finditer(regex):
        depth, i = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(regex[i], 0) if regex[i - 1] != "\\" else 0
            i += 1
        groups.append((match["name"], regex[match.end() : i - 1], match.start(), i))
    return groups


def params_of(segment):
    """[(name, kind)] of a pattern segment: kind is a converter name, or ("regex", body) for a regex group."""
    if isinstance(segment, RoutePattern):
        return [(m["name"], m["converter"] or "str") for m in ROUTE_PARAM.finditer(segment._route)]
    return [(name, ("regex", body)) for name, body, _, _ in _regex_groups(segment._regex)]


def fill_segment(segment, values):
    """The segment's text with each parameter replaced by values[name]."""
    if isinstance(segment, RoutePattern):
        return ROUTE_PARAM.sub(lambda m: str(values[m["name"]]), segment._route)
    regex, out, last = segment._regex, [], 0
    for name, _body, start, end in _regex_groups(regex):
        out += [regex[last:start], str(values[name])]
        last = end
    out.append(regex[last:])
    text = "".join(out).lstrip("^").removesuffix("$")
    # What is left of a regex here: catch-alls (".*") and escaped dots.
    return text.replace(".*", "walk").replace("\\.", ".")


# --- the canaries and the values -----------------------------------------------------------------------------


@dataclass
class World:
    agency_user: object
    secretary: object
    own_action: object
    ids: list  # every canary id, and ids of what they hang on
    control_ids: list  # the few the secretariat's walk needs to meet every canary
    pairs: list  # (app_label, model_name) of every installed model
    content_type_ids: list


@pytest.fixture
def world():
    board = factories.BoardPageFactory(title="Walk Partnership Board", slug="walk-board", code="WPB")
    other_board = factories.BoardPageFactory(title="Walk Safety Board", slug="walk-safety", code="WSB")
    council = factories.OrganisationFactory(name="Walk Council")
    nhs = factories.OrganisationFactory(name="Walk Health")
    fire = factories.OrganisationFactory(name="Walk Fire")
    factories.BoardPartnerFactory(board=board, organisation=council)
    factories.BoardPartnerFactory(board=board, organisation=nhs)
    factories.BoardPartnerFactory(board=other_board, organisation=fire)
    secretary = factories.UserFactory(username="walk-secretary", secretariat=True)
    agency_user = factories.UserFactory(username="walk-council", is_staff=True, groups=[council.group])

    # Another agency's action, on the agency's own board, with an update and log entries.
    meeting = factories.MeetingPageFactory(board=board, held=True, agenda_published=True)
    item = factories.AgendaItemFactory(meeting=meeting, number="1", title="Walk library item")
    theirs = Action.objects.create(
        board=board,
        meeting=meeting,
        agenda_item=item,
        reference=f"{SECRETS['reference']}/1",
        description=f"{SECRETS['action']} {HANDLE} GP figures",
        owner=nhs,
        due_on="2011-09-01",
    )
    theirs.change_status(secretary, "in_progress", f"{SECRETS['update']} {HANDLE} started")
    log(instance=theirs, action="wagtail.create", user=secretary)
    log(instance=theirs, action="wagtail.edit", user=secretary)
    own = Action.objects.create(
        board=board, meeting=meeting, description="Walk council's own action", owner=council, due_on="2011-09-01"
    )

    # Another board's exempt paper, on a live meeting with a published agenda.
    other_meeting = factories.MeetingPageFactory(board=other_board, held=True, agenda_published=True)
    exempt = factories.AgendaItemFactory(meeting=other_meeting, number="1", title="Walk tender", exempt_item=True)
    paper = make_document(f"{HANDLE} {SECRETS['paper']}", "walk-paper.pdf")
    exempt.papers.add(paper)
    exempt.save()
    other_meeting.save_revision(user=secretary).publish()
    log(instance=paper, action="wagtail.create", user=secretary)

    # A draft page (never published) with an exempt, tagged item: the tag exists nowhere else.
    draft = factories.MeetingPageFactory(board=other_board, title=f"{HANDLE} {SECRETS['page']}", live=False)
    tagged = factories.AgendaItemFactory(meeting=draft, number="1", title="Walk draft item", exempt_item=True)
    tagged.tags.add(f"{HANDLE} {SECRETS['tag']}")
    tagged.save()
    revision = draft.save_revision(user=secretary, log_action=True)
    tag = Tag.objects.get(name=f"{HANDLE} {SECRETS['tag']}")
    grants.sync_all()

    ids = [
        theirs.pk,
        theirs.updates.get().pk,
        paper.pk,
        draft.pk,
        revision.pk,
        tag.pk,
        tagged.pk,
        exempt.pk,
        other_meeting.pk,
        other_board.pk,
        board.pk,
        meeting.pk,
        own.pk,
    ]
    pairs = sorted({(m._meta.app_label, m._meta.model_name) for m in admin_models()})
    content_type_ids = sorted(ContentType.objects.get_for_model(obj).pk for obj in (theirs, paper, draft, tag, tagged))
    control_ids = sorted({theirs.pk, paper.pk, draft.pk, other_board.pk})
    return World(agency_user, secretary, own, sorted(set(ids)), control_ids, pairs, content_type_ids)


def admin_models():
    """The models the admin has views for: bulk actions, snippets, pages, settings; taggit's and auth's too."""
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.models import get_page_models
    from wagtail.snippets.models import get_snippet_models

    bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")  # scans the hooks once
    bulk = [
        apps.get_model(app_label, model_name)
        for app_label, models in bulk_action_registry.actions.items()
        for model_name in models
    ]
    extra = [apps.get_model("taggit", "tag"), apps.get_model("auth", "group"), apps.get_model("auth", "user")]
    return {*bulk, *get_snippet_models(), *get_page_models(), *settings_registry, *extra}


APP_NAMES = {"app_label", "app_name", "content_type_app_name"}
MODEL_NAMES = {"model_name", "content_type_model_name"}
NAMED_VALUES = {
    # The admin API's page actions and the workflow's task actions.
    "action_name": [
        "copy",
        "move",
        "publish",
        "unpublish",
        "delete",
        "convert_alias",
        "revert_to_page_revision",
        "approve",
        "reject",
        "cancel",
    ],
    "filter_spec": ["original", "max-100x100"],
    "uidb64": ["MQ", NOT_A_NUMBER],
    "token": ["set-password", NOT_A_NUMBER],
}


def values_for(name, kind, world, ids):
    """The values tried for one parameter: the canaries' ids, 2**70, a non-numeric value, and names it expects."""
    base = [*ids, HUGE, NOT_A_NUMBER]
    if name in NAMED_VALUES:
        return NAMED_VALUES[name]
    if name == "content_type_id":
        return [*world.content_type_ids, HUGE, NOT_A_NUMBER]
    if isinstance(kind, tuple):  # a regex group: the values it matches, and its literal alternatives
        body = kind[1]
        literals = [word for word in body.split("|") if re.fullmatch(r"[\w-]+", word)]
        return literals + [v for v in base if re.fullmatch(body, str(v))] + [NOT_A_NUMBER, HUGE]
    return base


def fillings(leaf, world, ids):
    """Dicts of parameter values for a leaf: a full product when small, else every value at least once."""
    params = [p for segment in leaf.segments for p in params_of(segment)]
    names = [name for name, _ in params]
    dims = []
    app = next((n for n in names if n in APP_NAMES), None)
    model = next((n for n in names if n in MODEL_NAMES), None)
    paired = set()
    if app and model:
        paired = {app, model} | ({"action"} if "action" in names else set())
        rows = []
        for app_label, model_name in world.pairs:
            actions = ["delete"]
            if "action" in names:
                registered = bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
                actions = sorted({cls.action_type for cls in registered}) or ["delete"]
            rows += [
                {app: app_label, model: model_name, "action": a}
                if "action" in names
                else {app: app_label, model: model_name}
                for a in actions
            ]
        dims.append(rows)
    for name, kind in params:
        if name in paired:
            continue
        dims.append([{name: value} for value in values_for(name, kind, world, ids)])
    if not dims:
        return [{}]
    if len(list(itertools.islice(itertools.product(*dims), MAX_PRODUCT + 1))) <= MAX_PRODUCT:
        combos = itertools.product(*dims)
    else:
        longest = max(len(d) for d in dims)
        combos = (tuple(d[i % len(d)] for d in dims) for i in range(longest))
    return [{k: v for part in combo for k, v in part.items()} for combo in combos]


def urls_of(leaf, world, ids):
    """(path, fills_this_pattern) for every filling of the leaf."""
    out = []
    for values in fillings(leaf, world, ids):
        path = "/" + "".join(fill_segment(segment, values) for segment in leaf.segments)
        try:
            fills = resolve(path).route == leaf.route
        except Resolver404:
            fills = False
        out.append((path, fills))
    return out


SEARCH = f"?q={HANDLE}&term={HANDLE}&search={HANDLE}"


def query_strings(world, method, bulk):
    """Bulk-action ids (all, the canaries', bad ones), searches for the handle word, and exports."""
    ids = "&".join(f"id={pk}" for pk in world.ids)
    chosen = ["?id=all", f"?{ids}", f"?id={HUGE}&id={NOT_A_NUMBER}"]
    if method == "post":
        return ["", *chosen] if bulk else [""]
    return ["", *chosen, SEARCH, "?export=csv", "?export=xlsx"]


# --- requests and what came back -----------------------------------------------------------------------------


def body_text(response):
    """Everything a response shows: headers, body (streamed or not), and the files inside a zip (an XLSX export)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [content]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    return (headers + "\n" + b"\n".join(parts).decode("utf-8", "replace")).lower()


class Walker:
    """A client signed in as `user` that records 5xx answers and canary sightings; signs in again if signed out."""

    def __init__(self, user):
        self.user = user
        self.client = Client()
        self.client.force_login(user)
        self.errors = []  # (method, url, status or exception)
        self.sightings = []  # (method, url, status, secret)
        self.requests = 0

    def request(self, method, url):
        self.requests += 1
        try:
            response = getattr(self.client, method)(url)
        except Exception as error:  # a view that raised: a 500 in production
            self.errors.append((method, url, repr(error)[:200]))
            self._stay_signed_in()
            return None
        if response.status_code >= 500:
            self.errors.append((method, url, response.status_code))
        text = body_text(response)
        for secret in SECRETS.values():
            if secret.lower() in text:
                self.sightings.append((method, url, response.status_code, secret))
        if settings.SESSION_COOKIE_NAME in response.cookies:  # the session was ended or replaced
            self._stay_signed_in()
        return response

    def _stay_signed_in(self):
        # A walk past the logout view (or a password change) would leave the rest of it anonymous, and blind.
        if self.client.session.get("_auth_user_id") != str(self.user.pk):
            self.client.force_login(self.user)


@pytest.fixture(autouse=True)
def quiet_refusals():
    """Thousands of refusals and 404s would each log a warning line (and pytest would keep every one)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "partnership.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def walk(walker, world, methods, ids, queries_for):
    """Request every filling of every admin pattern; returns the routes no filling reached.

    queries_for(leaf, index, method) gives the query strings for the index-th filling of a pattern.
    """
    unfilled = []
    for leaf in admin_leaves():
        urls = urls_of(leaf, world, ids)
        if not any(fills for _, fills in urls):
            unfilled.append(leaf.route)
        for method in methods:
            for index, path in enumerate(dict.fromkeys(path for path, _ in urls)):
                for query in queries_for(leaf, index, method):
                    walker.request(method, path + query)
    return unfilled


def _summary(rows, limit=25):
    return "\n".join(str(row) for row in rows[:limit]) + (
        f"\n… and {len(rows) - limit} more" if len(rows) > limit else ""
    )


# --- the tests -----------------------------------------------------------------------------------------------


def test_agency_walk_of_every_admin_pattern_shows_no_canary_and_no_5xx(world):
    walker = Walker(world.agency_user)

    def queries_for(leaf, index, method):
        # Query strings on the first filling of each pattern, and on every filling of the bulk actions.
        bulk = leaf.name == "wagtail_bulk_action"
        return query_strings(world, method, bulk) if index == 0 or bulk else [""]

    unfilled = walk(walker, world, ("get", "post"), world.ids, queries_for)
    assert not walker.sightings, f"canaries shown to agency staff:\n{_summary(walker.sightings)}"
    assert not walker.errors, f"5xx answers to agency staff:\n{_summary(walker.errors)}"
    assert sorted(set(unfilled) - set(UNFILLABLE)) == [], "patterns the walk cannot fill: fill them or list them"
    assert sorted(set(UNFILLABLE) - set(unfilled)) == [], "UNFILLABLE lists patterns that are filled or gone"
    assert walker.requests > 1000


def test_secretariat_walk_answers_no_5xx_and_sees_the_canaries(world):
    """The control: the same URLs show the secretariat every canary, so the agency walk could have seen them."""
    walker = Walker(world.secretary)
    walk(walker, world, ("get",), world.control_ids, lambda leaf, index, method: ["", SEARCH] if index == 0 else [""])
    errors = [e for e in walker.errors if not any(e[1].startswith("/" + r) for r in SECRETARIAT_5XX_EXPECTED)]
    assert not errors, f"5xx answers to the secretariat:\n{_summary(errors)}"
    seen = {secret for *_, secret in walker.sightings}
    assert seen == set(SECRETS.values()), (
        f"canaries the walk never showed the secretariat: {set(SECRETS.values()) - seen}"
    )


def test_allow_listed_views_answer_agency_staff(world):
    """The control on the other side: the views built for agency staff still work for them."""
    client = Client()
    client.force_login(world.agency_user)
    for url in (
        "/admin/",
        "/admin/snippets/boards/action/",
        "/admin/snippets/boards/action/results/",
        f"/admin/boards/actions/{world.own_action.pk}/status/",
        "/admin/account/",
        "/admin/jsi18n/",
        "/admin/dismissibles/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get("/admin/snippets/boards/action/").content.decode()
    assert world.own_action.reference in html
