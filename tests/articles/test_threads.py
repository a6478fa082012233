from django.contrib.auth.models import AnonymousUser

from articles.models import Comment
from articles.threads import visible_thread
from tests.factories import make_comment, make_user


def ids(entries):
    return [(entry.comment.pk, entry.level) for entry in entries]


def test_it_orders_replies_under_their_parents_depth_first(article, reader):
    first = make_comment(article, reader)
    second = make_comment(article, reader)
    reply = make_comment(article, reader, parent=first)
    reply_to_reply = make_comment(article, reader, parent=reply)

    entries = visible_thread(Comment.objects.for_thread(article), AnonymousUser())

    assert ids(entries) == [
        (first.pk, 1),
        (reply.pk, 2),
        (reply_to_reply.pk, 3),
        (second.pk, 1),
    ]


def test_it_shows_only_approved_comments_to_others(article, reader):
    approved = make_comment(article, reader)
    for status in ["pending", "rejected", "needs_review", "removed"]:
        make_comment(article, reader, status=status)

    entries = visible_thread(Comment.objects.for_thread(article), make_user())

    assert ids(entries) == [(approved.pk, 1)]


def test_it_shows_authors_their_own_unpublished_comments_in_place(article, reader):
    approved = make_comment(article, reader)
    pending = make_comment(article, reader, parent=approved, status="pending")
    rejected = make_comment(article, reader, status="rejected")

    entries = visible_thread(Comment.objects.for_thread(article), reader)

    assert ids(entries) == [(approved.pk, 1), (pending.pk, 2), (rejected.pk, 1)]


def test_it_never_shows_a_reply_out_of_context_when_its_parent_is_hidden(article, reader):
    other = make_user()
    removed = make_comment(article, reader, status="removed")
    make_comment(article, other, parent=removed)
    pending = make_comment(article, reader, status="pending")
    deep = make_comment(article, other, parent=pending)

    assert ids(visible_thread(Comment.objects.for_thread(article), AnonymousUser())) == []
    # The author of the hidden comment sees the reply beneath it.
    assert (deep.pk, 2) in ids(visible_thread(Comment.objects.for_thread(article), reader))
