"""The author's page learns how their comment stands without reloading: the status endpoint, the
usual wait for a decision, and the thank-you next to the new comment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Comment
from moderation import services
from moderation.models import StatusChange
from moderation.review import estimates
from tests.factories import make_article, make_comment, make_moderator, make_queued, make_user


def status_url(comment):
    return reverse("articles:comment_status", args=[comment.pk])


def reviewed(article, *, waited: timedelta, ago: timedelta = timedelta(hours=1)):
    """A comment a moderator decided from the review queue after `waited`, `ago` ago."""
    decided_at = timezone.now() - ago
    comment = make_comment(article, make_user(), created_at=decided_at - waited)
    StatusChange.objects.create(
        comment=comment,
        from_status="needs_review",
        to_status="approved",
        actor=make_moderator(),
        created_at=decided_at,
    )
    return comment


def test_the_author_gets_the_status_of_their_pending_comment(reader_client, reader, article):
    comment = make_comment(article, reader, status="needs_review")

    response = reader_client.get(status_url(comment))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert data["status"] == "needs_review"
    assert data["decided"] is False
    assert data["message"].startswith("A moderator will look at your comment.")


def test_the_author_reads_the_outcome_and_reason_once_decided(reader_client, reader):
    comment = make_queued(make_article(language="en"), reader)
    services.moderate(
        comment=comment,
        moderator=make_moderator(),
        action="reject",
        expected_status="needs_review",
        reason="off_topic",
    )

    data = reader_client.get(status_url(comment)).json()

    assert data["decided"] is True
    assert data["published"] is False
    assert data["label"] == "Not published"
    assert "Off-topic" in data["message"]
    # The way to appeal comes with the outcome, for the page to offer it without a reload.
    assert data["appeal_url"] == reverse("articles:comment_appeal", args=[comment.pk])
    assert data["appeal_text"] == "Appeal against this decision"


def test_the_status_offers_no_appeal_once_appealed_or_past_the_period(reader_client, reader):
    appealed, late = (make_queued(make_article(), reader) for _ in range(2))
    for comment in (appealed, late):
        services.moderate(
            comment=comment,
            moderator=make_moderator(),
            action="reject",
            expected_status="needs_review",
            reason="spam",
        )
    services.file_appeal(comment_id=appealed.pk, author=reader, text="Not spam at all.")
    StatusChange.objects.filter(comment=late).update(created_at=timezone.now() - timedelta(days=99))

    for comment in (appealed, late):
        data = reader_client.get(status_url(comment)).json()
        assert data["decided"] is True
        assert "appeal_url" not in data


@pytest.mark.parametrize("status", ["pending", "needs_review", "rejected", "removed"])
def test_another_reader_gets_404_for_a_comment_that_is_not_public(client, article, status):
    comment = make_comment(article, make_user(), status=status)
    client.force_login(make_user())

    assert client.get(status_url(comment)).status_code == 404


def test_an_anonymous_visitor_gets_404_for_a_pending_comment(client, article):
    comment = make_comment(article, make_user(), status="pending")

    assert client.get(status_url(comment)).status_code == 404


def test_anyone_gets_the_status_of_a_published_comment(client, article):
    comment = make_comment(article, make_user())

    data = client.get(status_url(comment)).json()

    assert data == {
        "status": "approved",
        "decided": True,
        "published": True,
        "label": "Published",
        "message": "Your comment is published.",
    }


def test_the_status_endpoint_answers_404_for_a_comment_that_does_not_exist(client, db):
    assert client.get(reverse("articles:comment_status", args=[999])).status_code == 404


def test_the_status_endpoint_refuses_a_post(reader_client, reader, article):
    comment = make_comment(article, reader, status="pending")

    assert reader_client.post(status_url(comment)).status_code == 405


def test_the_author_page_marks_a_comment_in_review_for_live_updates(reader_client, reader, article):
    comment = make_comment(article, reader, status="needs_review")

    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert 'aria-live="polite"' in page
    assert f'data-status-url="{status_url(comment)}"' in page


def test_a_published_comment_is_not_polled(reader_client, reader, article):
    make_comment(article, reader)

    assert "data-status-url" not in reader_client.get(article.get_absolute_url()).content.decode()


# The estimate.


def minutes(*values):
    return [timedelta(minutes=value) for value in values]


def test_the_estimate_is_the_80th_percentile_rounded_up():
    # Ten waits: the 8th smallest (nearest rank) is 8 minutes.
    assert estimates.usual_wait_minutes(minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 100)) == 8


def test_the_estimate_rounds_to_fives_up_to_an_hour_and_half_hours_beyond():
    assert estimates.usual_wait_minutes(minutes(*[12.5] * 10)) == 15
    assert estimates.usual_wait_minutes(minutes(*[61] * 10)) == 90
    assert estimates.usual_wait_minutes([timedelta(seconds=5)] * 10) == 1


def test_there_is_no_estimate_from_too_little_data():
    assert estimates.usual_wait_minutes(minutes(*[5] * 9)) is None
    assert estimates.usual_wait_minutes([]) is None


def test_the_estimate_counts_only_the_last_week_of_human_decisions_on_comments_in_review(db):
    article = make_article()
    for _ in range(10):
        reviewed(article, waited=timedelta(minutes=4))
    reviewed(article, waited=timedelta(days=1), ago=timedelta(days=8))  # too old
    late = make_comment(article, make_user(), created_at=timezone.now() - timedelta(days=1))
    StatusChange.objects.create(  # the policy's decision: not a person's
        comment=late, from_status="needs_review", to_status="rejected", reason_code="policy"
    )

    assert services.review_wait_minutes() == 4


def test_the_author_of_a_comment_in_review_reads_the_usual_wait(reader_client, reader, article):
    for _ in range(10):
        reviewed(article, waited=timedelta(minutes=25))
    make_comment(article, reader, status="needs_review")

    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert "Usually decided within 25 minutes." in page


def test_the_author_reads_no_estimate_when_there_is_too_little_data(reader_client, reader, article):
    reviewed(article, waited=timedelta(minutes=25))
    comment = make_comment(article, reader, status="needs_review")

    page = reader_client.get(article.get_absolute_url()).content.decode()
    data = reader_client.get(status_url(comment)).json()

    assert "Usually decided" not in page
    assert data["message"] == "A moderator will look at your comment."


# The thank-you.


def test_the_thanks_for_a_new_comment_stand_inside_it_where_the_page_scrolls_to(
    reader_client, article
):
    response = reader_client.post(
        reverse("articles:comment_create", args=[article.slug]), {"body": "Good plan."}, follow=True
    )

    comment = Comment.objects.get()
    page = response.content.decode()
    start = page.index(f'id="comment-{comment.pk}"')
    thanks = page.index("Thank you. Your comment is awaiting moderation.")
    assert start < thanks < page.index("</article>", start)
    assert page.count("Thank you.") == 1
    # Shown once only.
    assert "Thank you." not in reader_client.get(article.get_absolute_url()).content.decode()
