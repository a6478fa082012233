"""What the page benchmarks share: a throw-away Django site, and timing a page with its queries."""

import os
import statistics
import tempfile
import time

REPEATS = 5


def start_throwaway_django() -> None:
    """Django on a fresh SQLite file in a temporary folder (unless DATABASE_URL says otherwise)."""
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("AGORA_VAR_DIR", tempfile.mkdtemp(prefix="agora-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def measure_page(
    client, url: str, repeats: int = REPEATS, *, cached: bool = True
) -> tuple[int, float]:
    """(queries, median milliseconds) of GET url, after one warm-up request.

    With cached=False the cache is emptied before each request, so nothing rendered is reused.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    timings, queries = [], 0
    for _ in range(repeats):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return queries, statistics.median(timings)
