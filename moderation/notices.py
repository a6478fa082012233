"""E-mail to authors about the outcome for their comments, with signed links."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

UNSUBSCRIBE_SALT = "agora.notifications.off"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str, *, max_age_days: int = 365) -> int | None:
    """The user id the token was signed for, or None if it is forged or too old."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None


def send_decision(*, comment, profile, reason: str) -> None:
    """The outcome for one comment, in the author's language, citing the discussion policy."""
    with translation.override(profile.language):
        context = {
            "comment": comment,
            "reason": reason,
            "article": comment.article,
            "user": comment.author,
            "comment_url": settings.SITE_URL + comment.get_absolute_url(),
            "policy_url": settings.SITE_URL + reverse("articles:policy"),
            "unsubscribe_url": settings.SITE_URL
            + reverse("articles:notifications_off", args=[unsubscribe_token(comment.author_id)]),
        }
        subject = render_to_string("emails/decision_subject.txt", context).strip()
        body = render_to_string("emails/decision.txt", context)
    send_mail(subject, body, None, [comment.author.email])
