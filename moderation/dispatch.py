"""Hands work to Celery once the transaction commits, and never lets a request wait on the broker.

Messages only wake workers up. The database is the record of work (every `pending` comment), so
a message that cannot be sent costs a delay, never a comment: the sweep sends it again later.
Tasks are named, not imported, so the modules that queue work never import the tasks module.
"""

from __future__ import annotations

import logging
import time

from celery import current_app
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

SCORE_PENDING = "moderation.tasks.score_pending"
SEND_DECISION_NOTICE = "notifications.tasks.send_decision_notice"
SEND_APPEAL_NOTICE = "notifications.tasks.send_appeal_notice"
NOTIFY_FOLLOWERS = "notifications.tasks.notify_followers"
SEND_FOLLOW_CONFIRMATION = "notifications.tasks.send_follow_confirmation"

# After a failed send, skip the broker for a while: during an outage each post would otherwise
# pay the connect timeout again.
_broker_down_until = 0.0


def send(task_name: str, *, args: tuple = (), kwargs: dict | None = None) -> bool:
    """Publish one message with a bounded connect timeout and no retries; whether it went out."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    timeout = settings.CELERY_PUBLISH_TIMEOUT_SECONDS
    app = current_app
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "max_retries": 0,
    }
    try:
        with app.connection_for_write(connect_timeout=timeout, transport_options=options) as conn:
            app.send_task(task_name, args=args, kwargs=kwargs, connection=conn, retry=False)
    except Exception as error:  # any broker failure: the database still holds the work
        _broker_down_until = time.monotonic() + settings.CELERY_PUBLISH_BACKOFF_SECONDS
        logger.warning(
            "Could not send %s to the broker (%s); the sweep will catch up.", task_name, error
        )
        return False
    return True


def send_on_commit(task_name: str, *, args: tuple = (), kwargs: dict | None = None) -> None:
    """Send the message after the current transaction commits (at once outside of one)."""
    transaction.on_commit(lambda: send(task_name, args=args, kwargs=kwargs))


def broker_marked_down() -> bool:
    return time.monotonic() < _broker_down_until


def forget_broker_failure() -> None:
    """Try the broker again on the next send (tests, and after a deliberate reconfiguration)."""
    global _broker_down_until
    _broker_down_until = 0.0
