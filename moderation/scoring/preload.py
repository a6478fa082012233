"""A worker process loads its moderation models as soon as it starts, not on its first comment.

Celery's `worker_process_init` (connected in config/celery.py) calls `load_in_background` in each
worker process. The models load in a thread, so the process reports for work at once (a first
download may take minutes); a comment that arrives sooner waits on the same lock
(`classifiers.load_scorer`) instead of loading a second copy.
"""

import logging
import threading
import time

from django.db import connections

from moderation.models import ModelStatus
from moderation.scoring import classifiers, pipeline

logger = logging.getLogger(__name__)


def load_in_background() -> threading.Thread:
    """Start loading this process's models in a daemon thread; returns the thread."""
    thread = threading.Thread(target=_load_in_thread, name="load-moderation-models", daemon=True)
    thread.start()
    return thread


def _load_in_thread() -> None:
    try:
        load_and_report()
    finally:
        connections.close_all()  # this thread's own connections; the tasks open theirs


def load_and_report() -> bool:
    """Load the models and warm them up, log how long it took and record it for /healthz;
    whether they loaded.

    A failure is logged by `pipeline.load_scorer_and_report` (once per process) and retried by
    the comments' own tasks.
    """
    started = time.monotonic()
    try:
        scorer = pipeline.load_scorer_and_report()
        scorer.warm_up()
        seconds = round(time.monotonic() - started, 1)
        ModelStatus.objects.filter(pk=1).update(load_seconds=seconds)
    except classifiers.ClassifierUnavailable:
        return False
    except Exception:  # the database may be down; a comment's task loads them again if need be
        logger.exception("Loading the moderation models, or recording their state, failed")
        return False
    logger.info(
        "Moderation models loaded in %.1f s (toxicity: %s; relevance: %s).",
        seconds,
        scorer.toxicity.model_id,
        scorer.relevance_model_ids(),
    )
    return True
