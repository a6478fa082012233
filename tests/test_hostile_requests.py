"""Hostile requests that the site-wide guards (config.middleware, Django's CSRF and language
views) answer for every page: NUL bytes anywhere, forms in another charset or malformed, posts
without a valid CSRF token, and redirects off the site after a language switch.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from moderation.models import Report
from notifications.models import EmailPreferences as Profile
from tests.factories import make_article, make_comment, make_moderator, make_queue_entry, make_user
from tests.hostile import (
    FOREIGN_NEXT,
    NUL_MESSAGE,
    assert_no_leak,
    assert_stays_on_the_site,
    logged_in,
    post_url,
    report_url,
    text_of,
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/?page=%00",
        "/?%00=1",
        "/articles/{slug}/?x=%00",
        "/articles/%00/",
        "/articles/{slug}/feed/?x=%00",
        "/policy/?q=a%00b",
        "/accounts/login/?next=%00",
    ],
)
def test_a_nul_byte_in_a_reader_url_is_400_with_a_plain_message(url):
    article = make_article()

    response = Client(headers={"accept-language": "en"}).get(url.format(slug=article.slug))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert NUL_MESSAGE in text_of(response)
    assert_no_leak(response)


def test_german_readers_read_the_nul_byte_message_in_german(db):
    response = Client(headers={"accept-language": "de"}).get("/?page=%00")

    assert response.status_code == 400
    assert "NUL-Byte" in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=utf-32",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=cp037",
        "multipart/form-data; boundary=xyz; charset=utf-16",
    ],
)
def test_a_form_in_another_charset_is_400(content_type):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.generic(
        "POST", post_url(article), "body=Hello".encode("utf-16"), content_type=content_type
    )

    assert response.status_code == 400
    assert "UTF-8" in text_of(response)
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "unknown-charset"])
def test_a_form_declared_as_utf8_or_an_unknown_charset_is_taken(charset):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.generic(
        "POST",
        post_url(article),
        b"body=Gr%C3%BC%C3%9Fe",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == 302
    assert Comment.objects.get().body == "Grüße"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=\xff"]
)
def test_a_malformed_multipart_form_is_400(content_type):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.generic("POST", post_url(article), b"body=Hello", content_type=content_type)

    assert response.status_code == 400
    assert not Comment.objects.exists()


def _comment_post(client, article, comment):
    return client.post(
        post_url(article), {"body": "Hello", **client.token}
    ), lambda: not Comment.objects.filter(body="Hello").exists()


def _report_post(client, article, comment):
    response = client.post(report_url(comment.pk), {"reason": "spam", **client.token})
    return response, lambda: not Report.objects.exists()


def _logout_post(client, article, comment):
    response = client.post(reverse("account_logout"), client.token)
    return response, lambda: client.get("/").context["user"].is_authenticated


def _language_post(client, article, comment):
    response = client.post(reverse("set_language"), {"language": "de", **client.token})
    return response, lambda: "django_language" not in client.cookies


def _notification_settings_post(client, article, comment):
    response = client.post(
        reverse("articles:notifications"),
        {"notify_on_decision": "on", "language": "en", **client.token},
    )
    return response, lambda: not Profile.objects.filter(notify_on_decision=True).exists()


def _decision_post(client, article, comment):
    queued_comment = make_queue_entry(article, "Waiting for a moderator")
    response = client.post(
        reverse("admin:moderation_decide", args=[queued_comment.pk]),
        {"action": "approve", "expected_status": "needs_review", **client.token},
    )
    return (
        response,
        lambda: Comment.objects.get(pk=queued_comment.pk).status == Comment.Status.NEEDS_REVIEW,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token", [{}, {"csrfmiddlewaretoken": "x" * 64}, {"csrfmiddlewaretoken": ""}]
)
@pytest.mark.parametrize(
    "send",
    [
        _comment_post,
        _report_post,
        _logout_post,
        _language_post,
        _notification_settings_post,
        _decision_post,
    ],
)
def test_a_post_without_a_valid_csrf_token_is_403_and_changes_nothing(send, token):
    article = make_article(language="en")
    comment = make_comment(article, make_user())
    client = logged_in(make_moderator(), enforce_csrf_checks=True)
    client.token = token

    response, unchanged = send(client, article, comment)

    assert response.status_code == 403
    assert unchanged()


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_the_language_switch_never_redirects_off_the_site(target):
    response = Client().post(reverse("set_language"), {"language": "en", "next": target})

    assert response.status_code == 302
    assert_stays_on_the_site(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_the_language_switch_ignores_a_foreign_referer(target):
    response = Client(headers={"referer": target}).post(reverse("set_language"), {"language": "en"})

    assert_stays_on_the_site(response)
