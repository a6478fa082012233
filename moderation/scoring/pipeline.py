"""Scoring pending comments: claim a batch under a lease, run the models with no transaction open,
then apply the decisions in a short transaction. Also the sweep that keeps the work moving.

The database is the record of work: every comment in `pending`. A worker claims a batch by taking
a lease on each comment (a short transaction; `SKIP LOCKED` on PostgreSQL). If it dies while the
models run, its leases expire and the sweep wakes another worker, which claims the comments again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from articles.models import Comment
from moderation import dispatch, lifecycle, reasons
from moderation.codes import AuditReason, ReasonCode
from moderation.models import Assessment, ModelStatus, PolicyVersion, ScoringLease
from moderation.policy.rules import Decision, Outcome, Reason
from moderation.review import audit_sample, queue
from moderation.scoring import classifiers
from moderation.scoring.assessment import decide_each, measure
from moderation.scoring.results import Item, Result

logger = logging.getLogger(__name__)

EXPIRED = datetime(2000, 1, 1, tzinfo=UTC)
UNAVAILABLE_ADVICE = (
    "Comments stay pending meanwhile; they are retried, then go to the review queue as "
    "'automatic assessment unavailable'. Without network access, run `make run MODELS=demo` "
    "(random demo models), or set MODERATION_TOXICITY_CHECKPOINT, MODERATION_TOXICITY_CONFIG_DIR "
    "and MODERATION_RELEVANCE_MODEL to downloaded models (README: 'Models without network access')."
)
# Whether this process has logged that the models do not load: once is news, every retry is noise.
_unavailable_logged = False


class ScoringFailed(Exception):
    """Scoring a batch failed as a whole; comment_ids are the comments it had claimed."""

    def __init__(self, message: str, comment_ids: list[int]) -> None:
        super().__init__(message)
        self.comment_ids = comment_ids


def load_scorer_and_report() -> classifiers.Scorer:
    """The worker's models; whether they loaded is recorded for the admin's notice.

    The first failure in a process is logged as one ERROR line with what to do; the retries after
    it are logged quietly until the models load again.
    """
    global _unavailable_logged
    try:
        scorer = classifiers.load_scorer()
    except classifiers.ClassifierUnavailable as error:
        ModelStatus.objects.update_or_create(pk=1, defaults={"ok": False, "detail": str(error)})
        if _unavailable_logged:
            logger.info("The moderation models still do not load; the comments will be retried.")
        else:
            _unavailable_logged = True
            logger.error("The moderation models cannot be loaded: %s %s", error, UNAVAILABLE_ADVICE)
        raise
    _unavailable_logged = False
    ModelStatus.objects.update_or_create(
        pk=1,
        defaults={
            "ok": True,
            "detail": "",
            "toxicity_model": scorer.toxicity.model_id,
            "relevance_model": scorer.relevance_model_ids()[:300],
        },
    )
    return scorer


def score_pending(*, limit: int | None = None, comment_ids: list[int] | None = None) -> int:
    """Claim up to a batch of pending comments, assess them, decide, and move each comment.

    No transaction is open while the models run, so posting a comment never waits for scoring.
    Returns how many comments were claimed; 0 when none is pending and free.
    """
    limit = limit or settings.MODERATION_BATCH_SIZE
    scorer = _scorer_for(comment_ids, limit)
    token, batch = claim_batch(limit=limit, comment_ids=comment_ids)
    if not batch:
        return 0
    try:
        policy = PolicyVersion.objects.active()
        measured = measure(_items_for(batch), scorer=scorer)
        results = decide_each(measured, policy)
        with transaction.atomic():
            record_assessments(comments=batch, results=results, policy=policy, scorer=scorer)
            ScoringLease.objects.filter(token=token).delete()
    except Exception as error:
        logger.exception("Scoring failed")
        ScoringLease.objects.filter(token=token).delete()  # free them for the retry at once
        claimed = [comment.pk for comment in batch]
        raise ScoringFailed(f"{type(error).__name__}: {error}", claimed) from error
    return len(batch)


def _scorer_for(comment_ids: list[int] | None, limit: int) -> classifiers.Scorer:
    """The loaded models; ScoringFailed names the comments that waited on models that do not
    load, so that their retries can end in review."""
    try:
        return load_scorer_and_report()
    except classifiers.ClassifierUnavailable as error:
        waiting = comment_ids or _oldest_pending_ids(limit)
        raise ScoringFailed(str(error), list(waiting)) from error


def claim_batch(*, limit: int, comment_ids: list[int] | None = None) -> tuple[str, list[Comment]]:
    """Lease up to `limit` pending comments, oldest first, that no live lease holds.

    Returns the lease's token and the claimed comments. Two workers never hold the same comment:
    the lease is taken by a conditional UPDATE on each comment's lease row.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        candidates = (
            Comment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Comment.Status.PENDING)
            .exclude(pk__in=ScoringLease.objects.filter(expires_at__gt=now).values("comment_id"))
            .order_by("created_at", "id")
        )
        if comment_ids:
            candidates = candidates.filter(pk__in=comment_ids)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return token, []
        ScoringLease.objects.bulk_create(
            [ScoringLease(comment_id=pk, token="", expires_at=EXPIRED) for pk in ids],
            ignore_conflicts=True,
        )
        ScoringLease.objects.filter(comment_id__in=ids, expires_at__lte=now).update(
            token=token, expires_at=now + timedelta(seconds=settings.MODERATION_LEASE_SECONDS)
        )
        batch = list(
            Comment.objects.filter(
                pk__in=ScoringLease.objects.filter(token=token).values("comment_id"),
                status=Comment.Status.PENDING,
            )
            .select_related("article", "parent")
            .order_by("created_at", "id")
        )
    return token, batch


def _oldest_pending_ids(limit: int) -> list[int]:
    pending = Comment.objects.filter(status=Comment.Status.PENDING).order_by("created_at", "id")
    return list(pending.values_list("pk", flat=True)[:limit])


def _items_for(batch: list[Comment]) -> list[Item]:
    parents = parents_relevance({comment.parent_id for comment in batch if comment.parent_id})
    approved = dict(
        Comment.objects.filter(
            author_id__in={comment.author_id for comment in batch},
            status=Comment.Status.APPROVED,
        )
        .values_list("author_id")
        .annotate(count=Count("id"))
    )
    return [
        Item(
            text=comment.body,
            article=comment.article,
            parent_text=comment.parent.body if comment.parent else None,
            author_approved_comments=approved.get(comment.author_id, 0),
            declared_language=comment.article.language,
            parent_relevance=parents.get(comment.parent_id, (None, ""))[0],
            parent_relevance_model=parents.get(comment.parent_id, (None, ""))[1],
        )
        for comment in batch
    ]


def parents_relevance(parent_ids: set[int]) -> dict[int | None, tuple[float | None, str]]:
    """Each parent's latest calibrated relevance and its model, in one query. Assessments from
    before relevance was calibrated (no raw value stored) are on another scale and left out."""
    latest: dict[int | None, tuple[float | None, str]] = {}
    rows = (
        Assessment.objects.filter(
            comment_id__in=parent_ids, relevance__isnull=False, relevance_raw__isnull=False
        )
        .order_by("comment_id", "-created_at", "-id")
        .values_list("comment_id", "relevance", "relevance_model")
    )
    for comment_id, relevance, model_id in rows:
        latest.setdefault(comment_id, (relevance, model_id))
    return latest


def record_assessments(
    *,
    comments: list[Comment],
    results: list[Result],
    policy: PolicyVersion,
    scorer: classifiers.Scorer | None,
) -> list[Assessment]:
    """Move each comment out of `pending` as decided, if it is still there, then store the
    assessments and queue what people must see.

    The status changes only from `pending`: a late, repeated or concurrent result is recorded
    (with applied=False) but never overrides a moderator's decision.
    """
    actor_label = f"policy v{policy.pk}" if policy.pk else "policy (defaults)"
    transitions = [
        _transition(comment, result.decided, actor_label)
        for comment, result in zip(comments, results, strict=True)
    ]
    lifecycle.settle(transitions)
    moved = [
        (comment, result, transition)
        for comment, result, transition in zip(comments, results, transitions, strict=True)
        if transition is not None
    ]
    queue.enqueue_many(
        [(c, r.decided, r.language) for c, r, _ in moved if r.decided.outcome == Outcome.REVIEW]
    )
    decided_alone = [
        (c, r.decided.outcome, r.language)
        for c, r, _ in moved
        if r.decided.outcome != Outcome.REVIEW
    ]
    drawn = audit_sample.draw(
        [entry[1] for entry in decided_alone], share=policy.audit_sample_share
    )
    audit_sample.enqueue_samples([decided_alone[index] for index in drawn])
    toxicity_model = scorer.toxicity.model_id if scorer else ""
    return Assessment.objects.bulk_create(
        Assessment.from_result(
            result,
            comment=comment,
            policy=policy,
            toxicity_model=toxicity_model,
            applied=transition is not None,
        )
        for comment, result, transition in zip(comments, results, transitions, strict=True)
    )


def _transition(
    comment: Comment, decision: Decision, actor_label: str
) -> lifecycle.Transition | None:
    """The policy's decision on a pending comment, applied; None if it had left `pending`."""
    to = lifecycle.STATUS_FOR_OUTCOME[decision.outcome]
    shown_reason = ""
    if to == Comment.Status.REJECTED:
        shown_reason = reasons.policy_reason(
            language=comment.article.language,
            codes=reasons.rejecting_codes(reason.as_dict() for reason in decision.reasons),
        )
    return lifecycle.move(
        comment,
        expected=Comment.Status.PENDING,
        to=to,
        by=lifecycle.By.SYSTEM,
        actor_label=actor_label,
        reason_code=AuditReason.POLICY,
        reason=" ".join(reason.code for reason in decision.reasons),
        shown_reason=shown_reason,
    )


def send_unassessed_to_review(*, comment_ids: list[int], error: str) -> int:
    """After the retries are spent: the comments go to moderators, never published unassessed."""
    unavailable = Decision(Outcome.REVIEW, [Reason(ReasonCode.ASSESSMENT_UNAVAILABLE)])
    with transaction.atomic():
        comments = list(
            Comment.objects.filter(
                pk__in=comment_ids, status=Comment.Status.PENDING
            ).select_related("article")
        )
        results = [
            Result(
                toxicity={},
                relevance=None,
                relevance_article=None,
                relevance_parent=None,
                language=comment.article.language,
                language_source="declared",
                decision=unavailable,
                error=error,
                # `decide` reads nothing else of an unavailable assessment: the what-if replays it.
                word_count=0,
                has_link=False,
                author_approved_comments=0,
            )
            for comment in comments
        ]
        assessments = record_assessments(
            comments=comments, results=results, policy=PolicyVersion.objects.active(), scorer=None
        )
        ScoringLease.objects.filter(comment_id__in=comment_ids).delete()
    return sum(assessment.applied for assessment in assessments)


def stale_pending_count(*, older_than: timedelta | None = None) -> int:
    """Comments pending longer than the sweep waits: a lost wake-up, or a worker that died."""
    older_than = older_than or timedelta(seconds=settings.MODERATION_SWEEP_AFTER_SECONDS)
    return Comment.objects.filter(
        status=Comment.Status.PENDING, created_at__lte=timezone.now() - older_than
    ).count()


def sweep_pending() -> int:
    """Wake enough workers for the comments left pending too long. Returns the wake-ups sent.

    Run by celery beat in a worker every minute, it also records the worker's heartbeat.
    """
    # update(), not save(): the time the models were checked must stay as it was.
    if not ModelStatus.objects.filter(pk=1).update(heartbeat_at=timezone.now()):
        ModelStatus.objects.create(pk=1, heartbeat_at=timezone.now())
    ScoringLease.objects.filter(expires_at__lte=timezone.now()).delete()
    stale = stale_pending_count()
    if not stale:
        return 0
    wakeups = -(-stale // settings.MODERATION_BATCH_SIZE)
    sent = sum(dispatch.send(dispatch.SCORE_PENDING) for _ in range(wakeups))
    logger.info("Swept %d stale pending comments: %d wake-ups", stale, sent)
    return sent
