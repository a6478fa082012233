"""Undoing a decision from its message: within the window, by the moderator who decided, and
never over a later change."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles.models import Comment
from moderation.models import ReviewItem, StatusChange
from tests.factories import make_moderator, make_queued

REVIEW = reverse("admin:moderation_review")


def decide(client, comment, action, **extra):
    data = {"action": action, "expected_status": comment.status, **extra}
    return client.post(reverse("admin:moderation_decide", args=[comment.pk]), data, follow=True)


def undo(client, change):
    return client.post(reverse("admin:moderation_undo", args=[change.pk]))


def latest_change(comment) -> StatusChange:
    return StatusChange.objects.filter(comment=comment).first()


def test_the_decision_message_says_what_was_decided_and_offers_an_undo(moderator_client, article):
    comment = make_queued(article)

    page = decide(moderator_client, comment, "reject", reason="off_topic").content.decode()

    assert f"Rejected (Off-topic): comment #{comment.pk}." in page
    assert reverse("admin:moderation_undo", args=[latest_change(comment).pk]) in page
    assert "csrfmiddlewaretoken" in page
    assert "(possible for 10 minutes)" in page


def test_undo_within_the_window_restores_the_status_reopens_the_item_and_is_audited(
    moderator_client, moderator, article
):
    comment = make_queued(article)
    decide(moderator_client, comment, "reject", reason="spam")
    decision = latest_change(comment)

    response = undo(moderator_client, decision)

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == "needs_review"
    assert Comment.objects.get(pk=comment.pk).rejection_reason == ""
    assert ReviewItem.objects.open().filter(comment=comment).exists()
    undone = latest_change(comment)
    assert (undone.from_status, undone.to_status, undone.actor) == (
        "rejected",
        "needs_review",
        moderator,
    )
    assert undone.reason_text == "decision undone"
    page = moderator_client.get(response["Location"]).content.decode()
    assert f"Undone: comment #{comment.pk} is “needs review” again." in page


def test_undoing_a_removal_of_a_reported_comment_publishes_it_again_in_the_queue(
    moderator_client, article
):
    comment = make_queued(article, reported=1)
    decide(moderator_client, comment, "remove", reason="disrespectful")

    undo(moderator_client, latest_change(comment))

    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert ReviewItem.objects.open().filter(comment=comment).exists()


def test_undo_after_the_window_is_refused_with_a_message(moderator_client, article, settings):
    comment = make_queued(article)
    decide(moderator_client, comment, "approve")
    decision = latest_change(comment)
    StatusChange.objects.filter(pk=decision.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.MODERATION_UNDO_SECONDS + 1)
    )

    response = undo(moderator_client, decision)

    assert response.status_code == 400
    assert "can no longer be undone" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_undo_after_another_change_is_refused_and_changes_nothing(moderator_client, article):
    comment = make_queued(article)
    decide(moderator_client, comment, "approve")
    decision = latest_change(comment)
    comment.refresh_from_db()
    decide(moderator_client, comment, "remove", reason="spam")

    response = undo(moderator_client, decision)

    assert response.status_code == 409
    assert "has changed since this decision" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == "removed"


def test_another_moderator_cannot_undo_the_decision(moderator_client, client, article):
    comment = make_queued(article)
    decide(moderator_client, comment, "approve")
    client.force_login(make_moderator("other"))

    response = undo(client, latest_change(comment))

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_undo_needs_a_post_with_a_csrf_token(moderator, article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    comment = make_queued(article)
    change = StatusChange.objects.create(
        comment=comment, from_status="needs_review", to_status="approved", actor=moderator
    )
    Comment.objects.filter(pk=comment.pk).update(status="approved")

    assert client.get(reverse("admin:moderation_undo", args=[change.pk])).status_code == 405
    assert undo(client, change).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == "approved"
