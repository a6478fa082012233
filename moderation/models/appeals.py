"""Authors' appeals against a rejection or removal: one per comment, and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.codes import AppealOutcome

APPEAL_MAX_LENGTH = 1000


class AppealQuerySet(models.QuerySet):
    def undecided(self) -> AppealQuerySet:
        return self.filter(outcome=AppealOutcome.FILED)


class Appeal(models.Model):
    """The author's request that another person look again at a decision on their comment."""

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, related_name="appeal"
    )
    text = models.TextField(_("the author's appeal"), max_length=APPEAL_MAX_LENGTH)
    # The status the appeal contests (rejected or removed), and who decided it (None: the policy).
    contested_status = models.CharField(_("contested status"), max_length=20)
    original_decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided first by"),
    )
    created_at = models.DateTimeField(_("appealed at"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.FILED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appeal decided by"),
    )
    decided_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"#{self.comment_id}: {self.outcome}"

    @property
    def is_decided(self) -> bool:
        return self.outcome != AppealOutcome.FILED
