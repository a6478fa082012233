"""The moderators' and site owners' screens in the Django admin, one module per screen."""

from moderation.admin import audit, comments, policy, queue, readers, site_model

__all__ = ["audit", "comments", "policy", "queue", "readers", "site_model"]
