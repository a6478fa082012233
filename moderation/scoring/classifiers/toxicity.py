"""Toxicity through the detoxify package: its Detoxify class, its checkpoints, its labels."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from moderation.scoring.classifiers.errors import ClassifierUnavailable
from moderation.scoring.classifiers.text import file_digest, split_for_model

# Special tokens ([CLS]/[SEP] or <s>/</s>) plus a margin for words tokenized differently in context.
RESERVED_TOKENS = 8


class ToxicityClassifier:
    def __init__(self, *, model_type: str, checkpoint: str, config_dir: str, device: str) -> None:
        from detoxify import Detoxify

        try:
            self.detoxify = Detoxify(
                model_type=model_type,
                checkpoint=checkpoint or None,
                device=device,
                huggingface_config_path=config_dir or None,
            )
        except Exception as error:
            raise ClassifierUnavailable(
                f"Detoxify could not load the '{model_type}' model ({error}); it downloads it from "
                "GitHub unless MODERATION_TOXICITY_CHECKPOINT is set. Without network access, set "
                "MODERATION_TOXICITY_CHECKPOINT to a downloaded checkpoint and "
                "MODERATION_TOXICITY_CONFIG_DIR to its Hugging Face config and tokenizer folder."
            ) from error
        if checkpoint:
            self.model_id = (
                f"detoxify:{Path(checkpoint).name}@sha256:{file_digest(Path(checkpoint))}"
            )
        else:
            # Detoxify's release file names carry a hash of the weights (…-0b549669.ckpt).
            from detoxify.detoxify import MODEL_URLS

            release = MODEL_URLS[model_type].rsplit("/", 1)[-1]
            self.model_id = f"detoxify {version('detoxify')}:{model_type}:{release}"
        model = self.detoxify.model
        # RoBERTa-style models reserve two positions, so count from max_position_embeddings - 2.
        limit = min(
            self.detoxify.tokenizer.model_max_length,
            getattr(model.config, "max_position_embeddings", 514) - 2,
        )
        self.max_tokens = max(8, limit - RESERVED_TOKENS)
        self.labels = list(self.detoxify.class_names)

    def pieces(self, texts: list[str]) -> list[list[str]]:
        return split_for_model(texts, self.detoxify.tokenizer, self.max_tokens)

    def predict(self, texts: list[str]) -> list[dict[str, float]]:
        """Detoxify's scores for each text; Detoxify itself does the forward pass."""
        if not texts:
            return []
        raw = self.detoxify.predict(texts)
        columns = {}
        for label, values in raw.items():
            columns[label] = values if isinstance(values, list) else [values]
        return [{label: float(columns[label][i]) for label in columns} for i in range(len(texts))]

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """Every label for each text in one forward pass; a long text scores its worst piece."""
        pieces: list[str] = []
        owners: list[int] = []
        for index, text_pieces in enumerate(self.pieces(texts)):
            pieces += text_pieces
            owners += [index] * len(text_pieces)
        results: list[dict[str, float]] = [{} for _ in texts]
        for owner, scores in zip(owners, self.predict(pieces), strict=True):
            merged = results[owner]
            for label, value in scores.items():
                merged[label] = max(value, merged.get(label, 0.0))
        return results
