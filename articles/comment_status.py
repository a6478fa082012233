"""What the author reads about where their comment stands: the words under a comment awaiting a
decision, the usual wait for one, and the live status the article page polls for."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from articles.models import Comment


def wait_estimate(minutes: int | None) -> str:
    """ "Usually decided within …", or "" when there is no estimate."""
    if not minutes:
        return ""
    if minutes >= 120:
        hours = minutes // 60
        return ngettext(
            "Usually decided within %(n)d hour.", "Usually decided within %(n)d hours.", hours
        ) % {"n": hours}
    return ngettext(
        "Usually decided within %(n)d minute.", "Usually decided within %(n)d minutes.", minutes
    ) % {"n": minutes}


def awaiting_message(comment: Comment, *, estimate: str = "") -> str:
    if comment.status == Comment.Status.NEEDS_REVIEW:
        return f"{gettext('A moderator will look at your comment.')} {estimate}".strip()
    return gettext("Your comment is being checked.")


def status_label(comment: Comment) -> str:
    """The badge's words, as the comment partial shows them."""
    if comment.is_awaiting_moderation:
        return gettext("Awaiting moderation")
    if comment.is_rejected:
        return gettext("Not published")
    if comment.is_removed:
        return gettext("Removed")
    return gettext("Published")


def live_status(comment: Comment, *, wait_minutes: int | None, can_appeal: bool = False) -> dict:
    """The status endpoint's answer: the status, whether it is decided, and the words to show;
    with `can_appeal` (a turned-down comment its author may still appeal) the appeal page's
    address and the link's words."""
    decided = not comment.is_awaiting_moderation
    if comment.is_published:
        message = gettext("Your comment is published.")
    elif comment.is_turned_down:
        reason = comment.rejection_reason or gettext("It does not follow our discussion policy.")
        message = gettext("Your comment was not published. Reason: %(reason)s") % {"reason": reason}
        if comment.is_removed:
            message = gettext("Your comment was removed. Reason: %(reason)s") % {"reason": reason}
    else:
        message = awaiting_message(comment, estimate=wait_estimate(wait_minutes))
    answer = {
        "status": comment.status,
        "decided": decided,
        "published": comment.is_published,
        "label": status_label(comment),
        "message": message,
    }
    if can_appeal and comment.is_turned_down:
        answer["appeal_url"] = reverse("articles:comment_appeal", args=[comment.pk])
        answer["appeal_text"] = gettext("Appeal against this decision")
    return answer
