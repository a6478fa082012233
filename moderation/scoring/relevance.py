"""Relevance of comments to their article and, for a reply, to its parent: which model serves
which language, every text cut into pieces the model takes whole, one embedding call per model,
calibration against unrelated background texts, and the thread context.

The thread context can lift a reply ("Where would the delivery vans stop then?") only as far as
its parent is itself on topic, so an off-topic reply to an off-topic comment stays off topic:
combined = max(to the article, min(to the parent, the parent's own relevance to the article)).
The parent's own relevance is the better of its closeness to the article now and its stored
relevance from the same model (which its own parent may have lifted by the same rule), so a
conversation deeper than one reply stays on topic while every step is.

Where the article text is missing (a labelled row with only a parent, an article without text),
a reply's relevance is its closeness to the parent it answers, calibrated the same way; `basis`
records which of the two a relevance rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from articles.models import Article
from moderation.scoring import article_vectors
from moderation.scoring.classifiers import Scorer
from moderation.scoring.classifiers.sentence_model import (
    RelevanceModel,
    calibrate,
    closeness,
    unrelated_scores,
)
from moderation.scoring.classifiers.text import normalise
from moderation.scoring.results import RelevanceBasis

if TYPE_CHECKING:
    from typing_extensions import TypeIs


class Commented(Protocol):
    """What the relevance check needs to know of a text besides the text itself."""

    article: Article | None
    parent_text: str | None
    declared_language: str
    parent_relevance: float | None
    parent_relevance_model: str


@dataclass(frozen=True)
class Relevance:
    """One text's relevance. Calibrated values run 0..1 (0.5: as close as unrelated text comes);
    raw values are the model's cosine similarities, unclipped."""

    combined: float | None = None
    article: float | None = None
    parent: float | None = None
    parent_article: float | None = None
    raw_article: float | None = None
    raw_parent: float | None = None
    model_id: str = ""
    basis: str = RelevanceBasis.NONE


def combine(
    article: float | None, parent: float | None, parent_article: float | None
) -> float | None:
    """The relevance the policy reads: the text's own, lifted by the thread at most as far as
    the parent is on topic. Never below the text's own relevance to the article."""
    if article is None:
        return None
    if parent is None or parent_article is None:
        return article
    return max(article, min(parent, parent_article))


def has_text(article: Article | None) -> TypeIs[Article]:
    """Whether there is an article with any text to measure a comment against."""
    return article is not None and any(
        part.strip() for part in (article.title, article.lead, article.body)
    )


def model_for(scorer: Scorer, *, language: str, article_language: str) -> RelevanceModel:
    """The model configured for the discussion's language; the default (multilingual) one when the
    text is in another language whose model differs, since only it compares across languages."""
    chosen = scorer.relevance_for(article_language)
    if scorer.relevance_for(language) is not chosen:
        return scorer.relevance
    return chosen


def relevance(
    items: Sequence[Commented], texts: list[str], languages: list[str], *, scorer: Scorer
) -> list[Relevance]:
    """Each text's relevance, with the model for its language; one embedding call per model."""
    groups: dict[int, tuple[RelevanceModel, list[int]]] = {}
    for index, (item, language) in enumerate(zip(items, languages, strict=True)):
        model = model_for(scorer, language=language, article_language=item.declared_language)
        groups.setdefault(id(model), (model, []))[1].append(index)
    results: list[Relevance] = [Relevance()] * len(items)
    for model, indices in groups.values():
        found = _with_model(model, [items[i] for i in indices], [texts[i] for i in indices])
        for index, result in zip(indices, found, strict=True):
            results[index] = result
    return results


def _with_model(model: RelevanceModel, items: list[Commented], texts: list[str]) -> list[Relevance]:
    batch = _embedded(model, items, texts)
    unrelated: dict[tuple[int, str], np.ndarray] = {}
    results = []
    for index, item in enumerate(items):
        if not has_text(item.article):
            results.append(_to_parent_only(model, item, batch, index))
            continue
        key = (item.article.pk, item.declared_language)
        article = batch.articles[item.article.pk]
        if key not in unrelated:
            unrelated[key] = unrelated_scores(model.background(item.declared_language), article)
        results.append(_relevance(model, item, batch, index, article, unrelated[key]))
    return results


@dataclass
class _Embedded:
    """A batch's vectors from one forward pass: each comment's pieces, each parent's (None for
    a top-level comment), and each article's (cached ones read, new ones stored)."""

    comment_pieces: list[list[str]]
    comments: list[np.ndarray]
    parent_pieces: list[list[str]]
    parents: list[np.ndarray | None]
    articles: dict[int, np.ndarray]


def _embedded(model: RelevanceModel, items: list[Commented], texts: list[str]) -> _Embedded:
    articles = {item.article.pk: item.article for item in items if has_text(item.article)}
    vectors_by_article = {pk: article_vectors.cached(a, model) for pk, a in articles.items()}
    to_embed = {
        pk: article_vectors.pieces(articles[pk], model)
        for pk, vectors in vectors_by_article.items()
        if vectors is None
    }
    comment_pieces = model.pieces(texts)
    parents = [normalise(item.parent_text) if item.parent_text else "" for item in items]
    parent_pieces = model.pieces(parents)
    queue = [piece for pieces in comment_pieces for piece in pieces]
    for text, pieces in zip(parents, parent_pieces, strict=True):
        queue += pieces if text else []
    queue += [piece for pieces in to_embed.values() for piece in pieces]
    rows = iter(model.embed(queue))
    comment_vectors = [_take(rows, pieces) for pieces in comment_pieces]
    parent_vectors = [
        _take(rows, pieces) if text else None
        for text, pieces in zip(parents, parent_pieces, strict=True)
    ]
    embedded = {pk: vectors for pk, vectors in vectors_by_article.items() if vectors is not None}
    for pk, pieces in to_embed.items():
        embedded[pk] = _take(rows, pieces)
        article_vectors.store(articles[pk], model, embedded[pk])
    return _Embedded(comment_pieces, comment_vectors, parent_pieces, parent_vectors, embedded)


def _relevance(
    model: RelevanceModel,
    item: Commented,
    batch: _Embedded,
    index: int,
    article: np.ndarray,
    unrelated: np.ndarray,
) -> Relevance:
    """One comment's closeness to its article and, for a reply, to its parent, calibrated."""
    vectors, weights = batch.comments[index], _weights(batch.comment_pieces[index])
    raw_article = closeness(vectors, weights, article)
    to_article = calibrate(raw_article, unrelated)
    raw_parent = to_parent = parent_article = None
    parent = batch.parents[index]
    if parent is not None:
        raw_parent, to_parent = _closeness_to_parent(model, item, vectors, weights, parent)
        parent_weights = _weights(batch.parent_pieces[index])
        parent_article = calibrate(closeness(parent, parent_weights, article), unrelated)
        if item.parent_relevance is not None and item.parent_relevance_model == model.model_id:
            parent_article = max(parent_article, item.parent_relevance)
    return Relevance(
        combined=combine(to_article, to_parent, parent_article),
        article=to_article,
        parent=to_parent,
        parent_article=parent_article,
        raw_article=raw_article,
        raw_parent=raw_parent,
        model_id=model.model_id,
        basis=RelevanceBasis.ARTICLE if parent is None else RelevanceBasis.ARTICLE_AND_PARENT,
    )


def _to_parent_only(
    model: RelevanceModel, item: Commented, batch: _Embedded, index: int
) -> Relevance:
    """Without article text: a reply's closeness to its parent, calibrated against unrelated text
    as the thread context is, is its relevance; a top-level comment has none."""
    parent = batch.parents[index]
    if parent is None:
        return Relevance(model_id=model.model_id)
    vectors, weights = batch.comments[index], _weights(batch.comment_pieces[index])
    raw_parent, to_parent = _closeness_to_parent(model, item, vectors, weights, parent)
    return Relevance(
        combined=to_parent,
        parent=to_parent,
        raw_parent=raw_parent,
        model_id=model.model_id,
        basis=RelevanceBasis.PARENT,
    )


def _closeness_to_parent(
    model: RelevanceModel,
    item: Commented,
    vectors: np.ndarray,
    weights: np.ndarray,
    parent: np.ndarray,
) -> tuple[float, float]:
    """The comment's raw closeness to its parent, and calibrated against unrelated text in the
    declared language measured against the same parent."""
    raw = closeness(vectors, weights, parent)
    return raw, calibrate(raw, unrelated_scores(model.background(item.declared_language), parent))


def _take(rows, pieces: list[str]) -> np.ndarray:
    return np.stack([next(rows) for _ in pieces])


def _weights(pieces: list[str]) -> np.ndarray:
    """Each piece counts by its words: a short tail piece weighs less than a full one."""
    return np.array([max(1, len(piece.split())) for piece in pieces], dtype=np.float64)
