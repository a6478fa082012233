"""Who moderates and who can be banned: one rule each, for the admin, templates and services."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

MODERATE_PERMISSION = "moderation.moderate_comments"
# Site owners tune the policy: saving a policy version is what makes someone an owner.
OWNER_PERMISSION = "moderation.add_policyversion"


def is_moderator(user) -> bool:
    """Whether the user may work the review queue: an active account holding the permission.

    The Moderators group carries it; superusers hold every permission. Being staff alone is not
    enough.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(MODERATE_PERMISSION)
    )


def is_site_owner(user) -> bool:
    """Whether the user may save, restore and tune the policy (the Site owners group's right)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(OWNER_PERMISSION)
    )


def can_be_banned(user) -> bool:
    """Readers can be banned; moderators and staff cannot."""
    return not (is_moderator(user) or user.is_staff or user.is_superuser)


def another_moderator_exists(user) -> bool:
    """Whether an active moderator other than `user` exists (a superuser counts), in one query."""
    app_label, codename = MODERATE_PERMISSION.split(".")
    holds = Q(is_superuser=True)
    holds |= Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    holds |= Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    others = get_user_model().objects.filter(holds, is_active=True).exclude(pk=user.pk)
    return others.exists()


def must_leave_appeal_to_another(*, original_decider_id: int | None, moderator) -> bool:
    """Whether the moderator made the decision an appeal contests and so may not settle it.

    Another moderator decides an appeal; a site with a single moderator has that moderator do it.
    """
    return original_decider_id == moderator.pk and another_moderator_exists(moderator)


def bannable_among(users: Iterable) -> set[int]:
    """The ids of those users who can be banned, in one query: `can_be_banned` for a page."""
    users = list(users)
    app_label, codename = MODERATE_PERMISSION.split(".")
    holds = Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    holds |= Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    moderators = set(
        get_user_model()
        .objects.filter(holds, pk__in=[user.pk for user in users], is_active=True)
        .values_list("pk", flat=True)
    )
    return {
        user.pk
        for user in users
        if user.pk not in moderators and not (user.is_staff or user.is_superuser)
    }
