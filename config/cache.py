"""Django's Redis cache, made to survive Redis being down.

The cache only saves work (rendered discussions, the review-wait estimate) and counts the rate
limits. When Redis cannot be reached, the `default` cache answers as an empty cache that stores
nothing, so pages render uncached instead of answering 500; the `ratelimit` alias raises
`CacheUnavailable` instead, so that each limit decides whether to fail open or closed
(`articles.ratelimits`). After a failure neither tries Redis again for `RETRY_SECONDS`, so an
outage costs a request one failed connection at most, and the outage is logged once per
`LOG_EVERY_SECONDS`, not once per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0

T = TypeVar("T")


class CacheUnavailable(Exception):
    """The cache server could not be reached."""


class _Outages:
    """When each Redis server last failed, shared by every alias that names it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until: dict[str, float] = {}
        self._logged_at: dict[str, float] = {}

    def is_down(self, server: str) -> bool:
        return self._down_until.get(server, 0.0) > time.monotonic()

    def failed(self, server: str, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until[server] = now + RETRY_SECONDS
            if now - self._logged_at.get(server, -LOG_EVERY_SECONDS) < LOG_EVERY_SECONDS:
                return
            self._logged_at[server] = now
        logger.warning(
            "The cache at %s cannot be reached (%s): pages render without it, and the rate "
            "limits fail open or closed as configured. Logged once a minute while it lasts.",
            server,
            error.__class__.__name__,
        )

    def answered(self, server: str) -> None:
        if self._down_until.pop(server, None) is not None:
            self._logged_at.pop(server, None)
            logger.warning("The cache at %s answers again.", server)


OUTAGES = _Outages()


def _public_name(location: str) -> str:
    """host:port of a Redis URL, without its password."""
    parts = urlsplit(location.split(",")[0])
    return f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else parts.path


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations never raise redis' own errors when the server is unreachable.

    OPTIONS may hold `FAIL_SILENTLY` (default true): when true, an unreachable server reads as an
    empty cache (get returns the default, add and delete return False, set stores nothing);
    when false, every operation raises `CacheUnavailable`.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.fail_silently = bool(options.pop("FAIL_SILENTLY", True))
        super().__init__(server, {**params, "OPTIONS": options})
        self.server_name = _public_name(server if isinstance(server, str) else server[0])

    def _guard(self, operation: Callable[[], T], fallback: Callable[[], T]) -> T:
        if OUTAGES.is_down(self.server_name):
            if self.fail_silently:
                return fallback()
            raise CacheUnavailable(self.server_name)
        try:
            result = operation()
        except RedisError as error:
            OUTAGES.failed(self.server_name, error)
            if self.fail_silently:
                return fallback()
            raise CacheUnavailable(self.server_name) from error
        OUTAGES.answered(self.server_name)
        return result

    def is_reachable(self) -> bool:
        """Asks the server now, whatever the last failure; records the answer."""
        try:
            # The client behind RedisCache is private; django-stubs leaves it out.
            self._cache.get_client(write=False).ping()  # type: ignore[attr-defined]
        except RedisError as error:
            OUTAGES.failed(self.server_name, error)
            return False
        OUTAGES.answered(self.server_name)
        return True


def _guarded(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCache's method `name`, answering `fallback(*args, **kwargs)` while Redis is down."""

    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        parent = getattr(super(ResilientRedisCache, self), name)
        return self._guard(lambda: parent(*args, **kwargs), lambda: fallback(*args, **kwargs))

    method.__name__ = name
    return method


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


def _not_counted(*args: Any, **kwargs: Any) -> int:
    # What Django's caches raise for a key they do not hold; callers of incr handle it.
    raise ValueError("The cache cannot be reached.")


_FALLBACKS: dict[str, Callable[..., Any]] = {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda keys, version=None: {},
    "has_key": _false,
    "add": _false,
    "set": _nothing,
    "set_many": lambda data, timeout=None, version=None: list(data),
    "touch": _false,
    "delete": _false,
    "delete_many": _nothing,
    "incr": _not_counted,
    "clear": _nothing,
}
for _name, _fallback in _FALLBACKS.items():
    setattr(ResilientRedisCache, _name, _guarded(_name, _fallback))


def cache_state() -> str:
    """ "ok" or "down", for /healthz: the default cache asked now (a local cache is always ok)."""
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache) and not cache.is_reachable():
        return "down"
    return "ok"
