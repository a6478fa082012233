"""Hostile input on the decision e-mail and its signed stop link: any stored title or body
makes a clean mail; a forged, garbage or stale link is a 4xx and changes nothing.
"""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from notifications import decision_mail
from notifications.decision_mail import UNSUBSCRIBE_SALT, unsubscribe_token
from notifications.models import EmailPreferences
from tests.factories import make_article, make_comment, make_user
from tests.hostile import (
    FORGED_TOKENS,
    ONE_CLICK,
    SIGNED_GARBAGE,
    UNWANTED_IN_XML,
    assert_no_leak,
    english,
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        "x",
        "a" * 5000,
        "1:abc:def",
        signing.dumps(1, salt="another.salt"),
        signing.dumps("1", salt="agora.notifications.off", key="not-our-secret-key" * 3),
    ],
)
def test_a_forged_unsubscribe_token_is_400_and_changes_nothing(token):
    user = make_user()
    EmailPreferences.objects.create(user=user, notify_on_decision=True)
    url = reverse("articles:notifications_off", args=[token])

    shown, posted = Client().get(url), Client().post(url)

    assert (shown.status_code, posted.status_code) == (400, 400)
    assert_no_leak(posted)
    assert EmailPreferences.objects.get(user=user).notify_on_decision


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\n", "\r\n", "\x0b", "\x1b", "\x85", "\ufffe"], ids=repr)
def test_the_decision_mail_takes_any_stored_title_and_body(char, mailoutbox):
    article = make_article(title=f"Ferry{char}returns & more", language="en")
    author = make_user()
    comment = make_comment(
        article,
        author,
        body=f"great,{char}I use it every day",
        status=Comment.Status.REJECTED,
        rejection_reason=f"Spam{char}.",
    )
    EmailPreferences.objects.create(user=author, notify_on_decision=True, language="en")

    assert decision_mail.send_decision_notice(comment_id=comment.pk)

    (mail,) = mailoutbox
    assert mail.subject.replace("Ferry returns", "Ferryreturns") == (
        "Your comment on “Ferryreturns & more” was not published"
    )
    assert "I use it every day" in mail.body
    assert not UNWANTED_IN_XML & set(mail.subject + mail.body)


def forged_signature(token: str) -> str:
    """The token with its signature's last character changed (never to the same character)."""
    return token[:-1] + ("B" if token.endswith("A") else "A")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token",
    FORGED_TOKENS
    + [signing.dumps(value, salt=UNSUBSCRIBE_SALT) for value in SIGNED_GARBAGE]
    + [forged_signature(unsubscribe_token(1))],
)
def test_a_forged_notification_stop_link_is_400_and_changes_nothing(token, method):
    user = make_user()
    EmailPreferences.objects.update_or_create(user=user, defaults={"notify_on_decision": True})

    response = getattr(english(enforce_csrf_checks=True), method)(
        f"/account/notifications/off/{token}/", ONE_CLICK
    )

    assert response.status_code in {400, 404}
    assert_no_leak(response)
    assert EmailPreferences.objects.get(user=user).notify_on_decision is True


@pytest.mark.django_db
def test_a_notification_stop_link_for_an_account_since_deleted_changes_nothing_and_is_no_error():
    token = unsubscribe_token(999999)

    get = english().get(f"/account/notifications/off/{token}/")
    post = english(enforce_csrf_checks=True).post(f"/account/notifications/off/{token}/", ONE_CLICK)

    assert get.status_code < 500 and post.status_code < 500
    assert_no_leak(post)


@pytest.mark.django_db
def test_the_one_click_notification_stop_needs_no_csrf_token_as_its_signed_link_stands_in():
    """RFC 8058: a mail client POSTs without a session; only a genuine signed link changes
    anything (forged ones: test_a_forged_notification_stop_link_is_400_and_changes_nothing)."""
    user = make_user()
    EmailPreferences.objects.update_or_create(user=user, defaults={"notify_on_decision": True})
    url = f"/account/notifications/off/{unsubscribe_token(user.pk)}/"

    response = english(enforce_csrf_checks=True).post(url, ONE_CLICK)

    assert response.status_code == 200
    assert EmailPreferences.objects.get(user=user).notify_on_decision is False
