"""Assessing comments: toxicity and relevance for a batch of texts, one forward pass per model, and
the policy's decision on each. The same code path serves the worker and `manage.py score_text`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np

from articles.models import Article
from moderation import article_vectors, classifiers
from moderation.classifiers.relevance import closeness
from moderation.classifiers.text import normalise
from moderation.models import PolicyVersion
from moderation.policy import Decision, Scores, decide
from moderation.site_model import store as site_model

logger = logging.getLogger(__name__)


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
    """What the models found for one item, and the decision."""

    toxicity: dict[str, float]
    relevance: float | None
    relevance_article: float | None
    relevance_parent: float | None
    language: str
    language_source: str
    decision: Decision
    error: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    # The active site model's outputs, its weightiest n-grams, and its version (None: no model).
    site_model: dict[str, float] = field(default_factory=dict)
    site_model_terms: list = field(default_factory=list)
    site_model_version: int | None = None


def assess(items: list[Item], *, scorer: classifiers.Scorer, policy: PolicyVersion) -> list[Result]:
    """Scores for every item, one forward pass per model, and the policy's decision on each."""
    from moderation.classifiers.language import detect_language  # loads its model on import

    texts = [normalise(item.text) for item in items]
    started = time.perf_counter()
    toxicity, errors = _toxicity(scorer, texts)
    toxicity_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    relevance = _relevance(scorer, items, texts)
    relevance_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    site = _site_model(scorer, texts, toxicity, relevance)
    site_model_ms = (time.perf_counter() - started) * 1000

    thresholds = policy.thresholds()
    results = []
    for item, text, labels, error, (combined, to_article, to_parent), outputs, terms in zip(
        items, texts, toxicity, errors, relevance, site.scores, site.terms, strict=True
    ):
        scores = Scores(
            toxicity=labels,
            relevance=combined,
            text=text,
            author_approved_comments=item.author_approved_comments,
            unavailable=bool(error),
            site_model=outputs,
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
                    "site_model_ms": round(site_model_ms / len(items), 2),
                    "batch_size": len(items),
                },
                site_model=outputs,
                site_model_terms=terms,
                site_model_version=site.version_id,
            )
        )
    return results


def _site_model(
    scorer: classifiers.Scorer, texts: list[str], toxicity: list[dict], relevance: list[tuple]
) -> site_model.SiteOutputs:
    """The active site model's outputs for each text; none (logged) if it fails."""
    scores = [
        {"toxicity": labels, "relevance": r[0], "relevance_article": r[1], "relevance_parent": r[2]}
        for labels, r in zip(toxicity, relevance, strict=True)
    ]
    try:
        return site_model.score(texts, scores, embed=scorer.relevance.embed)
    except Exception:
        logger.exception("The site model failed on a batch of %d; assessing without it", len(texts))
        return site_model.SiteOutputs(None, [{} for _ in texts], [[] for _ in texts])


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
    vectors_by_article = {pk: article_vectors.cached(a, model) for pk, a in articles.items()}
    to_embed = {
        pk: article_vectors.pieces(articles[pk], model)
        for pk, vectors in vectors_by_article.items()
        if vectors is None
    }
    parent_texts = [normalise(item.parent_text) if item.parent_text else None for item in items]
    queue = texts + [text for text in parent_texts if text]
    queue += [piece for pieces in to_embed.values() for piece in pieces]
    rows = iter(model.embed(queue))
    comment_vectors = [next(rows) for _ in texts]
    parent_vectors = [next(rows) if text else None for text in parent_texts]
    for pk, pieces in to_embed.items():
        vectors_by_article[pk] = np.stack([next(rows) for _ in pieces])
        article_vectors.store(articles[pk], model, vectors_by_article[pk])

    results = []
    for item, vector, parent_vector in zip(items, comment_vectors, parent_vectors, strict=True):
        to_article = (
            closeness(vector, vectors_by_article[item.article.pk]) if item.article else None
        )
        to_parent = closeness(vector, parent_vector[None, :]) if parent_vector is not None else None
        known = [value for value in (to_article, to_parent) if value is not None]
        results.append((max(known) if known else None, to_article, to_parent))
    return results
