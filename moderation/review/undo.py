"""Undoing a moderator's decision for a while after it was made (`MODERATION_UNDO_SECONDS`).

An undo is itself a status change: conditional, audited, and refused when anything happened to
the comment after the decision.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Comment
from moderation import lifecycle, reasons
from moderation.codes import AuditReason, RejectReason
from moderation.models import AuditSample, ReviewItem, StatusChange
from moderation.review.decisions import DecisionConflict, DecisionRefused

UNDOABLE_NOT = {AuditReason.UNDO, AuditReason.APPEAL}


class UndoForbidden(DecisionRefused):
    """Only the moderator who decided may undo the decision."""

    status_code = 403


def undo_window() -> timedelta:
    return timedelta(seconds=settings.MODERATION_UNDO_SECONDS)


def undo_minutes() -> int:
    return max(1, settings.MODERATION_UNDO_SECONDS // 60)


@transaction.atomic
def undo_decision(*, change_id: int, moderator) -> StatusChange:
    """Put the comment back in the status it had before the decision, and reopen its queue item.

    Returns the undo's own audit entry. Raises UndoForbidden (someone else's decision),
    DecisionRefused (not a decision, or the window has passed) or DecisionConflict (the comment
    changed since); nothing changes then.
    """
    change = StatusChange.objects.select_related("comment__article").filter(pk=change_id).first()
    # An appeal's outcome is final: it is not undone, but (if need be) decided on again.
    if change is None or change.actor_id is None or change.reason_code in UNDOABLE_NOT:
        raise DecisionRefused(gettext("There is no decision to undo."))
    if change.actor_id != moderator.pk:
        raise UndoForbidden(gettext("Only the moderator who decided can undo this decision."))
    if timezone.now() - change.created_at >= undo_window():
        raise DecisionRefused(
            gettext("This decision can no longer be undone. Decide on the comment again instead.")
        )
    comment = (
        Comment.objects.select_for_update().select_related("article").get(pk=change.comment_id)
    )
    later = StatusChange.objects.filter(comment=comment, pk__gt=change.pk).exists()
    if later or comment.status != change.to_status:
        raise DecisionConflict(
            gettext("The comment has changed since this decision. Nothing was undone.")
        )
    entry = lifecycle.change(
        comment,
        expected=change.to_status,
        to=change.from_status,
        by=lifecycle.By.UNDO,
        actor=moderator,
        reason_code=AuditReason.UNDO,
        reason=str(change.pk),
        shown_reason=_reason_before(change, comment),
    )
    if entry is None:
        raise DecisionConflict(
            gettext("The comment has changed since this decision. Nothing was undone.")
        )
    # Reopen the queue item only if this decision closed it (moderate closes it just before the
    # status changes), not one that an older decision closed.
    reopened = ReviewItem.objects.filter(
        comment=comment,
        closed_at__range=(change.created_at - timedelta(seconds=5), change.created_at),
    ).update(closed_at=None)
    if reopened:  # an audit sample's verdict is undone with the decision
        AuditSample.objects.filter(comment=comment).update(
            verdict="", decided_at=None, decided_by=None
        )
    return entry


def _reason_before(change: StatusChange, comment: Comment) -> str:
    """The reason the author read before the decision: a restored comment's old reason, if any."""
    if change.from_status not in lifecycle.TURNED_DOWN:
        return ""
    before = (
        StatusChange.objects.filter(comment=comment, pk__lt=change.pk, to_status=change.from_status)
        .order_by("-pk")
        .first()
    )
    if before is None:
        return ""
    if before.reason_code in RejectReason.values:
        return reasons.moderator_reason(
            before.reason_code,
            "" if before.reason in {"reject", "remove"} else before.reason,
            language=comment.article.language,
        )
    if before.reason_code == AuditReason.POLICY:
        return reasons.stored_policy_reason(comment.pk, language=comment.article.language)
    return ""
