"""Adapters around the models that score comments.

The rest of Agora talks to models only through `load_scorer()` and the `Scorer` it returns, and
knows one error, `ClassifierUnavailable`. torch, transformers, detoxify and sentence-transformers
are imported here, lazily, and only in the process that scores (a Celery worker, or a management
command), never in the web process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from django.conf import settings

from moderation.classifiers.errors import ClassifierUnavailable
from moderation.classifiers.relevance import RelevanceModel
from moderation.classifiers.toxicity import ToxicityClassifier

__all__ = ["ClassifierUnavailable", "Scorer", "forget_scorer", "load_scorer"]

logger = logging.getLogger(__name__)


@dataclass
class Scorer:
    toxicity: ToxicityClassifier
    relevance: RelevanceModel


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
    relevance = RelevanceModel(
        name_or_path=settings.MODERATION_RELEVANCE_MODEL, device=settings.MODERATION_DEVICE
    )
    if settings.MODERATION_PRECISION == "fp16":
        toxicity.detoxify.model.half()
        relevance.model.half()
    logger.info(
        "Loaded models %s and %s (%s)",
        toxicity.model_id,
        relevance.model_id,
        settings.MODERATION_PRECISION,
    )
    return Scorer(toxicity=toxicity, relevance=relevance)
