"""With CACHE_URL on Redis and Redis down, the site degrades instead of answering 500: pages render
uncached, the outage is logged once a minute, comments and reports go on uncounted, a visitor's
follow request (a mail to a stranger's address) is refused with a 503, and /healthz says so."""

import logging
import os
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import Comment
from config import cache as resilient
from config.env import env_cache
from notifications.models import Subscription
from tests.factories import make_article, make_comment, make_user
from tests.required_services import service_missing

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_redis(settings, monkeypatch, url: str) -> None:
    """The caches as settings.py builds them from CACHE_URL."""
    monkeypatch.setenv("CACHE_URL", url)
    settings.CACHES = {
        "default": env_cache("CACHE_URL", "locmem://"),
        "ratelimit": env_cache("CACHE_URL", "locmem://", fail_silently=False),
    }


@pytest.fixture
def redis_down(settings, monkeypatch):
    monkeypatch.setattr(resilient, "OUTAGES", resilient._Outages())
    use_redis(settings, monkeypatch, f"redis://127.0.0.1:{closed_port()}/0")


@pytest.fixture
def discussion(db):
    article = make_article()
    make_comment(article, make_user(), body="Cycle lanes make the centre calmer.")
    return article


def test_an_anonymous_article_page_renders_uncached_while_redis_is_down(
    client, discussion, redis_down
):
    for order in ["", "?order=newest"]:
        response = client.get(discussion.get_absolute_url() + order)

        assert response.status_code == 200
        assert "Cycle lanes make the centre calmer." in response.content.decode()


def test_the_article_list_and_a_logged_in_reader_page_work_while_redis_is_down(
    client, discussion, redis_down
):
    assert client.get(reverse("articles:list")).status_code == 200
    client.force_login(make_user())
    assert client.get(discussion.get_absolute_url()).status_code == 200


def test_the_outage_is_logged_once_not_once_per_request(client, discussion, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(5):
            client.get(discussion.get_absolute_url())

    lines = [r for r in caplog.records if r.name == "config.cache"]
    assert len(lines) == 1
    assert "cannot be reached" in lines[0].getMessage()


def test_a_comment_is_posted_and_stored_while_redis_is_down(client, discussion, redis_down):
    client.force_login(make_user())

    response = client.post(
        reverse("articles:comment_create", args=[discussion.slug]),
        {"body": "The new lanes on the ring road are wide enough for cargo bikes."},
    )

    assert response.status_code == 302
    assert Comment.objects.filter(body__startswith="The new lanes").exists()


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_visitors_follow_request_is_refused_with_a_503_and_no_mail_while_redis_is_down(
    discussion, redis_down, language, django_capture_on_commit_callbacks
):
    from django.test import Client

    client = Client(headers={"accept-language": language})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:follow_by_email", args=[discussion.slug]),
            {"email": "guest@example.net"},
        )

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    expected = {
        "en": "Nothing was saved and no e-mail was sent.",
        "de": "Es wurde nichts gespeichert und keine E-Mail verschickt.",
    }[language]
    assert expected in page
    assert "Traceback" not in page and "CacheUnavailable" not in page
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_healthz_says_the_cache_is_down_and_still_answers_200(client, db, redis_down):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "down"


def test_healthz_says_the_cache_is_ok_with_the_local_cache(client, db):
    assert client.get("/healthz").json()["cache"] == "ok"


@pytest.fixture
def live_redis(settings, monkeypatch):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        service_missing("Redis", str(error))
    monkeypatch.setattr(resilient, "OUTAGES", resilient._Outages())
    use_redis(settings, monkeypatch, REDIS_URL)


@pytest.mark.redis
def test_with_redis_up_the_cache_stores_and_healthz_says_ok(client, db, live_redis):
    from django.core.cache import caches

    caches["default"].set("agora-test-key", "kept", 10)

    assert caches["default"].get("agora-test-key") == "kept"
    assert caches["ratelimit"].get("agora-test-key") == "kept"
    assert client.get("/healthz").json()["cache"] == "ok"


@pytest.mark.redis
def test_the_cache_is_used_again_once_redis_is_back(db, settings, monkeypatch, tmp_path, caplog):
    """A throw-away Redis on a spare port: up, stopped, started again on the same port."""
    from django.core.cache import caches

    if subprocess.run(["which", "redis-server"], capture_output=True).returncode:
        service_missing("redis-server", "not installed")
    monkeypatch.setattr(resilient, "OUTAGES", resilient._Outages())
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.0)
    port = closed_port()
    use_redis(settings, monkeypatch, f"redis://127.0.0.1:{port}/0")
    cache = caches["default"]

    cache.set("before", 1)  # down: stores nothing, raises nothing
    assert cache.get("before") is None
    server = start_redis(port, tmp_path)
    try:
        cache.set("after", 2)
        assert cache.get("after") == 2
    finally:
        server.terminate()
        server.wait(10)
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("after") is None
    assert any("cannot be reached" in r.getMessage() for r in caplog.records)


def start_redis(port: int, folder) -> subprocess.Popen:
    import redis

    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            redis.Redis(port=port).ping()
            return server
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the throw-away Redis did not start")
