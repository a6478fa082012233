"""Training the site model: the examples it learns from, the candidate chosen by cross-validation
grouped by article (so the figures hold for new articles), the newest examples held out, the
trade-off table its thresholds are chosen from, and the final fit on all examples."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from moderation.models import LabelledExample, PolicyVersion
from moderation.site_model import csvfile, selection, tradeoff
from moderation.site_model.classifier import (
    MAIN_OUTPUT,
    Embedder,
    Features,
    Sample,
    SiteClassifier,
    reason_output,
)

logger = logging.getLogger(__name__)

MIN_PER_CLASS = 20
MIN_PER_REASON = 20
# Model features are used only when most examples carry them (decisions do, imports do not).
MODEL_FEATURE_SHARE = 0.8


class NotEnoughExamples(Exception):
    """Too few examples of a class to train; str(error) says how many more are needed, and
    `needed` how many more of each label (1: not published, 0: published); empty when the
    examples span too few articles instead."""

    def __init__(self, message: str, *, needed: dict[int, int] | None = None) -> None:
        super().__init__(message)
        self.needed = needed or {}


# What `train` reports as it goes: a step's name, and how far along it is (done, total).
Progress = Callable[[str, int, int], None]
CHECKING, CANDIDATES, REASONS, FITTING, HOLDOUT = (
    "checking",
    "candidates",
    "reasons",
    "fitting",
    "holdout",
)


def silent(step: str, done: int, total: int) -> None:
    pass


@dataclass
class TrainingSet:
    samples: list[Sample]
    labels: np.ndarray
    reasons: list[str]
    groups: list[str]
    # When each example was decided (a timestamp; a file's line order for CSV rows): the newest
    # are held out to check the cross-validated estimate.
    times: list[float]


def training_set(queryset=None) -> TrainingSet:
    """Every import, and each commented decision's latest example (a comment counts once)."""
    rows = (queryset if queryset is not None else LabelledExample.objects.all()).order_by(
        "decided_at", "id"
    )
    latest: dict[object, LabelledExample] = {}
    for example in rows.iterator(chunk_size=2000):
        key = ("comment", example.comment_id) if example.comment_id else ("row", example.pk)
        latest[key] = example
    examples = list(latest.values())
    return TrainingSet(
        samples=[Sample(text=e.text, scores=e.scores or {}) for e in examples],
        labels=np.array([e.label for e in examples], dtype=int),
        reasons=[e.reason for e in examples],
        groups=[e.article_ref or f"row-{e.pk}" for e in examples],
        times=[e.decided_at.timestamp() for e in examples],
    )


def training_set_from_rows(rows: list[csvfile.Row]) -> TrainingSet:
    """A training set straight from checked CSV rows (the bench and tests; no database)."""
    return TrainingSet(
        samples=[Sample(text=row.text) for row in rows],
        labels=np.array([row.label for row in rows], dtype=int),
        reasons=[row.reason for row in rows],
        groups=[row.article_id or f"line-{row.line}" for row in rows],
        times=[float(row.line) for row in rows],
    )


def check_enough(labels: np.ndarray) -> None:
    counts = Counter(labels.tolist())
    missing = {label: MIN_PER_CLASS - counts.get(label, 0) for label in (0, 1)}
    if any(n > 0 for n in missing.values()):
        raise NotEnoughExamples(
            f"Training needs at least {MIN_PER_CLASS} examples of each class; there are "
            f"{counts.get(1, 0)} not published and {counts.get(0, 0)} published. "
            f"Needed: {max(0, missing[1])} more not published, "
            f"{max(0, missing[0])} more published.",
            needed={label: max(0, n) for label, n in missing.items()},
        )


def choose_features(samples: list[Sample], *, embeddings: bool) -> Features:
    """The model features most examples carry; n-grams alone when they do not."""
    if not samples:
        return Features(embeddings=embeddings)
    with_toxicity = [toxicity for s in samples if (toxicity := s.scores.get("toxicity"))]
    labels: list[str] = []
    if len(with_toxicity) >= MODEL_FEATURE_SHARE * len(samples):
        labels = sorted(set.intersection(*(set(t) for t in with_toxicity)))
    with_relevance = sum(1 for s in samples if "relevance" in s.scores)
    return Features(
        toxicity_labels=labels,
        relevance=with_relevance >= MODEL_FEATURE_SHARE * len(samples),
        embeddings=embeddings,
    )


def train(
    data: TrainingSet,
    *,
    policy: PolicyVersion | None = None,
    embed: Embedder | None = None,
    progress: Progress = silent,
) -> tuple[SiteClassifier, dict]:
    """The best candidate fitted on all examples, and its validation (see `validation`).
    `progress` hears of each step as it starts (the owner's page shows it).

    Raises NotEnoughExamples when a class has too few examples, or they span one article.
    """
    progress(CHECKING, 0, 1)
    check_enough(data.labels)
    if selection.folds_for(data.groups) < 2:
        raise NotEnoughExamples("Cross-validation needs examples from at least two articles.")
    started = time.perf_counter()
    if embed is not None:
        vectors = embed([sample.text for sample in data.samples])
        for sample, vector in zip(data.samples, vectors, strict=True):
            sample.embedding = vector
    available = choose_features(data.samples, embeddings=embed is not None)
    reason_counts = Counter(r for r, y in zip(data.reasons, data.labels, strict=True) if y and r)
    reasons = sorted(r for r, n in reason_counts.items() if n >= MIN_PER_REASON)
    # The vocabulary is learned once from all texts (no labels involved) and shared by every
    # candidate; the regressions are fitted anew for each fold, on the other articles only.
    classifier = SiteClassifier()
    grams = classifier.fit_grams(data.samples)
    chosen, scored = selection.choose(
        grams,
        data.samples,
        data.labels,
        data.groups,
        available,
        _counting(auc, progress, available),
    )
    classifier.features, classifier.c = chosen.candidate.features, chosen.candidate.c
    matrix = classifier.with_dense(grams, data.samples)
    predicted = {MAIN_OUTPUT: chosen.out_of_fold}
    if reasons:
        progress(REASONS, 0, len(reasons))
        predicted = cross_validate(matrix, data, classifier, reasons)
    progress(FITTING, 0, 1)
    classifier.fit_matrix(matrix, data.labels, data.reasons, reasons)
    metrics = validation_metrics(data, predicted, reasons, policy or PolicyVersion.objects.active())
    metrics.update(selection.described(scored, chosen))
    progress(HOLDOUT, 0, 1)
    metrics.update(selection.holdout_auc(matrix, data.labels, data.times, classifier.c, auc))
    metrics.update(tradeoff_metrics(data.labels, predicted[MAIN_OUTPUT]))
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    return classifier, metrics


def _counting(score, progress: Progress, available: Features) -> Callable:
    """`score` (the AUC) that also reports which candidate's cross-validation comes next:
    selection.choose scores each candidate once, after its folds."""
    total = len(selection.family(available))
    done = [0]
    progress(CANDIDATES, 1, total)

    def counted(labels: np.ndarray, scores: np.ndarray) -> float | None:
        done[0] += 1
        if done[0] < total:
            progress(CANDIDATES, done[0] + 1, total)
        return score(labels, scores)

    return counted


def cross_validate(
    matrix, data: TrainingSet, classifier: SiteClassifier, reasons: list[str]
) -> dict:
    """Out-of-fold probabilities for every output (the reasons' too), folds grouped by article."""
    predicted = {name: np.full(len(data.labels), np.nan) for name in classifier_outputs(reasons)}
    splits = GroupKFold(n_splits=selection.folds_for(data.groups)).split(
        matrix, data.labels, data.groups
    )
    reasons_array = np.asarray(data.reasons)
    for train_index, test_index in splits:
        if len(set(data.labels[train_index].tolist())) < 2:
            continue
        classifier.fit_matrix(
            matrix[train_index], data.labels[train_index], reasons_array[train_index], reasons
        )
        for name, values in classifier.predict_matrix(matrix[test_index]).items():
            predicted[name][test_index] = values
    return predicted


def tradeoff_metrics(labels: np.ndarray, scores: np.ndarray) -> dict:
    """The trade-off table from the out-of-fold scores, and the thresholds it suggests for the
    default targets (catch 80% of violations; reject alone only at 95% precision)."""
    points = tradeoff.table(labels, scores)
    choice = tradeoff.choose(points)
    return {
        "tradeoff": [point.as_dict() for point in points],
        "violations": int(np.nansum(labels[~np.isnan(scores)])),
        "scored": int((~np.isnan(scores)).sum()),
        "suggested": {
            "review_at": choice.review.threshold,
            "review_recall": round(choice.review.recall, 4),
            "review_share": round(choice.review.review_share, 4),
            "reject_at": choice.reject.threshold if choice.reject else None,
        },
    }


def classifier_outputs(reasons: list[str]) -> list[str]:
    return [MAIN_OUTPUT, *map(reason_output, reasons)]


def auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """ROC AUC, or None when only one class is present."""
    if len(set(labels.tolist())) < 2:
        return None
    return round(float(roc_auc_score(labels, scores)), 4)


def precision_recall(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    flagged = scores >= threshold
    hits = int((flagged & (labels == 1)).sum())
    return {
        "threshold": threshold,
        "flagged": int(flagged.sum()),
        "precision": round(hits / flagged.sum(), 4) if flagged.sum() else None,
        "recall": round(hits / (labels == 1).sum(), 4) if (labels == 1).sum() else None,
    }


def validation_metrics(
    data: TrainingSet, predicted: dict, reasons: list[str], policy: PolicyVersion
) -> dict:
    """AUC per output, precision and recall at the policy's thresholds, examples per class."""
    main = predicted[MAIN_OUTPUT]
    at = {"review": precision_recall(data.labels, main, policy.site_model_review_at)}
    if policy.site_model_reject_at is not None:
        at["reject"] = precision_recall(data.labels, main, policy.site_model_reject_at)
    reason_array = np.asarray(data.reasons)
    return {
        "auc": auc(data.labels, main),
        "auc_per_output": {
            reason_output(r): auc(
                ((data.labels == 1) & (reason_array == r)).astype(int), predicted[reason_output(r)]
            )
            for r in reasons
        },
        "at_thresholds": at,
        "examples": int(len(data.labels)),
        "per_class": {"0": int((data.labels == 0).sum()), "1": int((data.labels == 1).sum())},
        "per_reason": dict(
            Counter(r for r, y in zip(data.reasons, data.labels, strict=True) if y and r)
        ),
        "articles": len(set(data.groups)),
        "folds": selection.folds_for(data.groups),
        "validation": "GroupKFold by article",
    }
