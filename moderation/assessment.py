"""Assessing comments: toxicity and relevance for a batch of texts, one forward pass per model, and
the policy's decision on each. The same code path serves the worker and `manage.py score_text`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from articles.models import Article
from moderation import classifiers
from moderation.classifiers.text import normalise
from moderation.models import PolicyVersion
from moderation.policy import Decision, Scores, decide, has_link, word_count
from moderation.relevance import relevance
from moderation.site_model import store as site_model
from moderation.wordlists import normalise as normalise_for_lists

logger = logging.getLogger(__name__)


@dataclass
class Item:
    """One text to assess, with what the relevance check and the policy need to know."""

    text: str
    article: Article | None
    parent_text: str | None = None
    author_approved_comments: int = 0
    declared_language: str = "de"
    # The parent's own calibrated relevance, with its thread context, from its latest assessment,
    # and the model that gave it: lets a conversation stay on topic deeper than one reply.
    parent_relevance: float | None = None
    parent_relevance_model: str = ""


@dataclass
class Result:
    """What the models found for one item, and the decision.

    relevance, relevance_article, relevance_parent and relevance_parent_article are calibrated
    (0..1, 0.5 = as close as unrelated text comes; see moderation.relevance); relevance_raw and
    relevance_parent_raw are the model's cosine similarities.
    """

    toxicity: dict[str, float]
    relevance: float | None
    relevance_article: float | None
    relevance_parent: float | None
    language: str
    language_source: str
    decision: Decision
    error: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    relevance_raw: float | None = None
    relevance_parent_raw: float | None = None
    relevance_parent_article: float | None = None
    relevance_model: str = ""
    # The rest of what `decide` read, stored so that the what-if replays it exactly.
    word_count: int | None = None
    has_link: bool | None = None
    author_approved_comments: int | None = None
    list_text: str = ""
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
    languages = [
        detect_language(text, declared=item.declared_language)
        for item, text in zip(items, texts, strict=True)
    ]
    started = time.perf_counter()
    found = relevance(items, texts, [language for language, _ in languages], scorer=scorer)
    relevance_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    site = _site_model(scorer, texts, toxicity, found)
    site_model_ms = (time.perf_counter() - started) * 1000

    thresholds = policy.thresholds()
    results = []
    for item, text, labels, error, (language, source), rel, outputs, terms in zip(
        items, texts, toxicity, errors, languages, found, site.scores, site.terms, strict=True
    ):
        scores = Scores(
            toxicity=labels,
            relevance=rel.combined,
            text=text,
            author_approved_comments=item.author_approved_comments,
            unavailable=bool(error),
            word_count=word_count(text),
            has_link=has_link(text),
            language=language,
            list_text=normalise_for_lists(text),
            site_model=outputs,
        )
        results.append(
            Result(
                toxicity=labels,
                relevance=rel.combined,
                relevance_article=rel.article,
                relevance_parent=rel.parent,
                language=language,
                language_source=source,
                decision=decide(scores, thresholds),
                error=error,
                word_count=scores.word_count,
                has_link=scores.has_link,
                author_approved_comments=item.author_approved_comments,
                list_text=scores.list_text or "",
                timings={
                    "toxicity_ms": round(toxicity_ms / len(items), 2),
                    "relevance_ms": round(relevance_ms / len(items), 2),
                    "site_model_ms": round(site_model_ms / len(items), 2),
                    "batch_size": len(items),
                },
                relevance_raw=rel.raw_article,
                relevance_parent_raw=rel.raw_parent,
                relevance_parent_article=rel.parent_article,
                relevance_model=rel.model_id,
                site_model=outputs,
                site_model_terms=terms,
                site_model_version=site.version_id,
            )
        )
    return results


def _site_model(
    scorer: classifiers.Scorer, texts: list[str], toxicity: list[dict], found: list
) -> site_model.SiteOutputs:
    """The active site model's outputs for each text; none (logged) if it fails."""
    scores = [
        {
            "toxicity": labels,
            "relevance": r.combined,
            "relevance_article": r.article,
            "relevance_parent": r.parent,
        }
        for labels, r in zip(toxicity, found, strict=True)
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
