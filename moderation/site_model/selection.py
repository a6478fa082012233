"""Choosing the site model: a small family of candidates, each cross-validated with folds grouped by
article on the site's own examples, and the newest examples held out to check the estimate.

The family always holds the plain configuration (n-grams, C=1, balanced classes), so the chosen
model is never worse than it in validation; a candidate replaces it only when it is better by
more than `MARGIN`, so a difference the folds cannot tell apart does not buy complexity.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse
from sklearn.model_selection import GroupKFold

from moderation.site_model.classifier import Features, Sample, SiteClassifier

FOLDS = 5
MARGIN = 0.005
HOLDOUT_SHARE = 0.2


@dataclass(frozen=True)
class Candidate:
    name: str
    c: float
    features: Features


@dataclass
class Scored:
    candidate: Candidate
    cv_auc: float | None
    out_of_fold: np.ndarray


def family(available: Features) -> list[Candidate]:
    """The candidates, simplest first: the plain configuration, two other strengths, then the
    model features and the sentence embedding where the examples carry them."""
    plain = Features()
    candidates = [
        Candidate("plain", 1.0, plain),
        Candidate("plain, C=0.25", 0.25, plain),
        Candidate("plain, C=4", 4.0, plain),
    ]
    if available.toxicity_labels or available.relevance:
        scores_only = Features(available.toxicity_labels, available.relevance)
        candidates.append(Candidate("n-grams + model scores", 1.0, scores_only))
    if available.embeddings:
        candidates.append(Candidate("n-grams + model scores + embedding", 1.0, available))
    return candidates


def folds_for(groups: list[str]) -> int:
    return min(FOLDS, len(set(groups)))


def out_of_fold(
    matrix: sparse.csr_matrix, labels: np.ndarray, groups: list[str], c: float
) -> np.ndarray:
    """Each row's probability from a regression fitted on the other articles' rows only."""
    predicted = np.full(len(labels), np.nan)
    splits = GroupKFold(n_splits=folds_for(groups)).split(matrix, labels, groups)
    for train_index, test_index in splits:
        if len(set(labels[train_index].tolist())) < 2:
            continue
        model = SiteClassifier(c=c)
        model.fit_matrix(matrix[train_index], labels[train_index], [""] * len(train_index), [])
        predicted[test_index] = model.fitted_main.predict_proba(matrix[test_index])[:, 1]
    return predicted


def choose(
    grams: sparse.csr_matrix,
    samples: list[Sample],
    labels: np.ndarray,
    groups: list[str],
    available: Features,
    auc,
) -> tuple[Scored, list[Scored]]:
    """Every candidate's grouped cross-validation, and the one chosen."""
    scored = []
    for candidate in family(available):
        matrix = SiteClassifier(candidate.features).with_dense(grams, samples)
        predicted = out_of_fold(matrix, labels, groups, candidate.c)
        known = ~np.isnan(predicted)
        scored.append(Scored(candidate, auc(labels[known], predicted[known]), predicted))
    best = max((s.cv_auc or 0.0) for s in scored)
    chosen = next(s for s in scored if (s.cv_auc or 0.0) >= best - MARGIN)
    return chosen, scored


def holdout_auc(
    matrix: sparse.csr_matrix, labels: np.ndarray, times: list[float], c: float, auc
) -> dict:
    """Fit on the older examples, measure on the newest `HOLDOUT_SHARE` (by decision time): the
    figure that predicts how the model does on comments to come."""
    order = np.argsort(np.asarray(times), kind="stable")
    cut = int(round(len(order) * (1 - HOLDOUT_SHARE)))
    older, newest = order[:cut], order[cut:]
    if len(set(labels[older].tolist())) < 2 or len(set(labels[newest].tolist())) < 2:
        return {"holdout_auc": None, "holdout_examples": int(len(newest))}
    model = SiteClassifier(c=c)
    model.fit_matrix(matrix[older], labels[older], [""] * len(older), [])
    scores = model.fitted_main.predict_proba(matrix[newest])[:, 1]
    return {"holdout_auc": auc(labels[newest], scores), "holdout_examples": int(len(newest))}


def described(scored: list[Scored], chosen: Scored) -> dict:
    """The validation's record of the candidates, for the metrics and the bench."""
    return {
        "candidates": [
            {
                "name": s.candidate.name,
                "c": s.candidate.c,
                "features": asdict(s.candidate.features),
                "cv_auc": s.cv_auc,
            }
            for s in scored
        ],
        "chosen": chosen.candidate.name,
    }
