"""A comment published again by any route settles its open appeal as granted, never leaving it
"filed" (moderation.lifecycle is the one place)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Comment
from moderation import dispatch, services
from moderation.models import Appeal, ReviewItem, StatusChange
from tests.factories import appeal, make_moderator, make_queued, turned_down


def test_restoring_an_appealed_comment_grants_its_appeal_with_who_and_when(
    db, wakeups, django_capture_on_commit_callbacks
):
    first, other = make_moderator(), make_moderator()
    comment = turned_down(by=first, action="remove")
    appeal(comment)
    wakeups.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done, refused = services.restore_comments(
            comments=Comment.objects.filter(pk=comment.pk), moderator=other
        )

    assert (done, refused) == (1, [])
    settled = Appeal.objects.get()
    assert (settled.outcome, settled.decided_by) == ("granted", other)
    assert settled.decided_at is not None
    assert not ReviewItem.objects.open().exists()
    restore, granted = StatusChange.objects.filter(comment=comment).order_by("-id")[:2][::-1]
    assert (restore.from_status, restore.to_status) == ("removed", "approved")
    assert (granted.actor, granted.reason_code, granted.reason) == (other, "appeal", "granted")
    assert granted.created_at >= restore.created_at
    assert services.appeal_states(comments=[comment])[comment.pk].outcome == "granted"
    # The author hears the appeal's outcome, not a second decision; followers hear of the comment.
    assert [name for name, _ in wakeups] == [dispatch.SEND_APPEAL_NOTICE, dispatch.NOTIFY_FOLLOWERS]


def test_deciding_the_settled_appeal_afterwards_is_a_conflict_and_changes_nothing(db):
    comment = turned_down(action="remove")
    appeal(comment)
    services.restore_comments(
        comments=Comment.objects.filter(pk=comment.pk), moderator=make_moderator()
    )

    with pytest.raises(services.DecisionConflict):
        services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=False)
    assert Appeal.objects.get().outcome == "granted"


def test_the_comments_admin_restore_action_settles_the_appeal(client, db):
    comment = turned_down(action="remove")
    appeal(comment)
    other = make_moderator()
    other.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(other)

    response = client.post(
        reverse("admin:articles_comment_changelist"),
        {"action": "restore_selected", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert (Appeal.objects.get().outcome, Appeal.objects.get().decided_by) == ("granted", other)


def test_the_restore_that_settled_an_appeal_is_not_undone_behind_the_appeal(db):
    moderator = make_moderator()
    comment = turned_down(action="remove")
    appeal(comment)
    restore = services.moderate(
        comment=comment, moderator=moderator, action="restore", expected_status="removed"
    )

    with pytest.raises(services.DecisionConflict):
        services.undo_decision(change_id=restore.pk, moderator=moderator)
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_a_comment_without_an_appeal_is_restored_as_before(
    db, wakeups, django_capture_on_commit_callbacks
):
    comment = turned_down(action="remove")
    wakeups.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.restore_comments(
            comments=Comment.objects.filter(pk=comment.pk), moderator=make_moderator()
        )

    assert not Appeal.objects.exists()
    assert not StatusChange.objects.filter(comment=comment, reason_code="appeal").exists()
    assert [name for name, _ in wakeups] == [
        dispatch.SEND_DECISION_NOTICE,
        dispatch.NOTIFY_FOLLOWERS,
    ]


QUEUE = reverse("admin:moderation_reviewitem_changelist")


def test_bulk_approve_in_the_queue_grants_the_selected_appeals(moderator_client, moderator):
    comment = turned_down(action="remove")
    appeal(comment)
    waiting = make_queued(comment.article)
    ids = ReviewItem.objects.filter(comment__in=[comment, waiting]).values_list("pk", flat=True)

    moderator_client.post(QUEUE, {"action": "approve_selected", "_selected_action": list(ids)})

    settled = Appeal.objects.get()
    assert (settled.outcome, settled.decided_by) == ("granted", moderator)
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert not ReviewItem.objects.open().exists()


def test_bulk_reject_in_the_queue_leaves_an_appeal_for_the_review_screen(moderator_client):
    comment = turned_down()
    appeal(comment)
    item = ReviewItem.objects.open().get(comment=comment)

    response = moderator_client.post(
        QUEUE,
        {"action": "reject_selected_spam", "_selected_action": [item.pk]},
        follow=True,
    )

    assert "An appeal is upheld on the review screen." in response.content.decode()
    assert Appeal.objects.get().outcome == "filed"
    assert ReviewItem.objects.open().filter(pk=item.pk).exists()
