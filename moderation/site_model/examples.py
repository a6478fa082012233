"""Labelled examples from the moderators' decisions: every human status change becomes one, and
an undone decision takes its example back."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from articles.models import Comment
from moderation import reasons
from moderation.codes import AuditReason, RejectReason
from moderation.models import Assessment, LabelledExample
from moderation.site_model import csvfile

TURNED_DOWN = {Comment.Status.REJECTED, Comment.Status.REMOVED}


def action_for(before: str, after: str) -> str:
    """The decision in one word: approve, keep (a reported comment), restore, reject or remove."""
    if after == Comment.Status.APPROVED:
        if before == Comment.Status.APPROVED:
            return "keep"
        return "restore" if before == Comment.Status.REMOVED else "approve"
    return "remove" if after == Comment.Status.REMOVED else "reject"


def record_decision(
    *, comment: Comment, before: str, after: str, actor, reason_code: str, reason: str = ""
) -> None:
    """Store the person's decision as an example; an undo deletes the undone decision's example.

    Called by `status.change_status` for every change a person made, so no decision escapes it.
    Changes that are no judgement of the text are not examples: back to pending or review, and
    the rejections that come with banning the author.
    """
    if reason == reasons.BANNED_REASON:
        return
    if reason_code == AuditReason.UNDO:
        undone = (
            LabelledExample.objects.filter(comment=comment, source=LabelledExample.Source.DECISION)
            .order_by("-decided_at", "-id")
            .first()
        )
        if undone is not None:
            undone.delete()
        return
    if after not in TURNED_DOWN and after != Comment.Status.APPROVED:
        return
    article = comment.article
    parent = Comment.objects.filter(pk=comment.parent_id).values_list("body", flat=True).first()
    assessment = (
        Assessment.objects.filter(comment=comment)
        .order_by("-created_at", "-id")
        .values("toxicity", "relevance", "relevance_article", "relevance_parent", "language")
        .first()
    ) or {}
    LabelledExample.objects.create(
        text=comment.body,
        label=int(after in TURNED_DOWN),
        reason=reason_code if after in TURNED_DOWN and reason_code in RejectReason.values else "",
        action=action_for(before, after),
        source=LabelledExample.Source.DECISION,
        comment=comment,
        article_ref=str(article.pk),
        article_title=article.title,
        article_lead=article.lead,
        parent_text=parent or "",
        language=assessment.get("language") or article.language,
        scores={key: value for key, value in assessment.items() if key != "language"},
        decided_by=actor,
        decided_at=timezone.now(),
    )


def import_rows(rows: list[csvfile.Row]) -> int:
    """Store checked CSV rows as labelled examples, all or none. Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        created = LabelledExample.objects.bulk_create(
            [
                LabelledExample(
                    text=row.text,
                    label=row.label,
                    reason=row.reason,
                    action="import",
                    source=LabelledExample.Source.IMPORT,
                    article_ref=row.article_id[:100],
                    article_title=row.article_title[:300],
                    article_lead=row.article_text,
                    parent_text=row.parent_text,
                    language=row.language[:12],
                    decided_at=now,
                )
                for row in rows
            ],
            batch_size=1000,
        )
    return len(created)
