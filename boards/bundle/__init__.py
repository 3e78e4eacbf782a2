"""The records bundle: one JSON document to import, export and generate the record (see DESIGN.md).

Format: boards/schema/records-bundle.schema.json. Entry points: load, validate, import_bundle, export_text.
"""

import json

from .exporter import export_bundle, export_text
from .importer import ImportFailed, ImportReport, import_bundle
from .validation import BundleInvalid, validate

__all__ = [
    "BundleInvalid",
    "ImportFailed",
    "ImportReport",
    "export_bundle",
    "export_text",
    "import_bundle",
    "load",
    "loads",
    "validate",
]


def loads(text):
    """Parse bundle text; a file that is not a JSON object raises BundleInvalid with one clear line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()):
            reason = f"the file ends too early (truncated?) at line {error.lineno}, column {error.colno}"
        else:
            reason = f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise BundleInvalid([reason]) from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise BundleInvalid(
            [f"the bundle must be a JSON object with organisations, people, boards and meetings, not {kind}"]
        )
    return data


def load(path):
    """Read and parse a bundle file (UTF-8)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise BundleInvalid(["not JSON: the file is not UTF-8 text"]) from None
    return loads(text)
