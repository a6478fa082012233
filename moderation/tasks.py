"""Celery tasks: each takes ids at most, calls a workflow, and handles retries. Nothing else.

Other modules queue these by name through `moderation.dispatch`, never by importing them.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from moderation.scoring import pipeline
from moderation.site_model import store, training, training_runs

logger = logging.getLogger(__name__)

# Errors of a database that is restarting or unreachable: worth one line in the log, not a trace.
DATABASE_DOWN = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, max_retries=None)
def score_pending(self, comment_ids: list[int] | None = None) -> int:
    """Score pending comments batch by batch until none are left.

    When the models cannot load or scoring fails, retry the same comments with a growing
    backoff; after MODERATION_MAX_RETRIES they go to the review queue.
    """
    scored = 0
    try:
        while batch := pipeline.score_pending(comment_ids=comment_ids):
            scored += batch
            if comment_ids:
                break
    except DATABASE_DOWN as error:
        # The comments are safe in the database; the sweep queues them again once it answers.
        logger.warning("The database cannot be reached (%s); the sweep retries.", error)
        return scored
    except pipeline.ScoringFailed as error:
        if self.request.retries >= settings.MODERATION_MAX_RETRIES:
            pipeline.send_unassessed_to_review(comment_ids=error.comment_ids, error=str(error))
            return scored
        countdown = settings.MODERATION_RETRY_BACKOFF_SECONDS * 2**self.request.retries
        raise self.retry(kwargs={"comment_ids": error.comment_ids}, countdown=countdown) from error
    return scored


@shared_task
def sweep_pending() -> int:
    try:
        return pipeline.sweep_pending()
    except DATABASE_DOWN as error:
        logger.warning("The database cannot be reached (%s); the next sweep retries.", error)
        return 0


@shared_task
def train_site_model() -> int | None:
    """The weekly training (MODERATION_SITE_MODEL_WEEKLY): a new version, not activated."""
    try:
        return store.train_version().pk
    except training.NotEnoughExamples as error:
        logger.warning("The weekly site model training was skipped: %s", error)
        return None


@shared_task
def train_site_model_run(run_id: int) -> int | None:
    """A training an owner started from the admin; its record tells the page how far it got."""
    run = training_runs.execute(run_id=run_id)
    return run.version_id if run is not None else None
