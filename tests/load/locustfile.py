"""Load test: residents, partner-agency staff and the secretariat on a local gunicorn.

Run (see README "Deploying"):
    LOCUST_HOST=http://127.0.0.1:8110 locust -f tests/load/locustfile.py --headless -u 50 -r 10 -t 60s
"""

import os
import random
import re
import statistics
import time

import requests
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-2026")
HREF = re.compile(r'href="(/boards/[^"#?]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_TERMS = ["library", "budget", "housing", "contract", "employment", "health", "grants", "customer services"]

# Discovered once from the public pages when locust loads this file, before the timed run starts.
SITE = {"boards": [], "meetings": [], "minutes": []}
HOST = os.environ.get("LOCUST_HOST", "http://127.0.0.1:8110").rstrip("/")


def discover(host=HOST):
    index = requests.get(f"{host}/boards/", timeout=120).text
    SITE["boards"] = sorted({h for h in HREF.findall(index) if h.count("/") == 3 and h != "/boards/"})
    for board in SITE["boards"][:8]:
        html = requests.get(f"{host}{board}", timeout=120).text
        meetings = [h for h in HREF.findall(html) if re.fullmatch(r"/boards/[^/]+/\d{4}-\d{2}-\d{2}[^/]*/", h)]
        SITE["meetings"] += meetings
        # Minutes links as the meeting pages give them (a year back, so they are published).
        for meeting in meetings[12:14]:
            page = requests.get(f"{host}{meeting}", timeout=120).text
            if f'href="{meeting}minutes/"' in page:
                SITE["minutes"].append(f"{meeting}minutes/")


discover()


# Every request's time, to report the residents' public pages apart from the signed-in users' admin and logins.
TIMINGS = []  # (seconds since the run started, user class, milliseconds, failed)
STARTED = time.monotonic()
RAMP_UP_SECONDS = float(os.environ.get("LOAD_RAMP_UP_SECONDS", "20"))


@events.test_start.add_listener
def _started(environment, **kwargs):
    global STARTED
    STARTED = time.monotonic()


@events.request.add_listener
def _timed(request_type, name, response_time, exception, context=None, **kwargs):
    user = (context or {}).get("user_class", "")
    TIMINGS.append((time.monotonic() - STARTED, user, response_time, exception is not None))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def summary(label, rows):
    times = [ms for _, _, ms, _ in rows]
    failed = sum(1 for *_, bad in rows if bad)
    if not times:
        return f"{label}: no requests"
    return (
        f"{label}: {len(times)} requests, {failed} failed, median {statistics.median(times):.0f} ms, "
        f"p95 {percentile(times, 95):.0f} ms, p99 {percentile(times, 99):.0f} ms"
    )


@events.quitting.add_listener
def _report(environment, **kwargs):
    public = [row for row in TIMINGS if row[1] == "Resident"]
    print()
    print(summary("Residents' public pages, whole run", public))
    print(
        summary(
            f"Residents' public pages after the {RAMP_UP_SECONDS:.0f} s ramp-up",
            [r for r in public if r[0] >= RAMP_UP_SECONDS],
        )
    )
    print(summary("Signed-in users (admin, logins, their pages)", [row for row in TIMINGS if row[1] != "Resident"]))


def pick(kind):
    return random.choice(SITE[kind]) if SITE[kind] else "/boards/"


class Resident(HttpUser):
    """Anonymous: browses boards and meetings, reads minutes, downloads a PDF, searches, follows feeds."""

    weight = 6
    wait_time = between(1, 3)

    def context(self):
        return {"user_class": "Resident"}

    @task(3)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def board(self):
        self.client.get(pick("boards"), name="/boards/[board]/")

    @task(5)
    def meeting(self):
        self.client.get(pick("meetings"), name="/boards/[board]/[date]/")

    @task(4)
    def minutes(self):
        self.client.get(pick("minutes"), name="/boards/[board]/[date]/minutes/")

    @task(1)
    def minutes_pdf(self):
        self.client.get(pick("minutes") + "minutes.pdf", name="minutes.pdf")

    @task(3)
    def search(self):
        self.client.get(f"/search/?q={random.choice(SEARCH_TERMS)}", name="/search/?q=")

    @task(1)
    def search_page_two(self):
        self.client.get(f"/search/?q={random.choice(SEARCH_TERMS)}&page=2", name="/search/?q=&page=2")

    @task(1)
    def feeds(self):
        board = pick("boards")
        self.client.get(f"{board}feed/rss/", name="/boards/[board]/feed/rss/")
        self.client.get(f"{board}meetings.ics", name="/boards/[board]/meetings.ics")

    @task(1)
    def action_log(self):
        self.client.get(f"{pick('boards')}actions/", name="/boards/[board]/actions/")


class SignedIn(HttpUser):
    abstract = True
    username = None

    def context(self):
        return {"user_class": type(self).__name__}

    def on_start(self):
        page = self.client.get("/admin/login/", name="/admin/login/")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/admin/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"},
            name="/admin/login/ POST",
        )
        if "/admin/login/" in response.url:
            raise RuntimeError(f"{self.username} could not log in: run tests/load/prepare.py")


class AgencyStaff(SignedIn):
    """A partner agency's officer: dashboard, their actions, restricted meeting pages, search."""

    weight = 3
    wait_time = between(2, 5)
    username = "load-agency"

    @task(2)
    def dashboard(self):
        self.client.get("/admin/", name="/admin/")

    @task(3)
    def our_actions(self):
        self.client.get("/admin/snippets/boards/action/", name="/admin/snippets/boards/action/")

    @task(4)
    def meeting(self):
        self.client.get(pick("meetings"), name="/boards/[board]/[date]/ (agency)")

    @task(2)
    def search(self):
        self.client.get(f"/search/?q={random.choice(SEARCH_TERMS)}", name="/search/?q= (agency)")


class Secretariat(SignedIn):
    """Governance officers: page explorer, snippets, the public site as they check it."""

    weight = 1
    wait_time = between(2, 5)
    username = "load-secretary"

    @task(2)
    def explorer(self):
        self.client.get("/admin/pages/", name="/admin/pages/")

    @task(2)
    def actions(self):
        self.client.get("/admin/snippets/boards/action/", name="/admin/snippets/boards/action/ (secretariat)")

    @task(1)
    def organisations(self):
        self.client.get("/admin/snippets/boards/organisation/", name="/admin/snippets/boards/organisation/")

    @task(2)
    def minutes(self):
        self.client.get(pick("minutes"), name="/boards/[board]/[date]/minutes/ (secretariat)")
