"""The search app: permission-aware full-text search over the whole record.

ready() connects the receivers that keep the index current.
"""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import signals  # local: it imports models, loaded only once the registry is ready

        signals.connect()
