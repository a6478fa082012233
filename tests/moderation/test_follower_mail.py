"""Readers who follow a discussion hear about comments that become visible, once, throttled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import dispatch, lifecycle, services
from notifications import follower_mail
from notifications.models import CommentToAnnounce, EmailPreferences, FollowerMail
from tests.factories import make_article, make_comment, make_moderator, make_user, visitor


def follower(article, *, language="en", banned=False, **choices):
    user = make_user(banned=banned)
    EmailPreferences.objects.create(user=user, language=language, **choices)
    services.follow(user=user, article=article)
    return user


def publish(comment, moderator=None):
    """A moderator publishes a comment that waits for review, as the queue does."""
    services.moderate(
        comment=comment,
        moderator=moderator or make_moderator(),
        action="approve",
        expected_status=comment.status,
    )


def published_by_policy(comment):
    lifecycle.change(comment, to="approved", by=lifecycle.By.SYSTEM, actor_label="policy v1")


def deliver(comment):
    follower_mail.announce(comment_id=comment.pk)
    return follower_mail.send_due()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_followers_get_a_new_published_comment_by_email(db):
    article = make_article(title="Ferry timetable")
    alice, bob = follower(article), follower(article)
    comment = make_comment(article, make_user(), status="pending", body="Boats at seven, please.")

    published_by_policy(comment)
    deliver(comment)

    assert recipients() == sorted([alice.email, bob.email])
    message = mail.outbox[0]
    assert "Ferry timetable" in message.subject
    assert "Boats at seven, please." in message.body
    assert f"http://testserver/comments/{comment.pk}/" not in message.body
    assert f"/comments/{comment.pk}/" in message.body


def test_publishing_marks_the_comment_to_announce_and_wakes_a_worker_after_commit(
    db, wakeups, django_capture_on_commit_callbacks
):
    article = make_article()
    follower(article)
    comment = make_comment(article, make_user(), status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        published_by_policy(comment)

    assert CommentToAnnounce.objects.filter(comment=comment).exists()
    assert (dispatch.NOTIFY_FOLLOWERS, (comment.pk,)) in wakeups


def test_the_beat_task_announces_comments_whose_message_was_lost(db):
    from notifications.tasks import send_follower_mail

    article = make_article()
    alice = follower(article)
    comment = make_comment(article, make_user(), status="pending")
    published_by_policy(comment)  # the broker "is down": the wake-up went nowhere

    send_follower_mail()

    assert recipients() == [alice.email]
    assert not CommentToAnnounce.objects.exists()


@pytest.mark.parametrize("status", ["pending", "needs_review", "rejected", "removed"])
def test_a_comment_that_is_not_visible_is_never_announced(db, status):
    article = make_article()
    follower(article)
    comment = make_comment(article, make_user(), status=status)

    assert deliver(comment) == 0
    assert mail.outbox == []


def test_a_comment_removed_before_the_mail_went_is_not_sent(db):
    article = make_article()
    follower(article)
    comment = make_comment(article, make_user(), status="approved")
    follower_mail.announce(comment_id=comment.pk)
    comment.status = "removed"
    comment.save()

    assert follower_mail.send_due() == 0
    assert mail.outbox == []


def test_the_author_and_banned_readers_get_nothing(db):
    article = make_article()
    author = follower(article)
    banned = follower(article, banned=True)
    alice = follower(article)
    comment = make_comment(article, author, status="approved")

    deliver(comment)

    assert recipients() == [alice.email]
    assert banned.email not in recipients()


def test_a_retried_task_sends_nothing_twice(db):
    article = make_article()
    follower(article)
    comment = make_comment(article, make_user(), status="approved")

    deliver(comment)
    deliver(comment)

    assert len(mail.outbox) == 1
    assert FollowerMail.objects.count() == 1


def test_a_comment_restored_after_removal_is_not_announced_again(db):
    article = make_article()
    follower(article)
    moderator = make_moderator()
    comment = make_comment(article, make_user(), status="needs_review")
    publish(comment, moderator)
    deliver(comment)
    services.remove_comments(
        comments=type(comment).objects.filter(pk=comment.pk), moderator=moderator
    )
    services.restore_comments(
        comments=type(comment).objects.filter(pk=comment.pk), moderator=moderator
    )
    comment.refresh_from_db()
    assert comment.status == "approved"

    deliver(comment)

    assert len(mail.outbox) == 1


def test_an_author_hears_about_replies_by_default_and_can_turn_it_off(db):
    article = make_article()
    author = make_user()
    parent = make_comment(article, author)
    reply = make_comment(article, make_user(), parent=parent, body="I disagree.")

    deliver(reply)
    assert recipients() == [author.email]
    assert "hat auf Ihren Kommentar geantwortet" in mail.outbox[0].body  # German by default

    EmailPreferences.objects.create(user=author, notify_on_reply=False)
    second = make_comment(article, make_user(), parent=parent)
    assert deliver(second) == 0


def test_replying_to_oneself_sends_nothing(db):
    article = make_article()
    author = make_user()
    parent = make_comment(article, author)

    assert deliver(make_comment(article, author, parent=parent)) == 0


def test_a_follower_who_is_also_replied_to_gets_one_mail(db):
    article = make_article()
    alice = follower(article)
    parent = make_comment(article, alice)

    deliver(make_comment(article, make_user(), parent=parent))

    assert recipients() == [alice.email]


def test_a_busy_article_sends_one_mail_per_half_hour_combining_comments(db, settings):
    settings.FOLLOW_THROTTLE_MINUTES = 30
    article = make_article()
    alice = follower(article)
    first = make_comment(article, make_user(), body="First comment.")
    deliver(first)
    second = make_comment(article, make_user(), body="Second comment.")
    third = make_comment(article, make_user(), body="Third comment.")

    deliver(second)
    deliver(third)
    assert len(mail.outbox) == 1

    later = timezone.now() + timedelta(minutes=31)
    assert follower_mail.send_due(now=later) == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [alice.email]
    assert "Second comment." in mail.outbox[1].body
    assert "Third comment." in mail.outbox[1].body


def test_the_throttle_is_per_article(db):
    one, two = make_article(), make_article()
    alice = follower(one)
    services.follow(user=alice, article=two)

    deliver(make_comment(one, make_user()))
    deliver(make_comment(two, make_user()))

    assert len(mail.outbox) == 2


def test_the_daily_digest_combines_articles_into_one_mail_at_its_hour(db, settings):
    settings.FOLLOW_DIGEST_HOUR = 7
    one, two = make_article(title="Bridge"), make_article(title="Tram")
    alice = follower(one, follow_frequency="daily")
    services.follow(user=alice, article=two)

    deliver(make_comment(one, make_user(), body="About the bridge."))
    deliver(make_comment(two, make_user(), body="About the tram."))
    assert mail.outbox == []

    due = follower_mail.next_digest_at(timezone.now())
    assert timezone.localtime(due).hour == 7
    assert follower_mail.send_due(now=due) == 1
    [message] = mail.outbox
    assert "2 new comments" in message.subject
    assert "About the bridge." in message.body and "About the tram." in message.body


def test_mails_are_in_the_recipients_language(db):
    article = make_article(title="Radwege", language="de")
    follower(article, language="de")
    visitor(article, language="en")

    deliver(make_comment(article, make_user()))

    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == ["Neue Kommentare zu „Radwege“", "New comments on “Radwege”"]


def test_the_comment_text_is_escaped_in_the_html_part(db):
    article = make_article()
    follower(article)

    deliver(make_comment(article, make_user(), body="<script>alert(1)</script> & more"))

    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_every_follower_mail_has_one_click_unsubscribe_headers(db, settings):
    settings.SITE_URL = "https://agora.example"
    article = make_article()
    follower(article)

    deliver(make_comment(article, make_user()))

    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe"].startswith("<https://agora.example/follow/off/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mails_go_in_batches_over_one_connection_each(db, settings, monkeypatch):
    settings.FOLLOW_SEND_BATCH_SIZE = 2
    article = make_article()
    for _ in range(5):
        follower(article)
    opened = []
    real = follower_mail.get_connection

    def counting_connection(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(follower_mail, "get_connection", counting_connection)

    deliver(make_comment(article, make_user()))

    assert len(mail.outbox) == 5
    assert len(opened) == 3


def test_a_mail_server_failure_leaves_the_rows_for_the_next_run(db, monkeypatch):
    article = make_article()
    follower(article)
    comment = make_comment(article, make_user())
    follower_mail.announce(comment_id=comment.pk)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP")

    monkeypatch.setattr(follower_mail, "get_connection", broken)
    with pytest.raises(OSError):
        follower_mail.send_due()
    monkeypatch.undo()

    assert follower_mail.send_due() == 1
    assert follower_mail.send_due() == 0
    assert len(mail.outbox) == 1


def test_building_the_mails_takes_the_same_queries_for_ten_or_fifty_followers(db):
    counts = []
    for size in (10, 50):
        article = make_article()
        for _ in range(size):
            follower(article)
        comment = make_comment(article, make_user())
        follower_mail.announce(comment_id=comment.pk)
        with CaptureQueriesContext(connection) as captured:
            follower_mail.send_due()
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_a_batch_the_server_broke_off_is_never_sent_again(db, settings, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    settings.FOLLOW_SEND_BATCH_SIZE = 1
    article = make_article()
    for _ in range(3):
        follower(article)
    follower_mail.announce(comment_id=make_comment(article, make_user()).pk)
    calls = []

    class BreaksOnTheSecondBatch(EmailBackend):
        def send_messages(self, messages):
            calls.append(1)
            if len(calls) == 2:
                raise smtplib.SMTPServerDisconnected("gone halfway")
            return super().send_messages(messages)

    monkeypatch.setattr(follower_mail, "get_connection", lambda: BreaksOnTheSecondBatch())
    with pytest.raises(OSError):
        follower_mail.send_due()
    monkeypatch.undo()
    follower_mail.send_due()

    sent_to = recipients()
    assert len(sent_to) == 2  # the first and the third; the broken-off one may have gone
    assert len(set(sent_to)) == 2
    assert follower_mail.send_due() == 0
