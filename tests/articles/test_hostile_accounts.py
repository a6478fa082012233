"""Hostile input on the account pages: sign-up, log-in and log-out (CSRF, NUL bytes,
invisible names, redirects off the site), the pages that need a log-in, and the reader's own
comments list.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import make_article, make_comment, make_user
from tests.hostile import FOREIGN_NEXT, assert_no_leak, assert_stays_on_the_site, english, logged_in


@pytest.mark.django_db
def test_a_nul_byte_in_the_sign_up_form_creates_no_account():
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "nul@example.org",
            "username": "nul\x00user",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert response.status_code == 400
    assert not get_user_model().objects.filter(email="nul@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_signup", "account_login"])
def test_sign_up_and_log_in_without_a_csrf_token_are_403(url_name):
    make_user("known")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse(url_name),
        {
            "email": "new@example.org",
            "username": "newcomer",
            "login": "known@example.org",
            "password": "a-long-test-password",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_log_in_never_redirects_off_the_site(target):
    make_user("walker")

    response = Client().post(
        reverse("account_login"),
        {"login": "walker@example.org", "password": "a-long-test-password", "next": target},
    )

    assert response.status_code == 302
    assert_stays_on_the_site(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_log_out_never_redirects_off_the_site(target):
    client = logged_in(make_user())

    response = client.post(reverse("account_logout"), {"next": target})

    assert_stays_on_the_site(response)


@pytest.mark.django_db
def test_the_sign_up_form_refuses_an_invisible_username():
    Client().post(
        reverse("account_signup"),
        {
            "email": "ghost@example.org",
            "username": "\u200b\u200b\u200b",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert not EmailAddress.objects.filter(email="ghost@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/account/notifications/", "/account/comments/"])
def test_the_account_pages_send_a_visitor_to_log_in(url):
    response = english().get(url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=-1", "?page=" + "9" * 40, "?page=%00", "?page=1&page=x"]
)
def test_my_comments_with_a_garbage_page_number_is_no_error(query):
    author = make_user()
    make_comment(make_article(language="en"), author, body="Mine.")

    response = logged_in(author).get("/account/comments/" + query)

    assert response.status_code in {200, 400, 404}
    assert_no_leak(response)
