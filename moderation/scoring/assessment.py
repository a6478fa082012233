"""Assessing comments: toxicity and relevance for a batch of texts, one forward pass per model, and
the policy's decision on each. The same code path serves the worker and `manage.py score_text`."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from moderation.models import PolicyVersion
from moderation.policy.rules import Scores, decide, has_link, word_count
from moderation.policy.wordlists import normalise as normalise_for_lists
from moderation.scoring import classifiers
from moderation.scoring.classifiers.text import normalise
from moderation.scoring.relevance import relevance
from moderation.scoring.results import Item, Result
from moderation.site_model import store as site_model

logger = logging.getLogger(__name__)


def assess(items: list[Item], *, scorer: classifiers.Scorer, policy: PolicyVersion) -> list[Result]:
    """Scores for every item, one forward pass per model, and the policy's decision on each."""
    return decide_each(measure(items, scorer=scorer), policy)


def decide_each(results: list[Result], policy: PolicyVersion) -> list[Result]:
    """The policy's decision on each measured result."""
    thresholds = policy.thresholds()
    for result in results:
        assert result.scores is not None  # `measure` gives every result its scores
        result.decision = decide(result.scores, thresholds)
    return results


def measure(items: list[Item], *, scorer: classifiers.Scorer) -> list[Result]:
    """What the models find in every item: one forward pass per model for the whole batch."""
    from moderation.scoring.classifiers.language import detect_language  # loads its model on import

    texts = [normalise(item.text) for item in items]
    clock = _Clock(len(items))
    with clock("toxicity_ms"):
        toxicity, errors = _toxicity(scorer, texts)
    languages = [
        detect_language(text, declared=item.declared_language)
        for item, text in zip(items, texts, strict=True)
    ]
    with clock("relevance_ms"):
        found = relevance(items, texts, [language for language, _ in languages], scorer=scorer)
    with clock("site_model_ms"):
        site = _site_model(scorer, texts, toxicity, found)
    return [
        _result(item, text, labels, error, language, rel, outputs, terms, site.version_id, clock)
        for item, text, labels, error, language, rel, outputs, terms in zip(
            items, texts, toxicity, errors, languages, found, site.scores, site.terms, strict=True
        )
    ]


class _Clock:
    """Milliseconds per stage of a batch, shared out over its items."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.timings: dict[str, float] = {"batch_size": size}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.timings[stage] = round(elapsed_ms / self.size, 2)


def _result(item, text, labels, error, language, rel, outputs, terms, version_id, clock) -> Result:
    language, source = language
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
    return Result(
        toxicity=labels,
        relevance=rel.combined,
        relevance_article=rel.article,
        relevance_parent=rel.parent,
        language=language,
        language_source=source,
        scores=scores,
        error=error,
        word_count=scores.word_count,
        has_link=scores.has_link,
        author_approved_comments=item.author_approved_comments,
        list_text=scores.list_text or "",
        timings=dict(clock.timings),
        relevance_raw=rel.raw_article,
        relevance_parent_raw=rel.raw_parent,
        relevance_parent_article=rel.parent_article,
        relevance_model=rel.model_id,
        relevance_basis=rel.basis,
        site_model=outputs,
        site_model_terms=terms,
        site_model_version=version_id,
    )


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
