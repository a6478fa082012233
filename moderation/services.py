"""Moderation workflows: assessing comments, applying decisions, keeping the queue of work moving.

The reader side hands each new comment over through `comment_submitted`. The database is the
record of what still needs scoring (every comment in status `pending`); Celery messages only wake
workers up, so a lost message, a dead worker or a broker outage delays a comment but never loses
it: the periodic sweep wakes the workers again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from articles.models import Article, Comment
from moderation import classifiers
from moderation.classifiers.relevance import closeness
from moderation.classifiers.text import normalise
from moderation.models import (
    ArticleEmbedding,
    Assessment,
    ModelStatus,
    PolicyVersion,
    RejectReason,
    Report,
    ReviewItem,
    StatusChange,
)
from moderation.policy import Decision, Outcome, Reason, Scores, decide

logger = logging.getLogger(__name__)

STATUS_FOR_OUTCOME = {
    Outcome.PUBLISH: Comment.Status.APPROVED,
    Outcome.REVIEW: Comment.Status.NEEDS_REVIEW,
    Outcome.REJECT: Comment.Status.REJECTED,
}


class ScoringFailed(Exception):
    """Scoring a batch failed as a whole; comment_ids are the comments it had claimed."""

    def __init__(self, message: str, comment_ids: list[int]) -> None:
        super().__init__(message)
        self.comment_ids = comment_ids


def comment_submitted(*, comment_id: int) -> None:
    """Wake a worker for a newly committed comment. If the broker is down, the sweep will."""
    from moderation.tasks import score_pending

    try:
        score_pending.apply_async(retry=False)
    except Exception:
        logger.warning("Could not wake a worker for comment %s; the sweep will.", comment_id)


# Assessing: the same code path for the worker and for `manage.py score_text`.


@dataclass
class Item:
    """One text to assess, with what the relevance check and the policy need to know."""

    text: str
    article: Article | None
    parent_text: str | None = None
    author_approved_comments: int = 0
    declared_language: str = "de"


@dataclass
class Result:
    toxicity: dict[str, float]
    relevance: float | None
    relevance_article: float | None
    relevance_parent: float | None
    language: str
    language_source: str
    decision: Decision
    error: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def assess(items: list[Item], *, scorer: classifiers.Scorer, policy: PolicyVersion) -> list[Result]:
    """Scores for every item, one forward pass per model, and the policy's decision on each."""
    from moderation.classifiers.language import detect_language

    texts = [normalise(item.text) for item in items]
    started = time.perf_counter()
    toxicity, errors = _toxicity(scorer, texts)
    toxicity_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    relevance = _relevance(scorer, items, texts)
    relevance_ms = (time.perf_counter() - started) * 1000

    thresholds = policy.thresholds()
    results = []
    for item, text, labels, error, (combined, to_article, to_parent) in zip(
        items, texts, toxicity, errors, relevance, strict=True
    ):
        scores = Scores(
            toxicity=labels,
            relevance=combined,
            text=text,
            author_approved_comments=item.author_approved_comments,
            unavailable=bool(error),
        )
        language, source = detect_language(text, declared=item.declared_language)
        results.append(
            Result(
                toxicity=labels,
                relevance=combined,
                relevance_article=to_article,
                relevance_parent=to_parent,
                language=language,
                language_source=source,
                decision=decide(scores, thresholds),
                error=error,
                timings={
                    "toxicity_ms": round(toxicity_ms / len(items), 2),
                    "relevance_ms": round(relevance_ms / len(items), 2),
                    "batch_size": len(items),
                },
            )
        )
    return results


def _toxicity(scorer: classifiers.Scorer, texts: list[str]) -> tuple[list[dict], list[str]]:
    """Scores for all texts at once; if the batch fails, one by one, so one bad text fails alone."""
    try:
        return scorer.toxicity.score(texts), [""] * len(texts)
    except Exception:
        logger.exception("Scoring a batch of %d failed; scoring one by one", len(texts))
    scores, errors = [], []
    for text in texts:
        try:
            scores.append(scorer.toxicity.score([text])[0])
            errors.append("")
        except Exception as error:
            scores.append({})
            errors.append(f"{type(error).__name__}: {error}")
    return scores, errors


def _relevance(scorer: classifiers.Scorer, items: list[Item], texts: list[str]) -> list[tuple]:
    """(combined, to article, to parent) for each item; combined is the closer of the two.

    Comments, parents and any article not yet cached are embedded in one call of the model.
    """
    model = scorer.relevance
    articles = {item.article.pk: item.article for item in items if item.article is not None}
    article_vectors = {pk: _cached_article_vectors(a, model) for pk, a in articles.items()}
    to_embed = {
        pk: _article_pieces(articles[pk], model)
        for pk, vectors in article_vectors.items()
        if vectors is None
    }
    parent_texts = [normalise(item.parent_text) if item.parent_text else None for item in items]
    queue = texts + [text for text in parent_texts if text]
    queue += [piece for pieces in to_embed.values() for piece in pieces]
    rows = iter(model.embed(queue))
    comment_vectors = [next(rows) for _ in texts]
    parent_vectors = [next(rows) if text else None for text in parent_texts]
    for pk, pieces in to_embed.items():
        article_vectors[pk] = np.stack([next(rows) for _ in pieces])
        _store_article_vectors(articles[pk], model, article_vectors[pk])

    results = []
    for item, vector, parent_vector in zip(items, comment_vectors, parent_vectors, strict=True):
        to_article = closeness(vector, article_vectors[item.article.pk]) if item.article else None
        to_parent = closeness(vector, parent_vector[None, :]) if parent_vector is not None else None
        known = [value for value in (to_article, to_parent) if value is not None]
        results.append((max(known) if known else None, to_article, to_parent))
    return results


def _article_text(article: Article) -> str:
    return "\n\n".join([article.title, article.lead, article.body])


def _article_pieces(article: Article, model) -> list[str]:
    """The title with the lead, then the body in pieces the model can take whole."""
    head = normalise(f"{article.title}. {article.lead}")
    paragraphs = [p.strip() for p in normalise(article.body).split("\n\n") if p.strip()]
    return [head, *(piece for pieces in model.pieces(paragraphs) for piece in pieces)]


def _text_hash(article: Article) -> str:
    return hashlib.sha256(_article_text(article).encode()).hexdigest()


def _cached_article_vectors(article: Article, model) -> np.ndarray | None:
    row = ArticleEmbedding.objects.filter(article=article, model_id=model.model_id).first()
    if row is None or row.text_hash != _text_hash(article):
        return None
    return np.frombuffer(bytes(row.vectors), dtype=np.float32).reshape(-1, row.dimensions)


def _store_article_vectors(article: Article, model, vectors: np.ndarray) -> None:
    ArticleEmbedding.objects.update_or_create(
        article=article,
        model_id=model.model_id,
        defaults={
            "text_hash": _text_hash(article),
            "dimensions": vectors.shape[1],
            "vectors": vectors.astype(np.float32).tobytes(),
        },
    )


# Scoring pending comments: claim, assess, apply, all in one transaction.


def load_scorer_and_report() -> classifiers.Scorer:
    """The worker's models; whether they loaded is recorded for the admin's notice."""
    try:
        scorer = classifiers.load_scorer()
    except classifiers.ClassifierUnavailable as error:
        ModelStatus.objects.update_or_create(pk=1, defaults={"ok": False, "detail": str(error)})
        raise
    ModelStatus.objects.update_or_create(
        pk=1,
        defaults={
            "ok": True,
            "detail": "",
            "toxicity_model": scorer.toxicity.model_id,
            "relevance_model": scorer.relevance.model_id,
        },
    )
    return scorer


def score_pending(*, limit: int | None = None, comment_ids: list[int] | None = None) -> int:
    """Claim up to a batch of pending comments, assess them and apply the decisions.

    On PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED`, held until the decisions are
    written, so two workers never score the same comment; if the worker dies, the transaction
    rolls back and the comments are simply still pending. Returns how many were scored.
    """
    limit = limit or settings.MODERATION_BATCH_SIZE
    claimed: list[int] = []
    try:
        scorer = load_scorer_and_report()
        with transaction.atomic():
            batch = _claim(limit=limit, comment_ids=comment_ids)
            claimed = [comment.pk for comment in batch]
            if not batch:
                return 0
            policy = PolicyVersion.objects.active()
            items = _items_for(batch)
            results = assess(items, scorer=scorer, policy=policy)
            record_assessments(comments=batch, results=results, policy=policy, scorer=scorer)
    except classifiers.ClassifierUnavailable as error:
        # Name the comments that waited on the models, so that their retries can end in review.
        waiting = claimed or comment_ids or _oldest_pending_ids(limit)
        raise ScoringFailed(str(error), list(waiting)) from error
    except ScoringFailed:
        raise
    except Exception as error:
        logger.exception("Scoring failed")
        raise ScoringFailed(f"{type(error).__name__}: {error}", claimed) from error
    return len(claimed)


def _oldest_pending_ids(limit: int) -> list[int]:
    pending = Comment.objects.filter(status=Comment.Status.PENDING).order_by("created_at", "id")
    return list(pending.values_list("pk", flat=True)[:limit])


def _claim(*, limit: int, comment_ids: list[int] | None) -> list[Comment]:
    queryset = (
        Comment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Comment.Status.PENDING)
        .select_related("article", "parent")
        .order_by("created_at", "id")
    )
    if comment_ids:
        queryset = queryset.filter(pk__in=comment_ids)
    return list(queryset[:limit])


def _items_for(batch: list[Comment]) -> list[Item]:
    approved = dict(
        Comment.objects.filter(
            author_id__in={comment.author_id for comment in batch},
            status=Comment.Status.APPROVED,
        )
        .values_list("author_id")
        .annotate(count=Count("id"))
    )
    return [
        Item(
            text=comment.body,
            article=comment.article,
            parent_text=comment.parent.body if comment.parent else None,
            author_approved_comments=approved.get(comment.author_id, 0),
            declared_language=comment.article.language,
        )
        for comment in batch
    ]


def record_assessments(
    *,
    comments: list[Comment],
    results: list[Result],
    policy: PolicyVersion,
    scorer: classifiers.Scorer | None,
) -> list[Assessment]:
    """Store the assessments and move each comment out of `pending`, if it is still there.

    The status changes only from `pending`: a late, repeated or concurrent result is recorded
    (with applied=False) but never overrides a moderator's decision.
    """
    assessments = []
    audit: list[StatusChange] = []
    to_review: list[tuple[Comment, Decision, str]] = []
    actor_label = f"policy v{policy.pk}" if policy.pk else "policy (defaults)"
    for comment, result in zip(comments, results, strict=True):
        decision = result.decision
        new_status = STATUS_FOR_OUTCOME[decision.outcome]
        shown_reason = ""
        if new_status == Comment.Status.REJECTED:
            shown_reason = rejection_text(decision, language=comment.article.language)
        applied = change_status(
            comment=comment,
            expected=Comment.Status.PENDING,
            to=new_status,
            actor_label=actor_label,
            reason_code="policy",
            reason=", ".join(reason.code for reason in decision.reasons),
            shown_reason=shown_reason,
            audit=audit,
        )
        if applied and decision.outcome == Outcome.REVIEW:
            to_review.append((comment, decision, result.language))
        timings = dict(result.timings)
        timings["post_to_decision_ms"] = round(
            (timezone.now() - comment.created_at).total_seconds() * 1000, 1
        )
        assessments.append(
            Assessment(
                comment=comment,
                toxicity=result.toxicity,
                relevance=result.relevance,
                relevance_article=result.relevance_article,
                relevance_parent=result.relevance_parent,
                language=result.language,
                language_source=result.language_source,
                toxicity_model=scorer.toxicity.model_id if scorer else "",
                relevance_model=scorer.relevance.model_id if scorer else "",
                policy=policy if policy.pk else None,
                decision=decision.outcome.value,
                reasons=[reason.as_dict() for reason in decision.reasons],
                error=result.error,
                timings=timings,
                applied=applied,
            )
        )
    StatusChange.objects.bulk_create(audit)
    _enqueue_many(to_review)
    return Assessment.objects.bulk_create(assessments)


def rejection_text(decision: Decision | None, *, language: str) -> str:
    """What the author reads under a comment the policy rejected, in the discussion's language."""
    with translation.override(language):
        return gettext(
            "The automatic check found this comment disrespectful towards other people, "
            "which our discussion policy does not allow."
        )


def send_unassessed_to_review(*, comment_ids: list[int], error: str) -> int:
    """After the retries are spent: the comments go to moderators, never published unassessed."""
    unavailable = Decision(Outcome.REVIEW, [Reason("assessment_unavailable")])
    with transaction.atomic():
        comments = list(
            Comment.objects.filter(
                pk__in=comment_ids, status=Comment.Status.PENDING
            ).select_related("article")
        )
        results = [
            Result(
                toxicity={},
                relevance=None,
                relevance_article=None,
                relevance_parent=None,
                language=comment.article.language,
                language_source="declared",
                decision=unavailable,
                error=error,
            )
            for comment in comments
        ]
        assessments = record_assessments(
            comments=comments, results=results, policy=PolicyVersion.objects.active(), scorer=None
        )
    return sum(assessment.applied for assessment in assessments)


def stale_pending_count(*, older_than: timedelta | None = None) -> int:
    older_than = older_than or timedelta(seconds=settings.MODERATION_SWEEP_AFTER_SECONDS)
    return Comment.objects.filter(
        status=Comment.Status.PENDING, created_at__lte=timezone.now() - older_than
    ).count()


def sweep_pending() -> int:
    """Wake enough workers for the comments left pending too long. Returns the wake-ups sent."""
    stale = stale_pending_count()
    if not stale:
        return 0
    from moderation.tasks import score_pending as score_task

    wakeups = -(-stale // settings.MODERATION_BATCH_SIZE)
    for _ in range(wakeups):
        score_task.apply_async(retry=False)
    logger.info("Swept %d stale pending comments: %d wake-ups", stale, wakeups)
    return wakeups


# Status changes, the review queue and the audit trail.


def change_status(
    *,
    comment: Comment,
    expected: str,
    to: str,
    actor=None,
    actor_label: str = "",
    reason_code: str = "",
    reason: str = "",
    shown_reason: str | None = None,
    audit: list[StatusChange] | None = None,
) -> bool:
    """Move the comment from `expected` to `to` and record it in the audit trail.

    The update applies only if the comment is still in `expected` (one conditional UPDATE), so of
    two decisions made at once exactly one wins. Returns whether this one did. With `audit`, the
    trail's entry is appended there for the caller to insert with others in one statement.
    """
    fields = {"status": to, "updated_at": timezone.now()}
    if shown_reason is not None:
        fields["rejection_reason"] = shown_reason
    if not Comment.objects.filter(pk=comment.pk, status=expected).update(**fields):
        return False
    change = StatusChange(
        comment=comment,
        from_status=expected,
        to_status=to,
        actor=actor,
        actor_label=actor_label,
        reason_code=reason_code,
        reason=reason,
    )
    if audit is None:
        change.save()
    else:
        audit.append(change)
    comment.status = to
    decided_by_person = actor is not None
    if to != expected and to in NOTIFY_ON and (decided_by_person or to == Comment.Status.REJECTED):
        transaction.on_commit(lambda: _send_decision_notice(comment.pk))
    return True


NOTIFY_ON = {Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.REMOVED}


def enqueue_for_review(
    *,
    comment: Comment,
    decision: Decision | None = None,
    language: str = "",
    report_count: int = 0,
) -> ReviewItem:
    """Put the comment in the review queue. An item already waiting keeps its place and viewer;
    new reports only raise its count and priority."""
    fields = _item_fields(decision, language, comment, report_count)
    waiting = ReviewItem.objects.open().filter(comment=comment)
    if waiting.update(**{k: fields[k] for k in ("report_count", "priority", "source")}):
        return waiting.get()
    item, _created = ReviewItem.objects.update_or_create(
        comment=comment,
        defaults={
            **fields,
            "entered_at": timezone.now(),
            "closed_at": None,
            "opened_by": None,
            "opened_at": None,
        },
    )
    return item


def _enqueue_many(entries: list[tuple[Comment, Decision, str]]) -> None:
    """Queue a batch's comments for review: new items in one insert, others one by one."""
    queued = set(
        ReviewItem.objects.filter(comment__in=[c for c, _, _ in entries]).values_list(
            "comment_id", flat=True
        )
    )
    fresh = []
    for comment, decision, language in entries:
        if comment.pk in queued:
            enqueue_for_review(comment=comment, decision=decision, language=language)
        else:
            fresh.append(ReviewItem(comment=comment, **_item_fields(decision, language, comment)))
    ReviewItem.objects.bulk_create(fresh)


def _item_fields(decision: Decision | None, language: str, comment: Comment, reports: int = 0):
    reasons = decision.reasons if decision else []
    urgent = reports > 0 or (decision is not None and decision.near_reject)
    return {
        "source": ReviewItem.Source.REPORTS if reports else ReviewItem.Source.POLICY,
        "reason_codes": " ".join(dict.fromkeys(r.code for r in reasons)) or "reported",
        "labels": " ".join(dict.fromkeys(r.label for r in reasons if r.label)),
        "language": language or comment.article.language,
        "report_count": reports,
        "near_threshold": bool(decision and decision.near_reject),
        "priority": ReviewItem.URGENT if urgent else ReviewItem.NORMAL,
    }


class DecisionRefused(Exception):
    """A moderator's decision cannot apply; str(error) says why, for the moderator."""

    status_code = 400


class DecisionConflict(DecisionRefused):
    """Someone else decided first: the comment is no longer as the moderator saw it."""

    status_code = 409


class Action:
    APPROVE = "approve"
    REJECT = "reject"
    REMOVE = "remove"
    RESTORE = "restore"


# action: (statuses it applies to, status it leads to)
TRANSITIONS = {
    Action.APPROVE: (
        {Comment.Status.NEEDS_REVIEW, Comment.Status.PENDING, Comment.Status.APPROVED},
        Comment.Status.APPROVED,
    ),
    Action.REJECT: ({Comment.Status.NEEDS_REVIEW, Comment.Status.PENDING}, Comment.Status.REJECTED),
    Action.REMOVE: ({Comment.Status.APPROVED}, Comment.Status.REMOVED),
    Action.RESTORE: ({Comment.Status.REMOVED}, Comment.Status.APPROVED),
}

BANNED_REASON = gettext_noop("the author was banned")


def reason_label(code: str, text: str, *, language: str) -> str:
    """The reason as the author reads it, in the given language."""
    with translation.override(language):
        label = str(RejectReason(code).label)
        text = gettext(text) if text == BANNED_REASON else text
    return f"{label}: {text}" if text else label


def left_the_queue() -> DecisionConflict:
    return DecisionConflict(gettext("This comment has left the queue. Nothing was changed."))


@transaction.atomic
def moderate(
    *,
    comment: Comment,
    moderator,
    action: str,
    expected_status: str,
    item_id: int | None = None,
    reason: str = "",
    reason_text: str = "",
) -> None:
    """Apply a moderator's decision, if the comment is still as the moderator saw it.

    `expected_status` is the status the moderator saw; `item_id` the queue item, when the decision
    comes from the queue. Raises DecisionRefused (a decision that makes no sense here, or a missing
    reason) or DecisionConflict (another moderator was first); nothing changes then.
    """
    if action not in TRANSITIONS:
        raise DecisionRefused(gettext("Unknown action."))
    allowed, to = TRANSITIONS[action]
    reason_text = reason_text.strip()
    if action in {Action.REJECT, Action.REMOVE}:
        if reason not in RejectReason.values:
            raise DecisionRefused(gettext("Choose a reason for the author."))
        if reason == RejectReason.OTHER and not reason_text:
            raise DecisionRefused(gettext("Write the reason for “Other”."))
    if expected_status != comment.status:
        raise DecisionConflict(
            gettext(
                "Another moderator has already decided this comment (it is now “%(status)s”). "
                "Nothing was changed."
            )
            % {"status": Comment.Status(comment.status).label}
        )
    if comment.status not in allowed:
        raise DecisionRefused(gettext("This action does not apply to the comment as it is."))

    # Close the queue item first, conditionally: of two decisions on it, only one closes it.
    # This also settles "keep" against "remove" on a reported comment, whose status alone
    # ("approved" before and after keeping it) cannot tell that someone decided.
    waiting = ReviewItem.objects.open().filter(comment=comment)
    if item_id is not None:
        waiting = waiting.filter(pk=item_id)
    closed = waiting.update(closed_at=timezone.now())
    from_queue = item_id is not None or (action == Action.APPROVE and comment.status == to)
    if from_queue and not closed:
        raise left_the_queue()

    shown = ""
    if action in {Action.REJECT, Action.REMOVE}:
        shown = reason_label(reason, reason_text, language=comment.article.language)
    if not change_status(
        comment=comment,
        expected=expected_status,
        to=to,
        actor=moderator,
        reason_code=reason,
        reason=reason_text or action,
        shown_reason=shown,
    ):
        # The transaction rolls back, so the queue item is open again for whoever won.
        raise DecisionConflict(
            gettext("Another moderator has already decided this comment. Nothing was changed.")
        )


def mark_opened(*, item: ReviewItem, moderator) -> None:
    """Show other moderators that this one has the item open now."""
    ReviewItem.objects.filter(pk=item.pk).update(opened_by=moderator, opened_at=timezone.now())


class BanRefused(Exception):
    """The user cannot be banned; str(error) says why."""


def is_moderator(user) -> bool:
    return user.is_staff or user.is_superuser or user.has_perm("moderation.moderate_comments")


@transaction.atomic
def ban_user(*, user, moderator, reject_pending: bool = False) -> int:
    """Ban the user from commenting; optionally reject their unpublished comments.

    Returns how many comments were rejected. Moderators and staff cannot be banned. Their
    published comments that readers reported stay in the queue for a decision of their own.
    """
    from articles.models import Profile

    if is_moderator(user):
        raise BanRefused(gettext("Moderators and staff cannot be banned."))
    profile = Profile.for_user(user)
    profile.is_banned = True
    profile.banned_at = timezone.now()
    profile.save(update_fields=["is_banned", "banned_at"])
    if not reject_pending:
        return 0
    rejected = []
    waiting = Comment.objects.filter(
        author=user, status__in=[Comment.Status.PENDING, Comment.Status.NEEDS_REVIEW]
    ).select_related("article")
    for comment in waiting:
        shown = reason_label(RejectReason.OTHER, BANNED_REASON, language=comment.article.language)
        if change_status(
            comment=comment,
            expected=comment.status,
            to=Comment.Status.REJECTED,
            actor=moderator,
            reason_code=RejectReason.OTHER,
            reason=BANNED_REASON,
            shown_reason=shown,
        ):
            rejected.append(comment.pk)
    ReviewItem.objects.open().filter(comment_id__in=rejected).update(closed_at=timezone.now())
    return len(rejected)


def unban_user(*, user) -> None:
    from articles.models import Profile

    Profile.objects.filter(user=user).update(is_banned=False, banned_at=None)


class ReportRefused(Exception):
    """The report cannot be taken; str(error) says why, for the reader."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


def report_comment(*, comment: Comment, reporter, reason: str, text: str = "") -> Report:
    """Take a reader's report; enough reports put a published comment in the queue."""
    if comment.status != Comment.Status.APPROVED:
        raise ReportRefused(gettext("Only published comments can be reported."))
    if comment.author_id == reporter.pk:
        raise ReportRefused(gettext("You cannot report your own comment."))
    if reason not in RejectReason.values:
        raise ReportRefused(gettext("Choose a reason for your report."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment, reporter=reporter, reason=reason, text=text.strip()[:500]
            )
            count = Report.objects.filter(comment=comment).count()
            if count >= settings.MODERATION_REPORTS_TO_QUEUE:
                enqueue_for_review(comment=comment, report_count=count)
    except IntegrityError:  # the same reader's report, twice (a double click, say)
        raise ReportRefused(
            gettext("You have already reported this comment. Thank you."), status_code=409
        ) from None
    return report


def queue_summary() -> dict:
    """How many items wait in the queue, and since when the oldest."""
    return ReviewItem.objects.open().aggregate(size=Count("id"), oldest=Min("entered_at"))


def _send_decision_notice(comment_id: int) -> None:
    from moderation.tasks import send_decision_notice

    try:
        send_decision_notice.apply_async(args=[comment_id], retry=False)
    except Exception:
        logger.warning("Could not queue the decision e-mail for comment %s", comment_id)


def send_decision_notice(*, comment_id: int) -> bool:
    """E-mail the author the outcome, in their language, if they asked for it."""
    from articles.models import Profile
    from moderation import notices

    comment = Comment.objects.select_related("article", "author").filter(pk=comment_id).first()
    if comment is None:
        return False
    profile = Profile.objects.filter(user_id=comment.author_id).first()
    if profile is None or not profile.notify_on_decision or not comment.author.email:
        return False
    change = comment.status_changes.order_by("-created_at", "-id").first()
    reason = ""
    if comment.status in {Comment.Status.REJECTED, Comment.Status.REMOVED}:
        reason = comment.rejection_reason
        if change and change.reason_code in RejectReason.values:
            reason = reason_label(change.reason_code, change.reason, language=profile.language)
        elif change and change.reason_code == "policy":
            reason = rejection_text(None, language=profile.language)
    notices.send_decision(comment=comment, profile=profile, reason=reason)
    return True
