"""Moderation's models. Each context keeps its own in its package (`scoring/models.py`,
`policy/models.py`, `review/models.py`, `site_model/models.py`); this module defines what belongs
to none of them, each reader's standing here (their ban), and re-exports the rest, so
that Django finds every model and the rest of moderation imports them from one place."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReaderProfileQuerySet(models.QuerySet):
    def banned(self) -> ReaderProfileQuerySet:
        """Readers banned now: a temporary ban whose end has passed no longer counts."""
        return self.filter(is_banned=True).filter(
            Q(banned_until__isnull=True) | Q(banned_until__gt=timezone.now())
        )


class ReaderProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    is_banned = models.BooleanField(_("banned"), default=False)
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    ban_reason = models.CharField(_("reason for the ban"), max_length=300, blank=True)
    banned_until = models.DateTimeField(
        _("banned until"), null=True, blank=True, help_text=_("Empty: until unbanned.")
    )

    objects = ReaderProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("reader profile")
        verbose_name_plural = _("reader profiles")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> ReaderProfile:
        profile, _created = cls.objects.get_or_create(user=user)
        return profile

    @property
    def is_banned_now(self) -> bool:
        """Whether the ban holds at this moment; a temporary ban ends by itself."""
        ended = self.banned_until is not None and self.banned_until <= timezone.now()
        return self.is_banned and not ended

    def ban(self, *, reason: str = "", until: datetime | None = None) -> None:
        self.is_banned, self.banned_at, self.ban_reason = True, timezone.now(), reason
        self.banned_until = until
        self.save(update_fields=["is_banned", "banned_at", "ban_reason", "banned_until"])


class BanChange(models.Model):
    """The bans' audit trail: every ban and unban, by whom, why, and until when."""

    class Action(models.TextChoices):
        BAN = "ban", _("banned")
        UNBAN = "unban", _("unbanned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ban_changes",
        verbose_name=_("reader"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    banned_until = models.DateTimeField(_("banned until"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ban or unban")
        verbose_name_plural = _("bans and unbans")

    def __str__(self) -> str:
        return f"{self.action} {self.user_id}"


# The contexts' models, re-exported (imported last: they import nothing from this module).
from moderation.policy.models import (  # noqa: E402
    DEFAULT_LABEL_THRESHOLDS,
    PolicyVersion,
    WordListEntry,
)
from moderation.review.models import (  # noqa: E402
    APPEAL_MAX_LENGTH,
    Appeal,
    AuditSample,
    QueueReason,
    Report,
    ReviewItem,
    StatusChange,
)
from moderation.scoring.models import (  # noqa: E402
    ArticleEmbedding,
    Assessment,
    ModelStatus,
    ScoringLease,
)
from moderation.site_model.models import LabelledExample, SiteModelVersion  # noqa: E402

__all__ = [
    "APPEAL_MAX_LENGTH",
    "DEFAULT_LABEL_THRESHOLDS",
    "Appeal",
    "ArticleEmbedding",
    "Assessment",
    "AuditSample",
    "BanChange",
    "LabelledExample",
    "ModelStatus",
    "PolicyVersion",
    "QueueReason",
    "ReaderProfile",
    "Report",
    "ReviewItem",
    "ScoringLease",
    "SiteModelVersion",
    "StatusChange",
    "WordListEntry",
]
