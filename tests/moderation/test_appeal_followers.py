"""A comment published on appeal is news for the discussion's followers like any other."""

from django.core import mail

from articles.models import Comment
from moderation import services
from notifications import follower_mail
from notifications.models import CommentToAnnounce
from tests.factories import appeal, make_moderator, turned_down, visitor


def test_granting_an_appeal_announces_the_comment_to_the_followers(
    db, django_capture_on_commit_callbacks
):
    first, other = make_moderator(), make_moderator()
    comment = turned_down(by=first)
    visitor(comment.article, email="follower@example.net")
    appeal(comment)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_appeal(comment_id=comment.pk, moderator=other, grant=True)

    assert CommentToAnnounce.objects.filter(comment=comment).exists()
    follower_mail.announce(comment_id=comment.pk)
    follower_mail.send_due()
    assert "follower@example.net" in [address for m in mail.outbox for address in m.to]


def test_a_restore_that_settles_an_appeal_announces_the_comment_too(
    db, django_capture_on_commit_callbacks
):
    first, other = make_moderator(), make_moderator()
    comment = turned_down(by=first, action="remove")
    appeal(comment)
    CommentToAnnounce.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.restore_comments(comments=Comment.objects.filter(pk=comment.pk), moderator=other)

    assert CommentToAnnounce.objects.filter(comment=comment).exists()
