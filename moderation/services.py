"""What the rest of Agora calls on moderation: the reader side, the admin and the commands.

Each workflow lives in a module of its own (see README.md, "Layout"); this module only names the
calls that cross into moderation, so that `articles` depends on nothing else of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from articles.models import Comment
from moderation import appeal_links, appeals, dispatch, estimates, following, notifications, reports
from moderation.appeals import AppealRefused, AppealState
from moderation.codes import QueueAction, RejectReason
from moderation.decisions import (
    BanRefused,
    DecisionConflict,
    DecisionRefused,
    ban_user,
    decide_many,
    described,
    moderate,
    unban_user,
)
from moderation.following import Confirmation, StopRequest, normalised_address
from moderation.models import (
    APPEAL_MAX_LENGTH,
    FollowFrequency,
    ModelStatus,
    ReaderProfile,
    Subscription,
)
from moderation.permissions import can_be_banned, is_moderator
from moderation.reports import ReportRefused, report_comment
from moderation.review_queue import enqueue_for_review
from moderation.selectors import queue_summary
from moderation.status import AppealForAnother
from moderation.undo import UndoForbidden, undo_decision, undo_minutes

__all__ = [
    "APPEAL_MAX_LENGTH",
    "FOLLOW_FREQUENCIES",
    "REPORT_REASONS",
    "AppealForAnother",
    "AppealRefused",
    "AppealState",
    "BanRefused",
    "Confirmation",
    "DecisionConflict",
    "DecisionRefused",
    "NotificationSettings",
    "QueueAction",
    "ReportRefused",
    "StopRequest",
    "UndoForbidden",
    "appeal_states",
    "ban_user",
    "comment_id_from_appeal_token",
    "can_be_banned",
    "comment_submitted",
    "decide_many",
    "decide_appeal",
    "described",
    "enqueue_for_review",
    "file_appeal",
    "follow",
    "follower_confirmation",
    "following_exists",
    "confirm_follower",
    "is_following",
    "request_subscription",
    "stop_following",
    "stop_request",
    "subscriptions_of",
    "unfollow",
    "is_banned",
    "is_moderator",
    "moderate",
    "normalised_address",
    "notification_settings",
    "queue_summary",
    "remove_comments",
    "report_comment",
    "reported_comment_ids",
    "restore_comments",
    "review_wait_minutes",
    "save_notification_settings",
    "unban_user",
    "undo_decision",
    "undo_minutes",
    "unsubscribe",
    "unsubscribe_token_is_valid",
    "worker_heartbeat",
]

REPORT_REASONS = RejectReason.choices
FOLLOW_FREQUENCIES = FollowFrequency.choices


def comment_submitted(*, comment_id: int) -> None:
    """Wake a worker for a newly committed comment. Never waits long for the broker: if it is
    down, the comment stays `pending` in the database and the sweep wakes a worker later."""
    dispatch.send(dispatch.SCORE_PENDING)


def worker_heartbeat():
    """When a worker last ran the sweep (every minute under celery beat), or None."""
    return ModelStatus.objects.filter(pk=1).values_list("heartbeat_at", flat=True).first()


def worker_models() -> tuple[str, float | None]:
    """Whether the last worker process to start loaded its models: "loaded", "unavailable" or
    "unknown" (none has tried yet), and the seconds the load took."""
    row = ModelStatus.objects.filter(pk=1).values("ok", "detail", "load_seconds").first()
    if row is None or not (row["ok"] or row["detail"]):
        return "unknown", None
    return ("loaded" if row["ok"] else "unavailable"), row["load_seconds"]


def is_banned(user) -> bool:
    return ReaderProfile.objects.banned().filter(user_id=user.pk).exists()


def reported_comment_ids(*, user, article_id: int) -> set[int]:
    return reports.reported_comment_ids(user=user, article_id=article_id)


def remove_comments(*, comments: QuerySet[Comment], moderator) -> tuple[int, list[str]]:
    """Remove published comments as disrespectful (the admin's bulk action)."""
    return decide_many(
        comments=comments,
        moderator=moderator,
        action=QueueAction.REMOVE,
        reason=RejectReason.DISRESPECTFUL,
    )


def restore_comments(*, comments: QuerySet[Comment], moderator) -> tuple[int, list[str]]:
    return decide_many(comments=comments, moderator=moderator, action=QueueAction.RESTORE)


@dataclass(frozen=True)
class NotificationSettings:
    notify_on_decision: bool
    language: str
    notify_on_reply: bool = True
    follow_frequency: str = FollowFrequency.IMMEDIATELY


def notification_settings(*, user) -> NotificationSettings:
    profile = ReaderProfile.objects.filter(user_id=user.pk).first() or ReaderProfile()
    return NotificationSettings(
        notify_on_decision=profile.notify_on_decision,
        language=profile.language,
        notify_on_reply=profile.notify_on_reply,
        follow_frequency=profile.follow_frequency,
    )


def save_notification_settings(*, user, settings: NotificationSettings) -> None:
    ReaderProfile.objects.update_or_create(
        user=user,
        defaults={
            "notify_on_decision": settings.notify_on_decision,
            "language": settings.language,
            "notify_on_reply": settings.notify_on_reply,
            "follow_frequency": settings.follow_frequency,
        },
    )


def follow(*, user, article) -> Subscription:
    """Subscribe a verified account to the article's new comments (one click, no e-mail)."""
    return following.follow(user=user, article=article)


def unfollow(*, user, article_id: int) -> bool:
    return following.unfollow(user=user, article_id=article_id)


def is_following(*, user, article_id: int) -> bool:
    return following.is_following(user=user, article_id=article_id)


def following_exists(*, article_id: int) -> Exists:
    """An expression on users: whether the user (OuterRef "pk") follows the article."""
    return Exists(Subscription.objects.filter(user=OuterRef("pk"), article_id=article_id))


def subscriptions_of(*, user) -> list[Subscription]:
    return following.subscriptions_of(user=user)


def request_subscription(*, email: str, article, language: str) -> None:
    """A visitor without an account asks to follow: a confirmation e-mail goes to the address."""
    following.request_subscription(email=email, article=article, language=language)


def follower_confirmation(*, token: str) -> tuple[Confirmation, Subscription | None]:
    """What a confirmation link would confirm; changes nothing."""
    return following.confirmation_target(token)


def confirm_follower(*, token: str) -> tuple[Confirmation, Subscription | None]:
    return following.confirm(token)


def stop_request(*, token: str) -> StopRequest | None:
    """What a follower e-mail's stop link turns off, or None for a forged or expired link."""
    return following.read_stop_token(token)


def stop_following(*, request: StopRequest) -> None:
    following.stop(request)


def unsubscribe(*, token: str) -> bool:
    """Stop the e-mails a signed link names; False for a forged or expired token."""
    return notifications.unsubscribe(token)


def unsubscribe_token_is_valid(*, token: str) -> bool:
    return notifications.user_from_unsubscribe_token(token) is not None


# Appeals (see moderation/appeals.py) and what the author of a comment in review can expect.


def file_appeal(*, comment_id: int, author, text: str):
    """The author's one appeal against a rejection or removal; raises AppealRefused."""
    return appeals.file_appeal(comment_id=comment_id, author=author, text=text)


def decide_appeal(*, comment_id: int, moderator, grant: bool):
    """Grant (publish again) or uphold; raises DecisionRefused and its kinds."""
    return appeals.decide_appeal(comment_id=comment_id, moderator=moderator, grant=grant)


def appeal_states(*, comments: list[Comment]) -> dict[int, AppealState]:
    return appeals.appeal_states(comments=comments)


def comment_id_from_appeal_token(*, token: str) -> int | None:
    return appeal_links.comment_id_from_appeal_token(token)


def review_wait_minutes() -> int | None:
    """How many minutes a comment in review usually waits for a decision; None: too little data."""
    return estimates.review_wait_minutes()
