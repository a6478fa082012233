"""Authors who opted in are told the outcome by e-mail, in their language, with signed links."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from moderation import dispatch, lifecycle, services
from notifications import decision_mail
from notifications.decision_mail import unsubscribe_token
from notifications.models import EmailPreferences as Profile
from tests.factories import make_article, make_comment, make_moderator, make_queued, make_user


def opted_in(language="de"):
    author = make_user()
    Profile.objects.create(user=author, notify_on_decision=True, language=language)
    return author


def reject(comment, moderator=None):
    services.moderate(
        comment=comment,
        moderator=moderator or make_moderator(),
        action="reject",
        expected_status=comment.status,
        reason="off_topic",
    )


def test_an_opted_in_author_gets_the_outcome_in_their_language_citing_the_policy(
    db, django_capture_on_commit_callbacks
):
    author = opted_in("en")
    comment = make_queued(make_article(title="Ferry", language="en"), author, body="The ferry")

    with django_capture_on_commit_callbacks(execute=True):
        reject(comment)
    decision_mail.send_decision_notice(comment_id=comment.pk)

    [message] = mail.outbox
    assert message.to == [author.email]
    assert "was not published" in message.subject
    assert "Ferry" in message.subject
    assert "Off-topic" in message.body
    assert "discussion policy" in message.body
    assert reverse("articles:policy") in message.body


def test_german_is_used_for_authors_who_chose_it(db):
    author = opted_in("de")
    comment = make_queued(make_article(language="de"), author)
    reject(comment)

    decision_mail.send_decision_notice(comment_id=comment.pk)

    assert "nicht veröffentlicht" in mail.outbox[0].subject


def test_no_mail_without_opting_in(db):
    comment = make_queued(make_article(), make_user())
    reject(comment)

    assert decision_mail.send_decision_notice(comment_id=comment.pk) is False
    assert mail.outbox == []


def test_the_decision_queues_the_mail_after_the_commit(
    db, wakeups, django_capture_on_commit_callbacks
):
    comment = make_queued(make_article(), opted_in())

    with django_capture_on_commit_callbacks() as callbacks:
        reject(comment)
    assert wakeups == []  # nothing is sent before the commit

    for callback in callbacks:
        callback()
    assert wakeups == [(dispatch.SEND_DECISION_NOTICE, (comment.pk,))]


def test_the_signed_link_in_the_mail_stops_the_mails_without_logging_in(db):
    author = opted_in("en")
    comment = make_queued(make_article(), author)
    reject(comment)
    decision_mail.send_decision_notice(comment_id=comment.pk)
    link = re.search(r"https?://\S+/account/notifications/off/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    Client().post("/" + path)

    assert not Profile.objects.get(user=author).notify_on_decision


def test_a_forged_unsubscribe_token_is_refused(db):
    author = opted_in()
    token = unsubscribe_token(author.pk)[:-3] + "abc"

    response = Client().post(reverse("articles:notifications_off", args=[token]))

    assert response.status_code == 400
    assert Profile.objects.get(user=author).notify_on_decision


def test_readers_opt_in_on_their_settings_page(reader_client, reader):
    url = reverse("articles:notifications")

    assert reader_client.get(url).status_code == 200
    reader_client.post(url, {"notify_on_decision": "on", "language": "en"})

    profile = Profile.objects.get(user=reader)
    assert profile.notify_on_decision
    assert profile.language == "en"


def test_a_bad_settings_value_gets_400(reader_client, reader):
    response = reader_client.post(reverse("articles:notifications"), {"language": "xx"})

    assert response.status_code == 400


def test_a_published_comment_that_is_not_decided_by_a_person_sends_nothing(
    db, django_capture_on_commit_callbacks, wakeups
):
    comment = make_comment(make_article(), opted_in(), status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.change(comment, to="approved", by=lifecycle.By.SYSTEM, actor_label="policy v1")

    assert dispatch.SEND_DECISION_NOTICE not in [name for name, _args in wakeups]


def test_the_reason_in_the_mail_is_in_the_authors_language_not_the_articles(db):
    author = opted_in("en")
    comment = make_queued(make_article(language="de"), author)
    reject(comment)

    decision_mail.send_decision_notice(comment_id=comment.pk)

    assert "Off-topic" in mail.outbox[0].body
    assert "Nicht zum Thema" not in mail.outbox[0].body


@pytest.mark.parametrize("action", ["reject", "remove"])
def test_the_decision_mail_gives_the_reason_in_words_never_the_action_code(db, action):
    author = opted_in("de")
    comment = make_queued(make_article(language="de"), author, reported=int(action == "remove"))
    services.moderate(
        comment=comment,
        moderator=make_moderator(),
        action=action,
        expected_status=comment.status,
        reason="off_topic",
    )

    decision_mail.send_decision_notice(comment_id=comment.pk)

    body = mail.outbox[0].body
    assert "Begründung: Nicht zum Thema\n" in body
    assert not re.search(r"\b(reject|remove|approve|restore)\b", body)
    comment.refresh_from_db()
    assert comment.rejection_reason == "Nicht zum Thema"  # the same words under the comment


def test_a_reason_the_moderator_wrote_is_kept(db):
    author = opted_in("en")
    comment = make_queued(make_article(language="en"), author)
    services.moderate(
        comment=comment,
        moderator=make_moderator(),
        action="reject",
        expected_status=comment.status,
        reason="other",
        reason_text="Please stay with the ferry.",
    )

    decision_mail.send_decision_notice(comment_id=comment.pk)

    assert "Reason: Other: Please stay with the ferry." in mail.outbox[0].body


def test_the_german_decision_mail_says_sie_never_du(db):
    author = opted_in("de")
    comment = make_queued(make_article(language="de"), author)
    reject(comment)

    decision_mail.send_decision_notice(comment_id=comment.pk)

    message = mail.outbox[0]
    assert "Ihr Kommentar" in message.body
    assert not re.search(r"\b(du|dich|dir|dein\w*)\b", message.subject + message.body, re.I)
