"""What enters the review queue, with which reasons and priority, and who has an item open."""

from __future__ import annotations

from django.utils import timezone

from articles.models import Comment
from moderation.codes import QueuePriority, QueueSource, ReasonCode
from moderation.models import QueueReason, ReviewItem
from moderation.policy.rules import Decision


def enqueue_for_review(
    *,
    comment: Comment,
    decision: Decision | None = None,
    language: str = "",
    report_count: int = 0,
) -> ReviewItem:
    """Put the comment in the review queue. An item already waiting keeps its place and viewer;
    new reports only raise its count and priority."""
    fields = _item_fields(decision, language, comment, report_count)
    waiting = ReviewItem.objects.open().filter(comment=comment)
    if waiting.update(**{k: fields[k] for k in ("report_count", "priority", "source")}):
        return waiting.get()
    item, _created = ReviewItem.objects.update_or_create(
        comment=comment,
        defaults={
            **fields,
            "entered_at": timezone.now(),
            "closed_at": None,
            "opened_by": None,
            "opened_at": None,
        },
    )
    item.reasons.all().delete()
    QueueReason.objects.bulk_create(_reasons(item, decision))
    return item


def enqueue_many(entries: list[tuple[Comment, Decision, str]]) -> None:
    """Queue a batch's comments for review: new items in one insert, others one by one."""
    queued = set(
        ReviewItem.objects.filter(comment__in=[c for c, _, _ in entries]).values_list(
            "comment_id", flat=True
        )
    )
    fresh: list[tuple[ReviewItem, Decision]] = []
    for comment, decision, language in entries:
        if comment.pk in queued:
            enqueue_for_review(comment=comment, decision=decision, language=language)
        else:
            item = ReviewItem(comment=comment, **_item_fields(decision, language, comment))
            fresh.append((item, decision))
    items = ReviewItem.objects.bulk_create([item for item, _ in fresh])
    if items and items[0].pk is None:  # backends that return no ids on bulk inserts
        ids = dict(
            ReviewItem.objects.filter(comment__in=[i.comment for i in items]).values_list(
                "comment_id", "id"
            )
        )
        for item in items:
            item.pk = ids[item.comment_id]
    QueueReason.objects.bulk_create(
        [reason for item, decision in fresh for reason in _reasons(item, decision)]
    )


def enqueue_appeal(*, comment: Comment) -> ReviewItem:
    """Put a turned-down comment back in the queue, marked as its author's appeal."""
    item, _created = ReviewItem.objects.update_or_create(
        comment=comment,
        defaults={
            "source": QueueSource.APPEAL,
            "language": comment.article.language,
            "report_count": 0,
            "near_threshold": False,
            "priority": QueuePriority.NORMAL,
            "entered_at": timezone.now(),
            "closed_at": None,
            "opened_by": None,
            "opened_at": None,
        },
    )
    item.reasons.all().delete()
    QueueReason.objects.create(item=item, code=ReasonCode.APPEAL)
    return item


def mark_opened(*, item: ReviewItem, moderator) -> None:
    """Show other moderators that this one has the item open now."""
    ReviewItem.objects.filter(pk=item.pk).update(opened_by=moderator, opened_at=timezone.now())


def _reasons(item: ReviewItem, decision: Decision | None) -> list[QueueReason]:
    reasons = decision.reasons if decision else []
    unique = dict.fromkeys((reason.code, reason.label) for reason in reasons)
    return [QueueReason(item=item, code=code, label=label) for code, label in unique]


def _item_fields(decision: Decision | None, language: str, comment: Comment, reports: int = 0):
    urgent = reports > 0 or (decision is not None and decision.near_reject)
    return {
        "source": QueueSource.REPORTS if reports else QueueSource.POLICY,
        "language": language or comment.article.language,
        "report_count": reports,
        "near_threshold": bool(decision and decision.near_reject),
        "priority": QueuePriority.URGENT if urgent else QueuePriority.NORMAL,
    }
