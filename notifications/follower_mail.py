"""Who hears about a comment that became visible to everyone, and sending the outbox.

A comment published or restored is marked to announce (`comments_became_visible`, in the status
change's transaction). Announcing it writes one outbox row per recipient: the article's confirmed
followers and, for a reply, the author of the comment replied to; never the comment's own author
or a banned reader. The outbox's unique constraint (recipient, comment) makes announcing again
(a retried task, a restore after removal) add nothing.

`send_due` sends the rows that are due: one e-mail per reader and article, at most one every
FOLLOW_THROTTLE_MINUTES (later comments wait and go together), or one daily digest per reader.
Rows are claimed and recorded as sent before sending, so two senders at once, or a retry, never
send the same row twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Comment
from moderation import dispatch
from moderation.models import ReaderProfile
from notifications.following import Stop, stop_url
from notifications.models import (
    CommentToAnnounce,
    EmailPreferences,
    FollowerMail,
    FollowFrequency,
    Subscription,
)

CLAIM_EXPIRES = timedelta(minutes=15)
ONE_CLICK = "List-Unsubscribe=One-Click"


def comments_became_visible(comment_ids: list[int]) -> None:
    """Mark the comments to announce (one insert) and wake a worker for each once the change
    commits."""
    if not comment_ids:
        return
    CommentToAnnounce.objects.bulk_create(
        [CommentToAnnounce(comment_id=comment_id) for comment_id in comment_ids],
        ignore_conflicts=True,
    )
    for comment_id in comment_ids:
        dispatch.send_on_commit(dispatch.NOTIFY_FOLLOWERS, args=(comment_id,))


def next_digest_at(now: datetime) -> datetime:
    """The next FOLLOW_DIGEST_HOUR o'clock in TIME_ZONE after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.FOLLOW_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)


def announce(*, comment_id: int) -> int:
    """Put the comment's recipients in the outbox if it is still visible; how many recipients.

    A constant number of queries for any number of followers (the insert goes in batches).
    """
    comment = (
        Comment.objects.select_related("author", "parent__author").filter(pk=comment_id).first()
    )
    rows = _recipients(comment) if comment is not None and comment.is_published else []
    created = FollowerMail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    CommentToAnnounce.objects.filter(comment_id=comment_id).delete()
    return len(created)


def announce_left() -> int:
    """Announce the comments whose task never ran (the broker was down): the beat's catch-up."""
    ids = list(
        CommentToAnnounce.objects.order_by("created_at").values_list("comment_id", flat=True)
    )
    return sum(announce(comment_id=pk) for pk in ids)


def _recipients(comment: Comment) -> list[FollowerMail]:
    now = timezone.now()
    subscriptions = list(
        Subscription.objects.confirmed()
        .filter(article_id=comment.article_id)
        .select_related("user")
        .only("id", "email", "language", "user__id", "user__email")
    )
    replied_to = comment.parent.author if comment.parent else None
    followers = Subscription.objects.filter(article_id=comment.article_id).values("user_id")
    readers = Q(user_id__in=followers) | Q(user_id=replied_to.pk if replied_to else None)
    preferences = {p.user_id: p for p in EmailPreferences.objects.filter(readers)}
    banned = set(ReaderProfile.objects.banned().filter(readers).values_list("user_id", flat=True))
    default = EmailPreferences()
    author_address = comment.author.email.lower()
    rows: dict[str, FollowerMail] = {}

    def add(address: str, **fields) -> None:
        if address and address != author_address:
            rows[address] = FollowerMail(
                recipient=address, comment=comment, article_id=comment.article_id, **fields
            )

    for subscription in subscriptions:
        if subscription.user_id is None:
            add(subscription.email, subscription=subscription, language=subscription.language)
            continue
        profile = preferences.get(subscription.user_id, default)
        if subscription.user_id != comment.author_id and subscription.user_id not in banned:
            add(
                subscription.user.email.lower(),
                user_id=subscription.user_id,
                subscription=subscription,
                language=profile.language,
                digest=profile.follow_frequency == FollowFrequency.DAILY,
            )
    if replied_to is not None and replied_to.pk != comment.author_id:
        profile = preferences.get(replied_to.pk, default)
        verified = EmailAddress.objects.filter(
            user_id=replied_to.pk, email__iexact=replied_to.email, verified=True
        ).exists()
        if profile.notify_on_reply and replied_to.pk not in banned and verified:
            address = replied_to.email.lower()
            following = rows.get(address)
            add(
                address,
                user_id=replied_to.pk,
                subscription=following.subscription if following else None,
                language=profile.language,
                digest=profile.follow_frequency == FollowFrequency.DAILY,
                reason=FollowerMail.Reason.REPLY,
            )
    _schedule(rows.values(), article_id=comment.article_id, now=now)
    return list(rows.values())


def _schedule(rows, *, article_id: int, now: datetime) -> None:
    """Each row's due time: the digest's hour, or now unless the reader had an e-mail about the
    article within the throttle period (then when the period ends, with whatever else came)."""
    throttle = timedelta(minutes=settings.FOLLOW_THROTTLE_MINUTES)
    last_sent = dict(
        FollowerMail.objects.filter(article_id=article_id, sent_at__gt=now - throttle)
        .values("recipient")
        .annotate(last=Max("sent_at"))
        .values_list("recipient", "last")
    )
    digest_at = next_digest_at(now)
    for row in rows:
        row.reason = row.reason or FollowerMail.Reason.FOLLOWING
        if row.digest:
            row.due_at = digest_at
        elif row.recipient in last_sent:
            row.due_at = max(now, last_sent[row.recipient] + throttle)
        else:
            row.due_at = now


@dataclass
class _Message:
    recipient: str
    language: str
    digest: bool
    rows: list[FollowerMail] = field(default_factory=list)


def send_due(*, now: datetime | None = None) -> int:
    """Send every outbox row that is due, in batches of FOLLOW_SEND_BATCH_SIZE e-mails over one
    connection each; how many e-mails went. A failing mail server leaves the unsent rows for the
    next run. Rows whose comment is no longer visible, whose subscription ended, or whose reader
    was banned or turned replies off are dropped (a restore announces the comment afresh)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    FollowerMail.objects.filter(sent_at__isnull=True, due_at__lte=now).filter(
        Q(claim="") | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    ).update(claim=token, claimed_at=now)
    claimed = FollowerMail.objects.filter(claim=token, sent_at__isnull=True)
    banned = ReaderProfile.objects.banned().filter(user_id=OuterRef("user_id"))
    no_replies = EmailPreferences.objects.filter(user_id=OuterRef("user_id"), notify_on_reply=False)
    dropped = claimed.filter(
        ~Q(comment__status=Comment.Status.APPROVED)
        | Q(reason=FollowerMail.Reason.FOLLOWING, subscription__isnull=True)
        | Q(reason=FollowerMail.Reason.REPLY, subscription__isnull=True) & Exists(no_replies)
        | Exists(banned)
    )
    dropped.delete()
    rows = list(
        claimed.select_related("comment__author", "article").order_by(
            "recipient", "article_id", "comment__created_at", "comment_id"
        )
    )
    messages = _group(rows)
    # Recorded as sent before sending: a sender killed halfway loses its e-mails rather than
    # sending them again; a mail server that refuses gives the unsent ones back below.
    claimed.update(sent_at=now)
    size = settings.FOLLOW_SEND_BATCH_SIZE
    for start in range(0, len(messages), size):
        batch = [_email(message) for message in messages[start : start + size]]
        try:
            connection = get_connection()
            connection.open()
        except OSError:  # nothing of this batch went: it goes back with the rest
            _give_back(messages[start:])
            raise
        try:
            connection.send_messages(batch)
        except OSError:  # part of this batch may have gone: only the later ones go back
            _give_back(messages[start + size :])
            raise
        finally:
            connection.close()
    return len(messages)


def _give_back(messages: list[_Message]) -> None:
    """Return the rows of e-mails that did not go to the outbox, for the next run."""
    row_ids = [row.pk for message in messages for row in message.rows]
    for start in range(0, len(row_ids), 500):
        FollowerMail.objects.filter(pk__in=row_ids[start : start + 500]).update(
            sent_at=None, claim=""
        )


def _group(rows: list[FollowerMail]) -> list[_Message]:
    """One e-mail per reader and article, or one digest per reader."""
    grouped: dict[tuple, _Message] = {}
    for row in rows:
        key = (row.recipient, None) if row.digest else (row.recipient, row.article_id)
        message = grouped.get(key)
        if message is None:
            message = grouped[key] = _Message(row.recipient, row.language, row.digest)
        message.rows.append(row)
    return list(grouped.values())


def _email(message: _Message) -> EmailMultiAlternatives:
    by_article: dict[int, list[FollowerMail]] = defaultdict(list)
    for row in message.rows:
        by_article[row.article_id].append(row)
    first = message.rows[0]
    if message.digest:
        unsubscribe = stop_url(Stop.EVERYTHING, message.recipient)
    elif first.subscription_id:
        unsubscribe = stop_url(Stop.ARTICLE, first.subscription_id)
    else:
        # A reply notice, whose reader has an account. Only a visitor's subscription ended while
        # the outbox was read leaves no user: 0, like a stale link, stops nothing.
        unsubscribe = stop_url(Stop.REPLIES, first.user_id or 0)
    with translation.override(message.language):
        context = {
            "digest": message.digest,
            "articles": [
                {
                    "article": rows[0].article,
                    "url": settings.SITE_URL + rows[0].article.get_absolute_url(),
                    "comments": [
                        {
                            "comment": row.comment,
                            "is_reply": row.reason == FollowerMail.Reason.REPLY,
                            "url": settings.SITE_URL + row.comment.get_absolute_url(),
                        }
                        for row in rows
                    ],
                }
                for rows in by_article.values()
            ],
            "count": len(message.rows),
            "unsubscribe_url": unsubscribe,
            "settings_url": settings.SITE_URL + reverse("articles:notifications")
            if first.user_id
            else "",
        }
        subject = render_to_string("emails/follow_subject.txt", context).strip()
        text = render_to_string("emails/follow.txt", context)
        html = render_to_string("emails/follow.html", context)
    email = EmailMultiAlternatives(
        subject, text, None, [message.recipient], headers=unsubscribe_headers(unsubscribe)
    )
    email.attach_alternative(html, "text/html")
    return email


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: a mail client POSTs to the link, no login, no form."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}
