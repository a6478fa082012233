"""The codes moderation stores and shows, each an enum with its one table of labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Detoxify's labels as people read them: the review screen, the reasons, the queue's filter and the
# policy's fields all take them from here. (The English words are Detoxify's own names.)
TOXICITY_LABELS = {
    "toxicity": _("toxicity"),
    "severe_toxicity": _("severe toxicity"),
    "obscene": _("obscene"),
    "identity_attack": _("identity attack"),
    "insult": _("insult"),
    "threat": _("threat"),
    "sexual_explicit": _("sexual explicit"),
}


def toxicity_label(label: str) -> str:
    """A Detoxify label in the active language; one this table lacks (another model's) readably."""
    return str(TOXICITY_LABELS.get(label, label.replace("_", " ")))


def site_model_label(name: str) -> str:
    """A site model output as people read it: "site model: Off-topic"."""
    reason = name.removeprefix("site_model_")
    if name != "site_model" and reason in RejectReason.values:
        return str(_("site model: %(reason)s") % {"reason": RejectReason(reason).label})
    return str(_("site model: would not publish"))


class ReasonCode(models.TextChoices):
    """Why a comment went to review or was rejected: the policy's reasons, and reader reports."""

    TOXICITY_REJECT = "toxicity_reject", _("toxicity: reject threshold")
    TOXICITY_REVIEW = "toxicity_review", _("toxicity: review threshold")
    OFF_TOPIC = "off_topic", _("off-topic")
    NEW_COMMENTER = "new_commenter", _("new commenter")
    CONTAINS_LINK = "contains_link", _("contains a link")
    ASSESSMENT_UNAVAILABLE = "assessment_unavailable", _("automatic assessment unavailable")
    REPORTED = "reported", _("reported by readers")
    APPEAL = "appeal", _("appeal by the author")
    AUDIT_SAMPLE = "audit_sample", _("audit sample")
    WORD_LIST_REJECT = "word_list_reject", _("word list: reject")
    WORD_LIST_REVIEW = "word_list_review", _("word list: review")
    SITE_MODEL_REJECT = "site_model_reject", _("site model: reject threshold")
    SITE_MODEL_REVIEW = "site_model_review", _("site model: review threshold")


class RejectReason(models.TextChoices):
    """Why a moderator rejected or removed a comment; the author reads the label."""

    DISRESPECTFUL = "disrespectful", _("Disrespectful or denigrating")
    OFF_TOPIC = "off_topic", _("Off-topic")
    SPAM = "spam", _("Spam or advertising")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


class QueueAction(models.TextChoices):
    """What a moderator can do with a comment."""

    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")
    REMOVE = "remove", _("remove")
    RESTORE = "restore", _("restore")
    # An audit sample's comment keeps the policy's decision: published stays published.
    CONFIRM = "confirm", _("confirm")


class QueuePriority(models.IntegerChoices):
    """Queue order: urgent items (reported, or near the reject threshold) come first."""

    URGENT = 0, _("urgent")
    NORMAL = 1, _("normal")


class QueueSource(models.TextChoices):
    POLICY = "policy", _("automatic assessment")
    REPORTS = "reports", _("reader reports")
    APPEAL = "appeal", _("appeal")
    AUDIT = "audit", _("audit sample")


class AuditReason(models.TextChoices):
    """Who moved a comment in the audit trail, where no reject reason applies."""

    POLICY = "policy", _("automatic assessment")
    DECISION = "", _("moderator's decision")
    UNDO = "undo", _("decision undone")
    APPEAL = "appeal", _("appeal")


class AppealOutcome(models.TextChoices):
    """Where an appeal stands; in the audit trail, the entry's reason."""

    FILED = "filed", _("appeal filed")
    GRANTED = "granted", _("appeal granted")
    UPHELD = "upheld", _("decision upheld on appeal")


# The site model's features as stored with each version (classifier.Features.names), in words.
SITE_MODEL_FEATURES = {
    "word n-grams": _("word n-grams"),
    "character n-grams": _("character n-grams"),
    "sentence embedding": _("sentence embedding"),
    "relevance": _("relevance"),
    "relevance_article": _("relevance to the article"),
    "relevance_parent": _("relevance to the parent comment"),
}


def site_model_feature_label(name: str) -> str:
    """A stored feature name ("toxicity: insult") in the active language."""
    if name.startswith("toxicity: "):
        return f"{_('toxicity')}: {toxicity_label(name.removeprefix('toxicity: '))}"
    return str(SITE_MODEL_FEATURES.get(name, name))
