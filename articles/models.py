from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(published_at__lte=timezone.now())

    def with_comment_counts(self) -> ArticleQuerySet:
        """Each article with `comment_count`, its published comments, in the same query.

        Newest first: a query with GROUP BY does not take the model's default ordering.
        """
        published = Count("comments", filter=Q(comments__status="approved"))
        return self.annotate(comment_count=published).order_by(*self.model._meta.ordering)

    def thread_changed(self, article_id: int) -> None:
        """Mark the article's discussion as changed: cached renderings of it are stale."""
        self.filter(pk=article_id).update(thread_version=F("thread_version") + 1)


class Article(models.Model):
    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    lead = models.TextField(_("lead"))
    body = models.TextField(_("body"))
    author_name = models.CharField(_("author"), max_length=120)
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    # Raised whenever a comment of the article changes status; part of the thread cache's key.
    thread_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def is_published(self) -> bool:
        return self.published_at <= timezone.now()


class CommentQuerySet(models.QuerySet):
    def published(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, user) -> CommentQuerySet:
        """Published comments, and the user's own in any status (see Comment.is_visible_to)."""
        if not user.is_authenticated:
            return self.published()
        return self.filter(Q(status=Comment.Status.APPROVED) | Q(author_id=user.pk))

    def for_thread(self, article: Article) -> CommentQuerySet:
        """All of an article's comments in one query, with their authors, oldest first."""
        return (
            self.filter(article=article)
            .select_related("author")
            .only(
                "id",
                "parent_id",
                "thread_root_id",
                "article_id",
                "depth",
                "body",
                "status",
                "rejection_reason",
                "created_at",
                "author__id",
                "author__username",
            )
            .order_by("created_at", "id")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        NEEDS_REVIEW = "needs_review", _("needs review")
        REMOVED = "removed", _("removed")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    # The top-level comment of the thread this reply belongs to (None for a top-level comment),
    # so that a page of threads loads in one query however deep its replies go.
    thread_root = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread_comments",
        editable=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("author"),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    body = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(_("reason shown to the author"), blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["article", "status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.body[:60]}"

    def save(self, *args, **kwargs) -> None:
        if self.parent_id is not None and self.thread_root_id is None:
            assert self.parent is not None  # the parent_id's row
            self.thread_root_id = self.parent.thread_root_id or self.parent_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """A permanent link: it leads to the page of the discussion that holds the comment."""
        return reverse("articles:comment_link", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_awaiting_moderation(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.NEEDS_REVIEW}

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def is_removed(self) -> bool:
        return self.status == self.Status.REMOVED

    @property
    def is_turned_down(self) -> bool:
        """Rejected before publication or removed after it: the author is told why."""
        return self.status in {self.Status.REJECTED, self.Status.REMOVED}

    def can_reply(self) -> bool:
        """Replies hang under published comments, or under the author's own awaiting ones."""
        return self.is_published or self.is_awaiting_moderation

    def can_be_reported_by(self, user) -> bool:
        """Readers report published comments of other people."""
        return self.is_published and user.is_authenticated and user.pk != self.author_id

    def is_visible_to(self, user) -> bool:
        """Published comments are visible to everyone; the others only to their author."""
        return self.is_published or (user.is_authenticated and user.pk == self.author_id)
