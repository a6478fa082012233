"""What the rest of Agora calls on moderation and notifications: the reader side, the admin and
the commands.

Each workflow lives in a module of its own (see README.md, "Layout"); this module only names the
calls that cross over, under their own names, so that `articles` depends on nothing else.
"""

from __future__ import annotations

from moderation import dispatch
from moderation.codes import QueueAction, RejectReason
from moderation.lifecycle import AppealForAnother, DecisionConflict, DecisionRefused
from moderation.models import APPEAL_MAX_LENGTH, ModelStatus, ReaderProfile
from moderation.permissions import can_be_banned, is_moderator
from moderation.review.appeals import (
    AppealRefused,
    AppealState,
    appeal_states,
    decide_appeal,
    file_appeal,
)
from moderation.review.decisions import (
    BanRefused,
    ban_user,
    decide_many,
    described,
    moderate,
    remove_comments,
    restore_comments,
    unban_user,
)
from moderation.review.estimates import review_wait_minutes
from moderation.review.queue import enqueue_for_review
from moderation.review.reports import ReportRefused, report_comment, reported_comment_ids
from moderation.review.selectors import queue_summary
from moderation.review.undo import UndoForbidden, undo_decision, undo_minutes
from notifications.appeal_links import comment_id_from_appeal_token
from notifications.decision_mail import unsubscribe, unsubscribe_token_is_valid
from notifications.following import (
    Confirmation,
    StopRequest,
    confirm_follower,
    follow,
    follower_confirmation,
    following_exists,
    is_following,
    normalised_address,
    request_subscription,
    stop_following,
    stop_request,
    subscriptions_of,
    unfollow,
)
from notifications.preferences import (
    FOLLOW_FREQUENCIES,
    NotificationSettings,
    notification_settings,
    save_notification_settings,
)

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
    "can_be_banned",
    "comment_id_from_appeal_token",
    "comment_submitted",
    "confirm_follower",
    "decide_appeal",
    "decide_many",
    "described",
    "enqueue_for_review",
    "file_appeal",
    "follow",
    "follower_confirmation",
    "following_exists",
    "is_banned",
    "is_following",
    "is_moderator",
    "moderate",
    "normalised_address",
    "notification_settings",
    "queue_summary",
    "remove_comments",
    "report_comment",
    "reported_comment_ids",
    "request_subscription",
    "restore_comments",
    "review_wait_minutes",
    "save_notification_settings",
    "stop_following",
    "stop_request",
    "subscriptions_of",
    "unban_user",
    "undo_decision",
    "undo_minutes",
    "unfollow",
    "unsubscribe",
    "unsubscribe_token_is_valid",
    "worker_heartbeat",
    "worker_models",
]

REPORT_REASONS = RejectReason.choices


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
