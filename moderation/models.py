from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from moderation.policy import LabelThresholds, Outcome, Thresholds

UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]

# Defaults, documented in README.md ("Default thresholds"): (review at, reject at).
DEFAULT_LABEL_THRESHOLDS = {
    "toxicity": (0.50, 0.92),
    "severe_toxicity": (0.20, 0.70),
    "obscene": (0.60, 0.95),
    "identity_attack": (0.35, 0.85),
    "insult": (0.50, 0.92),
    "threat": (0.30, 0.85),
    "sexual_explicit": (0.50, 0.95),
}


def _threshold_fields() -> dict[str, models.FloatField]:
    fields = {}
    for label, (review, reject) in DEFAULT_LABEL_THRESHOLDS.items():
        name = label.replace("_", " ")
        # Lazy, so that the admin shows each label in the reader's language, not the default's.
        fields[f"{label}_review_at"] = models.FloatField(
            format_lazy("{}: {}", name, _("review at")), default=review, validators=UNIT
        )
        fields[f"{label}_reject_at"] = models.FloatField(
            format_lazy("{}: {}", name, _("reject at")), default=reject, validators=UNIT
        )
    return fields


class PolicyVersionQuerySet(models.QuerySet):
    def active(self) -> PolicyVersion:
        """The policy in force: the newest version, or the defaults if none was ever saved."""
        return self.order_by("-created_at", "-id").first() or PolicyVersion()


class PolicyVersion(models.Model):
    """One saved version of the policy. Versions are never changed; a change saves a new one.

    Besides the fields below, each Detoxify label has `<label>_review_at` and `<label>_reject_at`
    thresholds, added from DEFAULT_LABEL_THRESHOLDS after the class.
    """

    relevance_review_below = models.FloatField(
        _("relevance: review below"),
        default=0.15,
        validators=UNIT,
        help_text=_("Comments less related to the article (and parent) than this go to review."),
    )
    new_commenter_reviews = models.PositiveSmallIntegerField(
        _("new commenters: first comments to review"),
        default=1,
        help_text=_("Until an author has this many approved comments, theirs go to review."),
    )
    links_to_review = models.BooleanField(_("comments with links go to review"), default=True)
    short_text_words = models.PositiveSmallIntegerField(
        _("short comments: fewer words than"),
        default=6,
        help_text=_("Comments this short are exempt from the relevance rule."),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("saved by"),
        related_name="+",
    )
    note = models.CharField(_("what changed and why"), max_length=300, blank=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy")

    def __str__(self) -> str:
        if self.pk is None:
            return str(_("Default policy (never saved)"))
        return _("Policy version %(id)s") % {"id": self.pk}

    def clean(self) -> None:
        errors = {}
        for label in DEFAULT_LABEL_THRESHOLDS:
            review = getattr(self, f"{label}_review_at")
            reject = getattr(self, f"{label}_reject_at")
            if review is not None and reject is not None and review > reject:
                errors[f"{label}_review_at"] = _(
                    "The review threshold must not be above the reject threshold (%(reject)s)."
                ) % {"reject": reject}
        if errors:
            raise ValidationError(errors)

    def thresholds(self) -> Thresholds:
        return Thresholds(
            labels={
                label: LabelThresholds(
                    review_at=getattr(self, f"{label}_review_at"),
                    reject_at=getattr(self, f"{label}_reject_at"),
                )
                for label in DEFAULT_LABEL_THRESHOLDS
            },
            relevance_review_below=self.relevance_review_below,
            new_commenter_reviews=self.new_commenter_reviews,
            links_to_review=self.links_to_review,
            short_text_words=self.short_text_words,
        )


for _name, _field in _threshold_fields().items():
    PolicyVersion.add_to_class(_name, _field)


class Assessment(models.Model):
    """What the automatic assessment of one comment found and decided."""

    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="assessments"
    )
    toxicity = models.JSONField(_("toxicity scores"), default=dict)
    relevance = models.FloatField(_("relevance"), null=True)
    relevance_article = models.FloatField(_("relevance to the article"), null=True)
    relevance_parent = models.FloatField(_("relevance to the parent comment"), null=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    language_source = models.CharField(max_length=12, blank=True)
    toxicity_model = models.CharField(max_length=300, blank=True)
    relevance_model = models.CharField(max_length=300, blank=True)
    policy = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=[(o.value, o.value) for o in Outcome]
    )
    reasons = models.JSONField(_("reasons"), default=list)
    error = models.TextField(blank=True)
    timings = models.JSONField(_("timings (ms)"), default=dict)
    applied = models.BooleanField(
        default=True, help_text=_("False when the comment had left 'pending' before the result.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.decision} #{self.comment_id}"


class ArticleEmbedding(models.Model):
    """An article's chunk vectors, cached per model and recomputed when the text changes."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    model_id = models.CharField(max_length=300)
    text_hash = models.CharField(max_length=64)
    dimensions = models.PositiveIntegerField()
    vectors = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "model_id"], name="one_embedding_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.model_id} for article {self.article_id}"


class ModelStatus(models.Model):
    """What the last worker found when it loaded the models; shown in the admin."""

    ok = models.BooleanField(default=False)
    detail = models.TextField(blank=True)
    toxicity_model = models.CharField(max_length=300, blank=True)
    relevance_model = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("model status")
        verbose_name_plural = _("model status")

    def __str__(self) -> str:
        return "ok" if self.ok else "unavailable"


class RejectReason(models.TextChoices):
    """Why a moderator rejected or removed a comment; the author reads the label."""

    DISRESPECTFUL = "disrespectful", _("Disrespectful or denigrating")
    OFF_TOPIC = "off_topic", _("Off-topic")
    SPAM = "spam", _("Spam or advertising")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


class ReviewItemQuerySet(models.QuerySet):
    def open(self) -> ReviewItemQuerySet:
        return self.filter(closed_at__isnull=True)

    def in_queue_order(self) -> ReviewItemQuerySet:
        """Reported comments and those near a threshold first, then the oldest."""
        return self.order_by("priority", "entered_at", "id")


class ReviewItem(models.Model):
    """A comment that needs a human: sent to review by the policy, or reported by readers."""

    class Source(models.TextChoices):
        POLICY = "policy", _("automatic assessment")
        REPORTS = "reports", _("reader reports")

    URGENT, NORMAL = 0, 1

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, related_name="review_item"
    )
    source = models.CharField(_("why"), max_length=10, choices=Source.choices)
    reason_codes = models.CharField(_("reasons"), max_length=200, blank=True)
    labels = models.CharField(_("labels"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    near_threshold = models.BooleanField(_("near a threshold"), default=False)
    priority = models.PositiveSmallIntegerField(default=NORMAL)
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


class StatusChange(models.Model):
    """The audit trail: every status change of a comment, by the policy or by a person."""

    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
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
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"#{self.comment_id}: {self.from_status} → {self.to_status}"

    @property
    def who(self) -> str:
        return self.actor.get_username() if self.actor_id else self.actor_label


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
