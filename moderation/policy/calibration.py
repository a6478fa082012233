"""Calibration: thresholds suggested from moderators' decisions, as pure arithmetic.

Given the comments moderators decided (their scores, and whether they were turned down), find for
each label the lowest reject threshold above which moderators rejected at least the owner's share
(default 95%), and the highest review threshold below which they approved at least theirs
(default 98%). For relevance, which sends comments to review *below* its threshold, the lowest
threshold above which moderators approved that share. Nothing here touches the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

RELEVANCE = "relevance"
# Candidate thresholds: 0.01 to 0.99.
GRID = tuple(round(step / 100, 2) for step in range(1, 100))
# A share computed over fewer decisions than this is too noisy to set a threshold by.
MIN_SUPPORT = 5


@dataclass(frozen=True)
class Decided:
    """One comment a moderator decided: its scores, its language and the verdict."""

    scores: dict[str, float]
    relevance: float | None
    language: str
    rejected: bool


@dataclass(frozen=True)
class Targets:
    reject_share: float = 0.95  # reject automatically only where moderators rejected this share
    approve_share: float = 0.98  # publish automatically only where they approved this share


@dataclass(frozen=True)
class Share:
    """A share of `n` decisions, with its 95% Wilson interval."""

    hits: int
    n: int

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.n)


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    rejected_share: float | None  # of the decisions at or above the threshold, the share rejected
    caught_share: float | None  # of all rejected decisions, the share at or above the threshold


@dataclass
class Suggestion:
    """Suggested thresholds for one label (or relevance) and language ("" for all)."""

    name: str
    language: str
    decisions: int
    needed: int = 0  # how many more decisions before anything is suggested
    review_at: float | None = None
    reject_at: float | None = None
    approved_below: Share | None = None  # at the suggested review (or relevance) threshold
    rejected_above: Share | None = None  # at the suggested reject threshold
    curve: list[CurvePoint] = field(default_factory=list)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for hits out of n (0 to 1 when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def at_or_above(points: Sequence[tuple[float, bool]]) -> list[tuple[int, int]]:
    """For each threshold of GRID: (decisions at or above it, rejected among them).

    One sort and a running count, so a label with many decisions costs no more than a pass.
    """
    ordered = sorted(points, reverse=True)
    counts, index, rejected = [], 0, 0
    for threshold in reversed(GRID):
        while index < len(ordered) and ordered[index][0] >= threshold:
            rejected += ordered[index][1]
            index += 1
        counts.append((index, rejected))
    return counts[::-1]


def curve(points: Sequence[tuple[float, bool]]) -> list[CurvePoint]:
    """For each candidate threshold, the share rejected at or above it and the share caught."""
    total_rejected = sum(rejected for _, rejected in points)
    return [
        CurvePoint(
            threshold,
            rejected / n if n else None,
            rejected / total_rejected if total_rejected else None,
        )
        for threshold, (n, rejected) in zip(GRID, at_or_above(points), strict=True)
    ]


def reject_threshold(
    points: Sequence[tuple[float, bool]], target: float
) -> tuple[float | None, Share | None]:
    """The lowest threshold at or above which moderators rejected at least `target`; or None."""
    for threshold, (n, rejected) in zip(GRID, at_or_above(points), strict=True):
        if n >= MIN_SUPPORT and rejected >= target * n:
            return threshold, Share(rejected, n)
    return None, None


def publish_threshold(
    points: Sequence[tuple[float, bool]], target: float
) -> tuple[float | None, Share | None]:
    """The highest threshold below which moderators approved at least `target`; or None."""
    total, total_rejected = len(points), sum(rejected for _, rejected in points)
    counts = at_or_above(points)
    for threshold, (n, rejected) in reversed(list(zip(GRID, counts, strict=True))):
        below, approved = total - n, (total - n) - (total_rejected - rejected)
        if below >= MIN_SUPPORT and approved >= target * below:
            return threshold, Share(approved, below)
    return None, None


def relevance_threshold(
    points: Sequence[tuple[float, bool]], target: float
) -> tuple[float | None, Share | None]:
    """The lowest relevance at or above which moderators approved at least `target`; or None."""
    for threshold, (n, rejected) in zip(GRID, at_or_above(points), strict=True):
        if n >= MIN_SUPPORT and n - rejected >= target * n:
            return threshold, Share(n - rejected, n)
    return None, None


def suggest(
    name: str,
    language: str,
    points: Sequence[tuple[float, bool]],
    *,
    targets: Targets,
    min_decisions: int,
) -> Suggestion:
    """The suggestion for one label (or relevance) from its (score, rejected) decisions."""
    suggestion = Suggestion(name, language, decisions=len(points), curve=curve(points))
    if len(points) < min_decisions:
        suggestion.needed = min_decisions - len(points)
        return suggestion
    if name == RELEVANCE:
        suggestion.review_at, suggestion.approved_below = relevance_threshold(
            points, targets.approve_share
        )
        return suggestion
    suggestion.reject_at, suggestion.rejected_above = reject_threshold(points, targets.reject_share)
    suggestion.review_at, suggestion.approved_below = publish_threshold(
        points, targets.approve_share
    )
    if suggestion.reject_at is not None and suggestion.review_at is not None:
        suggestion.review_at = min(suggestion.review_at, suggestion.reject_at)
    return suggestion


def calibrate(
    decisions: Iterable[Decided],
    labels: Sequence[str],
    *,
    targets: Targets | None = None,
    min_decisions: int = 50,
) -> list[Suggestion]:
    """Suggestions for every label and relevance: first over all languages, then per language.

    A language gets its own suggestion once it has `min_decisions`; until then its entry says how
    many more are needed, and suggests nothing.
    """
    targets = targets or Targets()
    decisions = list(decisions)
    languages = sorted({d.language for d in decisions if d.language})
    suggestions = []
    for name in [*labels, RELEVANCE]:
        for language in ["", *languages]:
            chosen = [d for d in decisions if not language or d.language == language]
            points = [
                (score, d.rejected)
                for d in chosen
                if (score := d.relevance if name == RELEVANCE else d.scores.get(name)) is not None
            ]
            if language and not points:
                continue  # a language without any decision on this label has nothing to say
            suggestions.append(
                suggest(name, language, points, targets=targets, min_decisions=min_decisions)
            )
    return suggestions
