"""Readers' reports of published comments; enough of them put a comment in the review queue."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from articles.models import Comment
from moderation.codes import RejectReason
from moderation.models import Report
from moderation.review.queue import enqueue_for_review


class ReportRefused(Exception):
    """The report cannot be taken; str(error) says why, for the reader."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


def report_comment(*, comment: Comment, reporter, reason: str, text: str = "") -> Report:
    """Take a reader's report; enough reports put a published comment in the queue."""
    if not comment.is_published:
        raise ReportRefused(gettext("Only published comments can be reported."))
    if not comment.can_be_reported_by(reporter):
        raise ReportRefused(gettext("You cannot report your own comment."))
    if reason not in RejectReason.values:
        raise ReportRefused(gettext("Choose a reason for your report."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment, reporter=reporter, reason=reason, text=text.strip()[:500]
            )
            count = Report.objects.filter(comment=comment).count()
            if count >= settings.MODERATION_REPORTS_TO_QUEUE:
                enqueue_for_review(comment=comment, report_count=count)
    except IntegrityError:  # the same reader's report, twice (a double click, say)
        raise ReportRefused(
            gettext("You have already reported this comment. Thank you."), status_code=409
        ) from None
    return report


def reported_comment_ids(*, user, article_id: int) -> set[int]:
    """The comments of this article the user has reported already, in one query."""
    if not user.is_authenticated:
        return set()
    reported = Report.objects.filter(reporter=user, comment__article_id=article_id)
    return set(reported.values_list("comment_id", flat=True))
