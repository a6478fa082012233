"""Site owners' word and phrase lists: normalising text against obfuscation, and matching entries.

Pure functions, no database. A comment's text is normalised once, when it is assessed, and stored
on the assessment (`Assessment.list_text`), so the what-if preview replays the *current* lists
against every stored comment without reading the comments again.

Normalising case-folds, strips accents, undoes common l33t ("1d10t"), joins letters split by dots
or dashes ("i.d.i.o.t") and collapses repeated letters ("iiidiot"). Entries are normalised the same
way, so "Schiff" and "schif" are the same entry. `*` in an entry matches any letters ("idiot*").

Entries are matched with RE2, whose time is linear in the text whatever the entries: with a
backtracking engine an owner's `*h*u*r*e*` against a long "hurhur…" ran for minutes and stalled
the worker. RE2 has no look-around, so the text is matched in a padded form in which every word
stands between two spaces of its own (see `_padded`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import re2

LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# Single letters joined by separators: "i.d.i.o.t", "i-d-i-o-t", "i_d_i_o_t", "i*d*i*o*t".
SPLIT_LETTERS = re.compile(r"(?<![\w@$])[\w@$](?:[.\-_*·][\w@$])+(?![\w@$])")
SEPARATORS = re.compile(r"[.\-_*·]")
REPEATS = re.compile(r"(.)\1+")
TOKEN = re.compile(r"[\w@$]+")

# More wildcards add nothing an owner needs, and each one widens the automaton RE2 builds.
MAX_WILDCARDS = 5
# Normalised text holds words and single spaces only, so "any letters" is "anything but a space".
ANY_LETTERS = "[^ ]*"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The text as lower-case words joined by single spaces, with obfuscation undone."""
    text = SPLIT_LETTERS.sub(lambda match: SEPARATORS.sub("", match.group()), _fold(text))
    words = (REPEATS.sub(r"\1", word.translate(LEET)) for word in TOKEN.findall(text))
    return " ".join(words)


def _literal(normalised: str) -> str:
    """Normalised words as a pattern over padded text: each space between them becomes two."""
    return "  ".join(re2.escape(word) for word in normalised.split(" "))


def _entry_pattern(phrase: str) -> str:
    """One entry as an RE2 pattern over padded text (`_padded`), on whole words."""
    words = []
    for word in phrase.split():
        parts = [_literal(normalise(part)) for part in word.split("*")]
        words.append(ANY_LETTERS.join(parts))
    return " " + "  ".join(words) + " "


def _padded(normalised_text: str) -> str:
    """ " a  b  c ": each word between two spaces of its own, so that the space a match consumes
    after one word does not stop the next word from matching (RE2 has no look-around)."""
    return " " + normalised_text.replace(" ", "  ") + " "


def entry_is_valid(phrase: str) -> bool:
    """Whether an entry has at least one letter or digit besides its wildcards."""
    return bool(normalise(phrase.replace("*", " ")).strip())


@dataclass(frozen=True)
class WordList:
    """The entries of one language and rule: one RE2 pattern for all of them, which answers
    whether any entry occurs, and one per entry, which name the entries that do."""

    phrases: tuple[str, ...]
    any_entry: re2._Regexp | None
    entries: tuple[re2._Regexp, ...]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> WordList:
        phrases = tuple(dict.fromkeys(p.strip() for p in phrases if entry_is_valid(p)))
        if not phrases:
            return cls((), None, ())
        patterns = [_entry_pattern(phrase) for phrase in phrases]
        # Without capturing groups: RE2 extracts a group with a slower engine for every match.
        any_entry = re2.compile("|".join(f"(?:{pattern})" for pattern in patterns))
        return cls(phrases, any_entry, tuple(re2.compile(pattern) for pattern in patterns))

    def matches(self, normalised_text: str) -> bool:
        """Whether any entry is in the normalised text."""
        return self.any_entry is not None and bool(self.any_entry.search(_padded(normalised_text)))

    def hits(self, normalised_text: str) -> list[str]:
        """Every entry found in the normalised text, each once, in list order."""
        if self.any_entry is None:
            return []
        padded = _padded(normalised_text)
        if not self.any_entry.search(padded):  # most comments: one linear scan
            return []
        return [
            phrase
            for phrase, pattern in zip(self.phrases, self.entries, strict=True)
            if pattern.search(padded)
        ]
