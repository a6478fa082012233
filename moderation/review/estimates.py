"""How long a comment sent to review usually waits for a person's decision, for its author.

The estimate is the 80th percentile of the waits (posting to a moderator's decision) of the
comments decided from the review queue in the last 7 days, rounded up; with fewer than
`MIN_DECISIONS` such decisions there is no estimate, rather than an invented one. One query,
cached for a few minutes.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.core.cache import cache
from django.db.models import DurationField, ExpressionWrapper, F
from django.utils import timezone

from articles.models import Comment
from moderation import lifecycle
from moderation.models import StatusChange

WINDOW = timedelta(days=7)
MIN_DECISIONS = 10
PERCENTILE = 0.8
SAMPLE = 1000  # the most recent decisions; plenty for a percentile
CACHE_KEY = "moderation:review-wait-minutes"
CACHE_SECONDS = 300


def usual_wait_minutes(waits: list[timedelta]) -> int | None:
    """The 80th percentile (nearest rank) of the waits in minutes, rounded up to a plain number:
    whole minutes up to 10, fives up to an hour, half hours beyond. None for too few waits."""
    if len(waits) < MIN_DECISIONS:
        return None
    ordered = sorted(waits)
    wait = ordered[math.ceil(PERCENTILE * len(ordered)) - 1]
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    step = 1 if minutes <= 10 else 5 if minutes <= 60 else 30
    return math.ceil(minutes / step) * step


def recent_review_waits() -> list[timedelta]:
    """Posting-to-decision times of the last 7 days' human decisions on comments in review."""
    wait = ExpressionWrapper(
        F("created_at") - F("comment__created_at"), output_field=DurationField()
    )
    decisions = StatusChange.objects.filter(
        created_at__gte=timezone.now() - WINDOW,
        from_status=Comment.Status.NEEDS_REVIEW,
        to_status__in=lifecycle.DECIDED,
        actor__isnull=False,
    )
    rows = decisions.annotate(wait=wait).order_by("-created_at").values_list("wait", flat=True)
    return [value for value in rows[:SAMPLE] if value is not None]


def review_wait_minutes() -> int | None:
    """The usual wait for a decision on a comment in review, in minutes, or None (too little
    data). Cached for CACHE_SECONDS."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = usual_wait_minutes(recent_review_waits()) or 0
        cache.set(CACHE_KEY, cached, CACHE_SECONDS)
    return cached or None
