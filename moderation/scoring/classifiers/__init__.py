"""Adapters around the models that score comments.

The rest of Agora talks to models only through `load_scorer()` and the `Scorer` it returns, and
knows one error, `ClassifierUnavailable`. torch, transformers, detoxify and sentence-transformers
are imported here, lazily, and only in the process that scores (a Celery worker, or a management
command), never in the web process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings

from moderation.scoring.classifiers.background import BACKGROUND
from moderation.scoring.classifiers.errors import ClassifierUnavailable
from moderation.scoring.classifiers.sentence_model import RelevanceModel
from moderation.scoring.classifiers.toxicity import ToxicityClassifier

__all__ = ["ClassifierUnavailable", "Scorer", "forget_scorer", "load_scorer"]

logger = logging.getLogger(__name__)


@dataclass
class Scorer:
    toxicity: ToxicityClassifier
    relevance: RelevanceModel
    # MODERATION_RELEVANCE_MODELS: a language's own model; the others use `relevance`.
    relevance_by_language: dict[str, RelevanceModel] = field(default_factory=dict)

    def relevance_for(self, language: str) -> RelevanceModel:
        """The relevance model configured for a language, or the default one."""
        return self.relevance_by_language.get(language, self.relevance)

    def warm_up(self) -> None:
        """One forward pass of each model, and the background texts' vectors of every language,
        so that the first comment a worker scores does not pay for them."""
        self.toxicity.score(["Agora"])
        models = {
            id(model): model for model in [self.relevance, *self.relevance_by_language.values()]
        }
        for model in models.values():
            for language in BACKGROUND:
                model.background(language)

    def relevance_model_ids(self) -> str:
        """The default relevance model, then each language's own, for status pages."""
        own = [f"{lang}={m.model_id}" for lang, m in sorted(self.relevance_by_language.items())]
        return ", ".join([self.relevance.model_id, *own])


_scorer: Scorer | None = None
_lock = threading.Lock()


def load_scorer() -> Scorer:
    """The process's models, loaded on first use and then kept for the life of the process."""
    global _scorer
    with _lock:
        if _scorer is None:
            _scorer = _load()
        return _scorer


def forget_scorer() -> None:
    """Drop the loaded models, so that the next load_scorer() reads the settings again."""
    global _scorer
    with _lock:
        _scorer = None


def _load() -> Scorer:
    import torch

    if settings.MODERATION_TORCH_THREADS:
        torch.set_num_threads(settings.MODERATION_TORCH_THREADS)
    if settings.MODERATION_DEVICE == "cuda" and not torch.cuda.is_available():
        raise ClassifierUnavailable(
            "MODERATION_DEVICE=cuda, but torch sees no CUDA device. Use cpu or fix the driver."
        )
    toxicity = ToxicityClassifier(
        model_type=settings.MODERATION_TOXICITY_MODEL,
        checkpoint=settings.MODERATION_TOXICITY_CHECKPOINT,
        config_dir=settings.MODERATION_TOXICITY_CONFIG_DIR,
        device=settings.MODERATION_DEVICE,
    )
    loaded: dict[str, RelevanceModel] = {}
    for name in [
        settings.MODERATION_RELEVANCE_MODEL,
        *settings.MODERATION_RELEVANCE_MODELS.values(),
    ]:
        if name not in loaded:
            loaded[name] = RelevanceModel(name_or_path=name, device=settings.MODERATION_DEVICE)
    if settings.MODERATION_PRECISION == "fp16":
        toxicity.detoxify.model.half()
        for model in loaded.values():
            model.model.half()
    scorer = Scorer(
        toxicity=toxicity,
        relevance=loaded[settings.MODERATION_RELEVANCE_MODEL],
        relevance_by_language={
            language: loaded[name]
            for language, name in settings.MODERATION_RELEVANCE_MODELS.items()
        },
    )
    logger.info(
        "Loaded models %s and %s (%s)",
        toxicity.model_id,
        scorer.relevance_model_ids(),
        settings.MODERATION_PRECISION,
    )
    return scorer
