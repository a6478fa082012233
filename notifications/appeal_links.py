"""The signed link in a decision e-mail that lets the author appeal without logging in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

APPEAL_SALT = "agora.appeals"


def appeal_token(comment_id: int) -> str:
    return signing.dumps(comment_id, salt=APPEAL_SALT)


def comment_id_from_appeal_token(*, token: str) -> int | None:
    """The comment the token was signed for, or None if forged or older than the appeal period
    (and a day's grace for an e-mail read late)."""
    max_age = (settings.MODERATION_APPEAL_DAYS + 1) * 86400
    try:
        value = signing.loads(token, salt=APPEAL_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def appeal_url(comment_id: int) -> str:
    """The absolute address of the comment's appeal page, signed for its author."""
    path = reverse("articles:comment_appeal", args=[comment_id])
    return f"{settings.SITE_URL}{path}?{urlencode({'token': appeal_token(comment_id)})}"
