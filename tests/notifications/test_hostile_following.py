"""Hostile input on following a discussion: the follow buttons, the visitor's address form,
and the confirmation and stop links (RFC 8058). Each case gets a clear 4xx (never a 500), changes
nothing, and shows no traceback or internal name.
"""

import pytest
from django.core import mail, signing
from django.urls import reverse

from moderation import services
from notifications import following
from notifications.following import CONFIRM_SALT, STOP_SALT
from notifications.models import Subscription
from tests.factories import make_article, make_user
from tests.hostile import (
    FORGED_TOKENS,
    ONE_CLICK,
    SIGNED_GARBAGE,
    assert_no_leak,
    english,
    logged_in,
)

FOLLOW_PATHS = {"follow": "follow/", "unfollow": "unfollow/", "follow_by_email": "follow/email/"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["follow", "unfollow", "follow_by_email"])
@pytest.mark.parametrize("slug", ["no-such-article", "a" * 300, "%00", "..", "%E2%80%AE"])
def test_following_an_unknown_or_garbage_slug_is_404_or_400(name, slug):
    client = logged_in(make_user())

    response = client.post(f"/articles/{slug}/{FOLLOW_PATHS[name]}")

    assert response.status_code in {400, 404}
    assert_no_leak(response)
    assert not Subscription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
@pytest.mark.parametrize("name", ["follow", "unfollow", "follow_by_email"])
def test_following_takes_only_post(name, method):
    article = make_article(language="en")
    response = getattr(logged_in(make_user()), method)(
        reverse(f"articles:{name}", args=[article.slug])
    )

    assert response.status_code == 405
    assert not Subscription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["follow", "unfollow"])
def test_a_visitor_is_sent_to_log_in_before_following(name):
    article = make_article(language="en")

    response = english().post(reverse(f"articles:{name}", args=[article.slug]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Subscription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "",
        "not-an-address",
        "a@b",
        "guest@example.net\r\nBcc: victim@example.org",
        "guest@example.net\x00",
        "x" * 300 + "@example.net",
        "<script>@example.net",
        "guest@@example.net",
    ],
)
def test_a_bad_address_to_follow_by_is_400_with_a_message(email):
    article = make_article(language="en")

    response = english().post(
        reverse("articles:follow_by_email", args=[article.slug]), {"email": email}
    )

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_an_address_sent_twice_in_one_form_is_taken_once():
    article = make_article(language="en")
    url = reverse("articles:follow_by_email", args=[article.slug])

    response = english().post(url, {"email": ["one@example.net", "two@example.net"]})

    assert response.status_code in {200, 400}
    assert Subscription.objects.count() <= 1


def send_confirmations(wakeups: list) -> None:
    """What the worker does with the recorded messages: one confirmation mail each."""
    for task_name, args in wakeups:
        if task_name == "notifications.tasks.send_follow_confirmation":
            following.send_confirmation(subscription_id=args[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "variants",
    [
        [
            "victim1@example.net",
            "Victim1@example.net",
            "VICTIM1@EXAMPLE.NET",
            " victim1@example.net",
        ],
        [
            "victim1@Bücher.example",
            "VICTIM1@BÜCHER.EXAMPLE",
            "victim1@xn--bcher-kva.example",
            "victim1@XN--BCHER-KVA.EXAMPLE ",
        ],
    ],
)
def test_it_rejects_a_fourth_request_for_one_mailbox_however_its_address_is_spelt(
    variants, settings, wakeups, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_FOLLOWS_PER_HOUR_PER_ADDRESS = 3
    settings.RATELIMIT_FOLLOWS_PER_HOUR_PER_IP = 100
    article = make_article(language="en")
    url = reverse("articles:follow_by_email", args=[article.slug])

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [english().post(url, {"email": email}).status_code for email in variants]
    send_confirmations(wakeups)

    assert statuses == [200, 200, 200, 429]
    assert len(mail.outbox) == 3
    assert list(Subscription.objects.values_list("email", flat=True)) == [variants[2].lower()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email, stored",
    [
        ("  Guest@Example.NET  ", "guest@example.net"),
        ("guest@Bücher.example", "guest@xn--bcher-kva.example"),
    ],
)
def test_it_stores_a_visitors_address_once_in_one_spelling(email, stored):
    article = make_article(language="en")
    url = reverse("articles:follow_by_email", args=[article.slug])

    english().post(url, {"email": email})
    english().post(url, {"email": stored})

    assert list(Subscription.objects.values_list("email", flat=True)) == [stored]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["follow", "unfollow", "follow_by_email"])
def test_following_without_a_csrf_token_is_403(name):
    article = make_article(language="en")
    client = english(enforce_csrf_checks=True)
    client.force_login(make_user())

    response = client.post(
        reverse(f"articles:{name}", args=[article.slug]), {"email": "g@example.net"}
    )

    assert response.status_code == 403
    assert not Subscription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_following_never_redirects_off_the_site(target):
    article = make_article(language="en")

    response = logged_in(make_user()).post(
        reverse("articles:follow", args=[article.slug]), {"next": target}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/articles/")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post", "head"])
@pytest.mark.parametrize(
    "token", FORGED_TOKENS + [signing.dumps(value, salt=CONFIRM_SALT) for value in SIGNED_GARBAGE]
)
def test_a_forged_confirmation_link_is_400_and_confirms_nothing(token, method):
    article = make_article(language="en")
    subscription = Subscription.objects.create(article=article, email="g@example.net")

    response = getattr(english(), method)(f"/follow/confirm/{token}/")

    assert response.status_code in {400, 404}
    assert_no_leak(response)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


STOP_GARBAGE = [
    ["article", "abc"],
    ["article", None],
    ["article", 10**30],
    ["replies", "abc"],
    ["replies", [1]],
    ["replies", 10**30],
    ["address", None],
    ["address", ["x"]],
    ["nothing", 1],
    ["article"],
    "article",
    None,
]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "token", FORGED_TOKENS + [signing.dumps(value, salt=STOP_SALT) for value in STOP_GARBAGE]
)
def test_a_forged_stop_link_is_400_and_stops_nothing(token, method):
    article = make_article(language="en")
    user = make_user()
    services.follow(user=user, article=article)

    response = getattr(english(enforce_csrf_checks=True), method)(
        f"/follow/off/{token}/", ONE_CLICK
    )

    assert response.status_code in {400, 404}
    assert_no_leak(response)
    assert Subscription.objects.filter(user=user).exists()
