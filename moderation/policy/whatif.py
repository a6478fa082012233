"""The what-if: a draft policy replayed with `decide` over the stored assessments of a period, and
compared with another policy (the one in force, or the version before) and with moderators.

Each assessment stores every input of `decide` (scores, word count, link, language, the author's
approved comments then, the de-obfuscated text for the word lists), so a replay with the policy
that decided reproduces the stored decision exactly, and needs no comment text. The word lists
are matched as the draft has them now. Assessments stored before those inputs existed are left
out and counted.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Comment
from moderation import lifecycle
from moderation.codes import ReasonCode, toxicity_label
from moderation.models import Assessment, StatusChange
from moderation.policy import vectorised
from moderation.policy.rules import Outcome, Thresholds, decide
from moderation.policy.vectorised import Columns
from moderation.review.selectors import describe

PERIODS = (7, 30, 90)  # days; None means every stored assessment
DEFAULT_PERIOD = 30
EXAMPLES = 50
OUTCOME_LABELS = {
    Outcome.PUBLISH: _("published automatically"),
    Outcome.REVIEW: _("review queue"),
    Outcome.REJECT: _("rejected automatically"),
}


@dataclass
class Changed:
    """One comment whose outcome the draft changes."""

    comment_id: int
    language: str
    before: Outcome
    after: Outcome
    reasons: list[str]  # as moderators read them
    moderator: str = ""  # the status a moderator gave it, if one did

    @property
    def before_label(self) -> str:
        return str(OUTCOME_LABELS[self.before])

    @property
    def after_label(self) -> str:
        return str(OUTCOME_LABELS[self.after])

    @property
    def moderator_label(self) -> str:
        return str(Comment.Status(self.moderator).label) if self.moderator else ""


@dataclass
class Report:
    """What the draft would change over the period, in numbers and examples."""

    days: int | None
    replayed: int = 0
    left_out: int = 0
    per_day_divisor: int = 1
    matrix: Counter = field(default_factory=Counter)  # (before, after) -> comments
    by_reason: Counter = field(default_factory=Counter)  # reason text -> changed comments
    by_language: dict[str, list[int]] = field(default_factory=dict)  # language -> [changed, all]
    review_before: int = 0
    review_after: int = 0
    moderator_rejected_published: list[int] = field(default_factory=list)
    moderator_approved_rejected: list[int] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    changed_count: int = 0

    @property
    def review_per_day_before(self) -> float:
        return _per_day(self.review_before / self.per_day_divisor)

    @property
    def review_per_day_after(self) -> float:
        return _per_day(self.review_after / self.per_day_divisor)

    def matrix_rows(self) -> list[tuple[str, str, int]]:
        """(before, after, comments) for each change of outcome, the most frequent first."""
        rows = [(b, a, n) for (b, a), n in self.matrix.items() if b != a]
        rows.sort(key=lambda row: (-row[2], row[0], row[1]))
        return [(str(OUTCOME_LABELS[b]), str(OUTCOME_LABELS[a]), n) for b, a, n in rows]

    def reason_rows(self) -> list[tuple[str, int]]:
        return sorted(self.by_reason.items(), key=lambda row: (-row[1], row[0]))

    def languages(self) -> list[tuple[str, int, int]]:
        return sorted(((lang, c, n) for lang, (c, n) in self.by_language.items()), key=_by_count)


def _per_day(value: float) -> float:
    """One decimal, or two below one a day, so that a quiet site's queue does not read "0.0"."""
    return round(value, 1 if value >= 1 else 2)


def _by_count(row: tuple) -> tuple:
    return (-row[1], row[0])


def replay(columns: Columns, *, after: Thresholds, before: Thresholds, report: Report) -> Report:
    """Replay the stored inputs under both policies and count what differs.

    Outcomes are computed for all rows at once (`vectorised.outcomes`, tested to agree with
    `decide`); `decide` itself runs on the comments that change, for their reasons.
    """
    old = vectorised.outcomes(columns, before)
    new = old if after is before else vectorised.outcomes(columns, after)
    report.replayed = len(columns)
    report.review_before = int(np.count_nonzero(old == vectorised.REVIEW))
    report.review_after = int(np.count_nonzero(new == vectorised.REVIEW))
    for b, a, n in zip(*_pairs(old, new), strict=True):
        report.matrix[(vectorised.OUTCOMES[b], vectorised.OUTCOMES[a])] = n
    changed = np.flatnonzero(old != new)
    report.changed_count = len(changed)
    moved = Counter(columns.language[changed].tolist())
    report.by_language = {
        lang: [moved.get(lang, 0), total]
        for lang, total in Counter(columns.language.tolist()).items()
    }
    moderated = _moderator_decisions(report)
    for index in _rows_of(columns, moderated):
        comment_id = int(columns.comment_id[index])
        _compare_with_moderator(report, comment_id, moderated[comment_id], new[index])
    texts: dict[tuple, str] = {}  # translating a label is slow enough to do once per replay
    for index, was, becomes in zip(changed, old[changed], new[changed], strict=True):
        # The reasons of the stricter outcome say why it changed: those that fire, or stop firing.
        scores = columns.scores_of(index)
        stricter = decide(scores, after if becomes > was else before)
        for key in {(reason.code, reason.label, reason.language) for reason in stricter.reasons}:
            if key not in texts:
                texts[key] = _reason_text(*key)
            report.by_reason[texts[key]] += 1
        if len(report.changed) < EXAMPLES:
            comment_id = int(columns.comment_id[index])
            report.changed.append(
                Changed(
                    comment_id,
                    scores.language,
                    vectorised.OUTCOMES[was],
                    vectorised.OUTCOMES[becomes],
                    [describe(reason.as_dict()) for reason in stricter.reasons],
                    moderated.get(comment_id, ""),
                )
            )
    return report


def _pairs(old: np.ndarray, new: np.ndarray) -> tuple[list[int], list[int], list[int]]:
    pairs, counts = np.unique(old.astype(np.int16) * 3 + new, return_counts=True)
    return (pairs // 3).tolist(), (pairs % 3).tolist(), counts.tolist()


def _rows_of(columns: Columns, moderated: dict[int, str]) -> np.ndarray:
    if not moderated:
        return np.array([], dtype=np.int64)
    wanted = np.fromiter(moderated, dtype=np.int64, count=len(moderated))
    return np.flatnonzero(np.isin(columns.comment_id, wanted))


def _compare_with_moderator(report: Report, comment_id: int, status: str, new: int) -> None:
    if status in lifecycle.TURNED_DOWN and new == vectorised.PUBLISH:
        report.moderator_rejected_published.append(comment_id)
    elif status == "approved" and new == vectorised.REJECT:
        report.moderator_approved_rejected.append(comment_id)


def _reason_text(code: str, label: str, language: str) -> str:
    """A reason's code and what it concerns (a label, a list entry), as owners read it."""
    text = str(ReasonCode(code).label)
    if code in (ReasonCode.TOXICITY_REJECT, ReasonCode.TOXICITY_REVIEW):
        text = f"{text} ({toxicity_label(label)})"
    elif label:
        text = f"{text} ({label})"
    return f"{text} [{language}]" if language else text


def since(days: int | None) -> datetime | None:
    return None if days is None else timezone.now() - timedelta(days=days)


def stored_columns(*, days: int | None, policies: list[Thresholds]) -> Columns:
    """The stored inputs of the period's assessments, newest first, as columns: the scores of
    the labels the policies have, and the list text if one has word lists."""
    queryset = Assessment.objects.filter(word_count__isnull=False)
    if days is not None:
        queryset = queryset.filter(created_at__gte=since(days))
    labels = sorted({label for policy in policies for label in policy.labels})
    with_list_text = any(policy.word_rules for policy in policies)
    return Columns.read(queryset.order_by("-id"), labels=labels, with_list_text=with_list_text)


def _moderator_decisions(report: Report) -> dict[int, str]:
    """comment id -> the status moderators last gave it, for decisions in the period."""
    changes = StatusChange.objects.filter(actor__isnull=False)
    if report.days is not None:
        changes = changes.filter(created_at__gte=since(report.days))
    return dict(changes.order_by("created_at", "id").values_list("comment_id", "to_status"))


def what_if(*, after: Thresholds, before: Thresholds, days: int | None = DEFAULT_PERIOD) -> Report:
    """The draft (`after`) against `before` over the last `days` days (None: all of them)."""
    report = Report(days=days)
    stale = Assessment.objects.filter(word_count__isnull=True)
    first = Assessment.objects.filter(word_count__isnull=False)
    if days is not None:
        stale = stale.filter(created_at__gte=since(days))
        report.per_day_divisor = days
    else:
        oldest = first.aggregate(oldest=Min("created_at"))["oldest"]
        if oldest is not None:
            report.per_day_divisor = max(1, math.ceil((timezone.now() - oldest).days + 1))
    report.left_out = stale.count()
    columns = stored_columns(days=days, policies=[after, before])
    return replay(columns, after=after, before=before, report=report)
