"""Turns an article's comments, loaded in one query, into the thread a reader sees."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from articles.models import Comment


@dataclass(frozen=True)
class ThreadEntry:
    comment: Comment
    level: int


def visible_thread(comments: Iterable[Comment], viewer) -> list[ThreadEntry]:
    """The comments the viewer may see, depth-first, each under its parent.

    A comment is shown only when it and every comment above it are visible to the viewer, so a
    reply never appears out of context under a comment that is hidden from that reader.
    """
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        if comment.is_visible_to(viewer):
            children[comment.parent_id].append(comment)

    entries: list[ThreadEntry] = []
    stack = [(comment, 1) for comment in reversed(children[None])]
    while stack:
        comment, level = stack.pop()
        entries.append(ThreadEntry(comment=comment, level=level))
        stack.extend((reply, level + 1) for reply in reversed(children[comment.pk]))
    return entries
