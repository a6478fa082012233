"""Scoring throughput and latency, with the default models' architectures (random weights).

Builds Detoxify's `multilingual` architecture (XLM-RoBERTa base) and the default relevance model's
(paraphrase-multilingual-MiniLM-L12-v2) in a temporary folder, then measures in one run:

    raw_per_s       the two models' forward passes alone, at the batch size used, in this process
    pipeline_per_s  N pending comments to N decisions stored, through a real Celery worker
                    with BENCH_WORKERS processes (--concurrency), one score_pending task each
    ratio           pipeline_per_s / raw_per_s
    p50_ms p95_ms   post to decision at one comment per second

    .venv/bin/python bench/scoring.py            # MODERATION_DEVICE=cuda for a GPU
    BENCH_COMMENTS=128 BENCH_LATENCY_COMMENTS=20 BENCH_WORKERS=1  # the defaults

MODERATION_DEVICE, MODERATION_PRECISION and MODERATION_BATCH_SIZE apply to the raw and the
pipeline figures alike. BENCH_MODELS_DIR=folder builds the models there once and reuses them in
later runs (they are random either way). The worker uses Redis at BENCH_REDIS_URL if it answers,
else the file-system broker.
"""

import json
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
# Celery worker processes (--concurrency): README, "Several workers per GPU".
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
MODELS_DIR = os.environ.get("BENCH_MODELS_DIR", "")

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
    rng = random.Random(7)
    corpus = [comment_text(rng) for _ in range(3000)]
    models = multilingual_models(corpus)
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
        wait_until_models_loaded(worker)
        pipeline = pipeline_per_second(rng, batch_size)
        p50, p95 = latency(rng)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    device = settings.MODERATION_DEVICE
    precision = settings.MODERATION_PRECISION
    print(
        f"device={device} precision={precision} broker={broker.split(':')[0]} "
        f"batch={batch_size} comments={N} workers={WORKERS}"
    )
    print(f"raw_per_s={raw:.1f}")
    print(f"pipeline_per_s={pipeline:.1f}")
    print(f"ratio={pipeline / raw:.2f}")
    print(f"p50_ms={p50:.0f} p95_ms={p95:.0f}")
    # Errors the worker logged (a locked SQLite file, a failed batch): each one slows the pipeline.
    print(f"worker_errors={worker_log().count(' ERROR/')}")


def multilingual_models(corpus: list[str]) -> dict[str, str]:
    """The settings that point at the models, built in WORK, or once in BENCH_MODELS_DIR."""
    from moderation.scoring.classifiers.modelkit import build_multilingual_models

    if not MODELS_DIR:
        return build_multilingual_models(WORK / "models", corpus)
    saved = Path(MODELS_DIR) / "models.json"
    if not saved.exists():
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(build_multilingual_models(saved.parent, corpus)))
    return json.loads(saved.read_text())


def raw_per_second(batch_size: int, rng: random.Random) -> float:
    """Both models' forward passes on full batches, as the worker runs them, nothing else."""
    from moderation.scoring import classifiers

    scorer = classifiers.load_scorer()
    batches = [
        [comment_text(rng) for _ in range(batch_size)] for _ in range(max(2, N // batch_size))
    ]
    # Warm-up: the first few batches run slower (CPU kernels and GPU memory set up per shape).
    for _ in range(3):
        warm_up = [comment_text(rng) for _ in range(batch_size)]
        scorer.toxicity.predict(warm_up)
        scorer.relevance.embed(warm_up)
    started = time.perf_counter()
    # Both return numpy arrays, so each batch has left the GPU before the clock stops.
    for texts in batches:
        scorer.toxicity.predict(texts)
        scorer.relevance.embed(texts)
    elapsed = time.perf_counter() - started
    classifiers.forget_scorer()
    free_gpu_memory()
    return len(batches) * batch_size / elapsed


def free_gpu_memory() -> None:
    """Give the raw pass's GPU memory back before the worker's processes load their copies."""
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


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
            str(WORKERS),
            # INFO: each process's "Moderation models loaded" line, which the bench waits for.
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def worker_log() -> str:
    return (WORK / "worker.log").read_text(errors="replace")


def wait_until_models_loaded(worker: subprocess.Popen, timeout: float = 600) -> None:
    """Until every worker process has loaded and warmed up its models (each logs one line)."""
    deadline = time.monotonic() + timeout
    while worker_log().count("Moderation models loaded") < WORKERS:
        log = worker_log()
        failed = "models cannot be loaded" in log or "Loading the moderation models" in log
        if worker.poll() is not None or failed:
            raise SystemExit(f"the worker cannot load its models; see {WORK / 'worker.log'}")
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker's models did not load; see {WORK / 'worker.log'}")
        time.sleep(0.2)


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


def pipeline_per_second(rng: random.Random, batch_size: int) -> float:
    """N comments through the worker: one score_pending task per process, each claiming batches
    under leases until none is left."""
    from articles.models import Comment
    from moderation.tasks import score_pending

    article, user = make_scene()
    # Not timed: about three full batches for each process, as the raw figure's warm-up.
    Comment.objects.bulk_create(
        Comment(article=article, author=user, body=comment_text(rng))
        for _ in range(3 * WORKERS * batch_size)
    )
    for _ in range(WORKERS):
        score_pending.delay()
    wait_until_none_pending(600)

    Comment.objects.bulk_create(
        Comment(article=article, author=user, body=comment_text(rng)) for _ in range(N)
    )
    started = time.perf_counter()
    for _ in range(WORKERS):
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
