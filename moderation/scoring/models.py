"""What the automatic assessment stores: assessments, leases on comments being scored, cached
article vectors, and whether the models load."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.policy.models import PolicyVersion
from moderation.policy.rules import Outcome, Scores
from moderation.scoring.results import RelevanceBasis, Result


class Assessment(models.Model):
    """What the automatic assessment of one comment found and decided."""

    comment = models.ForeignKey(
        "articles.Comment", on_delete=models.CASCADE, related_name="assessments"
    )
    toxicity = models.JSONField(_("toxicity scores"), default=dict)
    # Calibrated, 0..1: 0.5 is as close as unrelated text comes (moderation.scoring.relevance).
    relevance = models.FloatField(_("relevance"), null=True)
    relevance_article = models.FloatField(_("relevance to the article"), null=True)
    relevance_parent = models.FloatField(_("relevance to the parent comment"), null=True)
    relevance_parent_article = models.FloatField(
        _("the parent comment's relevance to the article"), null=True, blank=True
    )
    # The model's cosine similarities, unclipped, for calibrating thresholds per model later.
    relevance_raw = models.FloatField(_("similarity to the article (raw)"), null=True, blank=True)
    relevance_parent_raw = models.FloatField(
        _("similarity to the parent comment (raw)"), null=True, blank=True
    )
    # What relevance rests on: "parent" where the article text is missing (RelevanceBasis).
    relevance_basis = models.CharField(
        _("basis of relevance"),
        max_length=20,
        choices=RelevanceBasis.choices,
        default=RelevanceBasis.NONE,
        blank=True,
    )
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
    # Every input of `decide` besides the scores, so the what-if replays it exactly. Null on
    # assessments stored before these fields existed; the what-if leaves those out.
    word_count = models.PositiveIntegerField(null=True, blank=True)
    has_link = models.BooleanField(null=True, blank=True)
    author_approved_comments = models.PositiveIntegerField(null=True, blank=True)
    list_text = models.TextField(
        blank=True, help_text=_("The text as the word lists match it (lower case, de-obfuscated).")
    )
    timings = models.JSONField(_("timings (ms)"), default=dict)
    # The active site model's outputs ({"scores": {...}, "terms": [[n-gram, weight], ...]}).
    site_model = models.JSONField(_("site model"), default=dict, blank=True)
    site_model_version = models.ForeignKey(
        "moderation.SiteModelVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    applied = models.BooleanField(
        default=True, help_text=_("False when the comment had left 'pending' before the result.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # `decide`'s inputs besides the scores, in the order the what-if's vectorised replay reads
    # them (`vectorised.FIELDS`); `to_scores` gives them back as `decide` takes them.
    POLICY_INPUTS = (
        "relevance",
        "word_count",
        "has_link",
        "author_approved_comments",
        "language",
        "error",
    )
    # What an assessment copies from the scoring result as it is.
    RESULT_FIELDS = (
        *POLICY_INPUTS,
        "toxicity",
        "relevance_article",
        "relevance_parent",
        "relevance_parent_article",
        "relevance_raw",
        "relevance_parent_raw",
        "language_source",
        "relevance_model",
        "relevance_basis",
        "list_text",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], name="assessment_created_at")]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.decision} #{self.comment_id}"

    @classmethod
    def from_result(
        cls,
        result: Result,
        *,
        comment,
        policy: PolicyVersion,
        toxicity_model: str,
        applied: bool,
    ) -> Assessment:
        """The assessment of `comment` as scored and decided (`applied`: the decision moved it)."""
        decision = result.decided
        waited = timezone.now() - comment.created_at
        return cls(
            comment=comment,
            **{name: getattr(result, name) for name in cls.RESULT_FIELDS},
            toxicity_model=toxicity_model,
            policy=policy if policy.pk else None,
            decision=decision.outcome.value,
            reasons=[reason.as_dict() for reason in decision.reasons],
            timings={
                **result.timings,
                "post_to_decision_ms": round(waited.total_seconds() * 1000, 1),
            },
            applied=applied,
            site_model=(
                {"scores": result.site_model, "terms": result.site_model_terms}
                if result.site_model_version
                else {}
            ),
            site_model_version_id=result.site_model_version,
        )

    def to_scores(self) -> Scores:
        """The stored inputs as `decide` takes them, to decide again without the text."""
        return Scores(
            toxicity=self.toxicity,
            relevance=self.relevance,
            text="",
            author_approved_comments=self.author_approved_comments or 0,
            unavailable=bool(self.error),
            word_count=self.word_count,
            has_link=self.has_link,
            language=self.language,
            list_text=self.list_text,
            site_model=(self.site_model or {}).get("scores", {}),
        )


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
    # How long the last worker process took to load the models when it started.
    load_seconds = models.FloatField(null=True, blank=True)
    # Written by the sweep, which celery beat runs in a worker every minute: is a worker alive?
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("model status")
        verbose_name_plural = _("model status")

    def __str__(self) -> str:
        return "ok" if self.ok else "unavailable"


class ScoringLease(models.Model):
    """A worker's claim on a pending comment while it scores it outside any transaction.

    A worker that dies leaves its lease behind; once it expires, another worker claims the comment.
    """

    comment = models.OneToOneField(
        "articles.Comment", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.CharField(max_length=32, db_index=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"#{self.comment_id} until {self.expires_at:%H:%M:%S}"
