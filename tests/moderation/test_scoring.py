"""Scoring pending comments: claims, records, the state machine, failures and the sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Comment
from moderation.models import ArticleEmbedding, Assessment, PolicyVersion
from moderation.scoring import classifiers, pipeline
from moderation.scoring.assessment import assess
from moderation.tasks import score_pending
from tests.factories import lenient_policy, make_article, make_comment, make_user

ON_TOPIC = "Die Radwege in der Innenstadt sind eine gute Idee für die Stadt und den Rat."


def pending(article, author=None, **fields):
    return make_comment(article, author or make_user(), status="pending", **fields)


def test_it_scores_pending_comments_and_records_everything(scorer, article):
    policy = lenient_policy()
    comment = pending(article, body=ON_TOPIC)

    assert pipeline.score_pending() == 1

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assessment = Assessment.objects.get(comment=comment)
    assert set(assessment.toxicity) >= {"toxicity", "insult", "threat"}
    assert 0.0 <= assessment.relevance <= 1.0
    assert assessment.relevance == assessment.relevance_article
    assert -1.0 <= assessment.relevance_raw <= 1.0
    assert assessment.relevance_parent_raw is None
    assert assessment.toxicity_model == scorer.toxicity.model_id
    assert "sha256:" in assessment.toxicity_model
    assert assessment.relevance_model == scorer.relevance.model_id
    assert assessment.policy == policy
    assert assessment.decision == "publish"
    assert assessment.language == "de"
    assert assessment.timings["batch_size"] == 1
    assert assessment.timings["post_to_decision_ms"] >= 0


def test_a_reply_is_also_scored_against_its_parent(scorer, article):
    lenient_policy()
    parent = make_comment(article, make_user(), body="The ferry is back in the harbour.")
    reply = pending(article, parent=parent, body="Yes, the ferry and the harbour are great.")

    pipeline.score_pending()

    assessment = Assessment.objects.get(comment=reply)
    assert assessment.relevance_parent is not None
    assert assessment.relevance_parent_raw is not None
    assert assessment.relevance_parent_article is not None
    # The parent lifts the reply only as far as the parent is itself on topic.
    lifted = min(assessment.relevance_parent, assessment.relevance_parent_article)
    assert assessment.relevance == max(assessment.relevance_article, lifted)


def test_it_applies_the_policy_to_reject_and_to_send_to_review(scorer, article):
    [scores] = scorer.toxicity.score([ON_TOPIC])
    lenient_policy(insult_review_at=scores["insult"] - 0.01)
    reviewed = pending(article, body=ON_TOPIC)
    pipeline.score_pending()

    lenient_policy(insult_review_at=0.0, insult_reject_at=scores["insult"] - 0.01)
    rejected = pending(article, body=ON_TOPIC)
    pipeline.score_pending()

    reviewed.refresh_from_db()
    rejected.refresh_from_db()
    assert reviewed.status == Comment.Status.NEEDS_REVIEW
    assert rejected.status == Comment.Status.REJECTED
    assert rejected.rejection_reason  # shown to the author
    assert Assessment.objects.get(comment=rejected).reasons[0]["code"] == "toxicity_reject"


def test_it_scores_a_batch_in_one_pass_up_to_the_batch_size(scorer, article, settings):
    lenient_policy()
    settings.MODERATION_BATCH_SIZE = 3
    for i in range(5):
        pending(article, body=f"{ON_TOPIC} {i}")

    assert pipeline.score_pending() == 3
    assert pipeline.score_pending() == 2
    assert pipeline.score_pending() == 0
    sizes = sorted(a.timings["batch_size"] for a in Assessment.objects.all())
    assert sizes == [2, 2, 3, 3, 3]


def test_the_task_drains_every_pending_comment(scorer, article, settings):
    lenient_policy()
    settings.MODERATION_BATCH_SIZE = 2
    for i in range(5):
        pending(article, body=f"{ON_TOPIC} {i}")

    assert score_pending.apply().get() == 5
    assert not Comment.objects.filter(status="pending").exists()


def test_it_never_overrides_a_moderators_decision(scorer, article):
    lenient_policy()
    comment = pending(article, body=ON_TOPIC)
    [result] = assess(
        pipeline._items_for([comment]), scorer=scorer, policy=PolicyVersion.objects.active()
    )
    # A moderator decides while the (late) assessment is still on its way.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REJECTED)

    [assessment] = pipeline.record_assessments(
        comments=[comment], results=[result], policy=PolicyVersion.objects.active(), scorer=scorer
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert assessment.applied is False


def test_a_repeated_task_scores_nothing_twice(scorer, article):
    lenient_policy()
    comment = pending(article, body=ON_TOPIC)

    score_pending.apply(kwargs={"comment_ids": [comment.pk]})
    score_pending.apply(kwargs={"comment_ids": [comment.pk]})

    assert Assessment.objects.filter(comment=comment).count() == 1


def test_article_vectors_are_cached_and_recomputed_when_the_text_changes(scorer, article):
    lenient_policy()
    pending(article, body=ON_TOPIC)
    pipeline.score_pending()
    first = ArticleEmbedding.objects.get(article=article)

    pending(article, body=ON_TOPIC + " Noch einmal.")
    pipeline.score_pending()
    assert ArticleEmbedding.objects.get(article=article).vectors == first.vectors

    article.body = "A completely different body about the harbour ferry."
    article.save()
    pending(article, body=ON_TOPIC)
    pipeline.score_pending()
    again = ArticleEmbedding.objects.get(article=article)
    assert again.text_hash != first.text_hash
    assert bytes(again.vectors) != bytes(first.vectors)


def test_a_long_article_is_embedded_in_pieces(scorer, db):
    lenient_policy()
    article = make_article(body="\n\n".join(["Die Stadt baut Radwege. " * 30] * 4))
    pending(article, body=ON_TOPIC)

    pipeline.score_pending()

    row = ArticleEmbedding.objects.get(article=article)
    assert len(bytes(row.vectors)) // (4 * row.dimensions) > 4


def test_short_replies_are_not_sent_to_review_for_being_short(scorer, article):
    lenient_policy(relevance_review_below=1.0)  # every longer comment counts as off-topic
    parent = make_comment(article, make_user())
    short = [
        pending(article, parent=parent, body=text) for text in ["Genau!", "Danke für den Artikel"]
    ]
    long = pending(article, body=ON_TOPIC)

    pipeline.score_pending()

    for comment in short:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
    long.refresh_from_db()
    assert long.status == Comment.Status.NEEDS_REVIEW


def test_the_language_is_kept_detected_or_declared(scorer, db):
    lenient_policy()
    english = pending(
        make_article(language="de"), body="The ferry is back and the harbour is busy."
    )
    short = pending(make_article(language="en"), body="Genau!")

    pipeline.score_pending()

    assert Assessment.objects.get(comment=english).language == "en"
    assert Assessment.objects.get(comment=english).language_source == "detected"
    assert Assessment.objects.get(comment=short).language == "en"
    assert Assessment.objects.get(comment=short).language_source == "declared"


def test_one_text_that_breaks_the_model_fails_alone(scorer, article, monkeypatch):
    lenient_policy()
    good = pending(article, body=ON_TOPIC)
    bad = pending(article, body="this text breaks the tokenizer")
    real = scorer.toxicity.predict

    def fragile(texts):
        if any("breaks" in text for text in texts):
            raise ValueError("tokenizer rejected the text")
        return real(texts)

    monkeypatch.setattr(scorer.toxicity, "predict", fragile)
    pipeline.score_pending()

    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == Comment.Status.APPROVED
    assert bad.status == Comment.Status.NEEDS_REVIEW
    assert "tokenizer rejected" in Assessment.objects.get(comment=bad).error


def broken_models(settings):
    settings.MODERATION_TOXICITY_CHECKPOINT = "/nonexistent/toxicity.ckpt"
    settings.MODERATION_TOXICITY_CONFIG_DIR = "/nonexistent"
    classifiers.forget_scorer()


def test_when_models_do_not_load_the_task_retries_then_sends_to_review(settings, article):
    broken_models(settings)
    settings.MODERATION_MAX_RETRIES = 2
    settings.MODERATION_RETRY_BACKOFF_SECONDS = 1
    comment = pending(article, body=ON_TOPIC)

    result = score_pending.apply()  # eager: the retries run in place

    comment.refresh_from_db()
    assert comment.status == Comment.Status.NEEDS_REVIEW
    assessment = Assessment.objects.get(comment=comment)
    assert assessment.reasons == [{"code": "assessment_unavailable"}]
    assert "MODERATION_TOXICITY_CHECKPOINT" in assessment.error
    assert result.state == "SUCCESS"
    from moderation.models import ModelStatus

    assert not ModelStatus.objects.get().ok


def test_models_that_do_not_load_are_logged_once_per_process_with_what_to_do(
    settings, article, caplog, monkeypatch
):
    broken_models(settings)
    monkeypatch.setattr(pipeline, "_unavailable_logged", False)
    settings.MODERATION_MAX_RETRIES = 2
    settings.MODERATION_RETRY_BACKOFF_SECONDS = 1
    pending(article, body=ON_TOPIC)

    with caplog.at_level("INFO", logger="moderation.scoring.pipeline"):
        score_pending.apply()  # the first try and two retries

    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "The moderation models cannot be loaded" in errors[0]
    assert "/nonexistent/toxicity.ckpt" in errors[0]
    assert "make run MODELS=demo" in errors[0]
    assert "review queue" in errors[0]


def test_a_failing_task_retries_with_backoff(settings, article, monkeypatch):
    broken_models(settings)
    settings.MODERATION_MAX_RETRIES = 3
    settings.MODERATION_RETRY_BACKOFF_SECONDS = 10
    comment = pending(article, body=ON_TOPIC)
    retries = []

    def record_retry(*args, **kwargs):
        retries.append(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(score_pending, "retry", record_retry)
    with pytest.raises(RuntimeError):
        score_pending.apply(throw=True)

    assert retries[0]["countdown"] == 10
    assert retries[0]["kwargs"] == {"comment_ids": [comment.pk]}
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING  # never published unassessed


def test_the_sweep_wakes_workers_for_comments_pending_too_long(article, settings, wakeups):
    settings.MODERATION_SWEEP_AFTER_SECONDS = 60
    settings.MODERATION_BATCH_SIZE = 2
    old = timezone.now() - timedelta(minutes=5)
    for _ in range(3):
        pending(article, created_at=old)
    pending(article)  # fresh: its own wake-up is still on its way

    assert pipeline.sweep_pending() == 2
    assert len(wakeups) == 2


def test_posting_wakes_a_worker_after_the_commit(
    reader_client, article, wakeups, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(
            reverse("articles:comment_create", kwargs={"slug": article.slug}), {"body": "Hi"}
        )

    assert len(wakeups) == 1


def test_the_sweep_command_can_score_inline(scorer, article):
    from django.core.management import call_command

    lenient_policy()
    pending(article, body=ON_TOPIC)

    call_command("sweep_pending", inline=True)

    assert not Comment.objects.filter(status="pending").exists()


@pytest.mark.parametrize("task", ["score_pending", "sweep_pending"])
def test_a_database_that_is_down_costs_the_worker_one_log_line_and_leaves_the_comment_pending(
    article, monkeypatch, caplog, task
):
    from django.db import OperationalError

    from moderation import tasks

    comment = make_comment(article, make_user(), status=Comment.Status.PENDING)

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, task, down)
    with caplog.at_level("WARNING", logger="moderation.tasks"):
        result = getattr(tasks, task).apply()

    assert result.successful()
    assert [r.getMessage() for r in caplog.records if r.name == "moderation.tasks"] == [
        "The database cannot be reached (server closed the connection unexpectedly); "
        + ("the sweep retries." if task == "score_pending" else "the next sweep retries.")
    ]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
