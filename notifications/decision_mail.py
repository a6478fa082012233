"""E-mail to authors about their comments: the decision and the appeal's outcome, what each
says, and the signed link that stops them.

Which status change deserves an e-mail is the lifecycle's rule
(`lifecycle.Transition.author_hears`): a person publishing, rejecting or removing the comment, or
the policy rejecting it. The author gets it only if they opted in.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from articles.models import Comment
from moderation import reasons
from moderation.codes import AppealOutcome, AuditReason, RejectReason
from moderation.models import Appeal
from notifications import appeal_links, follower_mail
from notifications.following import is_id
from notifications.models import EmailPreferences

UNSUBSCRIBE_SALT = "agora.notifications.off"


def send_decision_notice(*, comment_id: int) -> bool:
    """E-mail the author the outcome, in their language, if they asked for it. Whether it went."""
    comment = Comment.objects.select_related("article", "author").filter(pk=comment_id).first()
    if comment is None:
        return False
    profile = EmailPreferences.of(comment.author_id)
    if not profile.notify_on_decision or not comment.author.email:
        return False
    reason = author_reason(comment, language=profile.language) if comment.is_turned_down else ""
    with translation.override(profile.language):
        context = {
            "comment": comment,
            "reason": reason,
            "article": comment.article,
            "user": comment.author,
            "comment_url": settings.SITE_URL + comment.get_absolute_url(),
            "policy_url": settings.SITE_URL + reverse("articles:policy"),
            "appeal_url": appeal_links.appeal_url(comment.pk) if comment.is_turned_down else "",
            "appeal_days": settings.MODERATION_APPEAL_DAYS,
            "unsubscribe_url": settings.SITE_URL
            + reverse("articles:notifications_off", args=[unsubscribe_token(comment.author_id)]),
        }
        subject = render_to_string("emails/decision_subject.txt", context).strip()
        body = render_to_string("emails/decision.txt", context)
    headers = follower_mail.unsubscribe_headers(context["unsubscribe_url"])
    EmailMessage(subject, body, None, [comment.author.email], headers=headers).send()
    return True


def author_reason(comment: Comment, *, language: str) -> str:
    """Why the comment was turned down, as the author reads it in the given language."""
    change = comment.status_changes.order_by("-created_at", "-id").first()
    if change and change.reason_code in RejectReason.values:
        return reasons.moderator_reason(change.reason_code, change.reason, language=language)
    if change and change.reason_code == AuditReason.POLICY:
        return reasons.stored_policy_reason(comment.pk, language=language)
    return comment.rejection_reason


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str, *, max_age_days: int = 365) -> int | None:
    """The user id the token was signed for, or None if it is forged or too old."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None
    return user_id if is_id(user_id) else None


def unsubscribe_token_is_valid(*, token: str) -> bool:
    return user_from_unsubscribe_token(token) is not None


def unsubscribe(*, token: str) -> bool:
    """Stop the decision e-mails for the token's reader; False for a forged or expired token."""
    user_id = user_from_unsubscribe_token(token)
    if user_id is None:
        return False
    EmailPreferences.objects.filter(user_id=user_id).update(notify_on_decision=False)
    return True


def send_appeal_notice(*, comment_id: int) -> bool:
    """E-mail the author the appeal's outcome, in their language, if they asked for decision
    e-mails. Whether it went."""
    appeal = (
        Appeal.objects.select_related("comment__article", "comment__author")
        .filter(comment_id=comment_id)
        .first()
    )
    if appeal is None or not appeal.is_decided:
        return False
    comment = appeal.comment
    profile = EmailPreferences.of(comment.author_id)
    if not profile.notify_on_decision or not comment.author.email:
        return False
    with translation.override(profile.language):
        context = {
            "comment": comment,
            "granted": appeal.outcome == AppealOutcome.GRANTED,
            "reason": author_reason(comment, language=profile.language),
            "article": comment.article,
            "user": comment.author,
            "comment_url": settings.SITE_URL + comment.get_absolute_url(),
            "unsubscribe_url": settings.SITE_URL
            + reverse(
                "articles:notifications_off",
                args=[unsubscribe_token(comment.author_id)],
            ),
        }
        subject = render_to_string("emails/appeal_outcome_subject.txt", context).strip()
        body = render_to_string("emails/appeal_outcome.txt", context)
    send_mail(subject, body, None, [comment.author.email])
    return True
