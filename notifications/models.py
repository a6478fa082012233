"""Notifications' records: readers' subscriptions to discussions, the comments still to announce,
the outbox of follower e-mails (one row per recipient and comment, never sent twice), and each
reader's e-mail preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """A reader (an account, or a visitor's confirmed address) who follows an article."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("article"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("reader"),
    )
    # A visitor's address as following.normalised_address spells it; empty for an account,
    # whose current address is used.
    email = models.EmailField(_("e-mail address"), blank=True)
    # A visitor's language when subscribing; an account's e-mails follow its reader profile.
    language = models.CharField(
        _("language for e-mails"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    # None until a visitor confirms the address (accounts are confirmed at once).
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=Q(user__isnull=False),
                name="one_subscription_per_reader_and_article",
            ),
            models.UniqueConstraint(
                fields=["article", "email"],
                condition=Q(user__isnull=True),
                name="one_subscription_per_address_and_article",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="subscription_has_reader_or_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or self.email} → {self.article_id}"


class CommentToAnnounce(models.Model):
    """A comment that became visible to everyone and whose followers are not yet in the outbox.

    Written in the same transaction as the status change, so that a broker that is down delays
    the e-mails but never loses them: the beat task announces whatever is left here.
    """

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.comment_id}"


class FollowerMail(models.Model):
    """The outbox: one row per recipient and comment; the unique constraint means a retried task
    or a comment restored after removal never announces the same comment twice to anyone."""

    class Reason(models.TextChoices):
        FOLLOWING = "following", _("follows the article")
        REPLY = "reply", _("reply to their comment")

    recipient = models.EmailField(_("recipient"))
    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="+", verbose_name=_("comment")
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    language = models.CharField(max_length=5, default="de")
    digest = models.BooleanField(default=False)
    due_at = models.DateTimeField(db_index=True)
    # A sender's claim, so that two tasks running at once never send the same row.
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower e-mail")
        verbose_name_plural = _("follower e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment"], name="one_follower_mail_per_recipient_and_comment"
            )
        ]
        # Named as when these tables belonged to moderation, so that the move renamed nothing.
        indexes = [
            models.Index(
                fields=["recipient", "article", "sent_at"], name="moderation__recipie_978f77_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ← #{self.comment_id}"


class FollowFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    DAILY = "daily", _("once a day (daily digest)")


class EmailPreferences(models.Model):
    """Which e-mails a reader wants, how often, and in which language. A reader without a row
    gets the defaults: no decision e-mails, replies and followed discussions at once, German."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preferences",
        verbose_name=_("reader"),
    )
    notify_on_decision = models.BooleanField(
        _("e-mail me when a moderator decides on my comments"), default=False
    )
    language = models.CharField(
        _("language for e-mails"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    notify_on_reply = models.BooleanField(
        _("e-mail me when someone replies to my comments"), default=True
    )
    follow_frequency = models.CharField(
        _("e-mails about discussions I follow"),
        max_length=12,
        choices=FollowFrequency.choices,
        default=FollowFrequency.IMMEDIATELY,
    )

    class Meta:
        verbose_name = _("e-mail preferences")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user_id: int | None) -> EmailPreferences:
        """The reader's preferences, or the defaults (unsaved) for a reader who never chose."""
        if not user_id:
            return cls()
        return cls.objects.filter(user_id=user_id).first() or cls(user_id=user_id)
