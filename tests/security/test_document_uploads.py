"""Papers: an upload is accepted only if its content is the type its name claims; served without sniffing.

Attacks go through Wagtail's own add views (single and multiple upload) as a logged-in secretary would.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from boards.papers import uploads as documents
from tests.security.conftest import make_document

pytestmark = pytest.mark.django_db

Document = get_document_model()

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def office_zip(members, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(content_types=b'<Types><Default Extension="xml" ContentType="application/xml"/></Types>'):
    return office_zip({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>"})


def xlsx():
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Budget"
    workbook.save(buffer)
    return buffer.getvalue()


def odt(mimetype=b"application/vnd.oasis.opendocument.text"):
    return office_zip({"content.xml": b"<office:document-content/>"}, first=("mimetype", mimetype))


@pytest.fixture
def secretary(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def upload(client, filename, content, title="Paper"):
    data = {
        "title": title,
        "file": SimpleUploadedFile(filename, content),
        "collection": Collection.get_first_root_node().pk,
        "tags": "",
    }
    return client.post(reverse("wagtaildocs:add"), data)


@pytest.mark.parametrize(
    "filename,content",
    [
        ("report.pdf", PDF),
        ("minutes.docx", docx()),
        ("budget.xlsx", xlsx()),
        ("notes.odt", odt()),
        ("attendance.csv", "name,agency\nAnn,NHS Barnet\nBrân,Cyngor\n".encode()),
        ("readme.txt", b"Plain text paper.\r\nSecond line.\n"),
    ],
)
def test_real_documents_of_each_allowed_type_are_accepted(secretary, filename, content):
    response = upload(secretary, filename, content)
    assert response.status_code == 302, response.content[:500]
    assert Document.objects.filter(title="Paper").count() == 1


@pytest.mark.parametrize(
    "filename,content,message",
    [
        ("page.html", HTML, "not accepted"),
        ("logo.svg", SVG, "not accepted"),
        ("report.pdf", HTML, "not a real PDF"),
        ("report.pdf", b"", "empty"),
        ("notes.txt", HTML, "markup"),
        ("data.csv", SVG, "markup"),
        ("notes.txt", b"MZ\x00\x03\x00\x00\x00 binary", "binary"),
        ("notes.txt", "caf\xe9".encode("latin-1") * 10, "UTF-8"),
        ("minutes.docx", PDF, "damaged"),
        ("minutes.docx", office_zip({"word/document.xml": b"x"}), "not a real Word"),
        ("budget.xlsx", docx(), "not a real Excel"),
        ("minutes.docx", docx(b"<Types>application/vnd.ms-word.document.macroEnabled.main+xml</Types>"), "macros"),
        ("notes.odt", odt(b"application/vnd.oasis.opendocument.spreadsheet"), "OpenDocument"),
        ("notes.odt", xlsx(), "OpenDocument"),
        ("report.PDF.html", PDF, "not accepted"),
    ],
)
def test_disguised_and_malformed_uploads_are_refused_with_a_message(secretary, filename, content, message):
    response = upload(secretary, filename, content)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get("file", []))
    assert message in errors, errors
    assert not Document.objects.exists(), "nothing may be written"


def test_multiple_upload_view_applies_the_same_checks(secretary):
    response = secretary.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("agenda.pdf", HTML)},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not Document.objects.exists()


def test_size_limit_is_enforced(secretary, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload(secretary, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_zip_bomb_refused(secretary, monkeypatch):
    monkeypatch.setattr(documents, "MAX_UNPACKED_BYTES", 10_000)
    bomb = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"A" * 50_000})
    response = upload(secretary, "minutes.docx", bomb)
    assert "more than a paper can hold" in str(response.context["form"].errors)
    assert not Document.objects.exists()


def test_request_bodies_over_the_django_limit_are_refused(client, secretariat_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(secretariat_user)
    response = client.post(reverse("wagtaildocs:add"), {"title": "x" * 5000, "tags": ""})
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_agency_staff_cannot_upload_at_all(client, council_user):
    council_user.is_staff = True
    council_user.save()
    client.force_login(council_user)
    upload(client, "report.pdf", PDF)
    assert not Document.objects.exists()


def served_headers(client, doc):
    response = client.get(doc.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_documents_are_served_as_attachments_except_pdf_and_never_sniffed(client, secretariat_user):
    client.force_login(secretariat_user)  # unattached papers are the secretariat's only
    pdf = make_document("Report", "report.pdf", PDF)
    csv = make_document("Data", "data.csv", b'=HYPERLINK("http://evil")\n')
    text = make_document("Notes", "notes.txt", b"<script>alert(1)</script> as text")
    response, body = served_headers(client, pdf)
    assert response.status_code == 200 and body == PDF
    assert response["Content-Disposition"].startswith("inline")
    for doc in (csv, text):
        response, _body = served_headers(client, doc)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert served_headers(client, text)[0]["Content-Type"].startswith("text/plain")


def test_filename_in_content_disposition_is_rfc6266_safe(client, secretariat_user):
    client.force_login(secretariat_user)  # unattached papers are the secretariat's only
    doc = make_document("Odd name", 'résumé "quoted"; x=1.csv', b"a,b\n")
    response, _ = served_headers(client, doc)
    header = response["Content-Disposition"]
    # An ASCII fallback that cannot be broken out of, and the UTF-8 name percent-encoded (RFC 6266 / 8187).
    assert re.fullmatch(r"""attachment; filename="[A-Za-z0-9._ -]+"; filename\*=UTF-8''[A-Za-z0-9%._~-]+""", header), (
        header
    )
    assert "r%C3%A9sum%C3%A9" in header


def test_exempt_paper_is_refused_by_every_url_shape(client, exempt_paper, public_paper, council_user):
    assert served_headers(client, public_paper)[0].status_code == 200
    for url in (
        exempt_paper.url,
        f"/documents/{exempt_paper.pk}/{exempt_paper.filename}",
        f"/documents/{exempt_paper.pk}/{exempt_paper.filename}?download=1",
        f"/documents/{exempt_paper.pk}/{exempt_paper.filename.upper()}",
        f"/documents/{exempt_paper.pk}/other-name.pdf",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"%PDF" not in (b"".join(response.streaming_content) if response.streaming else response.content)
    # The media URL of the file is not routed at all.
    assert client.get(f"/media/{exempt_paper.file.name}").status_code == 404
    client.force_login(council_user)
    assert served_headers(client, exempt_paper)[0].status_code == 200
