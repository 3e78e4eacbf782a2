"""The papers of a records bundle (version 2): files in a side folder, referenced by path and sha256.

Verifies a bundle's files before anything is written, stores them as Wagtail documents, copies them out on export.
"""

import hashlib
import logging
import shutil
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

logger = logging.getLogger(__name__)

FOLDER = "papers"  # where an export puts the files, next to its JSON
READ_SIZE = 1024 * 1024


def sha256_of(handle):
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(READ_SIZE), b""):
        digest.update(block)
    return digest.hexdigest()


def document_sha256(document):
    """The sha256 of a stored document's bytes, or None when its file is gone."""
    try:
        with document.file.open("rb") as handle:
            return sha256_of(handle)
    except (FileNotFoundError, OSError):
        return None


def export_path(document):
    """Where an export puts a document's file, relative to the bundle's folder."""
    return f"{FOLDER}/{PurePosixPath(document.file.name).name}"


def paper_dict(document):
    return {"title": document.title, "path": export_path(document), "sha256": document_sha256(document)}


def references(data):
    """(JSON path, paper reference) for every paper of a parsed bundle that has the right shape."""
    for i, meeting in enumerate(data.get("meetings") or []):
        if not isinstance(meeting, dict):
            continue
        for j, item in enumerate(meeting.get("agenda") or []):
            if not isinstance(item, dict):
                continue
            for k, paper in enumerate(item.get("papers") or []):
                if isinstance(paper, dict) and isinstance(paper.get("path"), str):
                    yield f"meetings[{i}].agenda[{j}].papers[{k}]", paper


def _resolve(base_dir, relative):
    """The file a reference names, or None when the path would leave the bundle's folder."""
    base = Path(base_dir).resolve()
    full = (base / relative).resolve()
    return full if full.is_relative_to(base) else None


def check(data, base_dir, skip=()):
    """Problems ("path: reason") with the files a bundle refers to: missing, outside its folder, other bytes.

    References whose JSON path (or its path or sha256) is in `skip` are left out.
    """
    problems = []
    hashes = {}
    skip = set(skip)
    for path, paper in references(data):
        if {path, f"{path}.path", f"{path}.sha256"} & skip:
            continue
        if base_dir is None:
            problems.append(f"{path}.path: no folder to read {paper['path']!r} from (import the bundle from a file)")
            continue
        full = _resolve(base_dir, paper["path"])
        if full is None:
            problems.append(f"{path}.path: {paper['path']!r} is outside the bundle's folder")
            continue
        if not full.is_file():
            problems.append(f"{path}.path: no file {paper['path']!r} next to the bundle")
            continue
        if full not in hashes:
            with full.open("rb") as handle:
                hashes[full] = sha256_of(handle)
        expected = paper.get("sha256")
        if isinstance(expected, str) and hashes[full] != expected:
            problems.append(
                f"{path}.sha256: {paper['path']!r} has sha256 {hashes[full]}, not {expected} (changed or corrupted?)"
            )
    return problems


class Store:
    """The documents of one import: an existing document with the same title and bytes is reused, else one made.

    Files saved by a failed import are removed again by `discard()` (the database rows roll back on their own).
    """

    def __init__(self, base_dir):
        self.base_dir = base_dir
        self.documents = {}  # (title, sha256) -> Document
        self.saved = []

    def document(self, paper):
        key = (paper["title"], paper["sha256"])
        if key not in self.documents:
            self.documents[key] = self._existing(*key) or self._create(paper)
        return self.documents[key]

    def _existing(self, title, sha256):
        for document in get_document_model().objects.filter(title=title).order_by("pk"):
            if document_sha256(document) == sha256:
                return document
        return None

    def _create(self, paper):
        document = get_document_model()(title=paper["title"])
        content = _resolve(self.base_dir, paper["path"]).read_bytes()
        document.file.save(PurePosixPath(paper["path"]).name, ContentFile(content), save=False)
        self.saved.append(document.file.name)
        document.save()
        logger.debug("stored paper %s as %s", paper["path"], document.file.name)
        return document

    def discard(self):
        for name in self.saved:
            get_document_model()._meta.get_field("file").storage.delete(name)
        self.saved = []


def copy_out(data, documents, folder):
    """Copy the files `data` refers to into `folder` (the bundle's folder); `documents` are the candidates."""
    by_path = {}
    for document in documents:
        by_path.setdefault(export_path(document), document)
    wanted = {paper["path"]: paper["sha256"] for _, paper in references(data)}
    for relative, sha256 in sorted(wanted.items()):
        document = by_path[relative]
        target = Path(folder) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with document.file.open("rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        with open(target, "rb") as handle:
            if sha256_of(handle) != sha256:
                raise ValueError(f"{relative}: two papers of the export share this file name")
    return len(wanted)


__all__ = ["FOLDER", "Store", "check", "copy_out", "document_sha256", "paper_dict", "references", "sha256_of"]
