"""Moderation workflows. The reader side hands each new comment over through comment_submitted."""


def comment_submitted(*, comment_id: int) -> None:
    """Called once a new comment is committed. Until scoring exists, it stays pending."""
