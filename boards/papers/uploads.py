"""Upload checks for papers: the file's content must be what its extension claims, within size limits.

Wired in as Wagtail's document form base (WAGTAILDOCS_DOCUMENT_FORM_BASE), so every upload path uses it.
"""

import logging
import os
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from wagtail.documents.forms import BaseDocumentForm

logger = logging.getLogger(__name__)

# Office files are zips: refuse ones that would unpack to something absurd (zip bombs).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000
SNIFF_BYTES = 4096
# What a browser would take for markup if it ever ignored our headers.
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta)\b", re.IGNORECASE)
# Text may hold tabs, line breaks and form feeds; other C0 controls mean it is not text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

ODF_TEXT = b"application/vnd.oasis.opendocument.text"


def _read_head(uploaded, size=SNIFF_BYTES):
    uploaded.seek(0)
    head = uploaded.read(size)
    uploaded.seek(0)
    return head


def _zip_members(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise ValidationError("This file unpacks to more than a paper can hold and was refused.")
            names = {i.filename for i in infos}
            first = infos[0].filename if infos else ""
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            content_types = archive.read("[Content_Types].xml")[:200_000] if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, RuntimeError, ValueError) as error:
        raise ValidationError("This file is damaged or is not a real Office document.") from error
    finally:
        uploaded.seek(0)
    return names, first, mimetype, content_types


def _check_ooxml(uploaded, main_part, label):
    names, _first, _mimetype, content_types = _zip_members(uploaded)
    if "[Content_Types].xml" not in names or main_part not in names:
        raise ValidationError(f"This file is not a real {label} document.")
    if b"macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError("Documents with macros are not accepted. Save it without macros and try again.")


def _check_odt(uploaded):
    names, first, mimetype, _content_types = _zip_members(uploaded)
    if first != "mimetype" or mimetype.strip() != ODF_TEXT or "content.xml" not in names:
        raise ValidationError("This file is not a real OpenDocument text document.")


def _check_pdf(uploaded):
    if not _read_head(uploaded, 1024).startswith(b"%PDF-"):
        raise ValidationError("This file is not a real PDF.")


def _check_text(uploaded, label):
    head = _read_head(uploaded)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    # Cut at most three bytes of a multi-byte character split by the sniffing window.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(f"This {label} file is not UTF-8 text. Save it as UTF-8 and try again.")
    if CONTROL.search(text):
        raise ValidationError(f"This {label} file holds binary data, not text.")
    if MARKUP.search(head):
        raise ValidationError(f"This {label} file holds web page markup (HTML or SVG), which is not accepted.")


CHECKS = {
    "pdf": _check_pdf,
    "docx": lambda f: _check_ooxml(f, "word/document.xml", "Word"),
    "xlsx": lambda f: _check_ooxml(f, "xl/workbook.xml", "Excel"),
    "odt": _check_odt,
    "csv": lambda f: _check_text(f, "CSV"),
    "txt": lambda f: _check_text(f, "text"),
}


def validate_document_upload(uploaded):
    """Raise ValidationError unless the upload is an allowed type by content and within the size limit."""
    name = os.path.basename(getattr(uploaded, "name", "") or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit is not None and uploaded.size > limit:
        raise ValidationError(f"This file is bigger than the {filesizeformat(limit)} limit.")
    if uploaded.size == 0:
        raise ValidationError("This file is empty.")
    check = CHECKS.get(extension)
    if check is None:
        allowed = ", ".join(sorted(CHECKS))
        raise ValidationError(f"Files of type “.{extension}” are not accepted. Allowed: {allowed}.")
    try:
        check(uploaded)
    except ValidationError:
        logger.info("upload refused", extra={"event": "upload_refused", "extension": extension, "size": uploaded.size})
        raise


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form, checking the uploaded file's content against its extension."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # Only a new upload needs checking; an unchanged file on an edit is already stored.
        if isinstance(uploaded, UploadedFile):
            validate_document_upload(uploaded)
        return uploaded
