"""The policy's versions: thresholds that site owners tune, never edited once saved."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from moderation.codes import TOXICITY_LABELS
from moderation.policy.rules import OVERRIDABLE, LabelThresholds, Outcome, Thresholds, WordRule
from moderation.policy.wordlists import MAX_WILDCARDS, WordList, entry_is_valid

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

# On the calibrated relevance scale (moderation.scoring.relevance): review a comment unless it is
# closer to the article (or, for a reply, to an on-topic parent) than 9 in 10 unrelated texts
DEFAULT_RELEVANCE_REVIEW_BELOW = 0.9


def _threshold_fields() -> dict[str, models.FloatField]:
    fields: dict[str, models.FloatField] = {}
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
        default=DEFAULT_RELEVANCE_REVIEW_BELOW,
        validators=UNIT,
        help_text=_(
            "Calibrated relevance, 0 to 1: 0.5 means no closer to the article than unrelated "
            "everyday text, 0.9 closer than 9 in 10 such texts. Comments below this go to review."
        ),
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
    audit_sample_share = models.FloatField(
        _("audit sample: share of automatic decisions to review"),
        default=0.02,
        validators=UNIT,
        help_text=_(
            "A random share (0.02 is 2%) of automatically published and rejected comments goes "
            "to the queue as an audit sample; they keep their status until a moderator decides."
        ),
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
    language_overrides = models.JSONField(
        _("thresholds per language"),
        default=dict,
        blank=True,
        help_text=_(
            "Optional: a language's own values for some thresholds, for example "
            '{"de": {"insult_review_at": 0.4}, "en": {"relevance_review_below": 0.2}}.'
        ),
    )

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
        if self.language_overrides is None:  # the form's empty field: no overrides
            self.language_overrides = {}
        errors = {}
        for label in DEFAULT_LABEL_THRESHOLDS:
            review = getattr(self, f"{label}_review_at")
            reject = getattr(self, f"{label}_reject_at")
            if review is not None and reject is not None and review > reject:
                errors[f"{label}_review_at"] = _(
                    "The review threshold must not be above the reject threshold (%(reject)s)."
                ) % {"reject": reject}
        overrides_error = _overrides_error(self)
        if overrides_error:
            errors["language_overrides"] = overrides_error
        review, reject = self.site_model_review_at, self.site_model_reject_at
        if review is not None and reject is not None and review > reject:
            errors["site_model_review_at"] = _(
                "The review threshold must not be above the reject threshold (%(reject)s)."
            ) % {"reject": reject}
        if errors:
            raise ValidationError(errors)

    @classmethod
    def field_label(cls, name: str) -> str:
        """The name of the setting `name` as owners read it, in the active language."""
        field = cls._meta.get_field(name)
        assert isinstance(field, models.Field)  # settings are columns, never relations
        return str(field.verbose_name)

    def word_entries_as_tuples(self) -> list[tuple[str, str, str]]:
        """(language, rule, phrase) of this version's word lists; none for unsaved defaults."""
        if self.pk is None:
            return []
        return list(self.word_entries.values_list("language", "rule", "phrase"))

    def thresholds(self, *, words: Iterable[tuple[str, str, str]] | None = None) -> Thresholds:
        """The pure policy's thresholds; `words` replaces the stored word lists (for a draft)."""
        lists: dict[tuple[str, str], list[str]] = defaultdict(list)
        for language, rule, phrase in self.word_entries_as_tuples() if words is None else words:
            lists[(language, rule)].append(phrase)
        return Thresholds(
            language_overrides=self.language_overrides or {},
            word_rules=tuple(
                WordRule(language, Outcome(rule), WordList.of(phrases))
                for (language, rule), phrases in sorted(lists.items())
            ),
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

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


def overridable_fields() -> list[str]:
    """The fields a language may override: each label's thresholds, relevance, short comments."""
    labels = [f"{label}_{side}" for label in DEFAULT_LABEL_THRESHOLDS for side in OVERRIDE_SIDES]
    return labels + list(OVERRIDABLE)


OVERRIDE_SIDES = ("review_at", "reject_at")


def _overrides_error(version: PolicyVersion) -> str:
    """What is wrong with the per-language thresholds, naming the language and field; or ""."""
    overrides = version.language_overrides
    if not overrides:
        return ""
    if not isinstance(overrides, dict):
        return str(
            _('Write one entry per language, for example {"de": {"insult_review_at": 0.4}}.')
        )
    allowed = overridable_fields()
    for language, values in overrides.items():
        if not LANGUAGE_CODE.match(str(language)) or not isinstance(values, dict):
            return _('"%(language)s": use a two-letter language code with its thresholds.') % {
                "language": language
            }
        for name, value in values.items():
            if name not in allowed:
                return _('"%(language)s": "%(field)s" is not a threshold a language can set.') % {
                    "language": language,
                    "field": name,
                }
            verbose = PolicyVersion.field_label(name)
            upper = 1000 if name == "short_text_words" else 1
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value <= upper
            ):
                return _('"%(language)s": %(field)s must be a number from 0 to %(upper)s.') % {
                    "language": language,
                    "field": verbose,
                    "upper": upper,
                }
        for label in DEFAULT_LABEL_THRESHOLDS:
            review = values.get(f"{label}_review_at", getattr(version, f"{label}_review_at"))
            reject = values.get(f"{label}_reject_at", getattr(version, f"{label}_reject_at"))
            if review is not None and reject is not None and review > reject:
                return _(
                    '"%(language)s": %(field)s must not be above the reject threshold (%(reject)s).'
                ) % {
                    "language": language,
                    "field": PolicyVersion.field_label(f"{label}_review_at"),
                    "reject": reject,
                }
    return ""


class WordListEntry(models.Model):
    """A word or phrase on a site owner's list. Entries belong to a policy version and are copied
    into each new one, so a version is the whole policy and the what-if replays its lists."""

    class Rule(models.TextChoices):
        REVIEW = Outcome.REVIEW.value, _("send to review")
        REJECT = Outcome.REJECT.value, _("reject")

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="word_entries"
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(LANGUAGE_CODE, _("Use a two-letter language code."))],
        help_text=_("Two letters, such as de or en; empty for every language."),
    )
    phrase = models.CharField(
        _("word or phrase"),
        max_length=40,
        help_text=_("Whole words; * stands for any letters (idiot*)."),
    )
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices, default=Rule.REVIEW)

    class Meta:
        ordering = ["language", "rule", "phrase"]
        verbose_name = _("word list entry")
        verbose_name_plural = _("word lists")

    def __str__(self) -> str:
        return self.phrase

    def clean(self) -> None:
        if self.phrase and not entry_is_valid(self.phrase):
            raise ValidationError({"phrase": _("Enter at least one letter or digit.")})
        if self.phrase.count("*") > MAX_WILDCARDS:
            raise ValidationError(
                {
                    "phrase": _("Use at most %(count)d wildcards (*) in one entry.")
                    % {"count": MAX_WILDCARDS}
                }
            )
