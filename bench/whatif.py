"""The what-if preview: replaying 10,000 and 100,000 stored assessments with a draft policy.

Prints `assessments=N ms=T cpu_ms=C changed=K`: T is the median wall time of a few full what-if
runs (reading the stored inputs, replaying the active and the draft policy, counting), C the
median CPU time of this process (SQLite runs in it), which stays meaningful on a busy machine;
K is how many comments the draft changes (`decide` runs again on those, for their reasons).
Throw-away SQLite database unless DATABASE_URL is set.

    .venv/bin/python bench/whatif.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.harness import start_throwaway_django  # noqa: E402

start_throwaway_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from articles.models import Article, Comment  # noqa: E402
from moderation.models import Assessment, PolicyVersion  # noqa: E402
from moderation.policy import whatif  # noqa: E402
from moderation.policy.rules import Scores, decide  # noqa: E402
from moderation.policy.wordlists import normalise  # noqa: E402

SIZES = [10_000, 100_000]
REPEATS = 3
LABELS = list(PolicyVersion().thresholds().labels)
WORDS = "die Stadt baut neue Radwege the council voted for cycle lanes idiot".split()


@transaction.atomic
def add_assessments(count: int, rng: random.Random) -> None:
    author = get_user_model().objects.get_or_create(username="bench")[0]
    article = Article.objects.get_or_create(slug="bench", defaults={"title": "Bench"})[0]
    comments = Comment.objects.bulk_create(
        Comment(article=article, author=author, depth=1, body="x", status="approved")
        for _ in range(count)
    )
    thresholds = PolicyVersion.objects.active().thresholds()
    rows = []
    for comment in comments:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
        toxicity = {label: round(rng.betavariate(0.6, 4), 4) for label in LABELS}
        values = {
            "toxicity": toxicity,
            "relevance": round(rng.random(), 4),
            "word_count": len(text.split()),
            "has_link": rng.random() < 0.05,
            "author_approved_comments": rng.randint(0, 5),
            "language": rng.choice(["de", "en"]),
            "list_text": normalise(text),
        }
        scores = Scores(
            toxicity=toxicity, text="", **{k: v for k, v in values.items() if k != "toxicity"}
        )
        decision = decide(scores, thresholds)
        rows.append(
            Assessment(
                comment=comment,
                decision=decision.outcome.value,
                reasons=[r.as_dict() for r in decision.reasons],
                **values,
            )
        )
    Assessment.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    rng = random.Random(9)
    draft = PolicyVersion(
        insult_review_at=0.3, language_overrides={"de": {"toxicity_review_at": 0.4}}
    )
    active = PolicyVersion.objects.active()
    present = 0
    for size in SIZES:
        add_assessments(size - present, rng)
        present = size
        timings, cpu = [], []
        for _ in range(REPEATS):
            started, started_cpu = time.perf_counter(), time.process_time()
            report = whatif.what_if(after=draft.thresholds(), before=active.thresholds(), days=None)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert report.replayed == size, report.replayed
        print(
            f"assessments={size} ms={statistics.median(timings):.0f} "
            f"cpu_ms={statistics.median(cpu):.0f} changed={report.changed_count}",
            flush=True,
        )


if __name__ == "__main__":
    main()
