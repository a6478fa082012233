"""Preparing text for a model: normalising it and cutting it into pieces the model can take."""

import hashlib
import unicodedata
from pathlib import Path


def normalise(text: str) -> str:
    """NFC text without lone surrogates or control characters, which tokenizers may reject."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def split_for_model(texts: list[str], tokenizer, max_tokens: int) -> list[list[str]]:
    """Each text as pieces of at most max_tokens tokens, cut between words.

    A text that fits is kept whole. A single word longer than the limit (a long URL, a row of
    emoji) is cut by characters. The texts are counted in one call of the tokenizer.
    """
    # No tokenizer makes more tokens than a text has characters, so most comments need no count.
    long = [index for index, text in enumerate(texts) if len(text) >= max_tokens]
    counts = dict(zip(long, _token_counts(tokenizer, [texts[i] for i in long]), strict=True))
    return [
        [text] if counts.get(index, 0) <= max_tokens else _split(text, tokenizer, max_tokens)
        for index, text in enumerate(texts)
    ]


def _split(text: str, tokenizer, max_tokens: int) -> list[str]:
    words = text.split()
    sizes = _token_counts(tokenizer, words)
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for word, size in _fitting_words(words, sizes, tokenizer, max_tokens):
        if current and count + size > max_tokens:
            pieces.append(" ".join(current))
            current, count = [], 0
        current.append(word)
        count += size
    if current:
        pieces.append(" ".join(current))
    return pieces


def _token_counts(tokenizer, texts: list[str]) -> list[int]:
    """Tokens per text, from one call of the tokenizer."""
    if not texts:
        return []
    ids = tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
    return [len(row) for row in ids]


def _fitting_words(words: list[str], sizes: list[int], tokenizer, max_tokens: int):
    """(word, tokens) pairs, with words over the limit cut by characters into ones under it."""
    for word, size in zip(words, sizes, strict=True):
        if size <= max_tokens:
            yield word, size
            continue
        step = max(1, max_tokens // 4)
        slices = [word[start : start + step] for start in range(0, len(word), step)]
        yield from zip(slices, _token_counts(tokenizer, slices), strict=True)


def file_digest(path: Path) -> str:
    """A short SHA-256 of a file, naming exactly which weights scored a comment."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
