"""Readers follow a discussion from the article page: accounts in one click, visitors through a
confirmed address; every e-mail's stop link works in one click, without logging in."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation import services
from notifications import decision_mail, follower_mail, following
from notifications.models import EmailPreferences, Subscription
from tests.factories import make_article, make_comment, make_user

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def stop_link(message) -> str:
    return path_of(message.extra_headers["List-Unsubscribe"].strip("<>"))


def test_the_article_offers_a_one_click_follow_button_to_a_verified_reader(reader_client, article):
    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert "Notify me of new comments" in page
    assert f'action="{reverse("articles:follow", args=[article.slug])}"' in page


def test_a_verified_reader_follows_in_one_click_and_twice_is_still_once(
    reader_client, reader, article
):
    url = reverse("articles:follow", args=[article.slug])

    assert reader_client.post(url).status_code == 302
    reader_client.post(url)

    assert Subscription.objects.filter(user=reader, article=article).count() == 1
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Stop notifications" in page


def test_a_reader_with_an_unverified_address_cannot_follow(client, article):
    user = make_user(verified=False)
    client.force_login(user)

    client.post(reverse("articles:follow", args=[article.slug]))

    assert not Subscription.objects.exists()


def test_a_reader_unfollows_on_the_article(reader_client, reader, article):
    services.follow(user=reader, article=article)

    reader_client.post(reverse("articles:unfollow", args=[article.slug]))

    assert not Subscription.objects.exists()


def test_the_account_page_lists_subscriptions_and_stops_one(reader_client, reader, article):
    services.follow(user=reader, article=article)
    url = reverse("articles:notifications")

    page = reader_client.get(url).content.decode()
    assert article.title in page
    response = reader_client.post(
        reverse("articles:unfollow", args=[article.slug]), {"next": url + "#subscriptions"}
    )

    assert response.url == url + "#subscriptions"
    assert not Subscription.objects.exists()


def test_the_account_page_sets_reply_notifications_and_the_digest(reader_client, reader):
    reader_client.post(
        reverse("articles:notifications"), {"language": "de", "follow_frequency": "daily"}
    )

    profile = EmailPreferences.objects.get(user=reader)
    assert profile.notify_on_reply is False
    assert profile.follow_frequency == "daily"


def test_a_visitor_gets_a_confirmation_mail_and_nothing_else_until_confirming(
    client, article, wakeups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:follow_by_email", args=[article.slug]),
            {"email": "Guest@Example.net"},
        )

    assert response.status_code == 200
    assert "check your inbox" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "guest@example.net"
    assert subscription.confirmed_at is None
    assert ("notifications.tasks.send_follow_confirmation", (subscription.pk,)) in wakeups

    deliver(make_comment(article, make_user()))
    assert mail.outbox == []  # not confirmed: nothing but the confirmation


def deliver(comment):
    follower_mail.announce(comment_id=comment.pk)
    follower_mail.send_due()


def request_and_read_link(client, article, email="guest@example.net") -> str:
    client.post(reverse("articles:follow_by_email", args=[article.slug]), {"email": email})
    following.send_confirmation(subscription_id=Subscription.objects.get(email=email).pk)
    return path_of(re.search(r"https?://\S+/follow/confirm/\S+/", mail.outbox[-1].body).group(0))


def test_the_confirmation_link_asks_first_and_confirms_on_the_button(client, article):
    link = request_and_read_link(client, article)

    assert client.get(link).status_code == 200
    assert Subscription.objects.get().confirmed_at is None  # a link scanner's GET changes nothing
    assert client.post(link).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None

    deliver(make_comment(article, make_user(), body="Now you hear about it."))
    assert mail.outbox[-1].to == ["guest@example.net"]
    assert "Now you hear about it." in mail.outbox[-1].body


def test_an_expired_confirmation_link_says_so_and_confirms_nothing(client, article, settings):
    settings.FOLLOW_CONFIRM_DAYS = 7
    link = request_and_read_link(client, article)

    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(link)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_addresses_never_confirmed_are_forgotten_after_the_confirmation_period(db, settings):
    settings.FOLLOW_CONFIRM_DAYS = 7
    article = make_article()
    old = Subscription.objects.create(
        article=article, email="old@example.net", created_at=timezone.now() - timedelta(days=8)
    )
    Subscription.objects.create(article=article, email="new@example.net")

    assert following.forget_unconfirmed() == 1
    assert not Subscription.objects.filter(pk=old.pk).exists()


def test_a_confirmation_link_after_the_address_was_forgotten_says_it_expired(client, article):
    link = request_and_read_link(client, article)
    Subscription.objects.all().delete()

    response = client.post(link)

    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_forged_confirmation_link_is_refused(client, article):
    token = signing.dumps(1, salt="something else")

    response = client.post(reverse("articles:follow_confirm", args=[token]))

    assert response.status_code == 400


def test_asking_twice_keeps_one_subscription(client, article):
    url = reverse("articles:follow_by_email", args=[article.slug])
    client.post(url, {"email": "guest@example.net"})
    client.post(url, {"email": "guest@example.net"})

    assert Subscription.objects.count() == 1


def test_a_bad_address_gets_a_400_with_a_message(client, article):
    response = client.post(
        reverse("articles:follow_by_email", args=[article.slug]), {"email": "not an address"}
    )

    assert response.status_code == 400
    assert "valid e-mail address" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_visitor_form_is_rate_limited(client, article, settings):
    settings.RATELIMIT_FOLLOWS_PER_HOUR_PER_ADDRESS = 2
    url = reverse("articles:follow_by_email", args=[article.slug])

    statuses = [client.post(url, {"email": "victim@example.net"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def followed_with_mail(article):
    user = make_user()
    services.follow(user=user, article=article)
    deliver(make_comment(article, make_user()))
    return user, mail.outbox[-1]


def test_the_stop_link_shows_a_confirmation_page_on_get_and_changes_nothing(db):
    article = make_article(title="Ferry")
    user, message = followed_with_mail(article)

    response = Client().get(stop_link(message))

    assert response.status_code == 200
    assert "Ferry" in response.content.decode()
    assert Subscription.objects.filter(user=user).exists()


def test_a_one_click_post_unsubscribes_without_login_or_csrf_token(db):
    article = make_article()
    user, message = followed_with_mail(article)

    response = Client(enforce_csrf_checks=True).post(stop_link(message), ONE_CLICK)

    assert response.status_code == 200
    assert not Subscription.objects.filter(user=user).exists()


def test_the_stop_link_of_a_reply_mail_turns_reply_mails_off(db):
    article = make_article()
    author = make_user()
    deliver(make_comment(article, make_user(), parent=make_comment(article, author)))

    Client(enforce_csrf_checks=True).post(stop_link(mail.outbox[-1]), ONE_CLICK)

    assert EmailPreferences.objects.get(user=author).notify_on_reply is False


@pytest.mark.parametrize("token", ["nonsense", signing.dumps(["article", 1], salt="other")])
def test_an_invalid_stop_link_gets_a_clear_400_and_changes_nothing(db, token):
    article = make_article()
    user = make_user()
    services.follow(user=user, article=article)

    response = Client(enforce_csrf_checks=True, headers={"accept-language": "en"}).post(
        reverse("articles:follow_off", args=[token])
    )

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert Subscription.objects.filter(user=user).exists()


def test_an_expired_stop_link_gets_a_400(db):
    article = make_article()
    user, message = followed_with_mail(article)

    later = timezone.now() + timedelta(days=following.STOP_MAX_AGE_DAYS + 1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = Client().post(stop_link(message), ONE_CLICK)

    assert response.status_code == 400
    assert Subscription.objects.filter(user=user).exists()


def test_decision_mails_carry_one_click_headers_that_work(db, settings):
    settings.SITE_URL = "https://agora.example"
    author = make_user()
    EmailPreferences.objects.create(user=author, notify_on_decision=True, language="en")
    comment = make_comment(make_article(), author, status="rejected")

    decision_mail.send_decision_notice(comment_id=comment.pk)

    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://agora.example/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    Client(enforce_csrf_checks=True).post(stop_link(message), ONE_CLICK)
    assert EmailPreferences.objects.get(user=author).notify_on_decision is False


def test_the_follow_texts_are_in_german(db):
    article = make_article()
    page = Client(headers={"accept-language": "de"}).get(article.get_absolute_url())

    assert "Bei neuen Kommentaren benachrichtigen" in page.content.decode()


def test_the_database_refuses_a_second_subscription_for_the_same_reader_or_address(db):
    from django.db import IntegrityError, transaction

    article, user = make_article(), make_user()
    Subscription.objects.create(article=article, user=user)
    Subscription.objects.create(article=article, email="guest@example.net")

    for duplicate in ({"user": user}, {"email": "guest@example.net"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(article=article, **duplicate)
