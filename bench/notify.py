"""Follower e-mails for an article with 10, 100 and 1,000 subscribers and one newly published
comment.

Prints `subscribers=N queries=Q ms=T announce_queries=A announce_ms=U emails=E`: Q and T for
building and sending the e-mails (`follower_mail.send_due`), A and U for putting the recipients in
the outbox (`follower_mail.announce`). Q does not grow with N; on SQLite, A grows by one INSERT
per ~80 recipients (Django's batches under SQLite's 999 variables). The e-mails go to Django's
in-memory backend. Throw-away SQLite database unless DATABASE_URL is set.

    .venv/bin/python bench/notify.py
"""

import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import start_throwaway_django  # noqa: E402

start_throwaway_django()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Comment  # noqa: E402
from notifications import follower_mail  # noqa: E402
from notifications.models import EmailPreferences, Subscription  # noqa: E402

SIZES = [10, 100, 1_000]


@transaction.atomic
def article_with_followers(count: int) -> Article:
    article = Article.objects.create(
        title=f"Cycle lanes ({count} followers)",
        slug=f"cycle-lanes-{count}",
        lead="The council voted.",
        body="The council voted for new cycle lanes.",
        author_name="Jana Korte",
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"f{count}-{i}", email=f"f{count}-{i}@example.org") for i in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    # Half of them have a profile (in English), half keep the defaults.
    EmailPreferences.objects.bulk_create(
        EmailPreferences(user=u, language="en") for u in users[::2]
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(article=article, user=u, confirmed_at=now) for u in users
    )
    return article


def measure(count: int, author) -> str:
    article = article_with_followers(count)
    comment = Comment.objects.create(
        article=article,
        author=author,
        body="Protected lanes make the ring safer.",
        status="approved",
    )
    with CaptureQueriesContext(connection) as announcing:
        started = time.perf_counter()
        follower_mail.announce(comment_id=comment.pk)
        announce_ms = (time.perf_counter() - started) * 1000
    mail.outbox = []
    with CaptureQueriesContext(connection) as sending:
        started = time.perf_counter()
        sent = follower_mail.send_due()
        send_ms = (time.perf_counter() - started) * 1000
    return (
        f"subscribers={count} queries={len(sending)} ms={send_ms:.0f} "
        f"announce_queries={len(announcing)} announce_ms={announce_ms:.0f} emails={sent}"
    )


def main() -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    author = get_user_model().objects.create(username="author", email="author@example.org")
    for count in SIZES:
        print(measure(count, author), flush=True)


if __name__ == "__main__":
    main()
