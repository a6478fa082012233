"""Moderation's models, one module per concern; import them from here."""

from moderation.models.policy import DEFAULT_LABEL_THRESHOLDS, PolicyVersion
from moderation.models.queue import QueueReason, Report, ReviewItem, StatusChange
from moderation.models.readers import BanChange, ReaderProfile
from moderation.models.scoring import ArticleEmbedding, Assessment, ModelStatus, ScoringLease
from moderation.models.site_model import LabelledExample, SiteModelVersion

__all__ = [
    "DEFAULT_LABEL_THRESHOLDS",
    "ArticleEmbedding",
    "Assessment",
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
]
