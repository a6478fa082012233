"""Moderation's models, one module per concern; import them from here."""

from moderation.models.appeals import APPEAL_MAX_LENGTH, Appeal
from moderation.models.audit import AuditSample
from moderation.models.following import CommentToAnnounce, FollowerMail, Subscription
from moderation.models.policy import DEFAULT_LABEL_THRESHOLDS, PolicyVersion, WordListEntry
from moderation.models.queue import QueueReason, Report, ReviewItem, StatusChange
from moderation.models.readers import BanChange, FollowFrequency, ReaderProfile
from moderation.models.scoring import ArticleEmbedding, Assessment, ModelStatus, ScoringLease
from moderation.models.site_model import LabelledExample, SiteModelVersion

__all__ = [
    "APPEAL_MAX_LENGTH",
    "Appeal",
    "DEFAULT_LABEL_THRESHOLDS",
    "ArticleEmbedding",
    "AuditSample",
    "Assessment",
    "BanChange",
    "CommentToAnnounce",
    "FollowFrequency",
    "FollowerMail",
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
    "Subscription",
    "WordListEntry",
]
