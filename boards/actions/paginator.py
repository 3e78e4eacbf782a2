"""The admin action listing's paginator: its total read from the cache while the content generation stands.

The key is the viewer's agencies (or the secretariat) and the filter and search parameters.
"""

import hashlib
import json

from django.core.cache import cache
from django.utils.functional import cached_property
from wagtail.admin.paginator import WagtailPaginator

from boards import permissions
from pagecache.generation import current_generation

COUNT_CACHE_SECONDS = 600
# Parameters that change the order, page or format of a listing but never which actions are in it.
NOT_COUNTED = {"p", "ordering", "export"}


class CachedCountPaginator(WagtailPaginator):
    """Wagtail's paginator, with the total read from the cache while the content generation stands.

    The listing's count is a second pass over every visible action (an agency's 2,000 at ten years). Its key is the
    content generation (replaced by every write: pagecache) and what decides the set: the viewer's
    agencies (or the secretariat) and the filter and search parameters. The generation is read before counting, so a
    count computed across a concurrent write is stored under the generation that write replaced.
    """

    def __init__(self, *args, count_key=None, **kwargs):
        self.count_key = count_key
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        # CACHES is partnership.cache.ResilientRedisCache in production: with Redis down this is a miss, then a no-op.
        count = cache.get(self.count_key)
        if count is None:
            count = super().count
            cache.set(self.count_key, count, COUNT_CACHE_SECONDS)
        return count


def listing_count_key(request):
    """The cache key of the action listing's total for this viewer and these parameters (None: do not cache)."""
    generation = current_generation()
    if generation is None:
        return None
    user = request.user
    who = permissions.actions_visibility_key(user)
    params = sorted((key, value) for key, values in request.GET.lists() if key not in NOT_COUNTED for value in values)
    digest = hashlib.sha256(json.dumps([who, params]).encode()).hexdigest()[:40]
    return f"actions:count:{generation}:{digest}"
