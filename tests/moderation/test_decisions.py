"""Moderators' decisions: each applies once, is audited, and bad requests change nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from moderation.models import ReaderProfile as Profile
from moderation.models import ReviewItem, StatusChange
from tests.factories import make_article, make_comment, make_moderator, make_queued, make_user

REVIEW = reverse("admin:moderation_review")


def decide(client, comment, action, expected=None, **extra):
    data = {"action": action, "expected_status": expected or comment.status, **extra}
    return client.post(reverse("admin:moderation_decide", args=[comment.pk]), data)


def status_of(comment) -> str:
    return Comment.objects.get(pk=comment.pk).status


def test_approve_publishes_the_comment_closes_the_item_and_records_who(
    moderator_client, moderator, article
):
    comment = make_queued(article)

    response = decide(moderator_client, comment, "approve")

    assert response.status_code == 302
    assert status_of(comment) == "approved"
    assert ReviewItem.objects.get(comment=comment).closed_at is not None
    change = StatusChange.objects.get(comment=comment)
    assert (change.from_status, change.to_status, change.actor) == (
        "needs_review",
        "approved",
        moderator,
    )


def test_reject_with_a_reason_shows_the_reason_to_the_author(moderator_client):
    article = make_article(language="en")
    author = make_user()
    comment = make_queued(article, author)

    decide(moderator_client, comment, "reject", reason="off_topic")

    assert status_of(comment) == "rejected"
    reader = Client(headers={"accept-language": "en"})
    reader.force_login(author)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Not published" in page
    assert "Off-topic" in page
    assert StatusChange.objects.get(comment=comment).reason_code == "off_topic"


def test_the_reason_is_given_in_the_discussions_language(moderator_client):
    comment = make_queued(make_article(language="de"))

    decide(moderator_client, comment, "reject", reason="spam")

    assert Comment.objects.get(pk=comment.pk).rejection_reason == "Spam oder Werbung"


def test_other_needs_a_written_reason(moderator_client):
    comment = make_queued(make_article(language="en"))

    refused = decide(moderator_client, comment, "reject", reason="other")
    accepted = decide(moderator_client, comment, "reject", reason="other", reason_text="Doppelt")

    assert refused.status_code == 400
    assert "Write the reason" in refused.content.decode()
    assert accepted.status_code == 302
    assert Comment.objects.get(pk=comment.pk).rejection_reason == "Other: Doppelt"


def test_a_reject_without_a_reason_is_refused_and_changes_nothing(moderator_client, article):
    comment = make_queued(article)

    response = decide(moderator_client, comment, "reject")

    assert response.status_code == 400
    assert "Choose a reason" in response.content.decode()
    assert status_of(comment) == "needs_review"
    assert not StatusChange.objects.exists()


def test_a_decision_on_a_comment_that_left_the_queue_gets_409(moderator_client, article):
    comment = make_queued(article)
    other = Client()
    other.force_login(make_moderator())
    decide(other, comment, "approve")

    response = decide(moderator_client, comment, "reject", expected="needs_review", reason="spam")

    assert response.status_code == 409
    assert "Another moderator has already decided" in response.content.decode()
    assert status_of(comment) == "approved"
    assert StatusChange.objects.count() == 1


def test_keeping_a_reported_comment_that_left_the_queue_gets_409(moderator_client, article):
    comment = make_queued(article, reported=1)
    decide(moderator_client, comment, "approve")

    again = decide(moderator_client, comment, "approve")

    assert again.status_code == 409
    assert "left the queue" in again.content.decode()


def test_a_forged_or_unknown_comment_id_gets_404(moderator_client):
    response = moderator_client.post(
        reverse("admin:moderation_decide", args=[999999]),
        {"action": "approve", "expected_status": "needs_review"},
    )

    assert response.status_code == 404


def test_an_unknown_action_is_refused(moderator_client, article):
    comment = make_queued(article)

    assert decide(moderator_client, comment, "publish-everything").status_code == 400
    assert status_of(comment) == "needs_review"


@pytest.mark.parametrize("who", ["anonymous", "reader", "staff"])
def test_a_decision_posted_by_a_non_moderator_gets_403(client, article, who):
    comment = make_queued(article)
    if who != "anonymous":
        client.force_login(make_user(is_staff=(who == "staff")))

    response = decide(client, comment, "approve")

    assert response.status_code == 403
    assert status_of(comment) == "needs_review"


def test_a_decision_without_a_csrf_token_gets_403(moderator, article):
    comment = make_queued(article)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)

    response = decide(client, comment, "approve")

    assert response.status_code == 403
    assert status_of(comment) == "needs_review"


def test_remove_and_restore_a_published_comment(moderator_client, article):
    comment = make_comment(article, make_user())

    decide(moderator_client, comment, "remove", reason="illegal")
    assert status_of(comment) == "removed"
    page = Client().get(article.get_absolute_url()).content.decode()
    assert comment.body not in page

    decide(moderator_client, comment, "restore", expected="removed")
    assert status_of(comment) == "approved"
    assert [c.to_status for c in StatusChange.objects.order_by("id")] == ["removed", "approved"]


def test_after_a_decision_the_review_screen_moves_to_the_next_item(moderator_client, article):
    first, second = make_queued(article), make_queued(article)
    next_id = ReviewItem.objects.get(comment=second).pk

    response = decide(moderator_client, first, "approve", next=str(next_id))

    assert response["Location"] == f"{REVIEW}?item={next_id}"
    assert moderator_client.get(response["Location"]).context["c"].comment == second


def test_bulk_approve_and_bulk_reject(moderator_client, article):
    approve = [make_queued(article) for _ in range(2)]
    reject = [make_queued(article) for _ in range(2)]
    queue = reverse("admin:moderation_reviewitem_changelist")

    for action, comments in [
        ("approve_selected", approve),
        ("reject_selected_off_topic", reject),
    ]:
        ids = ReviewItem.objects.filter(comment__in=comments).values_list("pk", flat=True)
        moderator_client.post(queue, {"action": action, "_selected_action": list(ids)})

    assert {status_of(c) for c in approve} == {"approved"}
    assert {status_of(c) for c in reject} == {"rejected"}
    assert ReviewItem.objects.open().count() == 0


def test_bulk_reject_removes_reported_published_comments(moderator_client, moderator, article):
    reported = [make_queued(article, reported=1) for _ in range(2)]
    waiting = make_queued(article)
    queue = reverse("admin:moderation_reviewitem_changelist")
    ids = ReviewItem.objects.filter(comment__in=[*reported, waiting]).values_list("pk", flat=True)

    response = moderator_client.post(
        queue, {"action": "reject_selected_spam", "_selected_action": list(ids)}, follow=True
    )

    assert {status_of(c) for c in reported} == {"removed"}
    assert status_of(waiting) == "rejected"
    assert ReviewItem.objects.open().count() == 0
    assert "not possible" not in response.content.decode()
    assert StatusChange.objects.filter(actor=moderator, to_status="removed").count() == 2


def test_ban_a_reader_and_reject_their_unpublished_comments(moderator_client, moderator, article):
    author = make_user()
    queued = make_queued(article, author)
    pending = make_comment(article, author, status="pending")
    published = make_comment(article, author)

    response = moderator_client.post(
        reverse("admin:moderation_ban", args=[author.pk]), {"reject_pending": "1"}
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=author).is_banned
    assert status_of(queued) == status_of(pending) == "rejected"
    assert status_of(published) == "approved"
    assert ReviewItem.objects.open().count() == 0
    assert StatusChange.objects.filter(actor=moderator, to_status="rejected").count() == 2


def test_ban_without_rejecting_leaves_the_comments_and_unban_lifts_it(moderator_client, article):
    author = make_user()
    pending = make_comment(article, author, status="pending")
    ban = reverse("admin:moderation_ban", args=[author.pk])

    moderator_client.post(ban)
    assert Profile.objects.get(user=author).is_banned
    assert status_of(pending) == "pending"

    moderator_client.post(ban, {"unban": "1"})
    assert not Profile.objects.get(user=author).is_banned


def test_banning_a_moderator_is_refused_and_changes_nothing(moderator_client, article):
    colleague = make_moderator()
    make_comment(article, colleague, status="pending")

    response = moderator_client.post(
        reverse("admin:moderation_ban", args=[colleague.pk]), {"reject_pending": "1"}
    )

    assert response.status_code == 400
    assert "cannot be banned" in response.content.decode()
    assert not Profile.objects.filter(user=colleague, is_banned=True).exists()
    assert not StatusChange.objects.exists()


def test_a_ban_posted_by_a_non_moderator_gets_403(client, article):
    author = make_user()
    client.force_login(make_user(is_staff=True))

    response = client.post(reverse("admin:moderation_ban", args=[author.pk]))

    assert response.status_code == 403
    assert not Profile.objects.filter(user=author, is_banned=True).exists()


def test_the_audit_trail_cannot_be_edited_or_deleted_through_the_admin(article):
    owner = make_user(is_staff=True, is_superuser=True)
    comment = make_queued(article)
    client = Client(headers={"accept-language": "en"})
    client.force_login(owner)
    decide(client, comment, "approve")
    change = StatusChange.objects.get()

    add = client.get(reverse("admin:moderation_statuschange_add"))
    edit = client.post(
        reverse("admin:moderation_statuschange_change", args=[change.pk]), {"reason": "x"}
    )
    delete = client.post(
        reverse("admin:moderation_statuschange_delete", args=[change.pk]), {"post": "yes"}
    )

    assert add.status_code == 403
    assert edit.status_code == 403
    assert delete.status_code == 403
    assert StatusChange.objects.get().reason == "approve"
    page = client.get(reverse("admin:articles_comment_change", args=[comment.pk])).content
    assert b"Audit trail" in page
    assert b"needs_review" in page  # the trail's entry, shown read-only


def test_the_comment_admin_cannot_change_a_status_behind_the_audit_trail(article):
    owner = make_user(is_staff=True, is_superuser=True)
    comment = make_queued(article)
    client = Client()
    client.force_login(owner)

    client.post(reverse("admin:articles_comment_change", args=[comment.pk]), {"status": "approved"})

    assert status_of(comment) == "needs_review"


def test_the_review_screen_shows_another_moderator_has_the_item_open(moderator_client, article):
    make_queued(article)
    colleague = Client(headers={"accept-language": "en"})
    colleague.force_login(make_moderator("anna"))
    colleague.get(REVIEW)

    page = moderator_client.get(REVIEW).content.decode()

    assert "anna has this open" in page


def test_policy_decisions_are_in_the_audit_trail(article):
    from moderation.models import PolicyVersion
    from moderation.policy.rules import Decision, Outcome
    from moderation.scoring import pipeline
    from moderation.scoring.results import Result

    comment = make_comment(article, make_user(), status="pending")
    result = Result(
        toxicity={},
        relevance=None,
        relevance_article=None,
        relevance_parent=None,
        language="de",
        language_source="declared",
        decision=Decision(Outcome.REVIEW, []),
    )
    pipeline.record_assessments(
        comments=[comment], results=[result], policy=PolicyVersion.objects.active(), scorer=None
    )

    change = StatusChange.objects.get(comment=comment)
    assert (change.from_status, change.to_status, change.actor) == ("pending", "needs_review", None)
    assert change.who == "automatic assessment (default policy)"
    assert ReviewItem.objects.open().filter(comment=comment).exists()


def test_a_stale_remove_cannot_undo_another_moderators_keep(moderator_client, article):
    comment = make_queued(article, reported=1)
    item = ReviewItem.objects.get(comment=comment)
    other = Client()
    other.force_login(make_moderator())
    decide(other, comment, "approve", item=str(item.pk))  # keep it published

    stale = decide(
        moderator_client, comment, "remove", expected="approved", reason="spam", item=str(item.pk)
    )

    assert stale.status_code == 409
    assert status_of(comment) == "approved"
    assert StatusChange.objects.filter(comment=comment).count() == 1


def test_a_ban_leaves_the_authors_reported_published_comments_in_the_queue(
    moderator_client, article
):
    author = make_user()
    reported = make_queued(article, author, reported=1)
    make_queued(article, author)

    moderator_client.post(
        reverse("admin:moderation_ban", args=[author.pk]), {"reject_pending": "1"}
    )

    assert list(ReviewItem.objects.open().values_list("comment_id", flat=True)) == [reported.pk]
    assert status_of(reported) == "approved"


def test_the_german_author_reads_the_ban_reason_in_german(moderator_client):
    author = make_user()
    comment = make_queued(make_article(language="de"), author)

    moderator_client.post(
        reverse("admin:moderation_ban", args=[author.pk]), {"reject_pending": "1"}
    )

    assert Comment.objects.get(pk=comment.pk).rejection_reason == (
        "Sonstiges: der Autor wurde gesperrt"
    )


def test_a_new_report_keeps_the_items_place_and_viewer(article, moderator):
    from django.utils import timezone

    from moderation import services

    comment = make_queued(article, reported=1)
    entered = timezone.now() - timezone.timedelta(hours=5)
    ReviewItem.objects.filter(comment=comment).update(
        entered_at=entered, opened_by=moderator, opened_at=timezone.now()
    )

    services.report_comment(comment=comment, reporter=make_user(), reason="spam")

    item = ReviewItem.objects.get(comment=comment)
    assert item.entered_at == entered
    assert item.opened_by == moderator
    assert item.report_count == 1  # the one report made through the service
