"""`/healthz` for load balancers and uptime checks: 200 while the database answers."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.cache import cache_state
from moderation import services as moderation


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The database's and the cache's state, when a worker last reported (null if none has yet)
    and whether it has its models loaded.

    Only the database decides the status code: comments wait safely in the database while no
    worker runs, and pages render without the cache, so those are shown for monitoring, not
    failed on.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        heartbeat = moderation.worker_heartbeat()
        models, load_seconds = moderation.worker_models()
    except DatabaseError:
        return JsonResponse({"database": "unavailable", "cache": cache_state()}, status=503)
    age = round((timezone.now() - heartbeat).total_seconds()) if heartbeat else None
    return JsonResponse(
        {
            "database": "ok",
            "cache": cache_state(),
            "worker_heartbeat": heartbeat.isoformat() if heartbeat else None,
            "worker_heartbeat_age_seconds": age,
            "worker_models": models,
            "worker_models_load_seconds": load_seconds,
        }
    )
