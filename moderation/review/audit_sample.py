"""The audit sample: which automatic decisions go to the queue for a moderator to check, and the
verdicts that tell how often automatic publication and rejection are wrong.

An audit-sample comment keeps its status (published stays published, rejected stays rejected)
until a moderator overturns it; confirming changes nothing but closes the item.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Comment
from moderation import lifecycle
from moderation.codes import QueuePriority, QueueSource, ReasonCode
from moderation.models import AuditSample, PolicyVersion, QueueReason, ReviewItem
from moderation.policy import versions
from moderation.policy.rules import Outcome

AUDITED_OUTCOMES = {Outcome.PUBLISH, Outcome.REJECT}
# One generator for the process; tests pass a seeded one instead.
_rng = random.Random()


def draw(
    outcomes: Sequence[Outcome], *, share: float, rng: random.Random | None = None
) -> list[int]:
    """The positions of the automatic decisions drawn for the audit sample, each with `share`.

    Decisions sent to review are never drawn: a moderator sees them anyway.
    """
    rng = rng or _rng
    return [
        index
        for index, outcome in enumerate(outcomes)
        if outcome in AUDITED_OUTCOMES and share > 0 and rng.random() < share
    ]


def enqueue_samples(entries: list[tuple[Comment, Outcome, str]]) -> None:
    """Put the drawn comments in the queue, marked "audit sample", without changing their status.

    A comment that already has a queue item (a rare re-scoring) is left out of the sample.
    """
    queued = set(
        ReviewItem.objects.filter(comment__in=[c for c, _, _ in entries]).values_list(
            "comment_id", flat=True
        )
    )
    entries = [entry for entry in entries if entry[0].pk not in queued]
    if not entries:
        return
    now = timezone.now()
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                comment=comment,
                source=QueueSource.AUDIT,
                language=language or comment.article.language,
                priority=QueuePriority.NORMAL,
                entered_at=now,
            )
            for comment, _, language in entries
        ]
    )
    item_ids = ReviewItem.objects.filter(comment__in=[c for c, _, _ in entries]).values_list(
        "pk", flat=True
    )
    QueueReason.objects.bulk_create(
        [QueueReason(item_id=pk, code=ReasonCode.AUDIT_SAMPLE) for pk in item_ids]
    )
    AuditSample.objects.bulk_create(
        [
            AuditSample(
                comment=comment,
                decision=outcome.value,
                language=language or comment.article.language,
                sampled_at=now,
            )
            for comment, outcome, language in entries
        ]
    )


def record_verdict(*, comment: Comment, to_status: str, moderator) -> None:
    """A moderator decided on a sampled comment: the policy was confirmed or overturned."""
    sample = AuditSample.objects.filter(comment=comment, verdict="").first()
    if sample is None:
        return
    confirmed = lifecycle.STATUS_FOR_OUTCOME[Outcome(sample.decision)] == to_status
    verdict = AuditSample.Verdict.CONFIRMED if confirmed else AuditSample.Verdict.OVERTURNED
    AuditSample.objects.filter(pk=sample.pk).update(
        verdict=verdict, decided_at=timezone.now(), decided_by=moderator
    )


def change_share(*, share: float, owner) -> PolicyVersion:
    """Save a new policy version, the active one with the audit sample's new share.

    Only site owners may (the caller checks); versions are never edited, so this saves one.
    """
    note = gettext("Audit sample: %(percent)s%% of automatic decisions") % {
        "percent": f"{share * 100:g}"
    }
    return versions.copy_version(
        version=PolicyVersion.objects.active(), by=owner, note=note, audit_sample_share=share
    )
