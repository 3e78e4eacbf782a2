"""The accessibility statement at /accessibility/ follows the government's model and every page links to it."""

import re

import pytest

pytestmark = pytest.mark.django_db

MODEL_SECTIONS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
]


def test_statement_has_the_model_structure(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    headings = re.findall(r"<h[23][^>]*>([^<]+)</h[23]>", html)
    for section in MODEL_SECTIONS:
        assert section in headings, f"missing section {section!r}; found {headings}"
    assert html.count("<h1") == 1
    assert "<title>Accessibility statement — " in html
    assert "partially compliant with the" in html
    assert "Equality and Human Rights Commission" in html
    assert "Equality Advisory and Support Service" in html
    assert re.search(r"This statement was prepared on <time datetime=\"\d{4}-\d{2}-\d{2}\">", html)
    assert "mailto:" in html


def test_statement_names_the_council_and_contact_from_settings(client, settings):
    settings.SITE_OWNER_NAME = "London Borough of Barnet"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "records-access@example.org"
    html = client.get("/accessibility/").content.decode()
    assert "This website is run by London Borough of Barnet." in html
    assert 'href="mailto:records-access@example.org"' in html


def test_every_public_page_links_to_the_statement_in_its_footer(client, board):
    for url in ["/", "/boards/", board.url, "/accessibility/"]:
        html = client.get(url).content.decode()
        footer = html[html.index("<footer") :]
        assert '<a class="govuk-footer__link" href="/accessibility/">Accessibility statement</a>' in footer, url
