"""Search backends behind one small interface (index, delete, search, rebuild), chosen by settings.

ELASTICSEARCH_URL selects Elasticsearch; otherwise the database backend (PostgreSQL or SQLite FTS5).
"""

import os

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}

_cache = {}


def elasticsearch_url():
    return getattr(settings, "ELASTICSEARCH_URL", None) or os.environ.get("ELASTICSEARCH_URL", "")


def backend_name():
    """SEARCH_BACKEND if set, else "elasticsearch" when ELASTICSEARCH_URL is set, else "database"."""
    name = getattr(settings, "SEARCH_BACKEND", None)
    if name:
        return name
    return "elasticsearch" if elasticsearch_url() else "database"


def get_backend():
    """The configured backend (one instance per configuration)."""
    name = backend_name()
    key = (name, elasticsearch_url(), getattr(settings, "SEARCH_ELASTICSEARCH_INDEX", None))
    if key not in _cache:
        _cache.clear()
        _cache[key] = import_string(BACKENDS.get(name, name))()
    return _cache[key]
