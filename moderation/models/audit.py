"""The audit sample: automatic decisions drawn at random for a moderator to confirm or overturn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditSample(models.Model):
    """One automatically published or rejected comment drawn for review, and the verdict on it.

    The comment keeps the policy's decision while it waits; the verdict says whether a moderator
    confirmed it or overturned it, which gives an unbiased estimate of the policy's errors.
    """

    class Verdict(models.TextChoices):
        WAITING = "", _("waiting")
        CONFIRMED = "confirmed", _("confirmed")
        OVERTURNED = "overturned", _("overturned")

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, related_name="audit_sample"
    )
    decision = models.CharField(_("automatic decision"), max_length=10)  # policy.Outcome
    language = models.CharField(_("language"), max_length=12, blank=True)
    sampled_at = models.DateTimeField(_("drawn at"), default=timezone.now, db_index=True)
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=Verdict.choices, blank=True, default=""
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("audit sample")
        verbose_name_plural = _("audit samples")

    def __str__(self) -> str:
        return f"{self.decision} #{self.comment_id}"
