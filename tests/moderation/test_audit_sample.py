"""The audit sample: a random share of automatic decisions goes to the queue, keeps its status
until a moderator overturns it, and the verdicts are recorded."""

import random

from articles.models import Comment
from moderation.codes import QueueSource, ReasonCode
from moderation.models import AuditSample, ReviewItem
from moderation.policy.rules import Outcome
from moderation.review import audit_sample
from moderation.review.decisions import choices_for
from moderation.scoring import pipeline
from tests.factories import (
    make_article,
    make_comment,
    make_queued,
    make_user,
    pending_comments,
    record_outcome,
)


def test_the_share_drawn_over_many_decisions_is_close_to_the_setting():
    outcomes = [Outcome.PUBLISH, Outcome.REJECT] * 10_000
    drawn = audit_sample.draw(outcomes, share=0.02, rng=random.Random(1))
    assert 340 <= len(drawn) <= 460  # 2% of 20,000 is 400; four standard deviations either side


def test_decisions_sent_to_review_and_a_share_of_zero_are_never_drawn():
    assert audit_sample.draw([Outcome.REVIEW] * 100, share=1.0, rng=random.Random(1)) == []
    assert audit_sample.draw([Outcome.PUBLISH] * 100, share=0.0, rng=random.Random(1)) == []


def test_a_sampled_published_comment_stays_published_in_the_queue(article, drawing):
    [comment] = pending_comments(article)
    record_outcome([comment], Outcome.PUBLISH)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    item = ReviewItem.objects.open().get(comment=comment)
    assert item.source == QueueSource.AUDIT
    assert list(item.reasons.values_list("code", flat=True)) == [ReasonCode.AUDIT_SAMPLE]
    assert AuditSample.objects.get(comment=comment).decision == "publish"


def test_unsampled_comments_do_not_enter_the_queue(article):
    comments = pending_comments(article, 3)
    record_outcome(comments, Outcome.PUBLISH, share=0.0)
    assert not ReviewItem.objects.filter(comment__in=comments).exists()


def test_confirming_keeps_the_status_and_records_the_verdict(article, drawing, moderator_client):
    [comment] = pending_comments(article)
    record_outcome([comment], Outcome.REJECT)
    item = ReviewItem.objects.get(comment=comment)

    response = moderator_client.post(
        f"/admin/moderation/reviewitem/decide/{comment.pk}/",
        {"action": "confirm", "expected_status": "rejected", "item": item.pk},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert not ReviewItem.objects.open().filter(comment=comment).exists()
    assert AuditSample.objects.get(comment=comment).verdict == "confirmed"


def test_a_moderator_overturns_an_automatic_rejection_by_approving(
    article, drawing, moderator_client
):
    [comment] = pending_comments(article)
    record_outcome([comment], Outcome.REJECT)
    item = ReviewItem.objects.get(comment=comment)

    moderator_client.post(
        f"/admin/moderation/reviewitem/decide/{comment.pk}/",
        {"action": "approve", "expected_status": "rejected", "item": item.pk},
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert AuditSample.objects.get(comment=comment).verdict == "overturned"


def test_a_moderator_overturns_an_automatic_publication_by_removing(
    article, drawing, moderator_client
):
    [comment] = pending_comments(article)
    record_outcome([comment], Outcome.PUBLISH)
    item = ReviewItem.objects.get(comment=comment)

    moderator_client.post(
        f"/admin/moderation/reviewitem/decide/{comment.pk}/",
        {"action": "remove", "expected_status": "approved", "item": item.pk, "reason": "spam"},
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert AuditSample.objects.get(comment=comment).verdict == "overturned"


def test_a_rejected_comment_outside_the_audit_sample_cannot_be_confirmed_or_approved(
    article, moderator_client
):
    comment = make_comment(article, make_user(), status="rejected")
    for action in ["confirm", "approve"]:
        response = moderator_client.post(
            f"/admin/moderation/reviewitem/decide/{comment.pk}/",
            {"action": action, "expected_status": "rejected"},
        )
        assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED


def test_the_review_screen_offers_confirm_for_an_audit_sample(article, drawing, moderator_client):
    [published] = pending_comments(article)
    record_outcome([published], Outcome.PUBLISH)
    [rejected] = pending_comments(article)
    record_outcome([rejected], Outcome.REJECT)

    assert choices_for(published, audited=True).confirm == "confirm"
    assert choices_for(published, audited=True).approve is None
    assert choices_for(published, audited=True).turn_down == "remove"
    assert choices_for(rejected, audited=True).approve == "approve"
    assert choices_for(rejected, audited=True).turn_down is None

    page = moderator_client.get("/admin/moderation/reviewitem/review/").content.decode()
    assert 'id="confirm-form"' in page
    assert "Audit sample" in page


def test_an_audit_sample_never_changes_status_without_a_moderator(article, drawing):
    comments = pending_comments(article, 5)
    record_outcome(comments, Outcome.PUBLISH)
    rejected = pending_comments(article, 5)
    record_outcome(rejected, Outcome.REJECT)

    # The sweep that keeps scoring moving leaves them alone.
    pipeline.sweep_pending()
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status", flat=True)
    ) == {"approved"}
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in rejected]).values_list("status", flat=True)
    ) == {"rejected"}
    assert AuditSample.objects.filter(verdict="").count() == 10


def test_the_queue_list_shows_audit_samples_and_filters_them(article, drawing, moderator_client):
    [published] = pending_comments(article)
    record_outcome([published], Outcome.PUBLISH)
    [rejected] = pending_comments(article)
    record_outcome([rejected], Outcome.REJECT)
    Comment.objects.filter(pk=published.pk).update(body="Sampled and published.")
    Comment.objects.filter(pk=rejected.pk).update(body="Sampled and rejected.")
    make_queued(make_article(), body="Sent to review by the policy.")

    page = moderator_client.get("/admin/moderation/reviewitem/?reason=audit_sample")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Sampled and published." in text and "Sampled and rejected." in text
    assert "Sent to review by the policy." not in text


def test_undoing_a_verdict_returns_the_sample_to_waiting(article, drawing, moderator_client):
    [comment] = pending_comments(article)
    record_outcome([comment], Outcome.PUBLISH)
    item = ReviewItem.objects.get(comment=comment)
    moderator_client.post(
        f"/admin/moderation/reviewitem/decide/{comment.pk}/",
        {"action": "confirm", "expected_status": "approved", "item": item.pk},
    )
    change = comment.status_changes.filter(actor__isnull=False).get()

    moderator_client.post(f"/admin/moderation/reviewitem/undo/{change.pk}/")

    assert AuditSample.objects.get(comment=comment).verdict == ""
    assert ReviewItem.objects.open().filter(comment=comment).exists()
