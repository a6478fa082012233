"""Turns an article's comments, loaded in one query, into the thread a reader sees."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from articles.models import Comment
from articles.services import BlockReason


@dataclass(frozen=True)
class CommentActions:
    """What the viewer may do with one comment; the templates show exactly these."""

    reply: bool = False
    report: bool = False
    reported: bool = False


@dataclass(frozen=True)
class ThreadEntry:
    comment: Comment
    level: int
    actions: CommentActions = CommentActions()


def comment_actions(
    comment: Comment,
    *,
    viewer,
    block_reason: BlockReason | None,
    reported_ids: set[int],
) -> CommentActions:
    """The actions the viewer may take on the comment, given why (if at all) they are blocked.

    Replying needs an article open for comments; reporting only an account in good standing.
    """
    may_report = block_reason in {None, BlockReason.CLOSED} and comment.can_be_reported_by(viewer)
    return CommentActions(
        reply=block_reason is None and comment.can_reply(),
        report=may_report and comment.pk not in reported_ids,
        reported=may_report and comment.pk in reported_ids,
    )


def visible_thread(
    comments: Iterable[Comment],
    viewer,
    *,
    block_reason: BlockReason | None = None,
    reported_ids: set[int] | None = None,
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
    entries: list[ThreadEntry] = []
    stack = [(comment, 1) for comment in reversed(children[None])]
    while stack:
        comment, level = stack.pop()
        actions = comment_actions(
            comment, viewer=viewer, block_reason=block_reason, reported_ids=reported_ids
        )
        entries.append(ThreadEntry(comment=comment, level=level, actions=actions))
        stack.extend((reply, level + 1) for reply in reversed(children[comment.pk]))
    return entries
