"""Turns an article's comments, loaded in one query, into the thread a reader sees."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from articles.models import Comment


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
    may_comment: bool,
    may_report: bool,
    reported_ids: set[int],
) -> CommentActions:
    """The actions the viewer may take on the comment.

    `may_comment`: the viewer may comment on this article (it is open, their account may).
    `may_report`: their account may report (on articles closed for comments too).
    """
    may_report = may_report and comment.can_be_reported_by(viewer)
    return CommentActions(
        reply=may_comment and comment.can_reply(),
        report=may_report and comment.pk not in reported_ids,
        reported=may_report and comment.pk in reported_ids,
    )


def visible_thread(
    comments: Iterable[Comment],
    viewer,
    *,
    may_comment: bool = False,
    may_report: bool = False,
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
            comment,
            viewer=viewer,
            may_comment=may_comment,
            may_report=may_report,
            reported_ids=reported_ids,
        )
        entries.append(ThreadEntry(comment=comment, level=level, actions=actions))
        stack.extend((reply, level + 1) for reply in reversed(children[comment.pk]))
    return entries
