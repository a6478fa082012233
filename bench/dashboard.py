"""The owners' dashboard and calibration pages with 1,000 and 10,000 comments over 90 days.

Prints `page=dashboard comments=N days=D queries=Q ms=T` for the 7-, 30- and 90-day views and
`page=calibration comments=N queries=Q ms=T`. T is the median of a few requests. Throw-away
SQLite database unless DATABASE_URL is set.

    .venv/bin/python bench/dashboard.py
"""

import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import measure_page, start_throwaway_django  # noqa: E402

start_throwaway_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Comment  # noqa: E402
from moderation.models import Assessment, QueueReason, ReviewItem  # noqa: E402

SIZES = [1_000, 10_000]
LABELS = ["toxicity", "severe_toxicity", "obscene", "identity_attack", "insult", "threat"]
# decision, final status, share of comments
MIX = [
    ("publish", "approved", 0.70),
    ("review", "approved", 0.15),
    ("review", "rejected", 0.08),
    ("review", "needs_review", 0.02),
    ("reject", "rejected", 0.05),
]


@transaction.atomic
def add_comments(count: int, author, article, rng: random.Random) -> None:
    """`count` assessed comments spread over the last 90 days, with queue items for reviews."""
    now = timezone.now()
    plan = rng.choices([(d, s) for d, s, _ in MIX], weights=[w for *_, w in MIX], k=count)
    comments = Comment.objects.bulk_create(
        Comment(article=article, author=author, body=f"Kommentar {i}", status=status, depth=1)
        for i, (_decision, status) in enumerate(plan)
    )
    ages = [timedelta(minutes=rng.randrange(90 * 24 * 60)) for _ in comments]
    assessments = Assessment.objects.bulk_create(
        Assessment(
            comment=comment,
            decision=decision,
            language=rng.choice(["de", "de", "en", "fr"]),
            toxicity={label: round(rng.random(), 3) for label in LABELS},
            relevance=round(rng.random(), 3),
        )
        for comment, (decision, _status) in zip(comments, plan, strict=True)
    )
    for assessment, age in zip(assessments, ages, strict=True):
        assessment.created_at = now - age
    Assessment.objects.bulk_update(assessments, ["created_at"], batch_size=500)
    items = ReviewItem.objects.bulk_create(
        ReviewItem(
            comment=comment,
            source="policy",
            language="de",
            entered_at=now - age,
            closed_at=None if status == "needs_review" else now - age + timedelta(hours=2),
        )
        for comment, (decision, status), age in zip(comments, plan, ages, strict=True)
        if decision == "review"
    )
    QueueReason.objects.bulk_create(
        QueueReason(item=item, code="toxicity_review", label="insult") for item in items
    )


def main() -> None:
    rng = random.Random(1)
    owner = get_user_model().objects.create_superuser("bench-owner", "o@example.org", "x")
    author = get_user_model().objects.create_user("bench-author")
    article = Article.objects.create(
        title="Radwege", slug="radwege", lead="", body="", language="de"
    )
    client = Client()
    client.force_login(owner)
    total = 0
    for size in SIZES:
        add_comments(size - total, author, article, rng)
        total = size
        for days in [7, 30, 90]:
            url = f"/admin/moderation/dashboard/?days={days}"
            queries, ms = measure_page(client, url)
            print(f"page=dashboard comments={size} days={days} queries={queries} ms={ms:.0f}")
        queries, ms = measure_page(client, "/admin/moderation/dashboard/calibration/")
        print(f"page=calibration comments={size} queries={queries} ms={ms:.0f}")


if __name__ == "__main__":
    main()
