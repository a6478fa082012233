"""The trade-off an owner decides on, from the validation's out-of-fold scores: for each threshold,
the share of violations caught (recall), the share of all comments sent to review, and precision;
and the thresholds that follow from the owner's target.

Pure arithmetic on stored figures: the admin page, the command and the tests read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moderation.policy.calibration import wilson

GRID = [round(step / 100, 2) for step in range(1, 100)]
DEFAULT_REVIEW_RECALL = 0.8
DEFAULT_REJECT_PRECISION = 0.95
# An automatic rejection needs this many validation comments at or above its threshold.
MIN_REJECTED = 20


@dataclass(frozen=True)
class Point:
    threshold: float
    flagged: int  # comments at or above the threshold
    caught: int  # violations among them
    violations: int
    total: int

    @property
    def recall(self) -> float:
        return self.caught / self.violations if self.violations else 0.0

    @property
    def review_share(self) -> float:
        return self.flagged / self.total if self.total else 0.0

    @property
    def precision(self) -> float | None:
        return self.caught / self.flagged if self.flagged else None

    @property
    def precision_interval(self) -> tuple[float, float]:
        return wilson(self.caught, self.flagged)

    def as_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "flagged": self.flagged,
            "caught": self.caught,
            "recall": round(self.recall, 4),
            "review_share": round(self.review_share, 4),
            "precision": None if self.precision is None else round(self.precision, 4),
        }


def table(labels: np.ndarray, scores: np.ndarray) -> list[Point]:
    """One point per threshold of GRID, from the rows that have a score."""
    known = ~np.isnan(scores)
    labels, scores = labels[known].astype(bool), scores[known]
    violations, total = int(labels.sum()), len(labels)
    points = []
    for threshold in GRID:
        flagged = scores >= threshold
        caught = int((flagged & labels).sum())
        points.append(Point(threshold, int(flagged.sum()), caught, violations, total))
    return points


def from_stored(rows: list[dict], violations: int, total: int) -> list[Point]:
    return [
        Point(row["threshold"], row["flagged"], row["caught"], violations, total) for row in rows
    ]


@dataclass(frozen=True)
class Choice:
    """Thresholds for the site model: review at, and reject at (None: it never rejects alone),
    with the validation figures at each."""

    review: Point
    reject: Point | None


def choose(
    points: list[Point],
    *,
    review_recall: float | None = DEFAULT_REVIEW_RECALL,
    review_share: float | None = None,
    reject_precision: float | None = DEFAULT_REJECT_PRECISION,
) -> Choice:
    """The review threshold that catches at least `review_recall` of the violations (the highest
    such), or sends at most `review_share` of all comments to review (the lowest such); and the
    lowest reject threshold whose precision reaches `reject_precision` on at least MIN_REJECTED
    comments, if any does."""
    if review_share is not None:
        within = [p for p in points if p.review_share <= review_share]
        review = within[0] if within else points[-1]
    else:
        target = DEFAULT_REVIEW_RECALL if review_recall is None else review_recall
        reaching = [p for p in points if p.recall >= target]
        review = reaching[-1] if reaching else points[0]
    reject = None
    if reject_precision is not None:
        reject = next(
            (
                p
                for p in points
                if p.threshold > review.threshold
                and p.flagged >= MIN_REJECTED
                and (p.precision or 0.0) >= reject_precision
            ),
            None,
        )
    return Choice(review, reject)
