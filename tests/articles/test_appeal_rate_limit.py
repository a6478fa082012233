"""Appeals count against their own rate limits, per account and per address, like comments and
reports; reading the appeal page never does."""

from django.test import Client, override_settings
from django.urls import reverse

from moderation.models import Appeal
from notifications.appeal_links import appeal_token
from tests.articles.limited import assert_limited
from tests.factories import client_for, established_user, make_user, turned_down


def english() -> Client:
    """A visitor without an account, as the decision e-mail's link brings them."""
    return Client(headers={"accept-language": "en"})


def send_appeal(client, comment, **extra):
    url = reverse("articles:comment_appeal", args=[comment.pk])
    return client.post(url, {"text": "Please look again: it is on topic.", **extra})


@override_settings(RATELIMIT_APPEALS_PER_MINUTE=2)
def test_an_account_past_its_appeal_limit_gets_429_and_nothing_is_stored(db):
    author = established_user()
    client = client_for(author)
    comments = [turned_down(author) for _ in range(3)]
    for comment in comments[:2]:
        assert send_appeal(client, comment).status_code == 302

    assert_limited(send_appeal(client, comments[2]))
    assert Appeal.objects.count() == 2
    # Reading the page stays possible.
    assert client.get(reverse("articles:comment_appeal", args=[comments[2].pk])).status_code == 200


@override_settings(RATELIMIT_APPEALS_PER_MINUTE_PER_IP=2)
def test_appeals_by_signed_link_are_limited_per_address(db):
    comments = [turned_down(make_user()) for _ in range(3)]
    for comment in comments[:2]:
        response = send_appeal(english(), comment, token=appeal_token(comment.pk))
        assert response.status_code == 302

    refused = send_appeal(english(), comments[2], token=appeal_token(comments[2].pk))

    assert_limited(refused)
    assert Appeal.objects.count() == 2


def test_the_appeal_limit_message_is_in_the_readers_language(db, settings):
    settings.RATELIMIT_APPEALS_PER_MINUTE = 1
    author = established_user()
    client = client_for(author, language="de")
    first, second = turned_down(author), turned_down(author)
    send_appeal(client, first)

    refused = send_appeal(client, second)

    assert refused.status_code == 429
    assert "Bitte warten Sie" in refused.content.decode()
