"""A post never waits for the broker: the wake-up after the commit gives up at once when the broker
is down, the comment stays pending in the database, and the sweep catches up later."""

import socket

import pytest
from django.urls import reverse

from articles.models import Comment
from config.celery import app
from moderation import dispatch

ON_TOPIC = "Die Radwege in der Innenstadt sind eine gute Idee für die Stadt und den Rat."


@pytest.fixture
def closed_broker():
    """A Redis broker URL on a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.broker_transport_options = f"redis://127.0.0.1:{port}/0", {}
    app._pool = None
    app.amqp._producer_pool = None
    dispatch.forget_broker_failure()
    yield app.conf.broker_url
    app.conf.broker_url, app.conf.broker_transport_options = previous
    app._pool = None
    app.amqp._producer_pool = None
    dispatch.forget_broker_failure()


@pytest.fixture
def connections(monkeypatch) -> list:
    """Each connection the hand-off opens to the broker, with the options it used."""
    opened: list = []
    original = app.connection_for_write

    def recording(*args, **kwargs):
        if kwargs:  # Celery's own lazy, never-connected event dispatcher passes none
            opened.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(app, "connection_for_write", recording)
    return opened


def post(client, article, body=ON_TOPIC):
    return client.post(
        reverse("articles:comment_create", kwargs={"slug": article.slug}), {"body": body}
    )


@pytest.mark.real_broker
def test_a_post_with_the_broker_down_is_stored_and_answered(
    reader_client, article, closed_broker, connections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(reader_client, article)

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert len(connections) == 1  # the wake-up was tried after the commit, and failed
    assert dispatch.broker_marked_down()


@pytest.mark.real_broker
def test_the_hand_off_waits_a_bounded_time_and_never_retries(
    reader_client, article, closed_broker, connections, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_PUBLISH_TIMEOUT_SECONDS = 0.2

    with django_capture_on_commit_callbacks(execute=True):
        post(reader_client, article)

    [options] = connections
    assert options["connect_timeout"] == 0.2
    assert options["transport_options"]["socket_connect_timeout"] == 0.2
    assert options["transport_options"]["max_retries"] == 0


@pytest.mark.real_broker
def test_after_a_failure_posts_skip_the_broker_for_a_while(
    reader_client, article, closed_broker, connections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(reader_client, article)
        post(reader_client, article, body=ON_TOPIC + " Zweitens.")

    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 2
    assert len(connections) == 1


def test_the_sweep_wakes_a_worker_once_the_broker_is_back(article, wakeups, settings):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.scoring import pipeline
    from tests.factories import make_comment, make_user

    make_comment(
        article,
        make_user(),
        status="pending",
        created_at=timezone.now() - timedelta(seconds=settings.MODERATION_SWEEP_AFTER_SECONDS + 1),
    )

    assert pipeline.sweep_pending() == 1
    assert wakeups == [(dispatch.SCORE_PENDING, ())]
