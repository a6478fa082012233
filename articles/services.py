"""Workflows of the reader side: who may comment or report, and posting a comment."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Comment
from moderation import services as moderation


class CommentingDenied(Exception):
    """The user may not comment here; str(error) says why, for the reader."""


class BlockReason(models.TextChoices):
    """Why a reader cannot comment; the label is what the reader is told."""

    CLOSED = "closed", _("Comments are closed for this article.")
    ANONYMOUS = "anonymous", _("Please log in to comment.")
    BANNED = "banned", _("Your account has been banned from commenting.")
    UNVERIFIED = "unverified", _("Please verify your e-mail address before you comment.")

    @property
    def needs_login(self) -> bool:
        return self == BlockReason.ANONYMOUS

    @property
    def needs_verification(self) -> bool:
        return self == BlockReason.UNVERIFIED


def account_block_reason(*, user) -> BlockReason | None:
    """Why this account may neither comment nor report anywhere, or None if it may."""
    if not user.is_authenticated:
        return BlockReason.ANONYMOUS
    if moderation.is_banned(user):
        return BlockReason.BANNED
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return BlockReason.UNVERIFIED
    return None


def commenting_block_reason(*, user, article: Article) -> BlockReason | None:
    """Why this user cannot comment on this article, or None if they can."""
    if not article.comments_open:
        return BlockReason.CLOSED
    return account_block_reason(user=user)


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
        raise CommentingDenied(reason.label)
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


def follow_state(*, user, article: Article) -> str:
    """Which "notify me" control the article shows this reader: "following", "account" (one
    click), "unverified" (verify the address first) or "visitor" (an address to confirm)."""
    if not user.is_authenticated:
        return "visitor"
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    following, is_verified = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            following=moderation.following_exists(article_id=article.pk),
            is_verified=Exists(verified),
        )
        .values_list("following", "is_verified")
        .get()
    )
    if following:
        return "following"
    return "account" if is_verified else "unverified"
