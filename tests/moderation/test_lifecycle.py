"""A comment's lifecycle: who may move it where, one conditional update per move, and the side
effects of a whole batch in one query per kind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Comment
from moderation import lifecycle
from moderation.lifecycle import By
from moderation.models import StatusChange
from notifications.models import CommentToAnnounce
from tests.factories import make_article, make_comment, make_moderator, make_user


def pending(article, count):
    author = make_user()
    return [make_comment(article, author, status="pending") for _ in range(count)]


def publish_all(comments):
    return [
        lifecycle.move(comment, to="approved", by=By.SYSTEM, actor_label="policy v1")
        for comment in comments
    ]


def settle_queries(transitions) -> int:
    with CaptureQueriesContext(connection) as queries:
        lifecycle.settle(transitions)
    return len(queries)


def test_settling_32_published_comments_takes_as_many_queries_as_settling_one(
    db, wakeups, django_capture_on_commit_callbacks
):
    article = make_article()
    one = publish_all(pending(article, 1))
    batch = publish_all(pending(article, 32))

    queries_for_one = settle_queries(one)
    with django_capture_on_commit_callbacks(execute=True):
        queries_for_32 = settle_queries(batch)

    assert queries_for_32 == queries_for_one <= 4
    assert StatusChange.objects.count() == 33
    assert CommentToAnnounce.objects.count() == 33
    assert Article.objects.get(pk=article.pk).thread_version == article.thread_version + 2
    assert [name for name, _ in wakeups].count("notifications.tasks.notify_followers") == 32


def test_a_comment_that_left_pending_is_not_moved_and_settles_nothing(db):
    comment = make_comment(make_article(), make_user(), status="pending")
    Comment.objects.filter(pk=comment.pk).update(status="approved")  # a moderator was first

    transition = lifecycle.move(comment, expected="pending", to="rejected", by=By.SYSTEM)

    assert transition is None
    assert lifecycle.settle([transition]) == []
    assert Comment.objects.get(pk=comment.pk).status == "approved"


@pytest.mark.parametrize(
    ("before", "after", "by"),
    [
        ("approved", "removed", By.SYSTEM),  # only a person removes a published comment
        ("rejected", "approved", By.SYSTEM),
        ("pending", "removed", By.MODERATOR),  # an unpublished comment is rejected, not removed
        ("approved", "rejected", By.APPEAL),
        ("needs_review", "pending", By.MODERATOR),
    ],
)
def test_a_transition_its_maker_may_not_make_is_refused_and_changes_nothing(db, before, after, by):
    comment = make_comment(make_article(), make_user(), status=before)

    with pytest.raises(ValueError):
        lifecycle.move(comment, to=after, by=by, actor=make_moderator())

    assert Comment.objects.get(pk=comment.pk).status == before


def test_every_moderator_move_can_be_undone_and_only_moderators_restore():
    for (before, after), makers in lifecycle.ALLOWED.items():
        if By.MODERATOR in makers:
            assert lifecycle.may_move(after, before, By.UNDO), (before, after)
    assert lifecycle.may_move("removed", "approved", By.MODERATOR)
    assert not lifecycle.may_move("removed", "approved", By.SYSTEM)


def test_the_sets_other_code_asks_about_agree_with_each_other():
    assert lifecycle.APPEALABLE == lifecycle.TURNED_DOWN < lifecycle.DECIDED
    assert lifecycle.VISIBLE < lifecycle.DECIDED
    assert not lifecycle.AWAITING & lifecycle.DECIDED
    statuses = set(Comment.Status.values)
    assert statuses == lifecycle.AWAITING | lifecycle.DECIDED
    assert set(lifecycle.STATUS_FOR_OUTCOME.values()) <= statuses


@pytest.mark.parametrize(
    ("before", "after", "by", "hears"),
    [
        ("pending", "approved", By.SYSTEM, False),  # the policy publishing tells nobody
        ("pending", "needs_review", By.SYSTEM, False),
        ("pending", "rejected", By.SYSTEM, True),
        ("needs_review", "approved", By.MODERATOR, True),
        ("approved", "removed", By.MODERATOR, True),
        ("approved", "approved", By.MODERATOR, False),  # kept after a report: nothing changed
    ],
)
def test_the_author_hears_of_what_a_person_decides_and_of_the_policy_rejecting(
    db, before, after, by, hears
):
    comment = make_comment(make_article(), make_user(), status=before)

    transition = lifecycle.move(comment, to=after, by=by)

    assert transition.author_hears is hears
