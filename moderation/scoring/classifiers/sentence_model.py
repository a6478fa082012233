"""How close a comment is to its article and parent, with a sentence-embedding model, and how
that closeness compares with unrelated background texts' (the calibrated relevance)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from moderation.scoring.classifiers.background import sentences as background_sentences
from moderation.scoring.classifiers.errors import ClassifierUnavailable
from moderation.scoring.classifiers.text import file_digest, split_for_model

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# The least spread of the background's similarities the calibration assumes: a model whose
# unrelated texts all score alike must not turn a tiny difference into certainty.
MIN_SPREAD = 0.02


class RelevanceModel:
    def __init__(self, *, name_or_path: str, device: str) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(name_or_path, device=device)
        except Exception as error:
            raise ClassifierUnavailable(
                f"sentence-transformers could not load '{name_or_path}' ({error}); a model name "
                "is downloaded from the Hugging Face hub. Without "
                "network access, set MODERATION_RELEVANCE_MODEL (and any model in "
                "MODERATION_RELEVANCE_MODELS) to a local model folder."
            ) from error
        self.model_id = f"sentence-transformers:{Path(name_or_path).name}"
        weights = _weights_file(name_or_path)
        if weights is not None:
            self.model_id += f"@sha256:{file_digest(weights)}"
        self.max_tokens = max(8, self.model.max_seq_length - 2)
        self._background: dict[str, np.ndarray] = {}

    def pieces(self, texts: list[str]) -> list[list[str]]:
        return split_for_model(texts, self.model.tokenizer, self.max_tokens)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text, from one call of the model."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.astype(np.float32)

    def background(self, language: str) -> np.ndarray:
        """The background texts' vectors for a language, embedded once per model and kept."""
        if language not in self._background:
            self._background[language] = self.embed(background_sentences(language))
        return self._background[language]

    @property
    def dimensions(self) -> int:
        dimensions = self.model.get_sentence_embedding_dimension()
        if dimensions is None:
            raise TypeError("The sentence model does not say how long its vectors are.")
        return int(dimensions)


def closeness(pieces: np.ndarray, weights: np.ndarray, targets: np.ndarray) -> float:
    """The raw relevance of a text in pieces to targets (an article's or a parent's pieces).

    Each piece's best cosine to any target, averaged over the pieces weighted by their length: a
    long comment counts as on topic as far as its pieces are, so one on-topic sentence added to
    spam does not carry it. Not clipped: below 0 says "further than unrelated", which is news.
    """
    if pieces.size == 0 or targets.size == 0:
        return 0.0
    best = (pieces @ targets.T).max(axis=1)
    return float(np.average(best, weights=weights))


def unrelated_scores(background_vectors: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """How close each background text comes to the targets, measured as closeness() measures."""
    if targets.size == 0:
        return np.zeros(len(background_vectors), dtype=np.float32)
    return (background_vectors @ targets.T).max(axis=1)


def calibrate(raw: float, unrelated: np.ndarray) -> float:
    """The raw closeness on a scale that means the same for every model and article: 0 to 1.

    The unrelated texts' median and spread (1.4826 x the median absolute deviation, which a few
    background texts that happen to touch the article's topic do not move) make a z-score, read
    through the normal distribution: 0.5 is as close as a typical unrelated text comes, 0.9 closer
    than about 90 % of them, 0.99 clearly closer than any. Because the unrelated texts are measured
    against the same pieces, an article in many pieces (whose best match rises with their number)
    or one with only a headline moves the yardstick with the score.
    """
    if unrelated.size == 0:
        return 0.5
    centre = float(np.median(unrelated))
    spread = max(1.4826 * float(np.median(np.abs(unrelated - centre))), MIN_SPREAD)
    z = (raw - centre) / spread
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _weights_file(name_or_path: str) -> Path | None:
    """The weights the model was loaded from: in its folder, or in the hub's local cache."""
    folder = Path(name_or_path)
    candidates = [folder / name for name in WEIGHT_FILES] if folder.is_dir() else []
    if not candidates:
        from huggingface_hub import try_to_load_from_cache

        repo = name_or_path if "/" in name_or_path else f"sentence-transformers/{name_or_path}"
        for name in WEIGHT_FILES:
            cached = try_to_load_from_cache(repo, name)
            if isinstance(cached, str):
                candidates.append(Path(cached))
    return next((path for path in candidates if path.is_file()), None)
