"""Hostile input on the review queue's list and the comments admin: forged ids and NUL bytes
in their filters are no error, and only moderators see the queue.
"""

import pytest
from django.test import Client

from tests.factories import make_article, make_moderator, make_queue_entry, make_user
from tests.hostile import (
    COMMENTS_ADMIN,
    MARK,
    NUL_MESSAGE,
    QUEUE,
    REVIEW,
    assert_no_leak,
    logged_in,
    text_of,
)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30, "1.5", "9223372036854775808"])
@pytest.mark.parametrize("field", ["comment__article__id__exact", "comment__author__id__exact"])
def test_a_forged_id_in_a_queue_filter_is_no_error(field, value):
    make_queue_entry(make_article(), "Waiting")

    response = logged_in(make_moderator()).get(QUEUE, {field: value})

    assert response.status_code in {200, 302}
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"{QUEUE}?reason=%00",
        f"{QUEUE}?label=%00",
        f"{QUEUE}?language=%00",
        f"{QUEUE}?q=%00",
        f"{COMMENTS_ADMIN}?status=%00",
        f"{COMMENTS_ADMIN}?q=%00",
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_400(url):
    make_queue_entry(make_article(), "Waiting")

    response = logged_in(make_superuser_moderator()).get(url)

    assert response.status_code == 400
    assert NUL_MESSAGE in text_of(response)


def make_superuser_moderator():
    user = make_moderator()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    [lambda: Client(), lambda: logged_in(make_user()), lambda: logged_in(make_user(is_staff=True))],
    ids=["anonymous", "reader", "staff-outside-the-group"],
)
@pytest.mark.parametrize("url", [QUEUE, REVIEW])
def test_only_moderators_see_the_queue(who, url):
    make_queue_entry(make_article(), f"Secret {MARK}")

    response = who().get(url)

    assert response.status_code in {302, 403}
    assert MARK not in text_of(response)
