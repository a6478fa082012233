"""Which e-mails a reader wants, how often, and in which language: reading and saving the choice."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.models import EmailPreferences, FollowFrequency

FOLLOW_FREQUENCIES = FollowFrequency.choices


@dataclass(frozen=True)
class NotificationSettings:
    notify_on_decision: bool
    language: str
    notify_on_reply: bool = True
    follow_frequency: str = FollowFrequency.IMMEDIATELY


def notification_settings(*, user) -> NotificationSettings:
    profile = EmailPreferences.of(user.pk)
    return NotificationSettings(
        notify_on_decision=profile.notify_on_decision,
        language=profile.language,
        notify_on_reply=profile.notify_on_reply,
        follow_frequency=profile.follow_frequency,
    )


def save_notification_settings(*, user, settings: NotificationSettings) -> None:
    EmailPreferences.objects.update_or_create(
        user=user,
        defaults={
            "notify_on_decision": settings.notify_on_decision,
            "language": settings.language,
            "notify_on_reply": settings.notify_on_reply,
            "follow_frequency": settings.follow_frequency,
        },
    )
