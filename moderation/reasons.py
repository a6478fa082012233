"""The reason an author reads under a rejected or removed comment, in a chosen language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from moderation.codes import QueueAction, ReasonCode, RejectReason
from moderation.models import Assessment

BANNED_REASON = gettext_noop("the author was banned")
REJECTING = {ReasonCode.TOXICITY_REJECT, ReasonCode.WORD_LIST_REJECT, ReasonCode.SITE_MODEL_REJECT}


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


def policy_reason(*, language: str, codes: Iterable[str] = ()) -> str:
    """The reason under a comment the automatic check rejected, for the rules that rejected it
    (`codes`, the decision's reason codes; without them, the toxicity rule's wording)."""
    codes = set(codes)
    with translation.override(language):
        if ReasonCode.TOXICITY_REJECT in codes or not codes:
            return gettext(
                "The automatic check found this comment disrespectful towards other people, "
                "which our discussion policy does not allow."
            )
        if ReasonCode.WORD_LIST_REJECT in codes:
            return gettext(
                "This comment contains a word or phrase that our discussion policy does not allow."
            )
        return gettext(
            "The automatic check found that this comment does not meet our discussion policy."
        )


def stored_policy_reason(comment_id: int, *, language: str) -> str:
    """`policy_reason` for the rules that rejected the comment, read from its latest assessment."""
    stored = (
        Assessment.objects.filter(comment_id=comment_id)
        .order_by("-created_at", "-id")
        .values_list("reasons", flat=True)
        .first()
    )
    return policy_reason(language=language, codes=rejecting_codes(stored or []))


def rejecting_codes(reasons: Iterable[dict]) -> list[str]:
    """The codes of the rules that reject, among a decision's stored reasons."""
    rejecting = {
        ReasonCode.TOXICITY_REJECT,
        ReasonCode.WORD_LIST_REJECT,
        ReasonCode.SITE_MODEL_REJECT,
    }
    return [reason.get("code", "") for reason in reasons if reason.get("code") in rejecting]
