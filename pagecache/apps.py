"""The page cache's app: its model (the content generation) and the receivers that replace it on every write.

Bottom layer: any app may import pagecache; it imports none of ours.
"""

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from pagecache import signal_handlers  # local: imports the model, so only once the registry is ready

        signal_handlers.connect()
