"""The one way a comment's status changes: a conditional update, its audit entry, the article's
thread version (which expires cached pages), the author's e-mail when one is due, and the labelled
example a person's decision makes for the site model.

A change that publishes a comment with an open appeal settles the appeal as granted, whichever
screen or action made it (the appeal's own decision, a restore, a bulk action): the appeal never
stays "filed" over a published comment. Nor does a change by the moderator whose decision the open
appeal contests apply, by any screen or action (`permissions.must_leave_appeal_to_another`)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, Comment
from moderation import dispatch, notifications
from moderation.codes import AppealOutcome, AuditReason
from moderation.models import Appeal, ReviewItem, StatusChange
from moderation.permissions import must_leave_appeal_to_another
from moderation.site_model import examples


class DecisionRefused(Exception):
    """A moderator's decision cannot apply; str(error) says why, for the moderator."""

    status_code = 400


class DecisionConflict(DecisionRefused):
    """Someone else decided first: the comment is no longer as the moderator saw it."""

    status_code = 409


class AppealForAnother(DecisionRefused):
    """The moderator made the decision the appeal contests, and another moderator exists."""

    status_code = 403


def refuse_the_contested_decider(*, appeal: Appeal | None, actor) -> None:
    """Raise AppealForAnother if `actor` may not settle this open appeal (or change its comment,
    which would settle it): they made the decision it contests."""
    if appeal is None or actor is None or appeal.is_decided:
        return
    decider_id = appeal.original_decider_id
    if must_leave_appeal_to_another(original_decider_id=decider_id, moderator=actor):
        raise AppealForAnother(
            gettext("You made the decision this appeal contests: another moderator decides it.")
        )


def change_status(
    *,
    comment: Comment,
    expected: str,
    to: str,
    actor=None,
    actor_label: str = "",
    reason_code: str = "",
    reason: str = "",
    shown_reason: str | None = None,
    audit: list[StatusChange] | None = None,
    notify: bool = True,
) -> bool:
    """Move the comment from `expected` to `to` and record it in the audit trail.

    The update applies only if the comment is still in `expected` (one conditional UPDATE), so of
    two decisions made at once exactly one wins. Returns whether this one did. With `audit`, the
    trail's entry is appended there for the caller to insert with others in one statement.
    `notify=False` leaves the author's e-mail to the caller (an appeal's outcome has its own);
    followers are told of a comment that became visible either way.
    An open appeal that this change settles adds its own entry after this one (in `audit` too).
    Raises AppealForAnother, changing nothing, when `actor` made the decision an open appeal
    on the comment contests.
    """
    if actor is not None:
        open_appeal = Appeal.objects.undecided().filter(comment_id=comment.pk).first()
        refuse_the_contested_decider(appeal=open_appeal, actor=actor)
    now = timezone.now()
    fields = {"status": to, "updated_at": now}
    if shown_reason is not None:
        fields["rejection_reason"] = shown_reason
    if not Comment.objects.filter(pk=comment.pk, status=expected).update(**fields):
        return False
    change = StatusChange(
        comment=comment,
        from_status=expected,
        to_status=to,
        actor=actor,
        actor_label=actor_label,
        reason_code=reason_code,
        reason=reason,
    )
    if audit is None:
        change.save()
    else:
        audit.append(change)
    comment.status = to
    Article.objects.thread_changed(comment.article_id)
    if shown_reason is not None:
        comment.rejection_reason = shown_reason
    if actor is not None:
        examples.record_decision(
            comment=comment,
            before=expected,
            after=to,
            actor=actor,
            reason_code=reason_code,
            reason=reason,
        )
    granted = to == Comment.Status.APPROVED and _grant_open_appeal(
        comment=comment, actor=actor, actor_label=actor_label, now=now, audit=audit
    )
    if notify and granted:
        dispatch.send_on_commit(dispatch.SEND_APPEAL_NOTICE, args=(comment.pk,))
    # Followers hear of a comment that became visible however it did; the author's decision
    # e-mail is left out where the appeal's outcome e-mail says it instead.
    notifications.status_changed(
        comment_id=comment.pk,
        before=expected,
        after=to,
        by_person=actor is not None,
        tell_author=notify and not granted,
    )
    return True


def _grant_open_appeal(
    *,
    comment: Comment,
    actor,
    actor_label: str,
    now: datetime,
    audit: list[StatusChange] | None,
) -> bool:
    """Settle the comment's open appeal, if any, as granted by this actor now; whether one was.

    Its queue item closes and the trail records the outcome as `decide_appeal` does.
    """
    settled = Appeal.objects.undecided().filter(comment_id=comment.pk)
    if not settled.update(outcome=AppealOutcome.GRANTED, decided_by=actor, decided_at=now):
        return False
    ReviewItem.objects.open().filter(comment_id=comment.pk).update(closed_at=now)
    entry = StatusChange(
        comment=comment,
        from_status=comment.status,
        to_status=comment.status,
        actor=actor,
        actor_label=actor_label,
        reason_code=AuditReason.APPEAL,
        reason=AppealOutcome.GRANTED,
    )
    if audit is None:
        entry.save()
    else:
        audit.append(entry)
    return True
