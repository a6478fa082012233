"""Labelled examples from the moderators' decisions: every human status change becomes one, and
an undone decision takes its example back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from articles.models import Comment
from moderation.codes import RejectReason
from moderation.models import Assessment, LabelledExample
from moderation.site_model import csvfile


def action_for(before: str, after: str) -> str:
    """The decision in one word: approve, keep (a reported comment), restore, reject or remove."""
    if after == Comment.Status.APPROVED:
        if before == Comment.Status.APPROVED:
            return "keep"
        return "restore" if before == Comment.Status.REMOVED else "approve"
    return "remove" if after == Comment.Status.REMOVED else "reject"


def take_back(*, comment: Comment) -> None:
    """An undone decision takes back the example it made."""
    undone = (
        LabelledExample.objects.filter(comment=comment, source=LabelledExample.Source.DECISION)
        .order_by("-decided_at", "-id")
        .first()
    )
    if undone is not None:
        undone.delete()


def record_decision(
    *, comment: Comment, before: str, after: str, actor, turned_down: bool, reason_code: str
) -> None:
    """Store a person's judgement of the comment's text as an example, labelled 1 if they turned
    it down. `lifecycle.settle` calls it for every such decision, so none escapes it."""
    article = comment.article
    parent = (
        Comment.objects.filter(pk=comment.parent_id).values_list("body", flat=True).first()
        if comment.parent_id
        else None
    )
    assessment: Mapping[str, Any] = (
        Assessment.objects.filter(comment=comment)
        .order_by("-created_at", "-id")
        .values("toxicity", "relevance", "relevance_article", "relevance_parent", "language")
        .first()
    ) or {}
    LabelledExample.objects.create(
        text=comment.body,
        label=int(turned_down),
        reason=reason_code if turned_down and reason_code in RejectReason.values else "",
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
