"""Reads for moderators: the queue page, the review screen and each author's history, each loaded
in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import FirstValue, Lag, Lead, RowNumber
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from articles.models import Comment
from moderation.codes import QueueSource, ReasonCode, RejectReason, site_model_label, toxicity_label
from moderation.models import (
    Appeal,
    Assessment,
    PolicyVersion,
    Report,
    ReviewItem,
    StatusChange,
)
from moderation.permissions import another_moderator_exists, bannable_among
from moderation.review.decisions import DecisionChoices, choices_for
from moderation.review.models import ReviewItemQuerySet

RECENT_COMMENTS = 3


@dataclass
class Bar:
    label: str  # as people read it, in the active language
    score: float
    review_at: float | None
    reject_at: float | None

    @property
    def state(self) -> str:
        if self.reject_at is not None and self.score >= self.reject_at:
            return "reject"
        if self.review_at is not None and self.score >= self.review_at:
            return "review"
        return "ok"

    @property
    def percent(self) -> float:
        return round(self.score * 100, 1)

    @property
    def review_percent(self) -> float | None:
        return None if self.review_at is None else round(self.review_at * 100, 1)

    @property
    def reject_percent(self) -> float | None:
        return None if self.reject_at is None else round(self.reject_at * 100, 1)


@dataclass
class AuthorHistory:
    approved: int = 0
    rejected: int = 0
    removed: int = 0
    joined_days: int = 0
    banned: bool = False
    can_be_banned: bool = True
    recent: list[Comment] = field(default_factory=list)


@dataclass
class ItemContext:
    item: ReviewItem
    comment: Comment
    before: Comment | None = None
    after: Comment | None = None
    assessment: Assessment | None = None
    bars: list[Bar] = field(default_factory=list)
    relevance_review_below: float | None = None
    reasons: list[str] = field(default_factory=list)
    report_reasons: list[tuple[str, int]] = field(default_factory=list)
    author: AuthorHistory = field(default_factory=AuthorHistory)
    viewer: object | None = None
    trail: list[StatusChange] = field(default_factory=list)
    choices: DecisionChoices | None = None
    appeal: Appeal | None = None
    site_bars: list[Bar] = field(default_factory=list)
    # The n-grams that weighed most towards "not published", with their weights.
    site_terms: list[tuple[str, float]] = field(default_factory=list)


def describe(reason: dict) -> str:
    """A policy reason as a moderator reads it, with its score and threshold where it has them,
    and the language whose own thresholds or word list applied."""
    text = _describe(reason)
    if reason.get("language"):
        return _("%(reason)s (rules for “%(language)s”)") % {
            "reason": text,
            "language": reason["language"],
        }
    return text


def _describe(reason: dict) -> str:
    code = reason.get("code")
    if code == ReasonCode.WORD_LIST_REJECT:
        return _("“%(phrase)s” is on the reject list") % {"phrase": reason.get("label", "")}
    if code == ReasonCode.WORD_LIST_REVIEW:
        return _("“%(phrase)s” is on the review list") % {"phrase": reason.get("label", "")}
    if code not in ReasonCode.values:
        return str(code)
    label = toxicity_label(reason.get("label", ""))
    if code in {ReasonCode.SITE_MODEL_REJECT, ReasonCode.SITE_MODEL_REVIEW}:
        label = site_model_label(reason.get("label", ""))
        code = {
            ReasonCode.SITE_MODEL_REJECT: ReasonCode.TOXICITY_REJECT,
            ReasonCode.SITE_MODEL_REVIEW: ReasonCode.TOXICITY_REVIEW,
        }[code]
    score, threshold = reason.get("score"), reason.get("threshold")
    if score is None or threshold is None:
        return _describe_without_figures(code, label)
    return _describe_with_figures(code, label, score, threshold)


def _describe_without_figures(code: str, label: str) -> str:
    """A reason stored without its score and threshold."""
    if code == ReasonCode.TOXICITY_REJECT:
        return _("%(label)s reached the reject threshold") % {"label": label}
    if code == ReasonCode.TOXICITY_REVIEW:
        return _("%(label)s reached the review threshold") % {"label": label}
    if code == ReasonCode.OFF_TOPIC:
        return _("relevance below the threshold (off-topic?)")
    return str(ReasonCode(code).label)


def _describe_with_figures(code: str, label: str, score: float, threshold: float) -> str:
    """A reason with its score and threshold, the figures in the reader's locale ("0,03" in
    German) like the bars beside them."""
    values = {
        "label": label,
        "score": number_format(score, 2),
        "threshold": number_format(threshold, 2),
    }
    if code == ReasonCode.TOXICITY_REJECT:
        return _("%(label)s %(score)s reached the reject threshold %(threshold)s") % values
    if code == ReasonCode.TOXICITY_REVIEW:
        return _("%(label)s %(score)s reached the review threshold %(threshold)s") % values
    if code == ReasonCode.OFF_TOPIC:
        return _("relevance %(score)s is below %(threshold)s (off-topic?)") % values
    if code == ReasonCode.NEW_COMMENTER:
        return _("new commenter: %(score)d approved comments so far") % {"score": score}
    return str(ReasonCode(code).label)


def queue_summary() -> dict:
    """How many items wait in the queue, and since when the oldest."""
    return ReviewItem.objects.open().aggregate(size=Count("id"), oldest=Min("entered_at"))


def for_moderator(items: ReviewItemQuerySet, moderator) -> ReviewItemQuerySet:
    """The items this moderator is to see: all but appeals against their own decisions, while
    another moderator exists to decide those (the rule in moderation/appeals.py)."""
    if moderator is None or not another_moderator_exists(moderator):
        return items
    own = Appeal.objects.undecided().filter(
        comment_id=OuterRef("comment_id"), original_decider=moderator
    )
    return items.exclude(Exists(own))


def queue_page_queryset(viewer=None):
    """Open items in queue order, with what each row shows joined in; with `viewer`, those that
    moderator is to see (`for_moderator`)."""
    return (
        for_moderator(ReviewItem.objects.open(), viewer)
        .in_queue_order()
        .select_related(
            "comment__article",
            "comment__author__reader_profile",
            "comment__parent__author",
            "opened_by",
        )
    )


def load_contexts(
    items: list[ReviewItem], *, viewer, with_trail: bool = False
) -> list[ItemContext]:
    """Everything needed to decide each item, in one query per kind of thing."""
    contexts = [ItemContext(item=item, comment=item.comment) for item in items]
    if not contexts:
        return contexts
    comment_ids = [c.comment.pk for c in contexts]
    _add_neighbours(contexts, comment_ids)
    _add_assessments(contexts, comment_ids)
    _add_reports(contexts, comment_ids)
    _add_authors(contexts)
    appeals = Appeal.objects.select_related("original_decider").in_bulk(
        comment_ids, field_name="comment_id"
    )
    for context in contexts:
        context.viewer = context.item.viewer_other_than(viewer)
        context.choices = choices_for(
            context.comment, audited=context.item.source == QueueSource.AUDIT
        )
        context.appeal = appeals.get(context.comment.pk)
    if with_trail:
        by_comment = {context.comment.pk: context for context in contexts}
        changes = (
            StatusChange.objects.filter(comment_id__in=comment_ids)
            .select_related("actor")
            .order_by("-created_at", "-id")
        )
        for change in changes:
            by_comment[change.comment_id].trail.append(change)
    return contexts


def _add_neighbours(contexts: list[ItemContext], comment_ids: list[int]) -> None:
    """The comments just before and after each item among its siblings."""
    siblings = [F("article_id"), F("parent_id")]
    order = [F("created_at").asc(), F("id").asc()]
    rows = (
        Comment.objects.filter(article_id__in={c.comment.article_id for c in contexts})
        .annotate(
            before_id=Window(Lag("id"), partition_by=siblings, order_by=order),
            after_id=Window(Lead("id"), partition_by=siblings, order_by=order),
            # Filtering on a window value keeps the window over all siblings, not just the items.
            own_id=Window(FirstValue("id"), partition_by=[F("id")]),
        )
        .filter(own_id__in=comment_ids)
        .values_list("id", "before_id", "after_id")
    )
    links = {row[0]: row[1:] for row in rows}
    wanted = {pk for pair in links.values() for pk in pair if pk}
    neighbours = Comment.objects.select_related("author").in_bulk(wanted)
    for context in contexts:
        before, after = links.get(context.comment.pk, (None, None))
        context.before = neighbours.get(before)
        context.after = neighbours.get(after)


def _add_assessments(contexts: list[ItemContext], comment_ids: list[int]) -> None:
    latest: dict[int, Assessment] = {}
    for row in (
        Assessment.objects.filter(comment_id__in=comment_ids)
        .select_related("policy")
        .order_by("comment_id", "-created_at", "-id")
    ):
        latest.setdefault(row.comment_id, row)
    defaults = None
    for context in contexts:
        assessment = latest.get(context.comment.pk)
        context.assessment = assessment
        if assessment is None:
            continue
        policy = assessment.policy
        if policy is None:
            if defaults is None:
                defaults = PolicyVersion.objects.active()
            policy = defaults
        # The bars need no word lists (and reading them would cost a query per item).
        thresholds = policy.thresholds(words=[]).for_language(assessment.language)
        context.relevance_review_below = thresholds.relevance_review_below
        for label, score in sorted(assessment.toxicity.items()):
            limits = thresholds.labels.get(label)
            context.bars.append(
                Bar(
                    label=toxicity_label(label),
                    score=score,
                    review_at=limits.review_at if limits else None,
                    reject_at=limits.reject_at if limits else None,
                )
            )
        context.reasons = [describe(reason) for reason in assessment.reasons]
        site = assessment.site_model or {}
        for name, score in sorted((site.get("scores") or {}).items()):
            context.site_bars.append(
                Bar(
                    label=site_model_label(name),
                    score=score,
                    review_at=thresholds.site_model_review_at,
                    reject_at=thresholds.site_model_reject_at,
                )
            )
        context.site_terms = [tuple(term) for term in site.get("terms") or []]


def _add_reports(contexts: list[ItemContext], comment_ids: list[int]) -> None:
    rows = (
        Report.objects.filter(comment_id__in=comment_ids)
        .values_list("comment_id", "reason")
        .annotate(count=Count("id"))
        .order_by("comment_id", "-count")
    )
    by_comment = {context.comment.pk: context for context in contexts}
    for comment_id, reason, count in rows:
        by_comment[comment_id].report_reasons.append((str(RejectReason(reason).label), count))


def _add_authors(contexts: list[ItemContext]) -> None:
    author_ids = {c.comment.author_id for c in contexts}
    counts = {
        row["author_id"]: row
        for row in Comment.objects.filter(author_id__in=author_ids)
        .values("author_id")
        .annotate(
            approved=Count("id", filter=Q(status=Comment.Status.APPROVED)),
            rejected=Count("id", filter=Q(status=Comment.Status.REJECTED)),
            removed=Count("id", filter=Q(status=Comment.Status.REMOVED)),
        )
    }
    recent = list(
        Comment.objects.filter(author_id__in=author_ids)
        .select_related("article")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("author_id")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=RECENT_COMMENTS + 1)
    )
    bannable = bannable_among(c.comment.author for c in contexts)
    now = timezone.now()
    for context in contexts:
        author = context.comment.author
        row = counts.get(author.pk, {})
        profile = getattr(author, "reader_profile", None)  # None when the reader has none yet
        context.author = AuthorHistory(
            approved=row.get("approved", 0),
            rejected=row.get("rejected", 0),
            removed=row.get("removed", 0),
            joined_days=max(0, (now - author.date_joined) // timedelta(days=1)),
            banned=bool(profile and profile.is_banned_now),
            can_be_banned=author.pk in bannable,
            recent=[c for c in recent if c.author_id == author.pk and c.pk != context.comment.pk][
                :RECENT_COMMENTS
            ],
        )


def neighbour_id(item: ReviewItem, *, after: bool, viewer=None) -> int | None:
    """The open item just after (or before) this one in queue order (as `viewer` sees it)."""
    open_items = for_moderator(ReviewItem.objects.open(), viewer).in_queue_order()
    priority, entered_at, pk = item.priority, item.entered_at, item.pk
    if after:
        later = (
            Q(priority__gt=priority)
            | Q(priority=priority, entered_at__gt=entered_at)
            | Q(priority=priority, entered_at=entered_at, id__gt=pk)
        )
        return open_items.filter(later).values_list("id", flat=True).first()
    earlier = (
        Q(priority__lt=priority)
        | Q(priority=priority, entered_at__lt=entered_at)
        | Q(priority=priority, entered_at=entered_at, id__lt=pk)
    )
    newest_first = open_items.filter(earlier).order_by("-priority", "-entered_at", "-id")
    return newest_first.values_list("id", flat=True).first()
