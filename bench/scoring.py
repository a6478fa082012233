"""Scoring throughput and latency, with the default models' architectures (random weights).

Builds Detoxify's `multilingual` architecture (XLM-RoBERTa base) and the default relevance model's
(paraphrase-multilingual-MiniLM-L12-v2) in a temporary folder, then measures in one run:

    raw_per_s       the two models' forward passes alone, at the batch size used
    pipeline_per_s  N pending comments to N decisions stored, through a real Celery worker
    ratio           pipeline_per_s / raw_per_s
    p50_ms p95_ms   post to decision at one comment per second

    .venv/bin/python bench/scoring.py            # MODERATION_DEVICE=cuda for a GPU
    BENCH_COMMENTS=128 BENCH_LATENCY_COMMENTS=20  # the defaults

The worker uses Redis at BENCH_REDIS_URL if it answers, else the file-system broker.
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Replace bench/ on the path: bench/queue.py would shadow the standard library's queue module.
sys.path[0] = str(ROOT)
WORK = Path(tempfile.mkdtemp(prefix="agora-scoring-bench-"))
N = int(os.environ.get("BENCH_COMMENTS", "128"))
LATENCY_N = int(os.environ.get("BENCH_LATENCY_COMMENTS", "20"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

WORDS_DE = (
    "die Stadt baut neue Radwege und der Rat hat entschieden dass die Innenstadt sicherer wird "
    "aber viele Händler fürchten um ihre Kunden weil Parkplätze wegfallen ich finde den Plan gut "
    "wer mit dem Bus fährt hat davon auch etwas die Fähre im Hafen fährt wieder danke für den "
    "Artikel das ist eine gute Nachricht für Familien und Studierende im Viertel"
).split()
WORDS_EN = (
    "the city council voted for new cycle lanes and the harbour ferry is running again many "
    "shops worry about parking but I think the plan makes sense for families students and "
    "commuters who take the bus every day thanks for the article this is good news for the docks"
).split()


def comment_text(rng: random.Random) -> str:
    words = rng.choice([WORDS_DE, WORDS_EN])
    return " ".join(rng.choice(words) for _ in range(rng.randint(12, 70))).capitalize() + "."


def broker_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
        return REDIS_URL
    except Exception:
        return "filesystem://"


def configure(models: dict[str, str], broker: str) -> dict[str, str]:
    env = {
        "DEBUG": "true",
        "AGORA_VAR_DIR": str(WORK / "var"),
        "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
        "CELERY_BROKER_URL": broker,
        "MODERATION_BATCH_SIZE": os.environ.get("MODERATION_BATCH_SIZE", "32"),
        "MODERATION_DEVICE": os.environ.get("MODERATION_DEVICE", "cpu"),
        "MODERATION_PRECISION": os.environ.get("MODERATION_PRECISION", "fp32"),
        "HF_HUB_OFFLINE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **models,
    }
    os.environ.update(env)
    return env


def main() -> None:
    from moderation.scoring.classifiers.modelkit import build_multilingual_models

    rng = random.Random(7)
    corpus = [comment_text(rng) for _ in range(3000)]
    models = build_multilingual_models(WORK / "models", corpus)
    broker = broker_url()
    env = configure(models, broker)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    batch_size = settings.MODERATION_BATCH_SIZE
    raw = raw_per_second(batch_size, rng)
    worker = start_worker(env)
    try:
        pipeline = pipeline_per_second(rng)
        p50, p95 = latency(rng)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    device = settings.MODERATION_DEVICE
    precision = settings.MODERATION_PRECISION
    print(
        f"device={device} precision={precision} broker={broker.split(':')[0]} "
        f"batch={batch_size} comments={N}"
    )
    print(f"raw_per_s={raw:.1f}")
    print(f"pipeline_per_s={pipeline:.1f}")
    print(f"ratio={pipeline / raw:.2f}")
    print(f"p50_ms={p50:.0f} p95_ms={p95:.0f}")


def raw_per_second(batch_size: int, rng: random.Random) -> float:
    """Both models' forward passes on full batches, as the worker runs them, nothing else."""
    from moderation.scoring import classifiers

    scorer = classifiers.load_scorer()
    batches = [
        [comment_text(rng) for _ in range(batch_size)] for _ in range(max(2, N // batch_size))
    ]
    scorer.toxicity.predict(batches[0])  # warm-up
    scorer.relevance.embed(batches[0])
    started = time.perf_counter()
    for texts in batches:
        scorer.toxicity.predict(texts)
        scorer.relevance.embed(texts)
    elapsed = time.perf_counter() - started
    classifiers.forget_scorer()
    return len(batches) * batch_size / elapsed


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    log = (WORK / "worker.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def make_scene():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from articles.models import Article, Comment

    article = Article.objects.create(
        title="Mehr Radwege für die Innenstadt",
        slug=f"bench-{time.monotonic_ns()}",
        lead="Der Rat beschließt neue Radwege; der Handel fürchtet um Parkplätze.",
        body="\n\n".join([" ".join(WORDS_DE)] * 4),
        author_name="Bench",
    )
    user, _ = get_user_model().objects.get_or_create(username="bench", email="bench@example.org")
    EmailAddress.objects.get_or_create(user=user, email=user.email, verified=True, primary=True)
    # An established author, so that the new-commenter rule does not change the work done.
    for _ in range(3 - Comment.objects.filter(author=user, status="approved").count()):
        Comment.objects.create(article=article, author=user, body="Gut.", status="approved")
    return article, user


def wait_until_none_pending(timeout: float) -> None:
    from articles.models import Comment

    deadline = time.monotonic() + timeout
    while Comment.objects.filter(status="pending").exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"comments still pending; see {WORK / 'worker.log'}")
        time.sleep(0.05)


def pipeline_per_second(rng: random.Random) -> float:
    from articles.models import Comment
    from moderation.tasks import score_pending

    article, user = make_scene()
    # Warm up: the worker loads its models on its first task.
    Comment.objects.create(article=article, author=user, body=comment_text(rng))
    score_pending.delay()
    wait_until_none_pending(600)

    Comment.objects.bulk_create(
        Comment(article=article, author=user, body=comment_text(rng)) for _ in range(N)
    )
    started = time.perf_counter()
    score_pending.delay()
    wait_until_none_pending(1200)
    return N / (time.perf_counter() - started)


def latency(rng: random.Random) -> tuple[float, float]:
    """Post through the reader-side service (as the web view does), one comment a second."""
    from articles import services
    from moderation.models import Assessment

    article, user = make_scene()
    posted = []
    for _ in range(LATENCY_N):
        posted.append(
            services.post_comment(article=article, author=user, body=comment_text(rng), parent=None)
        )
        time.sleep(1.0)
    wait_until_none_pending(600)
    timings = [
        a.timings["post_to_decision_ms"] for a in Assessment.objects.filter(comment__in=posted)
    ]
    timings.sort()
    return statistics.median(timings), timings[int(round(0.95 * (len(timings) - 1)))]


if __name__ == "__main__":
    main()
