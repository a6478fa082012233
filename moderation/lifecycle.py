"""A comment's lifecycle, in one place: the statuses it can be in, who may move it from one to
another, and the one way it moves.

A transition (`move`) is one conditional UPDATE, so that of two changes at once exactly one wins,
and its `StatusChange` row. `settle` then runs the side effects of a batch of transitions
together, one query per kind: the audit trail, the articles' thread versions (which expire cached
pages), the open appeals that a publication grants, the labelled examples that people's decisions
make for the site model, and, once the transaction commits, the authors' and followers' e-mails.
`change` is the two for a single comment.

Whoever moves a comment says who they are (`By`); `ALLOWED` names the transitions each may make.
A moderator whose decision an open appeal contests may not change that comment while another
moderator exists (`permissions.must_leave_appeal_to_another`), by any screen or action.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, Comment
from moderation import dispatch, reasons
from moderation.codes import AppealOutcome, AuditReason, QueueAction
from moderation.models import Appeal, ReviewItem, StatusChange
from moderation.permissions import must_leave_appeal_to_another
from moderation.policy.rules import Outcome
from moderation.site_model import examples
from notifications import follower_mail

Status = Comment.Status

PENDING, NEEDS_REVIEW = Status.PENDING, Status.NEEDS_REVIEW
APPROVED, REJECTED, REMOVED = Status.APPROVED, Status.REJECTED, Status.REMOVED

# The sets other code asks about.
AWAITING = frozenset({PENDING, NEEDS_REVIEW})  # no decision yet
TURNED_DOWN = frozenset({REJECTED, REMOVED})
DECIDED = frozenset({APPROVED, *TURNED_DOWN})
VISIBLE = frozenset({APPROVED})  # to every reader
APPEALABLE = TURNED_DOWN  # within MODERATION_APPEAL_DAYS of the decision

# What the policy's outcome makes of a pending comment.
STATUS_FOR_OUTCOME = {
    Outcome.PUBLISH: APPROVED,
    Outcome.REVIEW: NEEDS_REVIEW,
    Outcome.REJECT: REJECTED,
}


class By(StrEnum):
    """Who makes a transition."""

    SYSTEM = "system"  # the policy, on a scored comment
    MODERATOR = "moderator"  # a decision, from any screen or action, and a ban's rejections
    APPEAL = "appeal"  # a moderator granting an author's appeal
    UNDO = "undo"  # a moderator taking their own decision back


_MODERATOR_MOVES = {
    (PENDING, APPROVED),
    (PENDING, REJECTED),
    (NEEDS_REVIEW, APPROVED),
    (NEEDS_REVIEW, REJECTED),
    (APPROVED, APPROVED),  # kept: a reported comment, or an audit sample confirmed
    (REJECTED, REJECTED),  # an audit sample's rejection confirmed
    (APPROVED, REMOVED),
    (REMOVED, APPROVED),  # restored
    (REJECTED, APPROVED),  # an audit sample's rejection overturned
}


def _allowed() -> dict[tuple[str, str], frozenset[By]]:
    allowed: dict[tuple[str, str], set[By]] = defaultdict(set)
    for after in STATUS_FOR_OUTCOME.values():
        allowed[(PENDING, after)].add(By.SYSTEM)
    for before, after in _MODERATOR_MOVES:
        allowed[(before, after)].add(By.MODERATOR)
        allowed[(after, before)].add(By.UNDO)
    for before in APPEALABLE:
        allowed[(before, APPROVED)].add(By.APPEAL)
    return {move: frozenset(who) for move, who in allowed.items()}


# (status before, status after): who may make that transition.
ALLOWED = _allowed()

# A moderator's action: the statuses it applies to, and the status it leads to (None: the status
# stays). An audit sample's comment may also be confirmed, or, if the policy rejected it, approved.
ACTIONS: dict[QueueAction, tuple[frozenset[str], str | None]] = {
    QueueAction.APPROVE: (frozenset({NEEDS_REVIEW, PENDING, APPROVED}), APPROVED),
    QueueAction.REJECT: (AWAITING, REJECTED),
    QueueAction.REMOVE: (VISIBLE, REMOVED),
    QueueAction.RESTORE: (frozenset({REMOVED}), APPROVED),
    QueueAction.CONFIRM: (frozenset(), None),
}
AUDIT_ACTIONS: dict[QueueAction, frozenset[str]] = {
    QueueAction.CONFIRM: frozenset({APPROVED, REJECTED}),
    QueueAction.APPROVE: frozenset({REJECTED}),
}


class DecisionRefused(Exception):
    """A moderator's decision cannot apply; str(error) says why, for the moderator."""

    status_code = 400


class DecisionConflict(DecisionRefused):
    """Someone else decided first: the comment is no longer as the moderator saw it."""

    status_code = 409


class AppealForAnother(DecisionRefused):
    """The moderator made the decision the appeal contests, and another moderator exists."""

    status_code = 403


@dataclass(frozen=True)
class Transition:
    """One comment moved: from which status to which, by whom, and its audit entry (stored by
    `settle`). `tell_author=False`: the caller sends the author's e-mail itself."""

    comment: Comment
    before: str
    after: str
    by: By
    entry: StatusChange
    tell_author: bool = True

    @property
    def actor(self):
        return self.entry.actor

    @property
    def author_hears(self) -> bool:
        """Whether the author (if they asked for decision e-mails) hears of it: when a person
        publishes, rejects or removes the comment, and when the policy rejects it. The policy
        publishing it or sending it to review tells nobody."""
        if not self.tell_author or self.after == self.before or self.after not in DECIDED:
            return False
        return self.by != By.SYSTEM or self.after == REJECTED


def may_move(before: str, after: str, by: By) -> bool:
    return by in ALLOWED.get((before, after), ())


def action_applies(action: QueueAction, status: str, *, audited: bool = False) -> bool:
    """Whether a moderator's action applies to a comment in `status` (`audited`: the comment is
    in the queue as an audit sample)."""
    applies_to = ACTIONS[action][0]
    if audited:
        applies_to = applies_to | AUDIT_ACTIONS.get(action, frozenset())
    return status in applies_to


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


def move(
    comment: Comment,
    *,
    to: str,
    by: By,
    expected: str | None = None,
    actor=None,
    actor_label: str = "",
    reason_code: str = "",
    reason: str = "",
    shown_reason: str | None = None,
    tell_author: bool = True,
) -> Transition | None:
    """Move the comment from `expected` (default: the status it was read with) to `to`.

    The update applies only if the comment is still in `expected`; returns None when it was not
    (someone else changed it first). Raises ValueError for a transition `by` may not make, and
    AppealForAnother, changing nothing, when `actor` made the decision an open appeal contests.
    """
    expected = comment.status if expected is None else expected
    if not may_move(expected, to, by):
        raise ValueError(f"{by} may not move a comment from {expected} to {to}")
    if actor is not None:
        open_appeal = Appeal.objects.undecided().filter(comment_id=comment.pk).first()
        refuse_the_contested_decider(appeal=open_appeal, actor=actor)
    fields = {"status": to, "updated_at": timezone.now()}
    if shown_reason is not None:
        fields["rejection_reason"] = shown_reason
    if not Comment.objects.filter(pk=comment.pk, status=expected).update(**fields):
        return None
    comment.status = to
    if shown_reason is not None:
        comment.rejection_reason = shown_reason
    entry = StatusChange(
        comment=comment,
        from_status=expected,
        to_status=to,
        actor=actor,
        actor_label=actor_label,
        reason_code=reason_code,
        reason=reason,
    )
    return Transition(comment, expected, to, by, entry, tell_author)


def settle(transitions: Iterable[Transition | None]) -> list[StatusChange]:
    """Store the transitions' audit entries and run their side effects, one query per kind.

    Call it inside the transaction that moved the comments. Returns the stored entries: each
    transition's, followed by that of an appeal it granted.
    """
    done = [transition for transition in transitions if transition is not None]
    if not done:
        return []
    granted = _grant_open_appeals(done)
    entries = []
    for transition in done:
        entries.append(transition.entry)
        if transition.comment.pk in granted:
            entries.append(_appeal_entry(transition, AppealOutcome.GRANTED))
    StatusChange.objects.bulk_create(entries)
    Article.objects.filter(pk__in={t.comment.article_id for t in done}).update(
        thread_version=F("thread_version") + 1
    )
    for transition in done:
        _label_for_the_site_model(transition)
    _send_mail_on_commit(done, granted)
    return entries


def change(comment: Comment, **kwargs) -> StatusChange | None:
    """One comment moved and settled (see `move`); its audit entry, or None if it had changed."""
    transition = move(comment, **kwargs)
    return settle([transition])[0] if transition else None


def _grant_open_appeals(transitions: list[Transition]) -> set[int]:
    """Settle as granted the open appeals on comments these transitions publish, and close their
    queue items. Returns the comments whose appeal was granted."""
    publishing = {t.comment.pk: t for t in transitions if t.after == APPROVED}
    if not publishing:
        return set()
    open_appeals = Appeal.objects.undecided().filter(comment_id__in=publishing)
    granted = set(open_appeals.values_list("comment_id", flat=True))
    if not granted:
        return set()
    now = timezone.now()
    by_actor: dict[object, list[int]] = defaultdict(list)
    for comment_id in granted:
        by_actor[publishing[comment_id].actor].append(comment_id)
    for actor, comment_ids in by_actor.items():
        Appeal.objects.undecided().filter(comment_id__in=comment_ids).update(
            outcome=AppealOutcome.GRANTED, decided_by=actor, decided_at=now
        )
    ReviewItem.objects.open().filter(comment_id__in=granted).update(closed_at=now)
    return granted


def _label_for_the_site_model(transition: Transition) -> None:
    """A person's judgement of the text becomes a labelled example; an undo takes it back. Moves
    back to pending or review, and a ban's rejections, judge no text."""
    if transition.by == By.UNDO:
        examples.take_back(comment=transition.comment)
    elif (
        transition.actor is not None
        and transition.after in DECIDED
        and transition.entry.reason != reasons.BANNED_REASON
    ):
        examples.record_decision(
            comment=transition.comment,
            before=transition.before,
            after=transition.after,
            actor=transition.actor,
            turned_down=transition.after in TURNED_DOWN,
            reason_code=transition.entry.reason_code,
        )


def _appeal_entry(transition: Transition, outcome: str) -> StatusChange:
    return StatusChange(
        comment=transition.comment,
        from_status=transition.after,
        to_status=transition.after,
        actor=transition.actor,
        actor_label=transition.entry.actor_label,
        reason_code=AuditReason.APPEAL,
        reason=outcome,
    )


def _send_mail_on_commit(transitions: list[Transition], granted: set[int]) -> None:
    """The author's e-mail (the appeal's outcome instead, for a granted appeal) and the followers'
    announcement of a comment that became visible, however it did."""
    for transition in transitions:
        comment_id = transition.comment.pk
        if comment_id in granted and transition.tell_author:
            dispatch.send_on_commit(dispatch.SEND_APPEAL_NOTICE, args=(comment_id,))
        elif comment_id not in granted and transition.author_hears:
            dispatch.send_on_commit(dispatch.SEND_DECISION_NOTICE, args=(comment_id,))
    follower_mail.comments_became_visible(
        [t.comment.pk for t in transitions if t.after in VISIBLE and t.before not in VISIBLE]
    )
