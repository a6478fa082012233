"""Celery tasks: each takes ids at most, calls a workflow, and handles retries. Nothing else.

Other modules queue these by name through `moderation.dispatch`, never by importing them.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from moderation import appeals, follower_mail, following, notifications, scoring
from moderation.site_model import store, training

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
        while batch := scoring.score_pending(comment_ids=comment_ids):
            scored += batch
            if comment_ids:
                break
    except DATABASE_DOWN as error:
        # The comments are safe in the database; the sweep queues them again once it answers.
        logger.warning("The database cannot be reached (%s); the sweep retries.", error)
        return scored
    except scoring.ScoringFailed as error:
        if self.request.retries >= settings.MODERATION_MAX_RETRIES:
            scoring.send_unassessed_to_review(comment_ids=error.comment_ids, error=str(error))
            return scored
        countdown = settings.MODERATION_RETRY_BACKOFF_SECONDS * 2**self.request.retries
        raise self.retry(kwargs={"comment_ids": error.comment_ids}, countdown=countdown) from error
    return scored


@shared_task
def sweep_pending() -> int:
    try:
        return scoring.sweep_pending()
    except DATABASE_DOWN as error:
        logger.warning("The database cannot be reached (%s); the next sweep retries.", error)
        return 0


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_decision_notice(self, comment_id: int) -> bool:
    try:
        return notifications.send_decision_notice(comment_id=comment_id)
    except OSError as error:  # the mail server is unreachable
        raise self.retry(exc=error) from error


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_appeal_notice(self, comment_id: int) -> bool:
    try:
        return appeals.send_appeal_notice(comment_id=comment_id)
    except OSError as error:  # the mail server is unreachable
        raise self.retry(exc=error) from error


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notify_followers(self, comment_id: int) -> int:
    """Announce a newly visible comment to its followers and send what is due now."""
    follower_mail.announce(comment_id=comment_id)
    try:
        return follower_mail.send_due()
    except OSError as error:  # the mail server is unreachable; the beat task also catches up
        raise self.retry(exc=error) from error


@shared_task
def send_follower_mail() -> int:
    """The beat task: announce comments whose task never ran, send the throttled and digest
    e-mails now due, and forget visitors' addresses never confirmed."""
    follower_mail.announce_left()
    following.forget_unconfirmed()
    return follower_mail.send_due()


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_follow_confirmation(self, subscription_id: int) -> bool:
    try:
        return following.send_confirmation(subscription_id=subscription_id)
    except OSError as error:
        raise self.retry(exc=error) from error


@shared_task
def train_site_model() -> int | None:
    """The weekly training (MODERATION_SITE_MODEL_WEEKLY): a new version, not activated."""
    try:
        return store.train_version().pk
    except training.NotEnoughExamples as error:
        logger.warning("The weekly site model training was skipped: %s", error)
        return None
