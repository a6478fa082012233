"""Turns an article's comments into the threads a reader sees: a page of top-level comments with
all their replies, loaded in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Comment


class ThreadOrder(models.TextChoices):
    """How the page orders top-level comments; replies always read oldest first."""

    OLDEST = "oldest", _("oldest first")
    NEWEST = "newest", _("newest first")
    REPLIES = "replies", _("most replies")


DEFAULT_ORDER = ThreadOrder.OLDEST
# More digits than any discussion has pages: a longer number is no page of it.
MAX_PAGE_DIGITS = 9

ORDERINGS = {
    ThreadOrder.OLDEST: ("created_at", "id"),
    ThreadOrder.NEWEST: ("-created_at", "-id"),
    ThreadOrder.REPLIES: ("-reply_count", "created_at", "id"),
}


@dataclass(frozen=True)
class PageOfThreads:
    """One page of a discussion: which top-level comments it shows, and where it stands."""

    number: int
    num_pages: int
    root_ids: list[int]
    thread_count: int

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


@dataclass(frozen=True)
class ThreadPage:
    page: PageOfThreads
    comments: list[Comment]
    order: ThreadOrder


@dataclass(frozen=True)
class CommentActions:
    """What the viewer may do with one comment; the templates show exactly these."""

    reply: bool = False
    report: bool = False
    reported: bool = False
    # The author's appeal against a rejection or removal: whether they may file one now, and
    # where one they filed stands ("filed", "granted", "upheld"; "" for none).
    appeal: bool = False
    appeal_outcome: str = ""
    appeal_until: datetime | None = None


@dataclass(frozen=True)
class ThreadEntry:
    comment: Comment
    level: int
    actions: CommentActions = CommentActions()


def comment_actions(
    comment: Comment,
    *,
    viewer,
    may_comment: bool,
    may_report: bool,
    reported_ids: set[int],
    appeal=None,
) -> CommentActions:
    """The actions the viewer may take on the comment.

    `may_comment`: the viewer may comment on this article (it is open, their account may).
    `may_report`: their account may report (on articles closed for comments too).
    `appeal`: the comment's appeal state (moderation.services.AppealState), for its author.
    """
    may_report = may_report and comment.can_be_reported_by(viewer)
    return CommentActions(
        reply=may_comment and comment.can_reply(),
        report=may_report and comment.pk not in reported_ids,
        reported=may_report and comment.pk in reported_ids,
        appeal=bool(appeal and appeal.can_appeal),
        appeal_outcome=appeal.outcome if appeal else "",
        appeal_until=appeal.deadline if appeal else None,
    )


def visible_thread(
    comments: Iterable[Comment],
    viewer,
    *,
    may_comment: bool = False,
    may_report: bool = False,
    reported_ids: set[int] | None = None,
    root_order: list[int] | None = None,
    appeals: dict | None = None,
) -> list[ThreadEntry]:
    """The comments the viewer may see, depth-first, each under its parent, with their actions.

    A comment is shown only when it and every comment above it are visible to the viewer, so a
    reply never appears out of context under a comment that is hidden from that reader.
    """
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        if comment.is_visible_to(viewer):
            children[comment.parent_id].append(comment)

    reported_ids = reported_ids or set()
    appeals = appeals or {}
    roots = children[None]
    if root_order is not None:
        position = {pk: index for index, pk in enumerate(root_order)}
        roots = sorted(roots, key=lambda comment: position.get(comment.pk, len(position)))
    entries: list[ThreadEntry] = []
    stack = [(comment, 1) for comment in reversed(roots)]
    while stack:
        comment, level = stack.pop()
        actions = comment_actions(
            comment,
            viewer=viewer,
            may_comment=may_comment,
            may_report=may_report,
            reported_ids=reported_ids,
            appeal=appeals.get(comment.pk) if comment.author_id == viewer.pk else None,
        )
        entries.append(ThreadEntry(comment=comment, level=level, actions=actions))
        stack.extend((reply, level + 1) for reply in reversed(children[comment.pk]))
    return entries


def _roots(article: Article, viewer):
    return Comment.objects.filter(article=article, parent__isnull=True).visible_to(viewer)


def _thread_sizes(article: Article, viewer, order: ThreadOrder) -> list[tuple[int, int]]:
    """(top-level comment id, comments in its thread the viewer may see), in the page order."""
    visible = Q(thread_comments__status=Comment.Status.APPROVED)
    if viewer.is_authenticated:
        visible |= Q(thread_comments__author_id=viewer.pk)
    roots = _roots(article, viewer).annotate(reply_count=Count("thread_comments", filter=visible))
    rows = roots.order_by(*ORDERINGS[order]).values_list("pk", "reply_count")
    return [(pk, 1 + replies) for pk, replies in rows]


def _pages(sizes: list[tuple[int, int]]) -> list[list[int]]:
    """Top-level comments cut into pages: at most COMMENTS_THREADS_PER_PAGE threads, and no more
    comments than COMMENTS_PER_PAGE unless one thread alone has more."""
    pages: list[list[int]] = [[]]
    shown = 0
    for pk, size in sizes:
        full = len(pages[-1]) >= settings.COMMENTS_THREADS_PER_PAGE
        if pages[-1] and (full or shown + size > settings.COMMENTS_PER_PAGE):
            pages.append([])
            shown = 0
        pages[-1].append(pk)
        shown += size
    return pages


def order_from(value: str | None) -> ThreadOrder:
    """The order a query names; for anything else the default, so an odd link still opens the
    discussion (and renders it as the default does)."""
    return ThreadOrder(value) if value in ThreadOrder.values else DEFAULT_ORDER


def page_from(value: str | None) -> int | None:
    """The page number a query names ("2" and "02" name page 2), 1 where it names none, and None
    where it is no page number at all: "abc", "0", "-1", "1.0", "²" or twenty digits."""
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_PAGE_DIGITS:
        return None
    return int(value) or None


def thread_page(article: Article, viewer, *, page: int, order: ThreadOrder) -> ThreadPage | None:
    """One page of top-level comments the viewer may see, with all their replies; None if the
    discussion has no such page (page 1 it always has, if empty).

    Three queries: the threads' sizes, the page's top-level comments, and their replies.
    """
    sizes = _thread_sizes(article, viewer, order)
    pages = _pages(sizes)
    if not 1 <= page <= len(pages):
        return None
    number = page
    root_ids = pages[number - 1]
    # Two indexed lookups rather than one OR, which would read the whole discussion.
    thread = Comment.objects.for_thread(article)
    comments = [*thread.filter(pk__in=root_ids), *thread.filter(thread_root_id__in=root_ids)]
    current = PageOfThreads(
        number=number, num_pages=len(pages), root_ids=root_ids, thread_count=len(sizes)
    )
    return ThreadPage(page=current, comments=comments, order=order)


def page_number_of(comment: Comment, viewer) -> int:
    """The page (in the default order) that shows the comment's thread."""
    root_id = comment.thread_root_id or comment.pk
    pages = _pages(_thread_sizes(comment.article, viewer, DEFAULT_ORDER))
    return next((n for n, ids in enumerate(pages, start=1) if root_id in ids), 1)


def comment_url(comment: Comment, viewer) -> str:
    """The article page that holds the comment, scrolled to it."""
    page = page_number_of(comment, viewer)
    query = f"?page={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
