"""Review's records: the queue and its reasons, the audit trail, reader reports, authors'
appeals and the audit sample."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Comment
from moderation.codes import (
    AppealOutcome,
    AuditReason,
    QueueAction,
    QueuePriority,
    QueueSource,
    ReasonCode,
    RejectReason,
)


class ReviewItemQuerySet(models.QuerySet):
    def open(self) -> ReviewItemQuerySet:
        return self.filter(closed_at__isnull=True)

    def in_queue_order(self) -> ReviewItemQuerySet:
        """Reported comments and those near a threshold first, then the oldest."""
        return self.order_by("priority", "entered_at", "id")

    def with_reason(self, code: str) -> ReviewItemQuerySet:
        """Items with this reason code; "reported" means readers reported the comment."""
        if code == ReasonCode.REPORTED:
            return self.filter(report_count__gt=0)
        return self.filter(Exists(QueueReason.objects.filter(item=OuterRef("pk"), code=code)))

    def with_label(self, label: str) -> ReviewItemQuerySet:
        """Items sent to review or near rejection for this model label (whole names only)."""
        return self.filter(Exists(QueueReason.objects.filter(item=OuterRef("pk"), label=label)))


class ReviewItem(models.Model):
    """A comment that needs a human: sent to review by the policy, or reported by readers."""

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, related_name="review_item"
    )
    source = models.CharField(_("why"), max_length=10, choices=QueueSource.choices)
    language = models.CharField(_("language"), max_length=12, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    near_threshold = models.BooleanField(_("near a threshold"), default=False)
    priority = models.PositiveSmallIntegerField(
        choices=QueuePriority.choices, default=QueuePriority.NORMAL
    )
    entered_at = models.DateTimeField(_("in the queue since"), default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("review queue item")
        verbose_name_plural = _("review queue")
        permissions = [("moderate_comments", _("Can work the review queue"))]
        indexes = [models.Index(fields=["closed_at", "priority", "entered_at"])]

    def __str__(self) -> str:
        return f"#{self.comment_id}"

    def viewer_other_than(self, user, *, within: timedelta = timedelta(minutes=5)):
        """The other moderator who has this item open right now, if any."""
        recent = self.opened_at is not None and timezone.now() - self.opened_at < within
        if recent and self.opened_by_id and self.opened_by_id != user.pk:
            return self.opened_by
        return None


class QueueReason(models.Model):
    """One reason a queue item is there: a policy reason code, with the model label it concerns."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="reasons")
    code = models.CharField(_("reason"), max_length=30, choices=ReasonCode.choices)
    label = models.CharField(_("label"), max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["code", "item"]), models.Index(fields=["label", "item"])]
        verbose_name = _("queue reason")
        verbose_name_plural = _("queue reasons")

    def __str__(self) -> str:
        return f"{self.code} {self.label}".strip()


class StatusChange(models.Model):
    """The audit trail: every status change of a comment, by the policy or by a person."""

    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Comment.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Comment.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by (automatic)"), max_length=100, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"#{self.comment_id}: {self.from_status} → {self.to_status}"

    @property
    def who(self) -> str:
        """The moderator's name, or which policy version decided."""
        if self.actor is not None:
            return self.actor.get_username()
        if self.reason_code != AuditReason.POLICY:
            return self.actor_label
        version = self.actor_label.removeprefix("policy v")
        if version.isdigit():
            return _("automatic assessment (policy version %(id)s)") % {"id": version}
        return str(_("automatic assessment (default policy)"))

    @property
    def reason_text(self) -> str:
        """The reason in words: the policy's reasons, or the moderator's reason and text."""
        if self.reason_code == AuditReason.POLICY:
            codes = [c for c in self.reason.replace(",", " ").split() if c in ReasonCode.values]
            return ", ".join(str(ReasonCode(code).label) for code in codes)
        if self.reason_code == AuditReason.UNDO:
            return str(AuditReason.UNDO.label)
        if self.reason_code == AuditReason.APPEAL and self.reason in AppealOutcome.values:
            return str(AppealOutcome(self.reason).label)
        if self.reason_code in RejectReason.values:
            label = str(RejectReason(self.reason_code).label)
            extra = "" if self.reason in QueueAction.values else self.reason
            return f"{label}: {extra}" if extra else label
        if self.reason in QueueAction.values:
            return str(QueueAction(self.reason).label)
        return self.reason


class Report(models.Model):
    """A reader's report of a published comment. One per reader and comment."""

    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RejectReason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.reason} #{self.comment_id}"


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
