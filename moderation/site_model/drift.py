"""Watching the active site model after activation: per ISO week, how well its scores agree with
the moderators' decisions on the comments it scored, beside the figures its validation promised,
and whether its recall has fallen far enough below them to suggest training a new version.

A comment counts once, with its latest human decision (an undone decision's labelled example is
deleted, so the one before counts again) and its latest assessment by the active version. Reads
four queries whatever the number of comments: the version, the policy, the decisions, the scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

import numpy as np
from django.db.models.fields.json import KT
from django.utils import timezone

from moderation.models import Assessment, LabelledExample, PolicyVersion, SiteModelVersion
from moderation.site_model import tradeoff

# The alert: over at least MIN_DECISIONS decided comments since activation, the recall at the
# policy's review threshold is more than MAX_RECALL_DROP_POINTS percentage points below the
# validation's recall at that threshold.
MIN_DECISIONS = 100
MAX_RECALL_DROP_POINTS = 10.0
# The main output's name in an assessment's site_model["scores"] (classifier.MAIN_OUTPUT, which
# is not imported: that would load scikit-learn into the web process).
MAIN_OUTPUT = "site_model"


@dataclass(frozen=True)
class Figures:
    """How the site model's scores agree with the decisions on a set of comments."""

    decisions: int
    turned_down: int
    auc: float | None  # None with only one class among the decisions
    recall: float | None  # of the turned-down comments, the share scored at the threshold or above


@dataclass(frozen=True)
class Week:
    monday: date
    figures: Figures

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Drift:
    """The active version's figures since activation, per week and in total, and its validation."""

    version: SiteModelVersion
    since: datetime
    threshold: float  # the policy's site model review threshold
    weeks: list[Week]
    total: Figures
    validation_auc: float | None
    validation_recall: float | None  # at the trade-off point at the threshold or nearest below
    validation_threshold: float | None  # that point's threshold

    @property
    def recall_drop_points(self) -> float | None:
        """How many percentage points the recall since activation is below validation."""
        if self.validation_recall is None or self.total.recall is None:
            return None
        return round(float(self.validation_recall - self.total.recall) * 100, 6)

    @property
    def alert(self) -> bool:
        """True when the recall since activation, over at least MIN_DECISIONS decisions, is more
        than MAX_RECALL_DROP_POINTS points below the validation's: time to train again."""
        drop = self.recall_drop_points
        return (
            self.total.decisions >= MIN_DECISIONS
            and drop is not None
            and drop > MAX_RECALL_DROP_POINTS
        )


def watch(now: datetime | None = None) -> Drift | None:
    """The active site model's drift report, or None when no site model is active."""
    version = SiteModelVersion.objects.active()
    if version is None:
        return None
    since = version.activated_at or version.created_at
    threshold = PolicyVersion.objects.active().site_model_review_at
    mondays, labels, scores = _decided_and_scored(version, since)
    weeks = []
    for monday in _mondays(since, now or timezone.now()):
        chosen = mondays == monday.toordinal()
        weeks.append(Week(monday, figures(labels[chosen], scores[chosen], threshold)))
    validation_threshold, validation_recall = validation_recall_at(version.metrics, threshold)
    return Drift(
        version=version,
        since=since,
        threshold=threshold,
        weeks=weeks,
        total=figures(labels, scores, threshold),
        validation_auc=(version.metrics or {}).get("auc"),
        validation_recall=validation_recall,
        validation_threshold=validation_threshold,
    )


def _decided_and_scored(
    version: SiteModelVersion, since: datetime
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each comment the version scored and a person decided since `since`: the ordinal of
    the Monday of its latest decision's week (local time), its label and its score."""
    scored_by_version = Assessment.objects.filter(site_model_version=version)
    decisions = LabelledExample.objects.filter(
        source=LabelledExample.Source.DECISION,
        decided_at__gte=since,
        comment_id__in=scored_by_version.values("comment_id"),
    )
    latest = {
        comment_id: (label, decided_at)
        for comment_id, label, decided_at in decisions.order_by("decided_at", "id").values_list(
            "comment_id", "label", "decided_at"
        )
    }
    # A subquery, not the ids: SQLite limits the parameters of one query.
    scored = (
        scored_by_version.filter(comment_id__in=decisions.values("comment_id"))
        .order_by("id")
        .values_list("comment_id", KT(f"site_model__scores__{MAIN_OUTPUT}"))
    )
    score_of = {comment_id: float(score) for comment_id, score in scored if score is not None}
    zone = timezone.get_current_timezone()
    rows = [
        (_monday(decided_at, zone).toordinal(), label, score_of[comment_id])
        for comment_id, (label, decided_at) in latest.items()
        if comment_id in score_of
    ]
    if not rows:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0)
    mondays, labels, scores = zip(*rows, strict=True)
    return np.array(mondays), np.array(labels, dtype=int), np.array(scores, dtype=float)


def _monday(moment: datetime, zone: tzinfo) -> date:
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def _mondays(since: datetime, now: datetime) -> list[date]:
    zone = timezone.get_current_timezone()
    first, last = _monday(since, zone), _monday(now, zone)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def figures(labels: np.ndarray, scores: np.ndarray, threshold: float) -> Figures:
    """Decisions, turned-down comments, AUC and recall at `threshold` (1 = turned down)."""
    turned_down = labels == 1
    violations = int(turned_down.sum())
    caught = int((scores[turned_down] >= threshold).sum())
    return Figures(
        decisions=len(labels),
        turned_down=violations,
        auc=auc(labels, scores),
        recall=caught / violations if violations else None,
    )


def auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """ROC AUC (Mann-Whitney, ties counted half), or None with only one class. The same figure as
    training.auc, without loading scikit-learn into the web process."""
    positive = labels == 1
    positives, negatives = int(positive.sum()), int((~positive).sum())
    if not positives or not negatives:
        return None
    order = np.argsort(scores, kind="mergesort")
    _, first, counts = np.unique(scores[order], return_index=True, return_counts=True)
    ranks = np.empty(len(scores))
    ranks[order] = np.repeat(first + (counts + 1) / 2, counts)
    wins = ranks[positive].sum() - positives * (positives + 1) / 2
    return round(float(wins / (positives * negatives)), 4)


def validation_recall_at(metrics: dict, threshold: float) -> tuple[float | None, float | None]:
    """(threshold, recall) of the validation trade-off's point at `threshold` or the nearest
    below it; (None, None) where the version has no trade-off or no point that low."""
    metrics = metrics or {}
    rows = metrics.get("tradeoff") or []
    points = tradeoff.from_stored(rows, metrics.get("violations", 0), metrics.get("scored", 0))
    below = [point for point in points if point.threshold <= threshold + 1e-9]
    if not below or not metrics.get("violations"):
        return None, None
    point = max(below, key=lambda p: p.threshold)
    return point.threshold, point.recall
