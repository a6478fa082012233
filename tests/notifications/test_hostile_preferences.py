"""Hostile input on the notifications page, where a reader chooses which e-mails they get:
garbage is a 4xx or ignored, never a 500, and a post without a CSRF token is refused.
"""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.hostile import assert_no_leak, english, logged_in


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"notify_on_reply": "\x00"},
        {"digest": "every second"},
        {"digest": ["daily", "weekly"]},
        {"notify_on_reply": "x" * 10000},
        {"notify_on_decision": "<script>"},
    ],
)
def test_garbage_on_the_notifications_page_is_a_4xx_or_ignored_never_a_500(data):
    user = make_user()

    response = logged_in(user).post(reverse("articles:notifications"), data)

    assert response.status_code in {302, 400}
    assert_no_leak(response)


@pytest.mark.django_db
def test_the_notifications_page_without_a_csrf_token_is_403():
    user = make_user()
    client = english(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("articles:notifications"), {"notify_on_reply": ""})

    assert response.status_code == 403
