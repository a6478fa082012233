"""Workflows of the reader side: who may comment, and posting a comment."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Comment, Profile
from moderation import services as moderation


class CommentingDenied(Exception):
    """The user may not comment here; str(error) says why, for the reader."""


def commenting_block_reason(*, user, article: Article) -> str | None:
    """Why this user cannot comment on this article, or None if they can."""
    if not article.comments_open:
        return "closed"
    return account_block_reason(user=user)


def account_block_reason(*, user) -> str | None:
    """Why this user cannot comment or report anywhere, or None if their account may.

    Reports are taken on articles closed for comments too, so the report view asks this alone.
    """
    if not user.is_authenticated:
        return "anonymous"
    if Profile.objects.filter(user=user, is_banned=True).exists():
        return "banned"
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return "unverified"
    return None


BLOCK_MESSAGES = {
    "closed": _("Comments are closed for this article."),
    "anonymous": _("Please log in to comment."),
    "banned": _("Your account has been banned from commenting."),
    "unverified": _("Please verify your e-mail address before you comment."),
}


def attach_point(parent: Comment | None) -> Comment | None:
    """Where a reply to this parent hangs: replies below the depth limit go one level up."""
    if parent is not None and parent.depth >= settings.COMMENTS_MAX_DEPTH:
        return parent.parent
    return parent


@transaction.atomic
def post_comment(*, article: Article, author, body: str, parent: Comment | None) -> Comment:
    """Store a new comment as pending and hand it to moderation once the transaction commits."""
    reason = commenting_block_reason(user=author, article=article)
    if reason is not None:
        raise CommentingDenied(BLOCK_MESSAGES[reason])
    parent = attach_point(parent)
    comment = Comment.objects.create(
        article=article,
        author=author,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        body=body,
        status=Comment.Status.PENDING,
    )
    transaction.on_commit(lambda: moderation.comment_submitted(comment_id=comment.pk))
    return comment


def reported_comment_ids(*, user, article: Article) -> set[int]:
    """The comments of this article the user has reported already, in one query."""
    if not user.is_authenticated:
        return set()
    from moderation.models import Report

    return set(
        Report.objects.filter(reporter=user, comment__article=article).values_list(
            "comment_id", flat=True
        )
    )
