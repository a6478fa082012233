"""Readers following discussions: subscribing (one click for a verified account, a confirmed
address for a visitor), unsubscribing, and the signed links that confirm and stop it.

The links are signed with django.core.signing, each kind with its own salt: a confirmation link
expires after FOLLOW_CONFIRM_DAYS, a stop link after a year.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from moderation import dispatch
from notifications.models import EmailPreferences, Subscription

CONFIRM_SALT = "agora.following.confirm"
STOP_SALT = "agora.following.stop"
STOP_MAX_AGE_DAYS = 365


class Stop(enum.StrEnum):
    """What a stop link turns off."""

    ARTICLE = "article"  # one subscription
    REPLIES = "replies"  # an account's e-mails about replies
    EVERYTHING = "all"  # every subscription and reply e-mail of an address (the digest's link)


class Confirmation(enum.Enum):
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"


# The largest id a database stores; a signed value outside 1..this is no id of ours.
MAX_ID = 2**63 - 1


def is_id(value: object) -> bool:
    """Whether a signed link's value can be a row's id (a link from an older format may carry
    something else; it is refused like a forged one, never a server error)."""
    return type(value) is int and 0 < value <= MAX_ID


@dataclass(frozen=True)
class StopRequest:
    kind: Stop
    subject: int | str  # a subscription id, a user id, or an address
    article_title: str = ""


def normalised_address(email: str) -> str:
    """The one spelling of a visitor's address that its rate limit counts, that is stored and
    that is looked up: trimmed, case-folded, its domain IDNA-encoded (`Bücher.example` becomes
    `xn--bcher-kva.example`). Raises ValueError for a domain that has no such encoding.

    The whole address is case-folded, local part included: mail providers treat `Victim@` and
    `victim@` as one mailbox, and one mailbox must not get a confirmation per spelling.
    """
    local, at, domain = email.strip().casefold().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValueError(f"{email!r} has no IDNA-encoded domain") from error
    return f"{local}{at}{domain}"


def follow(*, user, article: Article) -> Subscription:
    """Subscribe a verified account to the article; subscribing twice keeps one subscription."""
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.get_or_create(
                article=article, user=user, defaults={"confirmed_at": timezone.now()}
            )
    except IntegrityError:  # the same click twice at once: the other one created it
        subscription = Subscription.objects.get(article=article, user=user)
    return subscription


def unfollow(*, user, article_id: int) -> bool:
    """Whether the account was following the article (it no longer is)."""
    deleted, _ = Subscription.objects.filter(user=user, article_id=article_id).delete()
    return bool(deleted)


def is_following(*, user, article_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Subscription.objects.filter(user=user, article_id=article_id).exists()


def following_exists(*, article_id: int) -> Exists:
    """An expression on users: whether the user (OuterRef "pk") follows the article."""
    return Exists(Subscription.objects.filter(user=OuterRef("pk"), article_id=article_id))


def subscriptions_of(*, user) -> list[Subscription]:
    """The account's subscriptions with their articles, newest first."""
    return list(
        Subscription.objects.filter(user=user)
        .select_related("article")
        .order_by("-created_at", "-id")
    )


def request_subscription(*, email: str, article: Article, language: str) -> None:
    """A visitor asks to follow: store the address unconfirmed and e-mail a confirmation link.

    An address that already follows the article gets nothing (and the visitor is told the same
    as anyone else, so the form does not reveal who follows what).
    """
    email = normalised_address(email)
    subscription, created = Subscription.objects.get_or_create(
        article=article, user=None, email=email, defaults={"language": language}
    )
    if subscription.confirmed_at is not None:
        return
    if not created:  # asked again: a fresh week to confirm, in the language asked in now
        subscription.created_at, subscription.language = timezone.now(), language
        subscription.save(update_fields=["created_at", "language"])
    dispatch.send_on_commit(dispatch.SEND_FOLLOW_CONFIRMATION, args=(subscription.pk,))


def send_confirmation(*, subscription_id: int) -> bool:
    """E-mail the visitor the confirmation link, in the language they asked in. Whether it went."""
    subscription = (
        Subscription.objects.select_related("article")
        .filter(pk=subscription_id, confirmed_at__isnull=True, user__isnull=True)
        .first()
    )
    if subscription is None:
        return False
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    with translation.override(subscription.language):
        context = {
            "article": subscription.article,
            "confirm_url": settings.SITE_URL + reverse("articles:follow_confirm", args=[token]),
            "article_url": settings.SITE_URL + subscription.article.get_absolute_url(),
            "days": settings.FOLLOW_CONFIRM_DAYS,
        }
        subject = render_to_string("emails/follow_confirm_subject.txt", context).strip()
        body = render_to_string("emails/follow_confirm.txt", context)
    send_mail(subject, body, None, [subscription.email])
    return True


def follower_confirmation(*, token: str) -> tuple[Confirmation, Subscription | None]:
    """What a confirmation link would confirm; changes nothing."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=_confirm_max_age())
    except signing.SignatureExpired:
        return Confirmation.EXPIRED, None
    except signing.BadSignature:
        return Confirmation.INVALID, None
    if not is_id(pk):
        return Confirmation.INVALID, None
    subscription = Subscription.objects.select_related("article").filter(pk=pk).first()
    if subscription is None:  # forgotten unconfirmed by the cleanup, or unsubscribed since
        return Confirmation.EXPIRED, None
    return Confirmation.CONFIRMED, subscription


def confirm_follower(*, token: str) -> tuple[Confirmation, Subscription | None]:
    """Confirm the visitor's address, once; a repeated confirmation changes nothing."""
    outcome, subscription = follower_confirmation(token=token)
    if subscription is not None and subscription.confirmed_at is None:
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
    return outcome, subscription


def forget_unconfirmed() -> int:
    """Delete visitors' addresses never confirmed within FOLLOW_CONFIRM_DAYS; how many."""
    expired = timezone.now() - timedelta(seconds=_confirm_max_age())
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=expired
    ).delete()
    return deleted


def _confirm_max_age() -> int:
    return settings.FOLLOW_CONFIRM_DAYS * 86400


def stop_token(kind: Stop, subject: int | str) -> str:
    return signing.dumps([kind.value, subject], salt=STOP_SALT)


def stop_url(kind: Stop, subject: int | str) -> str:
    """The absolute one-click link (RFC 8058) that stops these e-mails."""
    return settings.SITE_URL + reverse("articles:follow_off", args=[stop_token(kind, subject)])


def stop_request(*, token: str) -> StopRequest | None:
    """What a stop link would turn off, or None if it is forged, expired or stale."""
    try:
        kind, subject = signing.loads(token, salt=STOP_SALT, max_age=STOP_MAX_AGE_DAYS * 86400)
        kind = Stop(kind)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (is_id(subject) if kind != Stop.EVERYTHING else isinstance(subject, str)):
        return None
    if kind == Stop.ARTICLE:
        title = (
            Subscription.objects.filter(pk=subject).values_list("article__title", flat=True).first()
        )
        return StopRequest(kind, subject, title or "")
    return StopRequest(kind, subject)


def stop_following(*, request: StopRequest) -> None:
    """Turn off what the stop link names (see stop_request)."""
    if request.kind == Stop.ARTICLE:
        Subscription.objects.filter(pk=request.subject).delete()
    elif request.kind == Stop.REPLIES:
        EmailPreferences.objects.update_or_create(
            user_id=request.subject, defaults={"notify_on_reply": False}
        )
    else:
        address = str(request.subject).lower()
        Subscription.objects.filter(email=address).delete()
        Subscription.objects.filter(user__email__iexact=address).delete()
        EmailPreferences.objects.filter(user__email__iexact=address).update(notify_on_reply=False)
