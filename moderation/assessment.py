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

    thresholds = policy.thresholds()
    results = []
    for item, text, labels, error, (language, source), rel in zip(
        items, texts, toxicity, errors, languages, found, strict=True
    ):
        language, source = detect_language(text, declared=item.declared_language)
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
                    "batch_size": len(items),
                },
                relevance_raw=rel.raw_article,
                relevance_parent_raw=rel.raw_parent,
                relevance_parent_article=rel.parent_article,
                relevance_model=rel.model_id,
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
