"""Hostile input on the review screen and its decisions: every check a decision passes before
it applies, appeal decisions and every other way to settle an appealed comment, the audit sample's
confirm, undo and ban, and forged or garbage ids. Garbage gets a 4xx (never a 500), people without
the right get 403 or the log-in, and nothing is decided.
"""

import random

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from moderation import services
from moderation.models import Appeal, AuditSample, ReviewItem
from moderation.review import audit_sample
from tests.factories import (
    make_article,
    make_comment,
    make_moderator,
    make_queue_entry,
    make_queued,
    make_user,
    pending_comments,
    record_outcome,
)
from tests.hostile import REVIEW, assert_no_leak, logged_in

# --- Appeal decisions and the audit sample's confirm ---------------------------------------------


def appealed() -> tuple[Comment, object]:
    first = make_moderator()
    author = make_user()
    comment = make_queued(make_article(language="en"), author)
    services.moderate(
        comment=comment,
        moderator=first,
        action="reject",
        expected_status="needs_review",
        reason="spam",
    )
    services.file_appeal(comment_id=comment.pk, author=author, text="Please look again.")
    return comment, first


def appeal_url(pk) -> str:
    return reverse("admin:moderation_decide_appeal", args=[pk])


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["", "GRANT", "grant ", "yes", "\x00", "x" * 5000])
def test_a_garbage_appeal_outcome_is_400_and_decides_nothing(outcome):
    comment, _first = appealed()

    response = logged_in(make_moderator()).post(appeal_url(comment.pk), {"outcome": outcome})

    assert response.status_code == 400
    assert_no_leak(response, admin=True)
    assert Appeal.objects.get().outcome == "filed"


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["grant", "uphold"])
def test_the_original_decider_cannot_decide_the_appeal_while_another_moderator_exists(outcome):
    comment, first = appealed()
    make_moderator()

    response = logged_in(first).post(appeal_url(comment.pk), {"outcome": outcome})

    assert response.status_code == 403
    assert Appeal.objects.get().outcome == "filed"


def removed_and_appealed() -> tuple[Comment, object, object]:
    """A published comment that one moderator removed and its author appealed, with that
    moderator and their decision; moderators may use the comments admin's actions here."""
    Group.objects.get_or_create(name="Moderators")[0].permissions.add(
        Permission.objects.get(codename="view_comment")
    )
    first = make_moderator()
    author = make_user()
    comment = make_comment(make_article(language="en"), author)
    removal = services.moderate(
        comment=comment,
        moderator=first,
        action="remove",
        expected_status="approved",
        reason="spam",
    )
    services.file_appeal(comment_id=comment.pk, author=author, text="Please look again.")
    return comment, first, removal


def restore_on_the_review_screen(client, comment, removal):
    return client.post(
        reverse("admin:moderation_decide", args=[comment.pk]),
        {"action": "restore", "expected_status": "removed"},
    )


def undo_the_removal(client, comment, removal):
    return client.post(reverse("admin:moderation_undo", args=[removal.pk]))


def grant_the_appeal(client, comment, removal):
    return client.post(appeal_url(comment.pk), {"outcome": "grant"})


def restore_in_the_comments_admin(client, comment, removal):
    return client.post(
        reverse("admin:articles_comment_changelist"),
        {"action": "restore_selected", "_selected_action": [comment.pk]},
    )


def approve_in_the_queue(client, comment, removal):
    item = ReviewItem.objects.open().get(comment=comment)
    return client.post(
        reverse("admin:moderation_reviewitem_changelist"),
        {"action": "approve_selected", "_selected_action": [item.pk]},
    )


# Each way to change an appealed comment, and what its contested decider gets: a 403, or for a
# bulk action a redirect that names the comment left out. An undo meets the appeal's own entry in
# the trail first: the comment has changed since the decision (409).
SETTLING_PATHS = [
    (restore_on_the_review_screen, 403),
    (undo_the_removal, 409),
    (grant_the_appeal, 403),
    (restore_in_the_comments_admin, 302),
    (approve_in_the_queue, 302),
]


@pytest.mark.django_db
@pytest.mark.parametrize("settle, status", SETTLING_PATHS, ids=lambda p: getattr(p, "__name__", p))
def test_it_refuses_the_contested_decider_every_way_to_settle_the_appeal(settle, status):
    comment, first, removal = removed_and_appealed()
    make_moderator()

    response = settle(logged_in(first), comment, removal)

    assert response.status_code == status
    assert_no_leak(response, admin=True)
    if settle is restore_in_the_comments_admin:
        warnings = [str(m) for m in get_messages(response.wsgi_request)]
        assert warnings == [
            f"#{comment.pk}: You made the decision this appeal contests: "
            "another moderator decides it."
        ]
    comment.refresh_from_db()
    assert comment.status == "removed"
    appeal = Appeal.objects.get()
    assert (appeal.outcome, appeal.decided_by) == ("filed", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "settle",
    [path for path, _status in SETTLING_PATHS if path is not undo_the_removal],
    ids=lambda p: p.__name__,
)
def test_another_moderator_still_settles_the_appeal_every_way(settle):
    comment, _first, removal = removed_and_appealed()
    other = make_moderator()

    response = settle(logged_in(other), comment, removal)

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"
    appeal = Appeal.objects.get()
    assert (appeal.outcome, appeal.decided_by) == ("granted", other)


@pytest.mark.django_db
@pytest.mark.parametrize("second", ["grant", "uphold"])
def test_a_decided_appeal_cannot_be_decided_again(second):
    comment, _first = appealed()
    moderator = make_moderator()
    logged_in(moderator).post(appeal_url(comment.pk), {"outcome": "uphold"})

    response = logged_in(make_moderator()).post(appeal_url(comment.pk), {"outcome": second})

    assert 400 <= response.status_code < 500
    assert_no_leak(response, admin=True)
    comment.refresh_from_db()
    assert comment.status == "rejected"


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_an_appeal_decision_on_an_unknown_comment_is_4xx(pk):
    response = logged_in(make_moderator()).post(
        f"/admin/moderation/reviewitem/appeal/{pk}/", {"outcome": "grant"}
    )

    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_an_appeal_decision_by_a_reader_or_without_a_csrf_token_is_403():
    comment, _first = appealed()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_moderator())

    assert (
        logged_in(make_user()).post(appeal_url(comment.pk), {"outcome": "grant"}).status_code == 403
    )
    assert client.post(appeal_url(comment.pk), {"outcome": "grant"}).status_code == 403
    assert Appeal.objects.get().outcome == "filed"


@pytest.mark.django_db
@pytest.mark.parametrize("expected", ["approved", "needs_review", "pending", "", "x" * 500])
def test_confirming_an_audit_sample_with_a_stale_status_is_refused(expected, monkeypatch):
    monkeypatch.setattr(audit_sample, "_rng", random.Random(7))
    [comment] = pending_comments(make_article())
    record_outcome([comment], audit_sample.Outcome.REJECT)
    item = ReviewItem.objects.get(comment=comment)

    response = logged_in(make_moderator()).post(
        f"/admin/moderation/reviewitem/decide/{comment.pk}/",
        {"action": "confirm", "expected_status": expected, "item": item.pk},
    )

    assert 400 <= response.status_code < 500
    assert_no_leak(response, admin=True)
    assert AuditSample.objects.get(comment=comment).verdict == ""


@pytest.mark.django_db
@pytest.mark.parametrize("item", ["²", "abc", "9" * 40, "-1"])
@pytest.mark.parametrize("url", ["decide", "review"])
def test_a_garbage_item_id_on_the_review_screen_is_no_error(url, item):
    comment = make_queued(make_article(language="en"))
    client = logged_in(make_moderator())
    if url == "review":
        response = client.get(f"/admin/moderation/reviewitem/review/?item={item}")
    else:
        response = client.post(
            f"/admin/moderation/reviewitem/decide/{comment.pk}/",
            {"action": "approve", "expected_status": "needs_review", "item": item, "next": item},
        )

    assert response.status_code in {200, 302, 400, 409}
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
@pytest.mark.parametrize("action", ["undo", "ban"])
def test_an_undo_or_ban_of_an_unknown_id_is_4xx(action, pk):
    response = logged_in(make_moderator()).post(
        f"/admin/moderation/reviewitem/{action}/{pk}/", {"ban_days": "1"}
    )

    assert 400 <= response.status_code < 500
    assert_no_leak(response, admin=True)


# --- Every decision check ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "9223372036854775807"])
def test_a_decision_on_an_unknown_comment_is_404(pk):
    client = logged_in(make_moderator())

    response = client.post(
        reverse("admin:moderation_decide", args=[pk]),
        {"action": "approve", "expected_status": "needs_review"},
    )

    assert response.status_code == 404
    assert_no_leak(response, admin=True)


def decide(client, comment, **data):
    return client.post(reverse("admin:moderation_decide", args=[comment.pk]), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, status",
    [
        ({"action": "approve", "expected_status": "needs_review"}, 302),
        ({"action": "approve", "expected_status": "pending"}, 409),
        ({"action": "approve", "expected_status": "bogus"}, 409),
        ({"action": "approve"}, 409),
        ({"action": "publish-everything", "expected_status": "needs_review"}, 400),
        ({"action": "", "expected_status": "needs_review"}, 400),
        ({"action": "reject", "expected_status": "needs_review"}, 400),
        ({"action": "reject", "expected_status": "needs_review", "reason": "bogus"}, 400),
        ({"action": "reject", "expected_status": "needs_review", "reason": "other"}, 400),
        pytest.param(
            {
                "action": "reject",
                "expected_status": "needs_review",
                "reason": "other",
                "reason_text": "\u200b\u200b",
            },
            400,
        ),
        ({"action": "reject", "expected_status": "needs_review", "reason": "spam"}, 302),
    ],
)
def test_a_moderators_decision_is_checked_before_it_applies(data, status):
    comment = make_queue_entry(make_article(language="en"), "Waiting for a moderator")

    response = decide(logged_in(make_moderator()), comment, **data)

    assert response.status_code == status
    assert_no_leak(response, admin=True)
    stored = Comment.objects.get(pk=comment.pk).status
    if status == 302:
        assert stored in {Comment.Status.APPROVED, Comment.Status.REJECTED}
    else:
        assert stored == Comment.Status.NEEDS_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    [
        lambda: Client(),
        lambda: logged_in(make_user()),
        lambda: logged_in(make_user(is_staff=True)),
        lambda: logged_in(make_user(banned=True)),
    ],
    ids=["anonymous", "reader", "staff-outside-the-group", "banned"],
)
def test_only_moderators_can_decide(who):
    comment = make_queue_entry(make_article(), "Waiting for a moderator")

    response = decide(who(), comment, action="approve", expected_status="needs_review")

    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.NEEDS_REVIEW


@pytest.mark.django_db
def test_the_review_screen_with_a_forged_item_is_no_error():
    make_queue_entry(make_article(), "Waiting")
    client = logged_in(make_moderator())

    for item in ["abc", "-1", "999999", "9" * 30, "%00"]:
        response = client.get(f"{REVIEW}?item={item}")

        assert response.status_code in {200, 302, 400, 404}
        assert_no_leak(response, admin=True)
