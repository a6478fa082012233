"""An article's vectors for the relevance check: its pieces, embedded once per model and cached
until its title, lead or body changes."""

from __future__ import annotations

import hashlib

import numpy as np

from articles.models import Article
from moderation.models import ArticleEmbedding
from moderation.scoring.classifiers.text import normalise

# Part of the cache key: vectors cut by an older rule (the title with the lead truncated at the
# model's window) are recomputed, not reused.
PIECES_RULE = "2"


def _full_text(article: Article) -> str:
    return "\n\n".join([PIECES_RULE, article.title, article.lead, article.body])


def pieces(article: Article, model) -> list[str]:
    """The title with the lead, then the body's paragraphs, each in pieces the model can take
    whole: nothing is cut off at the model's window."""
    head = normalise(f"{article.title}. {article.lead}".strip())
    paragraphs = [p.strip() for p in normalise(article.body).split("\n\n") if p.strip()]
    return [piece for pieces in model.pieces([head, *paragraphs]) for piece in pieces]


def _text_hash(article: Article) -> str:
    return hashlib.sha256(_full_text(article).encode()).hexdigest()


def cached(article: Article, model) -> np.ndarray | None:
    row = ArticleEmbedding.objects.filter(article=article, model_id=model.model_id).first()
    if row is None or row.text_hash != _text_hash(article):
        return None
    return np.frombuffer(bytes(row.vectors), dtype=np.float32).reshape(-1, row.dimensions)


def store(article: Article, model, vectors: np.ndarray) -> None:
    ArticleEmbedding.objects.update_or_create(
        article=article,
        model_id=model.model_id,
        defaults={
            "text_hash": _text_hash(article),
            "dimensions": vectors.shape[1],
            "vectors": vectors.astype(np.float32).tobytes(),
        },
    )
