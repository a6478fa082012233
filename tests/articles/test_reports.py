"""Readers report published comments; enough reports put one in the moderators' queue."""

from django.test import Client, override_settings
from django.urls import reverse

from moderation.codes import QueuePriority
from moderation.models import Report, ReviewItem
from tests.factories import make_article, make_comment, make_user


def report(client, comment, reason="disrespectful", text=""):
    return client.post(
        reverse("articles:comment_report", args=[comment.pk]), {"reason": reason, "text": text}
    )


def test_a_reader_sees_a_report_form_under_others_published_comments(
    reader_client, article, reader
):
    make_comment(article, make_user(), body="Someone else's words")
    make_comment(article, reader, body="My own words")

    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert page.count('class="report-form"') == 1
    for value in ["disrespectful", "off_topic", "spam", "illegal", "other"]:
        assert f'value="{value}"' in page


def test_a_report_puts_the_comment_in_the_queue(reader_client, article):
    comment = make_comment(article, make_user())

    response = report(reader_client, comment, "spam", "Links to a shop")

    assert response.status_code == 302
    assert Report.objects.get().text == "Links to a shop"
    item = ReviewItem.objects.get(comment=comment)
    assert item.report_count == 1
    assert item.closed_at is None
    assert item.priority == QueuePriority.URGENT
    assert (
        "You have reported this comment."
        in reader_client.get(article.get_absolute_url()).content.decode()
    )


@override_settings(MODERATION_REPORTS_TO_QUEUE=2)
def test_the_number_of_reports_that_queue_a_comment_is_a_setting(article):
    comment = make_comment(article, make_user())
    first, second = Client(), Client()
    first.force_login(make_user())
    second.force_login(make_user())

    report(first, comment)
    assert not ReviewItem.objects.exists()
    report(second, comment)
    assert ReviewItem.objects.get(comment=comment).report_count == 2


def test_one_report_per_reader_per_comment(reader_client, article):
    comment = make_comment(article, make_user())
    report(reader_client, comment)

    again = report(reader_client, comment, "spam")

    assert again.status_code == 409
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


def test_reporters_never_learn_who_else_reported(reader_client, article):
    comment = make_comment(article, make_user())
    other = Client()
    other.force_login(make_user("whistler"))
    report(other, comment)

    report(reader_client, comment)
    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert "whistler" not in page
    assert "reported 2" not in page
    assert "2 reports" not in page


def test_a_report_without_a_reason_is_refused(reader_client, article):
    comment = make_comment(article, make_user())

    response = report(reader_client, comment, reason="")

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_own_and_unpublished_comments_cannot_be_reported(reader_client, article, reader):
    own = make_comment(article, reader)
    pending = make_comment(article, make_user(), status="pending")

    assert report(reader_client, own).status_code == 400
    assert report(reader_client, pending).status_code == 400
    assert not Report.objects.exists()


def test_anonymous_and_unknown_reports_are_refused(client, article):
    comment = make_comment(article, make_user())

    assert report(client, comment).status_code == 403
    assert client.post("/comments/999999/report/", {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_a_report_needs_a_csrf_token(reader, article):
    comment = make_comment(article, make_user())
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert report(client, comment).status_code == 403
    assert not Report.objects.exists()


def test_reports_on_articles_with_closed_comments_are_still_taken(reader_client):
    article = make_article(comments_open=False)
    comment = make_comment(article, make_user())

    assert report(reader_client, comment).status_code == 302


def test_reports_on_articles_with_closed_comments_still_check_the_account(client, db):
    comment = make_comment(make_article(comments_open=False), make_user())
    unverified = Client()
    unverified.force_login(make_user(verified=False))
    banned = Client()
    banned.force_login(make_user(banned=True))

    assert report(client, comment).status_code == 403
    assert report(unverified, comment).status_code == 403
    assert report(banned, comment).status_code == 403
    assert not Report.objects.exists()
    assert not ReviewItem.objects.exists()
