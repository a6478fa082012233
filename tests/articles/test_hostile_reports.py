"""Hostile reports: unknown and malformed ids, NUL bytes, over-long texts, wrong methods, and
every check on who may report what. Each is refused with the right status and stores nothing.
"""

import pytest
from django.test import Client

from articles.models import Comment
from moderation.models import Report, ReviewItem
from tests.factories import make_article, make_comment, make_user
from tests.hostile import HUGE_IDS, assert_no_leak, logged_in, report_url, text_of


@pytest.mark.django_db
@pytest.mark.parametrize("pk", HUGE_IDS)
def test_a_report_on_an_unknown_or_huge_id_is_404(pk):
    client = logged_in(make_user())

    response = client.post(report_url(pk), {"reason": "spam"})

    assert response.status_code == 404
    assert_no_leak(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["-1", "abc", "1.5", "1e3", "%20", "0x10", "%D9%A1"])
def test_a_report_url_with_a_malformed_id_is_404(pk):
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(f"/comments/{pk}/report/", {"reason": "spam"})

    assert response.status_code == 404
    assert_no_leak(response)
    assert not Report.objects.exists()
    assert comment.pk  # the comment exists; only the id in the URL is wrong


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"reason": "spam\x00"}, {"reason": "spam", "text": "a\x00b"}])
def test_a_nul_byte_in_a_report_is_400(data):
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(report_url(comment.pk), data)

    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_text_over_500_characters_is_refused():
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(report_url(comment.pk), {"reason": "spam", "text": "x" * 501})

    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_a_report_takes_only_post(method):
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = getattr(client, method)(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 405
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_method_override_header_is_ignored():
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(
        report_url(comment.pk), {"reason": "spam"}, headers={"x-http-method-override": "DELETE"}
    )

    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert Comment.objects.filter(pk=comment.pk).exists()


def _anonymous():
    return Client(headers={"accept-language": "en"})


def _banned():
    return logged_in(make_user(banned=True))


def _unverified():
    return logged_in(make_user(verified=False))


@pytest.mark.django_db
@pytest.mark.parametrize("comments_open", [True, False], ids=["open", "closed"])
@pytest.mark.parametrize(
    "who, message",
    [
        (_anonymous, "Please log in"),
        (_banned, "banned"),
        (_unverified, "verify your e-mail address"),
    ],
    ids=["anonymous", "banned", "unverified"],
)
def test_a_report_from_an_account_that_may_not_report_is_refused(who, message, comments_open):
    comment = make_comment(make_article(comments_open=comments_open), make_user())

    response = who().post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 403
    assert message in text_of(response)
    assert_no_leak(response)
    assert not Report.objects.exists()
    assert not ReviewItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("comments_open", [True, False], ids=["open", "closed"])
def test_a_verified_readers_report_is_taken_whether_or_not_comments_are_open(comments_open):
    comment = make_comment(make_article(comments_open=comments_open), make_user())

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 302
    assert Report.objects.get().comment == comment
    assert ReviewItem.objects.get().comment == comment


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "needs_review", "rejected", "removed"])
def test_an_unpublished_comment_cannot_be_reported(status):
    comment = make_comment(make_article(), make_user(), status=status)

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "bogus", "approved", "needs_review", "SPAM", " spam"])
def test_a_report_with_an_invalid_reason_is_refused(reason):
    comment = make_comment(make_article(), make_user())

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": reason})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_ones_own_comment_cannot_be_reported():
    author = make_user()
    comment = make_comment(make_article(), author)

    response = logged_in(author).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_second_report_by_the_same_reader_is_409():
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())
    client.post(report_url(comment.pk), {"reason": "spam"})

    again = client.post(report_url(comment.pk), {"reason": "other", "text": "again"})

    assert again.status_code == 409
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_comment_on_an_unpublished_article_cannot_be_reported():
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(published_at=timezone.now() + timedelta(days=1))
    comment = make_comment(article, make_user())

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 404
    assert not Report.objects.exists()
