"""The moderators' queue page and review screen with 100, 1,000 and 10,000 items waiting.

Prints `items=N queries=Q ms=T` for the queue page and `page=review items=N queries=Q ms=T` for
the focused review screen. T is the median of a few requests. Throw-away SQLite database unless
DATABASE_URL is set.

    .venv/bin/python bench/queue.py
"""

import sys
from pathlib import Path

# This file is named like the standard library's queue module: run from the project root instead
# of from bench/, or `import queue` anywhere below would import this script.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import random  # noqa: E402

from bench.harness import measure_page, start_throwaway_django  # noqa: E402

start_throwaway_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Comment  # noqa: E402
from moderation.models import Assessment, QueueReason, Report, ReviewItem  # noqa: E402

SIZES = [100, 1_000, 10_000]
LABELS = ["toxicity", "severe_toxicity", "obscene", "identity_attack", "insult", "threat"]


@transaction.atomic
def add_items(count: int, authors: list, articles: list, rng: random.Random) -> None:
    """Grow the queue by `count` items, shaped like a real one: replies, reports, scores."""
    parents = list(Comment.objects.filter(status="approved").order_by("?")[:200])
    comments = Comment.objects.bulk_create(
        Comment(
            article=rng.choice(articles),
            author=rng.choice(authors),
            parent=rng.choice(parents) if parents and rng.random() < 0.6 else None,
            depth=2,
            body=f"Kommentar {i}: " + "Die Radwege sind ein Thema für die ganze Stadt. " * 3,
            status="needs_review" if i % 10 else "approved",
        )
        for i in range(count)
    )
    items = ReviewItem.objects.bulk_create(
        ReviewItem(
            comment=c,
            source="reports" if c.status == "approved" else "policy",
            language="de",
            report_count=1 if c.status == "approved" else 0,
            priority=0 if c.status == "approved" or rng.random() < 0.1 else 1,
        )
        for c in comments
    )
    QueueReason.objects.bulk_create(
        QueueReason(item=item, code=code, label=label)
        for item in items
        if item.source == "policy"
        for code, label in [("toxicity_review", "insult"), ("off_topic", "")]
    )
    Assessment.objects.bulk_create(
        Assessment(
            comment=c,
            toxicity={label: round(rng.random(), 3) for label in LABELS},
            relevance=round(rng.random(), 3),
            decision="review",
            reasons=[
                {"code": "toxicity_review", "label": "insult", "score": 0.6, "threshold": 0.5}
            ],
        )
        for c in comments
        if c.status != "approved"
    )
    Report.objects.bulk_create(
        Report(comment=c, reporter=rng.choice(authors), reason="disrespectful")
        for c in comments
        if c.status == "approved"
    )


def main() -> None:
    rng = random.Random(4)
    users = get_user_model().objects
    authors = [users.create_user(f"reader{i}", f"reader{i}@example.org") for i in range(300)]
    articles = [
        Article.objects.create(
            title=f"Artikel {i}",
            slug=f"artikel-{i}",
            lead="Vorspann",
            body="Text",
            author_name="Redaktion",
        )
        for i in range(20)
    ]
    Comment.objects.bulk_create(
        Comment(
            article=rng.choice(articles), author=rng.choice(authors), body="Gut.", status="approved"
        )
        for _ in range(2000)
    )
    moderator = users.create_user("moderator", "moderator@example.org", "pw", is_staff=True)
    group = Group.objects.create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_comments"))
    moderator.groups.add(group)
    client = Client(headers={"accept-language": "en"})
    client.force_login(moderator)

    queued = 0
    for size in SIZES:
        add_items(size - queued, authors, articles, rng)
        queued = size
        queries, ms = measure_page(client, reverse("admin:moderation_reviewitem_changelist"))
        print(f"items={size} queries={queries} ms={ms:.0f}")
        queries, ms = measure_page(client, reverse("admin:moderation_review"))
        print(f"page=review items={size} queries={queries} ms={ms:.0f}")


if __name__ == "__main__":
    main()
