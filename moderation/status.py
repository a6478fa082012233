"""The one way a comment's status changes: a conditional update, its audit entry, the article's
thread version (which expires cached pages), the author's e-mail when one is due, and the labelled
example a person's decision makes for the site model."""

from __future__ import annotations

from django.utils import timezone

from articles.models import Article, Comment
from moderation import notifications
from moderation.models import StatusChange
from moderation.site_model import examples


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
) -> bool:
    """Move the comment from `expected` to `to` and record it in the audit trail.

    The update applies only if the comment is still in `expected` (one conditional UPDATE), so of
    two decisions made at once exactly one wins. Returns whether this one did. With `audit`, the
    trail's entry is appended there for the caller to insert with others in one statement.
    """
    fields = {"status": to, "updated_at": timezone.now()}
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
    notifications.status_changed(
        comment_id=comment.pk, before=expected, after=to, by_person=actor is not None
    )
    return True
