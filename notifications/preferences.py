"""Which e-mails a reader wants, how often, and in which language (kept on their reader profile)."""

from __future__ import annotations

from dataclasses import dataclass

from moderation.models import FollowFrequency, ReaderProfile

FOLLOW_FREQUENCIES = FollowFrequency.choices


@dataclass(frozen=True)
class NotificationSettings:
    notify_on_decision: bool
    language: str
    notify_on_reply: bool = True
    follow_frequency: str = FollowFrequency.IMMEDIATELY


def notification_settings(*, user) -> NotificationSettings:
    profile = ReaderProfile.objects.filter(user_id=user.pk).first() or ReaderProfile()
    return NotificationSettings(
        notify_on_decision=profile.notify_on_decision,
        language=profile.language,
        notify_on_reply=profile.notify_on_reply,
        follow_frequency=profile.follow_frequency,
    )


def save_notification_settings(*, user, settings: NotificationSettings) -> None:
    ReaderProfile.objects.update_or_create(
        user=user,
        defaults={
            "notify_on_decision": settings.notify_on_decision,
            "language": settings.language,
            "notify_on_reply": settings.notify_on_reply,
            "follow_frequency": settings.follow_frequency,
        },
    )
