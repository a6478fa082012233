"""Celery tasks for e-mail: each takes ids at most, calls a workflow, and retries while the mail
server is unreachable. Other modules queue them by name through `moderation.dispatch`."""

from celery import shared_task

from notifications import decision_mail, follower_mail, following


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_decision_notice(self, comment_id: int) -> bool:
    try:
        return decision_mail.send_decision_notice(comment_id=comment_id)
    except OSError as error:  # the mail server is unreachable
        raise self.retry(exc=error) from error


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_appeal_notice(self, comment_id: int) -> bool:
    try:
        return decision_mail.send_appeal_notice(comment_id=comment_id)
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
