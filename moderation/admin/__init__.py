"""The moderators' and site owners' screens in the Django admin, one module per screen."""

from moderation.admin import (
    audit_admin,
    comments,
    policy_admin,
    queue_admin,
    readers_admin,
    site_model_admin,
)

__all__ = [
    "audit_admin",
    "comments",
    "policy_admin",
    "queue_admin",
    "readers_admin",
    "site_model_admin",
]
