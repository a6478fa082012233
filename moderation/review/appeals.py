"""Authors' appeals against a rejection or removal (the Digital Services Act's internal way to
contest a decision): who may appeal and until when, filing one into the queue marked "appeal",
a moderator's decision on it, and the e-mail that tells the author the outcome.

Each author may appeal once per comment, within `MODERATION_APPEAL_DAYS` of the decision. Granting
publishes the comment again; upholding keeps it as it is. Any other change that publishes the
comment (a restore from the Comments screen, say) grants the open appeal too
(`lifecycle.settle`). Filing and deciding are both recorded in the audit trail (reason
"appeal").

Who decides: an appeal goes to a moderator other than the one who made the contested decision.
While another active moderator exists, the queue leaves the appeal out for its original decider
(`selectors.for_moderator`), and `decide_appeal` and every other change of the comment refuse them
(`lifecycle.move`); a site with a single moderator has that moderator decide it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext

from articles import plaintext
from articles.models import Comment
from moderation import dispatch, lifecycle
from moderation.codes import AppealOutcome, AuditReason
from moderation.lifecycle import (
    APPEALABLE,
    DecisionConflict,
    DecisionRefused,
    refuse_the_contested_decider,
)
from moderation.models import APPEAL_MAX_LENGTH, Appeal, ReviewItem, StatusChange
from moderation.review import queue


class AppealRefused(Exception):
    """The author cannot appeal (or not like this); str(error) says why, for the author."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class AppealState:
    """Where the author stands with a turned-down comment: `outcome` is "" (no appeal yet),
    "filed", "granted" or "upheld"; `can_appeal` whether an appeal is possible now."""

    outcome: str = ""
    can_appeal: bool = False
    deadline: datetime | None = None


def appeal_period() -> timedelta:
    return timedelta(days=settings.MODERATION_APPEAL_DAYS)


def _decided_at(comment_ids: list[int]) -> dict[int, datetime]:
    """When each comment was last turned down (an appeal's entries keep the status: not those)."""
    rows = (
        StatusChange.objects.filter(comment_id__in=comment_ids, to_status__in=APPEALABLE)
        .exclude(from_status=F("to_status"))
        .values_list("comment_id")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    return dict(rows)


def appeal_states(*, comments: list[Comment]) -> dict[int, AppealState]:
    """The appeal state of each of these comments (an author's own) that has one, in two queries."""
    ids = [comment.pk for comment in comments]
    appeals = dict(Appeal.objects.filter(comment_id__in=ids).values_list("comment_id", "outcome"))
    states = {pk: AppealState(outcome=outcome) for pk, outcome in appeals.items()}
    open_ids = [c.pk for c in comments if c.is_turned_down and c.pk not in appeals]
    now = timezone.now()
    for pk, decided_at in _decided_at(open_ids).items() if open_ids else ():
        deadline = decided_at + appeal_period()
        states[pk] = AppealState(can_appeal=now < deadline, deadline=deadline)
    return states


def _clean_text(text: str) -> str:
    text = plaintext.clean_text(text or "").strip()
    if not plaintext.has_visible_text(text):
        raise AppealRefused(gettext("Please write briefly why the decision should be reviewed."))
    if len(text) > APPEAL_MAX_LENGTH:
        raise AppealRefused(
            gettext("Please shorten your appeal to %(max)d characters (it has %(n)d).")
            % {"max": APPEAL_MAX_LENGTH, "n": len(text)}
        )
    return text


@transaction.atomic
def file_appeal(*, comment_id: int, author, text: str) -> Appeal:
    """File the author's one appeal against the decision on their comment, and queue it.

    Raises AppealRefused (with a 4xx status code and a message for the author) when the comment
    is not theirs, not turned down, already appealed, past the period, or the text is empty or
    too long; nothing changes then.
    """
    comment = (
        Comment.objects.select_for_update().select_related("article").filter(pk=comment_id).first()
    )
    if comment is None or author is None or comment.author_id != author.pk:
        raise AppealRefused(gettext("There is no such comment of yours."), 404)
    if Appeal.objects.filter(comment=comment).exists():
        raise AppealRefused(gettext("You have already appealed against this decision."), 409)
    if comment.status not in APPEALABLE:
        raise AppealRefused(gettext("Only a rejected or removed comment can be appealed."))
    decision = (
        StatusChange.objects.filter(comment=comment, to_status=comment.status)
        .exclude(from_status=F("to_status"))
        .order_by("-created_at", "-id")
        .first()
    )
    if decision is None or timezone.now() >= decision.created_at + appeal_period():
        raise AppealRefused(
            gettext("The period for an appeal (%(days)d days after the decision) has ended.")
            % {"days": settings.MODERATION_APPEAL_DAYS},
            403,
        )
    text = _clean_text(text)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                comment=comment,
                text=text,
                contested_status=comment.status,
                original_decider_id=decision.actor_id,
            )
    except IntegrityError as error:  # a second appeal at the same moment
        raise AppealRefused(
            gettext("You have already appealed against this decision."), 409
        ) from error
    StatusChange.objects.create(
        comment=comment,
        from_status=comment.status,
        to_status=comment.status,
        actor=author,
        reason_code=AuditReason.APPEAL,
        reason=AppealOutcome.FILED,
    )
    queue.enqueue_appeal(comment=comment)
    return appeal


@transaction.atomic
def decide_appeal(*, comment_id: int, moderator, grant: bool) -> StatusChange:
    """Grant the appeal (the comment is published again) or uphold the decision (it stays).

    Returns the outcome's entry in the audit trail and e-mails the author after the commit, if
    they asked for e-mails. Raises DecisionRefused (no open appeal), AppealForAnother (the
    original decider, while another moderator exists) or DecisionConflict (decided already).
    """
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("comment__article")
        .filter(comment_id=comment_id)
        .first()
    )
    if appeal is None:
        raise DecisionRefused(gettext("There is no appeal on this comment."))
    if appeal.is_decided:
        raise DecisionConflict(
            gettext("This appeal has already been decided. Nothing was changed.")
        )
    refuse_the_contested_decider(appeal=appeal, actor=moderator)
    comment = appeal.comment
    if comment.status not in APPEALABLE:
        raise DecisionConflict(
            gettext("The comment has changed since the appeal. Nothing was changed.")
        )
    now = timezone.now()
    outcome = AppealOutcome.GRANTED if grant else AppealOutcome.UPHELD
    Appeal.objects.filter(pk=appeal.pk).update(
        outcome=outcome, decided_by=moderator, decided_at=now
    )
    ReviewItem.objects.open().filter(comment=comment).update(closed_at=now)
    change: StatusChange | None
    if not grant:
        change = StatusChange.objects.create(
            comment=comment,
            from_status=comment.status,
            to_status=comment.status,
            actor=moderator,
            reason_code=AuditReason.APPEAL,
            reason=outcome,
        )
    else:
        change = lifecycle.change(
            comment,
            to=Comment.Status.APPROVED,
            by=lifecycle.By.APPEAL,
            actor=moderator,
            reason_code=AuditReason.APPEAL,
            reason=outcome,
            shown_reason="",
            tell_author=False,  # the appeal's outcome e-mail below says it
        )
        if change is None:
            raise DecisionConflict(
                gettext("The comment has changed since the appeal. Nothing was changed.")
            )
    dispatch.send_on_commit(dispatch.SEND_APPEAL_NOTICE, args=(comment.pk,))
    return change
