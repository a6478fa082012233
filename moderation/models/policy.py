"""The policy's versions: thresholds that site owners tune, never edited once saved."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from moderation.codes import TOXICITY_LABELS
from moderation.policy import LabelThresholds, Thresholds

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
        name = TOXICITY_LABELS[label]
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
    site_model_review_at = models.FloatField(
        _("site model: review at"),
        default=0.5,
        validators=UNIT,
        help_text=_(
            "Comments the site model rates at least this likely to be turned down go to review."
        ),
    )
    site_model_reject_at = models.FloatField(
        _("site model: reject at"),
        null=True,
        blank=True,
        validators=UNIT,
        help_text=_("Empty: the site model never rejects on its own."),
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
        review, reject = self.site_model_review_at, self.site_model_reject_at
        if review is not None and reject is not None and review > reject:
            errors["site_model_review_at"] = _(
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
            site_model_review_at=self.site_model_review_at,
            site_model_reject_at=self.site_model_reject_at,
        )


for _name, _field in _threshold_fields().items():
    PolicyVersion.add_to_class(_name, _field)
