"""Two moderators decide the same comment at the same moment on PostgreSQL: one wins."""

import threading

import pytest
from django.db import connection

from articles.models import Comment
from moderation import services
from moderation.models import ReviewItem, StatusChange
from tests.factories import make_article, make_moderator, make_queued
from tests.required_services import service_missing

pytestmark = pytest.mark.postgres


def race(comment: Comment, expected: str, decisions: dict[str, tuple[str, str]]) -> dict:
    """Let each moderator decide (action, reason) at the same moment; say who won."""
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL", "set DATABASE_URL to a PostgreSQL database")
    item_id = ReviewItem.objects.get(comment=comment).pk
    moderators = {name: make_moderator(name) for name in decisions}
    start = threading.Barrier(len(decisions))
    outcomes: dict[str, str] = {}

    def decide(name: str) -> None:
        action, reason = decisions[name]
        seen = Comment.objects.select_related("article").get(pk=comment.pk)
        start.wait()
        try:
            services.moderate(
                comment=seen,
                moderator=moderators[name],
                action=action,
                expected_status=expected,
                item_id=item_id,
                reason=reason,
            )
            outcomes[name] = "won"
        except services.DecisionConflict:
            outcomes[name] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(name,)) for name in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_moderators_deciding_at_once_one_wins_the_other_is_told(transactional_db):
    comment = make_queued(make_article())

    outcomes = race(comment, "needs_review", {"alice": ("approve", ""), "bob": ("reject", "spam")})

    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = "alice" if outcomes["alice"] == "won" else "bob"
    assert (
        Comment.objects.get(pk=comment.pk).status
        == {"alice": "approved", "bob": "rejected"}[winner]
    )
    [change] = StatusChange.objects.filter(comment=comment)
    assert change.actor.username == winner


def test_keep_and_remove_at_once_on_a_reported_comment_one_wins(transactional_db):
    comment = make_queued(make_article(), reported=1)

    outcomes = race(comment, "approved", {"alice": ("approve", ""), "bob": ("remove", "spam")})

    assert sorted(outcomes.values()) == ["conflict", "won"]
    expected = "approved" if outcomes["alice"] == "won" else "removed"
    assert Comment.objects.get(pk=comment.pk).status == expected
    assert StatusChange.objects.filter(comment=comment).count() == 1
