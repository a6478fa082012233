"""Owners' word lists against hostile comments: the worst cost of matching one comment.

Builds 200 entries of up to five wildcards each (`*h*u*r*e*`, `a*b*a*b*a*c`, phrases), then
comments of 3,000 characters made of repeated fragments of those entries, the inputs that made a
backtracking engine run for minutes. Each comment is normalised and matched the way the worker
does it (`normalise`, then `WordList.hits`). Prints

    entries=N chars=M comments=K compile_ms=C worst_ms=T median_ms=P

T is the slowest comment (best of three tries each, so that a busy machine's stalls are not
counted as the matcher's); it should stay at or below 20 on a laptop. Pure Python: no database.

    .venv/bin/python bench/wordlists.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from moderation.policy.wordlists import MAX_WILDCARDS, WordList, normalise  # noqa: E402

ENTRIES = 200
CHARS = 3000
COMMENTS = 60
TRIES = 3
LETTERS = "ahurebcidot"


def make_entries(rng: random.Random) -> list[str]:
    """Entries with 0 to MAX_WILDCARDS wildcards between short runs of a few letters."""
    entries = ["*h*u*r*e*", "a*b*a*b*a*c", "*a*a*a*a*x", "h* u* r* e* x"]
    while len(entries) < ENTRIES:
        pieces = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(0, 3)))]
        for _ in range(rng.randint(1, MAX_WILDCARDS)):
            pieces.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 3))))
        entry = "*".join(pieces)
        if rng.random() < 0.2:
            entry += " " + rng.choice(LETTERS) * 2 + "*"
        if entry.count("*") <= MAX_WILDCARDS and any(c.isalpha() for c in entry):
            entries.append(entry)
    return entries


def make_comments(entries: list[str], rng: random.Random) -> list[str]:
    """3,000 characters of one entry's fragments repeated: one long word, or many short ones."""
    comments = []
    for index in range(COMMENTS):
        fragment = rng.choice(entries).replace("*", "")[:4] or "hur"
        separator = " " if index % 3 == 0 else ""
        tail = "" if index % 2 else " und " + rng.choice(entries).replace("*", "")
        comment = (fragment + separator) * (CHARS // (len(fragment) + len(separator)) + 1)
        comments.append((comment + tail)[-CHARS:])
    return comments


def main() -> None:
    rng = random.Random(16)
    entries = make_entries(rng)
    started = time.perf_counter()
    words = WordList.of(entries)
    compile_ms = (time.perf_counter() - started) * 1000
    costs = []
    for comment in make_comments(entries, rng):
        tries = []
        for _ in range(TRIES):
            started = time.perf_counter()
            words.hits(normalise(comment))
            tries.append((time.perf_counter() - started) * 1000)
        costs.append(min(tries))
    print(
        f"entries={len(entries)} chars={CHARS} comments={len(costs)} compile_ms={compile_ms:.1f} "
        f"worst_ms={max(costs):.2f} median_ms={statistics.median(costs):.2f}"
    )


if __name__ == "__main__":
    main()
