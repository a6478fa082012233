"""The owners' dashboard: outcomes, the queue and agreement per day, each read in one aggregate
query whatever the period, and the decisions that calibration learns from."""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from articles.models import Comment
from moderation import lifecycle
from moderation.codes import QueueSource
from moderation.models import Assessment, AuditSample, QueueReason, Report, ReviewItem
from moderation.policy.calibration import Decided, Share

PERIODS = (7, 30, 90)
LANGUAGES = ("de", "en")  # every other language counts as "other"
OUTCOMES = (
    "published",  # published automatically
    "review_approved",  # sent to review, then approved
    "review_rejected",  # sent to review, then rejected
    "review_waiting",  # sent to review, not decided yet
    "rejected",  # rejected automatically
    "removed_after_report",  # published, then removed after readers reported it
)


@dataclass
class AgreementRow:
    """Of the comments the policy sent to review for this reason, how many moderators approved."""

    code: str
    label: str
    language: str
    approved: int = 0
    decided: int = 0

    @property
    def share(self) -> Share:
        return Share(self.approved, self.decided)


@dataclass
class Overview:
    days: list[date]
    outcomes: dict[str, list[int]]
    queue_size: list[int]
    oldest_hours: list[float | None]
    median_decision_hours: list[float | None]
    approved_share: list[float | None]  # of the review decisions of each day, the share approved
    agreement: list[AgreementRow] = field(default_factory=list)
    published: int = 0
    published_then_removed: int = 0
    audit: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def removed_share(self) -> Share:
        """Of the comments published automatically, the share later removed after a report."""
        return Share(self.published_then_removed, self.published)

    def audit_error(self, decision: str) -> Share:
        """Of the audited automatic decisions, the share moderators overturned."""
        verdicts = self.audit.get(decision, {})
        overturned = verdicts.get(AuditSample.Verdict.OVERTURNED, 0)
        return Share(overturned, overturned + verdicts.get(AuditSample.Verdict.CONFIRMED, 0))


def language_q(field_name: str, language: str) -> Q:
    """Rows in this language ("" for all, "other" for all but German and English)."""
    if language == "other":
        return ~Q(**{f"{field_name}__in": LANGUAGES})
    return Q(**{field_name: language}) if language else Q()


def period(days: int) -> tuple[list[date], datetime, datetime]:
    """The days ending today, in the site's time zone, and the period's start and end."""
    today = timezone.localdate()
    dates = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    return dates, _midnight(dates[0]), timezone.now()


def overview(*, days: int, language: str = "") -> Overview:
    """Every figure of the dashboard for the last `days` days, in four queries."""
    dates, start, end = period(days)
    result = Overview(
        days=dates,
        outcomes={outcome: [0] * days for outcome in OUTCOMES},
        queue_size=[],
        oldest_hours=[],
        median_decision_hours=[],
        approved_share=[],
    )
    _add_outcomes(result, start, end, language)
    _add_queue(result, start, end, language)
    _add_agreement(result, start, end, language)
    audited = AuditSample.objects.filter(sampled_at__gte=start, sampled_at__lt=end)
    for row in (
        audited.filter(language_q("language", language))
        .values("decision", "verdict")
        .annotate(n=Count("id"))
    ):
        result.audit.setdefault(row["decision"], {})[row["verdict"]] = row["n"]
    return result


def _add_outcomes(result: Overview, start: datetime, end: datetime, language: str) -> None:
    index = {day: position for position, day in enumerate(result.days)}
    rows = (
        Assessment.objects.filter(applied=True, created_at__gte=start, created_at__lt=end)
        .filter(language_q("language", language))
        .annotate(
            day=TruncDate("created_at"),
            reported=Exists(Report.objects.filter(comment=OuterRef("comment_id"))),
        )
        .values("day", "decision", "comment__status", "reported")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["day"] not in index:
            continue
        outcome = _outcome(row["decision"], row["comment__status"], row["reported"])
        result.outcomes[outcome][index[row["day"]]] += row["n"]
        if row["decision"] == "publish":
            result.published += row["n"]
            result.published_then_removed += row["n"] * (outcome == "removed_after_report")
    for approved, rejected in zip(
        result.outcomes["review_approved"], result.outcomes["review_rejected"], strict=True
    ):
        decided = approved + rejected
        result.approved_share.append(round(approved / decided, 3) if decided else None)


def _outcome(decision: str, status: str, reported: bool) -> str:
    if status == Comment.Status.REMOVED and reported and decision != "reject":
        return "removed_after_report"
    if decision == "publish":
        return "published"
    if decision == "reject":
        return "rejected"
    if status == Comment.Status.APPROVED:
        return "review_approved"
    return "review_rejected" if status in lifecycle.TURNED_DOWN else "review_waiting"


def _add_queue(result: Overview, start: datetime, end: datetime, language: str) -> None:
    """Size and oldest item at each day's end, and the median wait for the day's decisions.

    One query for the items open at any time in the period; then one pass over the days.
    """
    items = list(
        ReviewItem.objects.filter(entered_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .filter(language_q("language", language))
        .order_by("entered_at")
        .values_list("entered_at", "closed_at")
    )
    entered = [opened for opened, _ in items]
    closings = sorted(closed for _, closed in items if closed is not None)
    waits: dict[date, list[float]] = defaultdict(list)
    for opened, closed in items:
        if closed is not None:
            waits[timezone.localdate(closed)].append((closed - opened).total_seconds() / 3600)
    first_open = 0  # in entry order, the first item still open at the day's end
    for day in result.days:
        day_end = min(_midnight(day + timedelta(days=1)), end)
        result.queue_size.append(
            bisect.bisect_right(entered, day_end) - bisect.bisect_right(closings, day_end)
        )
        while first_open < len(items) and _closed_by(items[first_open][1], day_end):
            first_open += 1
        oldest = None
        if first_open < len(items) and items[first_open][0] <= day_end:
            oldest = round((day_end - items[first_open][0]).total_seconds() / 3600, 1)
        result.oldest_hours.append(oldest)
        day_waits = waits.get(day)
        result.median_decision_hours.append(
            round(statistics.median(day_waits), 2) if day_waits else None
        )


def _closed_by(closed: datetime | None, moment: datetime) -> bool:
    return closed is not None and closed <= moment


def _add_agreement(result: Overview, start: datetime, end: datetime, language: str) -> None:
    rows = (
        QueueReason.objects.filter(
            item__source=QueueSource.POLICY,
            item__closed_at__gte=start,
            item__closed_at__lt=end,
            item__comment__status__in=lifecycle.DECIDED,
        )
        .filter(language_q("item__language", language))
        .values("code", "label", "item__language", "item__comment__status")
        .annotate(n=Count("id"))
    )
    table: dict[tuple[str, str, str], AgreementRow] = {}
    for row in rows:
        lang = row["item__language"] if row["item__language"] in LANGUAGES else "other"
        key = (row["code"], row["label"], lang)
        entry = table.setdefault(key, AgreementRow(*key))
        entry.decided += row["n"]
        entry.approved += row["n"] * (row["item__comment__status"] == Comment.Status.APPROVED)
    result.agreement = sorted(table.values(), key=lambda r: (r.code, r.label, r.language))


def decided_comments(*, days: int) -> list[Decided]:
    """The comments moderators decided whose scores calibration can learn from, in one query:
    those the policy sent to review, and the audit sample's."""
    _dates, start, end = period(days)
    rows = (
        Assessment.objects.filter(applied=True, created_at__gte=start, created_at__lt=end)
        .filter(comment__status__in=lifecycle.DECIDED)
        .filter(
            Q(decision="review")
            | Q(comment__audit_sample__verdict__in=AuditSample.Verdict.values[1:])
        )
        .exclude(toxicity={})
        .values_list("toxicity", "relevance", "language", "comment__status")
    )
    return [
        Decided(
            scores=toxicity,
            relevance=relevance,
            language=language,
            rejected=status in lifecycle.TURNED_DOWN,
        )
        for toxicity, relevance, language, status in rows
    ]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
