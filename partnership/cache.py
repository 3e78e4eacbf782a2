"""A Redis cache that degrades to "no cache" when Redis is unreachable, instead of failing requests.

Reads miss, writes are dropped, and each failure is logged; the health check still reports the outage.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_soft(default):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                logger.warning(
                    "cache unavailable, serving uncached",
                    extra={"event": "cache_unavailable", "operation": method.__name__, "error": type(error).__name__},
                )
                return default(args, kwargs) if callable(default) else default

        return wrapper

    return decorator


def _get_default(args, kwargs):
    # get(key, default=None, version=None)
    if len(args) > 1:
        return args[1]
    return kwargs.get("default")


class ResilientRedisCache(RedisCache):
    """django's RedisCache whose every operation behaves like a cache miss when Redis is down."""

    get = _fail_soft(_get_default)(RedisCache.get)
    get_many = _fail_soft(lambda a, k: {})(RedisCache.get_many)
    has_key = _fail_soft(False)(RedisCache.has_key)
    add = _fail_soft(False)(RedisCache.add)
    set = _fail_soft(None)(RedisCache.set)
    set_many = _fail_soft(lambda a, k: list(a[0]) if a else [])(RedisCache.set_many)
    touch = _fail_soft(False)(RedisCache.touch)
    delete = _fail_soft(False)(RedisCache.delete)
    delete_many = _fail_soft(None)(RedisCache.delete_many)
    clear = _fail_soft(False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read is a missing key, as for any cache miss: ValueError.
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            logger.warning("cache unavailable, serving uncached", extra={"event": "cache_unavailable"})
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error
