"""Preparing text for a model: normalising it and cutting it into pieces the model can take."""

import hashlib
import unicodedata
from pathlib import Path


def normalise(text: str) -> str:
    """NFC text without lone surrogates or control characters, which tokenizers may reject."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def split_for_model(text: str, tokenizer, max_tokens: int) -> list[str]:
    """The text as pieces of at most max_tokens tokens each, cut between words.

    A text that fits is returned whole. A single word longer than the limit (a long URL, a row of
    emoji) is cut by characters.
    """
    if len(tokenizer.tokenize(text)) <= max_tokens:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for word in _words_within(text.split(), tokenizer, max_tokens):
        size = len(tokenizer.tokenize(word))
        if current and count + size > max_tokens:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(word)
        count += size
    if current:
        pieces.append(" ".join(current))
    return pieces


def _words_within(words: list[str], tokenizer, max_tokens: int):
    for word in words:
        if len(tokenizer.tokenize(word)) <= max_tokens:
            yield word
            continue
        step = max(1, max_tokens // 4)
        for start in range(0, len(word), step):
            yield word[start : start + step]


def file_digest(path: Path) -> str:
    """A short SHA-256 of a file, naming exactly which weights scored a comment."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
