"""Rate limits: per account and per address, stricter for new accounts, 429 with Retry-After.

The cache that holds the counters is emptied before each test (conftest's _fresh_cache).
"""

import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from articles.models import Comment
from config.env import env_cache
from moderation.models import Report
from tests.articles.limited import assert_limited
from tests.factories import client_for, established_user, make_comment, make_user


@pytest.fixture
def clock(monkeypatch):
    """time.time() under the test's control: the counters' windows and the cache's expiry."""
    now = [1_900_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def post(client, article, body="A fair point about the cycle lanes.", **extra):
    url = reverse("articles:comment_create", kwargs={"slug": article.slug})
    return client.post(url, {"body": body, **extra})


def report(client, comment):
    return client.post(reverse("articles:comment_report", args=[comment.pk]), {"reason": "spam"})


def test_one_comment_every_ten_seconds_is_never_limited(article, clock):
    client = client_for(established_user())

    for _ in range(40):
        assert post(client, article).status_code == 302
        clock(10)

    assert Comment.objects.count() == 40


def test_a_new_account_may_comment_every_ten_seconds_too(article, clock):
    client = client_for(make_user())

    for _ in range(12):
        assert post(client, article).status_code == 302
        clock(10)


def test_an_established_account_past_its_limit_gets_429_and_nothing_is_stored(article, clock):
    client = client_for(established_user())
    for _ in range(10):
        assert post(client, article).status_code == 302

    refused = post(client, article, body="One too many.")

    seconds = assert_limited(refused)
    assert seconds <= 60
    assert not Comment.objects.filter(body="One too many.").exists()
    clock(seconds)
    assert post(client, article, body="Later.").status_code == 302


def test_new_accounts_have_stricter_limits(article, clock):
    new, old = client_for(make_user(), ip="10.0.0.1"), client_for(established_user(), ip="10.0.0.2")
    for _ in range(6):
        assert post(new, article).status_code == 302
        assert post(old, article).status_code == 302

    assert_limited(post(new, article))
    assert post(old, article).status_code == 302


def test_new_accounts_have_an_hourly_limit(article, clock):
    client = client_for(make_user())
    for _ in range(30):
        assert post(client, article).status_code == 302
        clock(20)

    seconds = assert_limited(post(client, article))

    assert 60 < seconds <= 3600
    assert Comment.objects.count() == 30


def test_an_account_older_than_the_new_account_period_gets_the_normal_limits(article, settings):
    settings.RATELIMIT_NEW_ACCOUNT_HOURS = 0
    client = client_for(make_user())

    for _ in range(10):
        assert post(client, article).status_code == 302
    assert_limited(post(client, article))


def test_replies_count_with_comments(article):
    client = client_for(established_user())
    parent = make_comment(article, make_user())
    for _ in range(5):
        assert post(client, article).status_code == 302
        assert post(client, article, parent=parent.pk).status_code == 302

    assert_limited(post(client, article, parent=parent.pk))


@override_settings(RATELIMIT_COMMENTS_PER_MINUTE_PER_IP=3)
def test_one_address_is_limited_across_accounts(article):
    for _ in range(3):
        assert post(client_for(established_user()), article).status_code == 302

    assert_limited(post(client_for(established_user()), article))
    assert post(client_for(established_user(), ip="192.0.2.7"), article).status_code == 302
    assert Comment.objects.count() == 4


@override_settings(RATELIMIT_COMMENTS_PER_MINUTE_PER_IP=2)
def test_anonymous_posts_count_against_the_address(article):
    anonymous = Client()
    for _ in range(2):
        assert post(anonymous, article).status_code == 403

    assert post(anonymous, article).status_code == 429


def test_reports_are_limited_per_account(article):
    client = client_for(make_user())
    comments = [make_comment(article, make_user()) for _ in range(4)]
    for comment in comments[:3]:
        assert report(client, comment).status_code == 302

    assert_limited(report(client, comments[3]))
    assert Report.objects.count() == 3


@override_settings(RATELIMIT_REPORTS_PER_MINUTE_PER_IP=2)
def test_reports_are_limited_per_address(article):
    comments = [make_comment(article, make_user()) for _ in range(3)]
    for comment in comments[:2]:
        assert report(client_for(make_user()), comment).status_code == 302

    assert_limited(report(client_for(make_user()), comments[2]))
    assert Report.objects.count() == 2


def test_reading_is_never_limited(article):
    client = client_for(make_user())

    for _ in range(50):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_the_limit_message_is_in_the_readers_language(article):
    client = client_for(established_user(), language="de")
    for _ in range(10):
        post(client, article)

    refused = post(client, article)

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Zu viele Anfragen" in page
    assert "Bitte warten Sie" in page


def test_sign_ups_are_limited_per_address_with_our_page(db, clock):
    def sign_up(n: int):
        return Client(headers={"accept-language": "en"}).post(
            reverse("account_signup"),
            {
                "email": f"newcomer{n}@example.org",
                "username": f"newcomer{n}",
                "password1": "correct-horse-battery",
                "password2": "correct-horse-battery",
            },
        )

    for n in range(10):
        assert sign_up(n).status_code == 302
    clock(600)

    refused = sign_up(10)

    seconds = assert_limited(refused)
    assert 3000 - 5 <= seconds <= 3000 + 5  # the first sign-up's hour ends in 50 minutes
    assert not get_user_model().objects.filter(username="newcomer10").exists()


def test_log_ins_are_limited_per_address_with_our_page(db):
    make_user("walker")
    client = Client(headers={"accept-language": "en"})
    data = {"login": "walker@example.org", "password": "a-long-test-password"}
    for _ in range(30):
        assert client.post(reverse("account_login"), data).status_code == 302
        client.logout()

    assert_limited(client.post(reverse("account_login"), data))


@override_settings(RATELIMIT_ENABLE=False)
def test_the_limits_can_be_switched_off(article):
    client = client_for(make_user())

    for _ in range(15):
        assert post(client, article).status_code == 302


def test_switching_the_limits_off_keeps_allauths_log_in_protection():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from allauth.account import app_settings as a; "
            "print(a.RATE_LIMITS['signup'], a.RATE_LIMITS['login_failed'])",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "RATELIMIT_ENABLED": "false",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == ["None", "10/m/ip,5/300s/key"], result.stderr


def test_an_unreachable_cache_lets_readers_comment(article, settings, monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:1/0")
    settings.CACHES = {
        "default": env_cache("CACHE_URL", "locmem://"),
        "ratelimit": env_cache("CACHE_URL", "locmem://", fail_silently=False),
    }
    client = client_for(make_user())

    assert post(client, article).status_code == 302
    assert Comment.objects.count() == 1
