"""The reason an author reads under a rejected or removed comment, in a chosen language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from moderation.codes import QueueAction, RejectReason

BANNED_REASON = gettext_noop("the author was banned")


def moderator_reason(code: str, text: str, *, language: str) -> str:
    """A moderator's reason (its label, and the text written for "Other") as the author reads it.

    The audit trail stores the action's code ("reject", "remove") as the text when the moderator
    wrote none; a code is never a reason, so the author reads the label alone.
    """
    if text in QueueAction.values:
        text = ""
    with translation.override(language):
        label = str(RejectReason(code).label)
        text = gettext(text) if text == BANNED_REASON else text
    return f"{label}: {text}" if text else label


def policy_reason(*, language: str) -> str:
    """The reason under a comment the automatic check rejected."""
    with translation.override(language):
        return gettext(
            "The automatic check found this comment disrespectful towards other people, "
            "which our discussion policy does not allow."
        )
