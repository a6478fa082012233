"""Site owners' word and phrase lists: normalising text against obfuscation, and matching entries.

Pure functions, no database. A comment's text is normalised once, when it is assessed, and stored
on the assessment (`Assessment.list_text`), so the what-if preview replays the *current* lists
against every stored comment without reading the comments again.

Normalising case-folds, strips accents, undoes common l33t ("1d10t"), joins letters split by dots
or dashes ("i.d.i.o.t") and collapses repeated letters ("iiidiot"). Entries are normalised the same
way, so "Schiff" and "schif" are the same entry. `*` in an entry matches any letters ("idiot*").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Single letters joined by separators: "i.d.i.o.t", "i-d-i-o-t", "i_d_i_o_t", "i*d*i*o*t".
SPLIT_LETTERS = re.compile(r"(?<![\w@$])[\w@$](?:[.\-_*·][\w@$])+(?![\w@$])")
SEPARATORS = re.compile(r"[.\-_*·]")
REPEATS = re.compile(r"(.)\1+")
TOKEN = re.compile(r"[\w@$]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The text as lower-case words joined by single spaces, with obfuscation undone."""
    text = SPLIT_LETTERS.sub(lambda match: SEPARATORS.sub("", match.group()), _fold(text))
    words = (REPEATS.sub(r"\1", word.translate(LEET)) for word in TOKEN.findall(text))
    return " ".join(words)


def _entry_pattern(phrase: str) -> str:
    """One entry as a regular expression over normalised text, on whole words."""
    words = []
    for word in phrase.split():
        parts = [normalise(part) for part in word.split("*")]
        words.append(r"\w*".join(re.escape(part) for part in parts))
    return r"(?<!\S)" + " ".join(words) + r"(?!\S)"


def entry_is_valid(phrase: str) -> bool:
    """Whether an entry has at least one letter or digit besides its wildcards."""
    return bool(normalise(phrase.replace("*", " ")).strip())


@dataclass(frozen=True)
class WordList:
    """The entries of one language and rule, compiled into one pattern."""

    phrases: tuple[str, ...]
    pattern: re.Pattern

    @classmethod
    def of(cls, phrases: Iterable[str]) -> WordList:
        phrases = tuple(dict.fromkeys(p.strip() for p in phrases if entry_is_valid(p)))
        alternatives = "|".join(f"(?P<e{i}>{_entry_pattern(p)})" for i, p in enumerate(phrases))
        return cls(phrases, re.compile(alternatives or r"(?!)"))

    def hits(self, normalised_text: str) -> list[str]:
        """The entries found in the normalised text, each once, in list order."""
        if not self.phrases:
            return []
        found: set[int] = set()
        for match in self.pattern.finditer(normalised_text):
            found.add(int(match.lastgroup[1:]))
        # One pass finds the first entry at each place; an entry hidden behind another is rare and
        # the comment is already caught, so the reason names the entries that matched first.
        return [self.phrases[i] for i in sorted(found)]
