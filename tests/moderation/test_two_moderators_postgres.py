"""Two moderators decide the same comment at the same moment on PostgreSQL: one wins."""

import threading

import pytest
from django.db import connection

from articles.models import Comment
from moderation import services
from moderation.models import StatusChange
from tests.conftest import make_article, make_moderator, make_queued, service_missing

pytestmark = pytest.mark.postgres


def test_two_moderators_deciding_at_once_one_wins_the_other_is_told(transactional_db):
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL", "set DATABASE_URL to a PostgreSQL database")
    comment = make_queued(make_article())
    alice, bob = make_moderator("alice"), make_moderator("bob")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(moderator, action, reason):
        seen = Comment.objects.select_related("article").get(pk=comment.pk)
        start.wait()
        try:
            services.moderate(
                comment=seen,
                moderator=moderator,
                action=action,
                expected_status="needs_review",
                reason=reason,
            )
            outcomes[moderator.username] = "won"
        except services.DecisionConflict:
            outcomes[moderator.username] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(alice, "approve", "")),
        threading.Thread(target=decide, args=(bob, "reject", "spam")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = "alice" if outcomes["alice"] == "won" else "bob"
    expected = {"alice": "approved", "bob": "rejected"}[winner]
    assert Comment.objects.get(pk=comment.pk).status == expected
    [change] = StatusChange.objects.filter(comment=comment)
    assert change.actor.username == winner


def test_keep_and_remove_at_once_on_a_reported_comment_one_wins(transactional_db):
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL", "set DATABASE_URL to a PostgreSQL database")
    from moderation.models import ReviewItem

    comment = make_queued(make_article(), reported=1)
    item_id = ReviewItem.objects.get(comment=comment).pk
    alice, bob = make_moderator("alice"), make_moderator("bob")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(moderator, action, reason):
        seen = Comment.objects.select_related("article").get(pk=comment.pk)
        start.wait()
        try:
            services.moderate(
                comment=seen,
                moderator=moderator,
                action=action,
                expected_status="approved",
                item_id=item_id,
                reason=reason,
            )
            outcomes[moderator.username] = "won"
        except services.DecisionConflict:
            outcomes[moderator.username] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(alice, "approve", "")),
        threading.Thread(target=decide, args=(bob, "remove", "spam")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict", "won"]
    expected = "approved" if outcomes["alice"] == "won" else "removed"
    assert Comment.objects.get(pk=comment.pk).status == expected
    assert StatusChange.objects.filter(comment=comment).count() == 1
