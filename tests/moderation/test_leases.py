"""The models run outside database transactions: a batch is claimed under a lease, scored with no
transaction open, and applied in a short one. A worker that dies loses nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import services as articles
from articles.models import Comment
from moderation.models import ScoringLease
from moderation.scoring import pipeline
from tests.factories import lenient_policy, make_article, make_comment, make_user

ON_TOPIC = "Die Radwege in der Innenstadt sind eine gute Idee für die Stadt und den Rat."


def test_a_leased_comment_is_not_claimed_again_while_the_lease_lives(article):
    comment = make_comment(article, make_user(), status="pending")

    _token, first = pipeline.claim_batch(limit=10)
    _token, second = pipeline.claim_batch(limit=10)

    assert [c.pk for c in first] == [comment.pk]
    assert second == []


def test_a_dead_workers_comments_are_claimed_again_once_its_lease_expires(article):
    comment = make_comment(article, make_user(), status="pending")
    pipeline.claim_batch(limit=10)  # ... and the worker dies before it applies anything

    ScoringLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _token, again = pipeline.claim_batch(limit=10)

    assert [c.pk for c in again] == [comment.pk]


def test_the_sweep_clears_expired_leases_and_a_worker_then_scores_the_comment(scorer, article):
    lenient_policy()
    comment = make_comment(article, make_user(), status="pending", body=ON_TOPIC)
    pipeline.claim_batch(limit=10)
    ScoringLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    pipeline.sweep_pending()
    assert not ScoringLease.objects.exists()
    assert pipeline.score_pending() == 1

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_applying_a_batch_releases_its_leases(scorer, article):
    lenient_policy()
    make_comment(article, make_user(), status="pending", body=ON_TOPIC)

    pipeline.score_pending()

    assert not ScoringLease.objects.exists()


def test_a_failed_batch_releases_its_leases_for_the_retry(scorer, article, monkeypatch):
    comment = make_comment(article, make_user(), status="pending", body=ON_TOPIC)

    def broken(texts):
        raise RuntimeError("the model fell over")

    monkeypatch.setattr(scorer.relevance, "embed", broken)
    with pytest.raises(pipeline.ScoringFailed) as failure:
        pipeline.score_pending()

    assert failure.value.comment_ids == [comment.pk]
    assert not ScoringLease.objects.exists()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_a_comment_can_be_posted_while_a_batch_is_being_scored(
    scorer, transactional_db, monkeypatch
):
    """On SQLite a write transaction locks the whole database: with the models inside one, this
    post would wait until the batch was scored."""
    lenient_policy()
    article = make_article()
    make_comment(article, make_user(), status="pending", body=ON_TOPIC)
    author = make_user()
    model_running, posted = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}
    score = scorer.toxicity.score

    def slow_score(texts):
        model_running.set()
        seen["post_finished_while_the_model_ran"] = posted.wait(15)
        return score(texts)

    monkeypatch.setattr(scorer.toxicity, "score", slow_score)

    def worker():
        try:
            seen["scored"] = pipeline.score_pending()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert model_running.wait(30)
    comment = articles.post_comment(article=article, author=author, body=ON_TOPIC, parent=None)
    posted.set()
    thread.join(60)

    assert seen == {"post_finished_while_the_model_ran": True, "scored": 1}
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_a_worker_killed_while_its_models_run_loses_nothing(scorer, transactional_db):
    import os
    import signal
    import time

    lenient_policy()
    comment = make_comment(make_article(), make_user(), status="pending", body=ON_TOPIC)
    connection.close()  # the child process opens its own
    pid = os.fork()
    if pid == 0:  # the worker: it claims the batch, then hangs in the model until killed
        try:
            scorer.toxicity.score = lambda texts: time.sleep(120)
            pipeline.score_pending()
        finally:
            os._exit(0)
    deadline = time.monotonic() + 30
    while not ScoringLease.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    assert ScoringLease.objects.get().comment_id == comment.pk
    assert pipeline.score_pending() == 0  # its lease still holds the comment

    ScoringLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert pipeline.score_pending() == 1
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
