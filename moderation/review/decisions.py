"""Moderators' decisions: approve, reject, remove and restore a comment, and ban or unban a reader.

A decision applies only if the comment is still as the moderator saw it; of two decisions at once
exactly one wins, and the other gets DecisionConflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from articles import plaintext
from articles.models import Comment
from moderation import lifecycle, reasons
from moderation.codes import QueueAction, QueueSource, RejectReason
from moderation.lifecycle import DecisionConflict, DecisionRefused
from moderation.models import BanChange, ReaderProfile, ReviewItem, StatusChange
from moderation.permissions import can_be_banned
from moderation.review import audit_sample


class BanRefused(Exception):
    """The user cannot be banned; str(error) says why."""


@dataclass(frozen=True)
class DecisionChoices:
    """What a moderator can decide on a comment as it is now, for the review screen's buttons."""

    approve: QueueAction | None
    turn_down: QueueAction | None
    # An audit sample: keep the policy's decision.
    confirm: QueueAction | None = None

    @property
    def keeps_published(self) -> bool:
        """Approving a published (reported) comment keeps it; turning it down removes it."""
        return self.turn_down == QueueAction.REMOVE


def choices_for(comment: Comment, *, audited: bool = False) -> DecisionChoices:
    """The buttons for the comment as it is; `audited`: it is in the queue as an audit sample,
    where "confirm" keeps the policy's decision and the other button overturns it."""

    def applies(action: QueueAction) -> bool:
        return lifecycle.action_applies(action, comment.status, audited=audited)

    turn_down = next((a for a in (QueueAction.REJECT, QueueAction.REMOVE) if applies(a)), None)
    confirm = QueueAction.CONFIRM if applies(QueueAction.CONFIRM) else None
    approve = QueueAction.APPROVE if applies(QueueAction.APPROVE) else None
    return DecisionChoices(
        # Keeping a sampled published comment is confirming it: one button for it.
        approve=None if confirm and comment.status == Comment.Status.APPROVED else approve,
        turn_down=turn_down,
        confirm=confirm,
    )


def left_the_queue() -> DecisionConflict:
    return DecisionConflict(gettext("This comment has left the queue. Nothing was changed."))


@transaction.atomic
def moderate(
    *,
    comment: Comment,
    moderator,
    action: str,
    expected_status: str,
    item_id: int | None = None,
    reason: str = "",
    reason_text: str = "",
) -> StatusChange:
    """Apply a moderator's decision, if the comment is still as the moderator saw it.

    `expected_status` is the status the moderator saw; `item_id` the queue item, when the decision
    comes from the queue. Returns the decision's entry in the audit trail (what an undo refers
    to). Raises DecisionRefused (a decision that makes no sense here, or a missing reason) or
    DecisionConflict (another moderator was first); nothing changes then.
    """
    action, reason_text = _checked(comment, action, expected_status, reason, reason_text)
    to = lifecycle.ACTIONS[action][1] or comment.status
    _close_queue_item(comment, item_id=item_id, to=to)
    shown = ""
    if action in {QueueAction.REJECT, QueueAction.REMOVE}:
        shown = reasons.moderator_reason(reason, reason_text, language=comment.article.language)
    entry = lifecycle.change(
        comment,
        expected=expected_status,
        to=to,
        by=lifecycle.By.MODERATOR,
        actor=moderator,
        reason_code=reason,
        reason=reason_text or action.value,
        shown_reason=shown,
    )
    if entry is None:
        # The transaction rolls back, so the queue item is open again for whoever won.
        raise DecisionConflict(
            gettext("Another moderator has already decided this comment. Nothing was changed.")
        )
    audit_sample.record_verdict(comment=comment, to_status=to, moderator=moderator)
    return entry


def _checked(
    comment: Comment, action: str, expected_status: str, reason: str, reason_text: str
) -> tuple[QueueAction, str]:
    """The action and the cleaned reason text, or DecisionRefused / DecisionConflict."""
    if action not in QueueAction.values:
        raise DecisionRefused(gettext("Unknown action."))
    action = QueueAction(action)
    reason_text = plaintext.clean_text(reason_text).strip()
    if not plaintext.has_visible_text(reason_text):
        reason_text = ""
    if action in {QueueAction.REJECT, QueueAction.REMOVE}:
        if reason not in RejectReason.values:
            raise DecisionRefused(gettext("Choose a reason for the author."))
        if reason == RejectReason.OTHER and not reason_text:
            raise DecisionRefused(gettext("Write the reason for “Other”."))
    if expected_status != comment.status:
        raise DecisionConflict(
            gettext(
                "Another moderator has already decided this comment (it is now “%(status)s”). "
                "Nothing was changed."
            )
            % {"status": Comment.Status(comment.status).label}
        )
    audited = ReviewItem.objects.open().filter(comment=comment, source=QueueSource.AUDIT).exists()
    if not lifecycle.action_applies(action, comment.status, audited=audited):
        raise DecisionRefused(gettext("This action does not apply to the comment as it is."))
    return action, reason_text


def _close_queue_item(comment: Comment, *, item_id: int | None, to: str) -> None:
    """Close the queue item first, conditionally: of two decisions on it, only one closes it.

    This also settles "keep" against "remove" on a reported comment, whose status alone
    ("approved" before and after keeping it) cannot tell that someone decided.
    """
    waiting = ReviewItem.objects.open().filter(comment=comment)
    if item_id is not None:
        waiting = waiting.filter(pk=item_id)
    closed = waiting.update(closed_at=timezone.now())
    from_queue = item_id is not None or comment.status == to
    if from_queue and not closed:
        raise left_the_queue()


def described(change: StatusChange) -> str:
    """What a decision did, in words for the moderator: "Rejected (Off-topic): comment #7."."""
    by_move: dict[tuple[str, str], str] = {
        (Comment.Status.APPROVED, Comment.Status.APPROVED): gettext("Kept published"),
        (Comment.Status.REMOVED, Comment.Status.APPROVED): gettext("Restored"),
        (Comment.Status.REJECTED, Comment.Status.REJECTED): gettext("Kept rejected"),
    }
    by_status: dict[str, str] = {
        Comment.Status.APPROVED: gettext("Approved"),
        Comment.Status.REJECTED: gettext("Rejected"),
        Comment.Status.REMOVED: gettext("Removed"),
    }
    what = by_move.get((change.from_status, change.to_status)) or by_status.get(
        change.to_status, str(Comment.Status(change.to_status).label)
    )
    if change.reason_code in RejectReason.values:
        what = f"{what} ({change.reason_text})"
    return gettext("%(what)s: comment #%(id)s.") % {"what": what, "id": change.comment_id}


def decide_many(
    *,
    comments: QuerySet[Comment],
    moderator,
    action: str,
    reason: str = "",
    item_ids: dict[int, int] | None = None,
) -> tuple[int, list[str]]:
    """One decision on many comments. Returns how many were decided, and a line for each refused."""
    item_ids = item_ids or {}
    done, refused = 0, []
    for comment in comments.select_related("article"):
        # Turning down a published (reported) comment means removing it, not rejecting it.
        turn_down = action == QueueAction.REJECT and lifecycle.action_applies(
            QueueAction.REMOVE, comment.status
        )
        try:
            moderate(
                comment=comment,
                moderator=moderator,
                action=QueueAction.REMOVE if turn_down else action,
                expected_status=comment.status,
                item_id=item_ids.get(comment.pk),
                reason=reason,
            )
            done += 1
        except DecisionRefused as error:
            refused.append(f"#{comment.pk}: {error}")
    return done, refused


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


@transaction.atomic
def ban_user(
    *,
    user,
    moderator,
    reject_pending: bool = False,
    reason: str = "",
    until: datetime | None = None,
) -> int:
    """Ban the user from commenting, until `until` (None: until unbanned), and record it in the
    bans' audit trail; optionally reject their unpublished comments.

    Returns how many comments were rejected. Moderators and staff cannot be banned. Their
    published comments that readers reported stay in the queue for a decision of their own.
    """
    if not can_be_banned(user):
        raise BanRefused(gettext("Moderators and staff cannot be banned."))
    if until is not None and until <= timezone.now():
        raise BanRefused(gettext("A temporary ban must end in the future."))
    reason = _clean_reason(reason)
    ReaderProfile.for_user(user).ban(reason=reason, until=until)
    BanChange.objects.create(
        user=user, action=BanChange.Action.BAN, actor=moderator, reason=reason, banned_until=until
    )
    if not reject_pending:
        return 0
    rejected = []
    waiting = Comment.objects.filter(author=user, status__in=lifecycle.AWAITING).select_related(
        "article"
    )
    for comment in waiting:
        shown = reasons.moderator_reason(
            RejectReason.OTHER, reasons.BANNED_REASON, language=comment.article.language
        )
        if lifecycle.change(
            comment,
            to=Comment.Status.REJECTED,
            by=lifecycle.By.MODERATOR,
            actor=moderator,
            reason_code=RejectReason.OTHER,
            reason=reasons.BANNED_REASON,
            shown_reason=shown,
        ):
            rejected.append(comment.pk)
    ReviewItem.objects.open().filter(comment_id__in=rejected).update(closed_at=timezone.now())
    return len(rejected)


@transaction.atomic
def unban_user(*, user, moderator, reason: str = "") -> bool:
    """Lift the user's ban and record it in the bans' audit trail. Returns whether a ban (one in
    force, or an expired temporary one not yet cleared) was lifted."""
    lifted = ReaderProfile.objects.filter(user=user, is_banned=True).update(
        is_banned=False, banned_at=None, ban_reason="", banned_until=None
    )
    if lifted:
        BanChange.objects.create(
            user=user, action=BanChange.Action.UNBAN, actor=moderator, reason=_clean_reason(reason)
        )
    return bool(lifted)


def _clean_reason(reason: str) -> str:
    reason = plaintext.clean_text(reason).strip()
    return reason[:300] if plaintext.has_visible_text(reason) else ""
