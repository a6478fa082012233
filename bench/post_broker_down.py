"""Posts comments with the broker up and with it down, and prints the time each post takes.

Prints `broker=up post_ms=T` and `broker=down post_ms=T` (median and p95 of N posts through the
whole web stack: view, database, and the hand-off to Celery after the commit). "Up" is the Redis
at BENCH_REDIS_URL (default redis://127.0.0.1:6379/14; the file-system broker when Redis does not
answer); "down" is a Redis URL on a local port where nothing listens.

    .venv/bin/python bench/post_broker_down.py
"""

import socket
import statistics
import sys
import time
from os import environ
from pathlib import Path

# Replace bench/ on the path: bench/queue.py would shadow the standard library's queue module.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import start_throwaway_django  # noqa: E402

start_throwaway_django()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Comment  # noqa: E402
from config.celery import app  # noqa: E402
from moderation import dispatch  # noqa: E402

POSTS = 40


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def live_broker() -> tuple[str, str]:
    """(name, url) of a broker that answers."""
    import redis

    url = environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return "redis", url
    except redis.exceptions.ConnectionError:
        return "filesystem", app.conf.broker_url


def use_broker(url: str, transport_options: dict) -> None:
    app.conf.broker_url, app.conf.broker_transport_options = url, transport_options
    app._pool = None
    app.amqp._producer_pool = None
    dispatch.forget_broker_failure()


def time_posts(client: Client, article: Article, label: str) -> list[float]:
    url = reverse("articles:comment_create", kwargs={"slug": article.slug})
    timings = []
    for i in range(POSTS):
        started = time.perf_counter()
        response = client.post(url, {"body": f"Beitrag {label} {i}: Die Radwege sind gut."})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
    return timings


def main() -> None:
    user = get_user_model().objects.create_user("bench", "bench@example.org", "bench-password-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    article = Article.objects.create(
        title="Radwege",
        slug="radwege",
        lead="Neue Radwege.",
        body="Die Stadt baut.",
        author_name="A",
    )
    client = Client()
    client.force_login(user)
    local_options = dict(app.conf.broker_transport_options or {})
    name, url = live_broker()
    use_broker(url, local_options if name == "filesystem" else {})
    up = time_posts(client, article, "up")
    use_broker(closed_port_url(), {})
    down = time_posts(client, article, "down")
    stored = Comment.objects.filter(status=Comment.Status.PENDING).count()

    for label, timings in [("up", up), ("down", down)]:
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(
            f"broker={label} post_ms={statistics.median(timings):.1f} p95_ms={p95:.1f} "
            f"posts={len(timings)}"
        )
    ratio = statistics.median(down) / statistics.median(up)
    print(f"live_broker={name} stored_pending={stored} ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
