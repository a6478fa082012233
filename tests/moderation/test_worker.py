"""A real Celery worker process against Redis: a comment posted in the web view gets decided."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from articles.models import Comment
from config.celery import app
from moderation.models import Assessment
from tests.factories import make_article, make_user
from tests.required_services import service_missing

pytestmark = [pytest.mark.redis, pytest.mark.real_broker]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def redis_broker():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError as error:
        service_missing("Redis", str(error))
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.broker_transport_options = REDIS_URL, {}
    # Celery keeps its connection pools once made; forget them, as it does after a fork.
    app._pool = None
    app.amqp._producer_pool = None
    yield REDIS_URL
    app.conf.broker_url, app.conf.broker_transport_options = previous
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(redis_broker, tiny_models, transactional_db, tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        **tiny_models,
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_broker,
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    yield process, log
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for_decision(comment_id: int, process, log, seconds: float = 90) -> Comment:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        comment = Comment.objects.get(pk=comment_id)
        if comment.status != Comment.Status.PENDING:
            return comment
        assert process.poll() is None, log.read_text()[-3000:]
        time.sleep(0.25)
    pytest.fail(f"No decision within {seconds}s. Worker log:\n{log.read_text()[-3000:]}")


def test_a_comment_posted_in_the_web_view_is_decided_by_a_running_worker(client, worker):
    process, log = worker
    article = make_article(title="Radwege", body="Die Stadt baut Radwege in der Innenstadt.")
    client.force_login(make_user())

    response = client.post(
        reverse("articles:comment_create", kwargs={"slug": article.slug}),
        {"body": "Die Radwege in der Innenstadt sind eine gute Idee für die Stadt."},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING

    decided = wait_for_decision(comment.pk, process, log)

    assessment = Assessment.objects.get(comment=decided)
    assert assessment.applied
    assert decided.status in {"approved", "needs_review", "rejected"}
    assert assessment.toxicity_model.startswith("detoxify:")
    assert "score_pending" in log.read_text()


def test_a_worker_loads_its_models_when_it_starts_before_any_comment(client, worker):
    process, log = worker
    deadline = time.monotonic() + 90
    while "Moderation models loaded in" not in log.read_text():
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.25)

    health = client.get("/healthz").json()

    assert health["worker_models"] == "loaded"
    assert health["worker_models_load_seconds"] >= 0
    assert "Task moderation.tasks.score_pending" not in log.read_text()  # loaded at start
