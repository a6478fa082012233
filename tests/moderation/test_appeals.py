"""An author may appeal once against a rejection or removal; another moderator decides it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from articles.models import Comment
from moderation import dispatch, services
from moderation.models import Appeal, ReviewItem, StatusChange
from moderation.review import selectors
from notifications import decision_mail
from notifications.models import EmailPreferences
from tests.factories import (
    appeal,
    make_article,
    make_comment,
    make_moderator,
    make_user,
    turned_down,
)


@pytest.fixture(autouse=True)
def _in_english():
    """The services answer in the active language (German by default); these tests read English."""
    with translation.override("en"):
        yield


def refusal(comment, **kwargs) -> services.AppealRefused:
    with pytest.raises(services.AppealRefused) as caught:
        services.file_appeal(
            comment_id=comment.pk,
            author=kwargs.get("author", comment.author),
            text=kwargs.get("text", "Please look again."),
        )
    return caught.value


def test_an_appeal_goes_to_the_queue_marked_appeal_and_into_the_audit_trail(db):
    comment = turned_down()

    filed = appeal(comment)

    assert filed.text.startswith("I stayed on topic")
    item = ReviewItem.objects.open().get(comment=comment)
    assert item.source == "appeal"
    assert list(item.reasons.values_list("code", flat=True)) == ["appeal"]
    entry = StatusChange.objects.filter(comment=comment).first()
    assert (entry.actor, entry.reason_text) == (comment.author, "appeal filed")
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_a_removed_comment_can_be_appealed_too(db):
    comment = turned_down(action="remove")

    assert appeal(comment).contested_status == "removed"


def test_a_second_appeal_is_refused_with_a_clear_message(db):
    comment = turned_down()
    appeal(comment)

    error = refusal(comment)

    assert error.status_code == 409
    assert "already appealed" in str(error)
    assert Appeal.objects.count() == 1


def test_only_the_author_can_appeal(db):
    comment = turned_down()

    error = refusal(comment, author=make_user())

    assert error.status_code == 404
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("status", ["approved", "pending", "needs_review"])
def test_only_a_rejected_or_removed_comment_can_be_appealed(db, status):
    comment = make_comment(make_article(), make_user(), status=status)

    error = refusal(comment)

    assert error.status_code == 400
    assert "Only a rejected or removed comment" in str(error)
    assert not ReviewItem.objects.exists()


def test_an_appeal_after_the_period_is_refused(db, settings):
    settings.MODERATION_APPEAL_DAYS = 14
    comment = turned_down()
    StatusChange.objects.filter(comment=comment).update(
        created_at=timezone.now() - timedelta(days=14, minutes=1)
    )

    error = refusal(comment)

    assert error.status_code == 403
    assert "14 days" in str(error)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "x" * 1001])
def test_an_empty_or_overlong_appeal_is_refused_and_nothing_changes(db, text):
    comment = turned_down()

    error = refusal(comment, text=text)

    assert error.status_code == 400
    assert not Appeal.objects.exists()
    assert not ReviewItem.objects.open().filter(comment=comment).exists()


def test_the_original_decider_does_not_get_the_appeal_when_another_moderator_exists(db):
    first, other = make_moderator(), make_moderator()
    comment = turned_down(by=first)
    appeal(comment)

    assert not selectors.queue_page_queryset(first).filter(comment=comment).exists()
    assert selectors.queue_page_queryset(other).filter(comment=comment).exists()
    with pytest.raises(services.AppealForAnother):
        services.decide_appeal(comment_id=comment.pk, moderator=first, grant=True)


def test_a_single_moderator_decides_appeals_against_their_own_decisions(db):
    only = make_moderator()
    comment = turned_down(by=only)
    appeal(comment)

    assert selectors.queue_page_queryset(only).filter(comment=comment).exists()
    services.decide_appeal(comment_id=comment.pk, moderator=only, grant=False)


def test_granting_restores_the_comment_and_records_the_outcome(
    db, wakeups, django_capture_on_commit_callbacks
):
    first, other = make_moderator(), make_moderator()
    comment = turned_down(by=first, action="remove")
    appeal(comment)
    wakeups.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change = services.decide_appeal(comment_id=comment.pk, moderator=other, grant=True)

    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == ("approved", "")
    assert (change.from_status, change.to_status, change.actor) == ("removed", "approved", other)
    assert change.reason_text == "appeal granted"
    filed = Appeal.objects.get()
    assert (filed.outcome, filed.decided_by) == ("granted", other)
    assert not ReviewItem.objects.open().exists()
    # The appeal's own e-mail, not a second decision e-mail; followers hear of the comment.
    assert sorted(name for name, _ in wakeups) == sorted(
        [dispatch.SEND_APPEAL_NOTICE, dispatch.NOTIFY_FOLLOWERS]
    )


def test_upholding_keeps_the_comment_rejected(db):
    comment = turned_down()
    appeal(comment)

    change = services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=False)

    comment.refresh_from_db()
    assert comment.status == "rejected"
    assert "Off-topic" in comment.rejection_reason
    assert (change.to_status, change.reason_text) == ("rejected", "decision upheld on appeal")
    assert Appeal.objects.get().outcome == "upheld"


def test_an_appeal_is_decided_once(db):
    comment = turned_down()
    appeal(comment)
    services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=False)

    with pytest.raises(services.DecisionConflict):
        services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=True)
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_an_appeal_outcome_cannot_be_undone(db):
    comment = turned_down()
    appeal(comment)
    moderator = make_moderator()
    change = services.decide_appeal(comment_id=comment.pk, moderator=moderator, grant=True)

    with pytest.raises(services.DecisionRefused):
        services.undo_decision(change_id=change.pk, moderator=moderator)


def test_the_author_who_opted_in_gets_the_outcome_by_e_mail(db):
    author = make_user()
    EmailPreferences.objects.create(user=author, notify_on_decision=True, language="en")
    comment = turned_down(author)
    appeal(comment)
    services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=True)

    assert decision_mail.send_appeal_notice(comment_id=comment.pk)

    [message] = mail.outbox
    assert message.to == [author.email]
    assert "was granted" in message.subject
    assert "Your comment is published" in message.body


def test_an_author_who_did_not_opt_in_gets_no_e_mail(db):
    comment = turned_down()
    appeal(comment)
    services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=False)

    assert not decision_mail.send_appeal_notice(comment_id=comment.pk)
    assert mail.outbox == []


def test_appeal_states_say_who_may_appeal_until_when(db, settings):
    settings.MODERATION_APPEAL_DAYS = 14
    author = make_user()
    open_one, appealed = turned_down(author), turned_down(author)
    appeal(appealed)
    published = make_comment(make_article(), author)

    states = services.appeal_states(comments=[open_one, appealed, published])

    assert states[open_one.pk].can_appeal
    assert states[open_one.pk].deadline > timezone.now() + timedelta(days=13)
    assert (states[appealed.pk].can_appeal, states[appealed.pk].outcome) == (False, "filed")
    assert published.pk not in states
    assert Comment.objects.filter(pk=open_one.pk, status="rejected").exists()
