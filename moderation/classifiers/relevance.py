"""How close a comment is to its article and parent, with a sentence-embedding model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from moderation.classifiers.errors import ClassifierUnavailable
from moderation.classifiers.text import file_digest, split_for_model

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class RelevanceModel:
    def __init__(self, *, name_or_path: str, device: str) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(name_or_path, device=device)
        except Exception as error:
            raise ClassifierUnavailable(
                f"sentence-transformers could not load '{name_or_path}' ({error}); a model name "
                "is downloaded from the Hugging Face hub. Without "
                "network access, set MODERATION_RELEVANCE_MODEL to a local model folder."
            ) from error
        self.model_id = f"sentence-transformers:{Path(name_or_path).name}"
        weights = _weights_file(name_or_path)
        if weights is not None:
            self.model_id += f"@sha256:{file_digest(weights)}"
        self.max_tokens = max(8, self.model.max_seq_length - 2)

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

    @property
    def dimensions(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())


def closeness(vector: np.ndarray, others: np.ndarray) -> float:
    """The best cosine similarity of a unit vector to any row of others, clipped to [0, 1]."""
    if others.size == 0:
        return 0.0
    return float(np.clip((others @ vector).max(), 0.0, 1.0))


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
