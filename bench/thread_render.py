"""Renders the first page of an article's discussion with 100, 1,000 and 10,000 approved comments.

Prints one `comments=N queries=Q ms=T cached_ms=C` line per size, for an anonymous reader: T with
the cache emptied before each request, C from the cache. Both are medians of a few requests. The
database is a throw-away SQLite file unless DATABASE_URL is set.

    .venv/bin/python bench/thread_render.py
"""

import random
import sys
from pathlib import Path

# Replace bench/ on the path: bench/queue.py would shadow the standard library's queue module.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import measure_page, start_throwaway_django  # noqa: E402

start_throwaway_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Comment  # noqa: E402

SIZES = [100, 1_000, 10_000]


@transaction.atomic
def fill(article: Article, size: int, authors: list) -> None:
    """A discussion's shape: a third of comments start a thread, replies favour recent ones."""
    rng = random.Random(size)
    comments: list[Comment] = []
    for i in range(size):
        parent = None
        if comments and rng.random() > 0.3:
            parent = comments[-1 - min(int(rng.expovariate(0.2)), len(comments) - 1)]
            if parent.depth >= 6:
                parent = parent.parent
        comment = Comment.objects.create(
            article=article,
            author=rng.choice(authors),
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            body=f"Kommentar {i}: Die Radwege https://example.org/{i} sind wichtig.\nDanke.",
            status=Comment.Status.APPROVED,
        )
        comments.append(comment)


def main() -> None:
    users = get_user_model().objects
    authors = [users.create_user(f"bench{i}", f"bench{i}@example.org") for i in range(50)]
    client = Client(headers={"accept-language": "en"})
    for size in SIZES:
        article = Article.objects.create(
            title=f"Bench {size}", slug=f"bench-{size}", lead="Lead", body="Body", author_name="B"
        )
        fill(article, size, authors)
        queries, ms = measure_page(client, article.get_absolute_url(), cached=False)
        _queries, cached_ms = measure_page(client, article.get_absolute_url())
        print(f"comments={size} queries={queries} ms={ms:.0f} cached_ms={cached_ms:.1f}")


if __name__ == "__main__":
    main()
