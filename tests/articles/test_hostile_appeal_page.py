"""Hostile input on the appeal page: its form and the signed link in the decision e-mail.
Each case gets a clear 4xx (never a 500), files nothing, and shows no traceback or internal name.
"""

import pytest
from django.core import signing

from moderation.models import APPEAL_MAX_LENGTH, Appeal
from notifications.appeal_links import APPEAL_SALT, appeal_token
from tests.factories import make_article, make_comment, make_moderator, make_user, turned_down
from tests.hostile import (
    FORGED_TOKENS,
    HUGE_IDS,
    MALFORMED_IDS,
    SIGNED_GARBAGE,
    assert_no_leak,
    english,
    logged_in,
    text_of,
)


def appeal_url(pk) -> str:
    return f"/comments/{pk}/appeal/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, status",
    [
        ("", 400),
        ("   \n\t ", 400),
        ("\u200b\u200b", 400),
        ("x" * (APPEAL_MAX_LENGTH + 1), 400),
        ("x" * 100_000, 400),
        ("a\x00b", 400),
        (["one", "two"], None),
    ],
    ids=["empty", "blank", "invisible", "one-too-long", "huge", "nul", "twice"],
)
def test_a_bad_appeal_text_is_refused_with_a_message_and_files_nothing(text, status):
    author = make_user()
    comment = turned_down(author)

    response = logged_in(author).post(appeal_url(comment.pk), {"text": text})

    if status is None:  # two texts: the last one is taken, like any form field
        assert response.status_code in {302, 400}
        return
    assert response.status_code == status
    assert_no_leak(response)
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_second_appeal_is_refused_and_the_first_is_kept():
    author = make_user()
    comment = turned_down(author)
    client = logged_in(author)
    client.post(appeal_url(comment.pk), {"text": "First."})

    response = client.post(appeal_url(comment.pk), {"text": "Second."})

    assert response.status_code == 409
    assert_no_leak(response)
    assert list(Appeal.objects.values_list("text", flat=True)) == ["First."]


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["approved", "pending", "needs_review"])
def test_an_appeal_on_a_comment_not_turned_down_is_400(status):
    author = make_user()
    comment = make_comment(make_article(language="en"), author, status=status)

    response = logged_in(author).post(appeal_url(comment.pk), {"text": "Why?"})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Appeal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_else_cannot_see_or_file_an_appeal(method):
    comment = turned_down(make_user())

    for client in (english(), logged_in(make_user()), logged_in(make_moderator())):
        response = getattr(client, method)(appeal_url(comment.pk), {"text": "Not mine."})
        assert response.status_code == 404
        assert_no_leak(response)
    assert not Appeal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    FORGED_TOKENS
    + [signing.dumps(value, salt=APPEAL_SALT) for value in SIGNED_GARBAGE]
    + ["t" * 400],
)
def test_a_forged_appeal_link_is_404_and_files_nothing(token):
    comment = turned_down(make_user())

    page = english().get(appeal_url(comment.pk), {"token": token})
    post = english().post(appeal_url(comment.pk), {"token": token, "text": "Please."})

    assert (page.status_code, post.status_code) == (404, 404)
    assert_no_leak(post)
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_an_appeal_link_for_another_comment_is_404():
    comment, other = turned_down(make_user()), turned_down(make_user())

    response = english().post(
        appeal_url(comment.pk), {"token": appeal_token(other.pk), "text": "x"}
    )

    assert response.status_code == 404
    assert not Appeal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pk", HUGE_IDS + MALFORMED_IDS)
def test_an_appeal_on_a_malformed_or_huge_id_is_404(pk):
    response = logged_in(make_user()).post(appeal_url(pk), {"text": "x"})

    assert response.status_code == 404
    assert_no_leak(response)


@pytest.mark.django_db
def test_an_appeal_without_a_csrf_token_is_403():
    author = make_user()
    comment = turned_down(author)
    client = english(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post(appeal_url(comment.pk), {"text": "Please."})

    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_the_appeal_page_names_no_internal_code(db):
    author = make_user()
    comment = turned_down(author)

    response = logged_in(author).get(appeal_url(comment.pk))

    assert response.status_code == 200
    assert "off_topic" not in text_of(response)


@pytest.mark.django_db
def test_an_expired_appeal_link_is_404_and_files_nothing(settings):
    comment = turned_down(make_user())
    token = appeal_token(comment.pk)
    settings.MODERATION_APPEAL_DAYS = -2  # every link is older than the period and its grace day

    response = english().post(appeal_url(comment.pk), {"token": token, "text": "Please."})

    assert response.status_code == 404
    assert not Appeal.objects.exists()
