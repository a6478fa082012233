"""What moderation keeps about each reader: ban state, and which e-mails they want, in which
language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReaderProfileQuerySet(models.QuerySet):
    def banned(self) -> ReaderProfileQuerySet:
        return self.filter(is_banned=True)


class ReaderProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile"
    )
    is_banned = models.BooleanField(_("banned"), default=False)
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    ban_reason = models.CharField(_("reason for the ban"), max_length=300, blank=True)
    notify_on_decision = models.BooleanField(
        _("e-mail me when a moderator decides on my comments"), default=False
    )
    language = models.CharField(
        _("language for e-mails"), max_length=5, choices=settings.LANGUAGES, default="de"
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

    def ban(self, *, reason: str = "") -> None:
        self.is_banned, self.banned_at, self.ban_reason = True, timezone.now(), reason
        self.save(update_fields=["is_banned", "banned_at", "ban_reason"])
