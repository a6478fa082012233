"""Typed readers of environment variables for config/settings.py: each returns the value or the
default, and a malformed value stops start-up with a message that names the variable."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    """The variable's value, or the default; fail loudly when neither exists."""
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_float(name: str, default: float, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_map(name: str) -> dict[str, str]:
    """`key=value,key=value` as a dict, e.g. MODERATION_RELEVANCE_MODELS="de=/models/de,en=…"."""
    mapping = {}
    for item in env_list(name):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name}: {item!r} is not key=value (e.g. de=/models/de).")
        mapping[key.strip()] = value.strip()
    return mapping


def env_cache(name: str, default: str, *, fail_silently: bool = True) -> dict:
    """One cache from a URL: locmem:// (this process only) or redis:// (shared by all).

    Redis goes through config.cache.ResilientRedisCache: while it is down the cache reads as
    empty (`fail_silently`) or raises CacheUnavailable, and no request waits long for it.
    """
    raw = os.environ.get(name) or default
    if raw.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": raw,
            "OPTIONS": {
                "FAIL_SILENTLY": fail_silently,
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
            },
        }
    if raw.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": raw.removeprefix("locmem://") or "agora",
        }
    raise ImproperlyConfigured(f"{name}={raw!r} is not a locmem:// or redis:// URL.")


def env_database(name: str, default: str) -> dj_database_url.DBConfig:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} is not a database URL dj-database-url understands: {error}"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no database engine.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web process and the worker write to the same file: wait for each other's locks.
        config.setdefault("OPTIONS", {}).setdefault("timeout", 20)
        # Take the write lock when a transaction starts: a worker's read-then-write transaction
        # must not fail with "database is locked" when a comment was posted meanwhile.
        config["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
        # A test database in a file, not in memory, so that a real worker process can share it.
        config["TEST"] = {"NAME": str(Path(config["NAME"]).with_suffix(".test.sqlite3"))}
    return config
