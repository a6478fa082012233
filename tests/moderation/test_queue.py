"""The review queue in the admin: who may see it, what is in it, in which order, and how fast."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import QueueReason, ReviewItem
from tests.factories import make_article, make_comment, make_queued, make_user

QUEUE = reverse("admin:moderation_reviewitem_changelist")
REVIEW = reverse("admin:moderation_review")


def listed(response) -> list[int]:
    return [item.comment_id for item in response.context["cl"].result_list]


def test_the_queue_lists_comments_sent_to_review_and_reported_ones(moderator_client, article):
    reviewed = make_queued(article)
    reported = make_queued(article, reported=1)
    make_comment(article, make_user())  # published, not reported
    make_comment(article, make_user(), status="pending")

    assert set(listed(moderator_client.get(QUEUE))) == {reviewed.pk, reported.pk}


def test_reported_and_near_threshold_items_come_first_then_the_oldest(moderator_client, article):
    old = make_queued(article)
    newer = make_queued(article)
    near = make_queued(article, near=True)
    reported = make_queued(article, reported=2)
    ReviewItem.objects.filter(comment=old).update(entered_at=timezone.now() - timedelta(hours=2))
    ReviewItem.objects.filter(comment=reported).update(entered_at=timezone.now())

    order = listed(moderator_client.get(QUEUE))

    assert order[:2] == [near.pk, reported.pk]
    assert order[2:] == [old.pk, newer.pk]


def test_a_decided_item_leaves_the_queue(moderator_client, article):
    comment = make_queued(article)
    ReviewItem.objects.filter(comment=comment).update(closed_at=timezone.now())

    assert listed(moderator_client.get(QUEUE)) == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"reason": "off_topic"}, "offtopic"),
        ({"reason": "reported"}, "reported"),
        ({"label": "insult"}, "insulting"),
        ({"label": "toxicity"}, "toxic"),
        ({"language": "en"}, "english"),
        ({"q": "Parkplätze"}, "offtopic"),
        ({"q": "zoe"}, "insulting"),
    ],
)
def test_filters_and_search(moderator_client, query, expected):
    german = make_article(language="de")
    english = make_article(language="en")
    comments = {
        "offtopic": make_queued(german, reasons=[("off_topic",)], body="Zu viele Parkplätze weg"),
        "insulting": make_queued(
            german, make_user("zoe"), reasons=[("toxicity_review", "insult", 0.6, 0.5)]
        ),
        "reported": make_queued(german, reported=1),
        "toxic": make_queued(
            german,
            reasons=[
                ("toxicity_review", "severe_toxicity", 0.3, 0.2),
                ("toxicity_review", "toxicity", 0.6, 0.5),
            ],
        ),
        "severe": make_queued(german, reasons=[("toxicity_review", "severe_toxicity", 0.3, 0.2)]),
        "english": make_queued(english, reasons=[("contains_link",)]),
    }

    assert listed(moderator_client.get(QUEUE, query)) == [comments[expected].pk]


def test_filter_by_article_and_author(moderator_client):
    article, other = make_article(), make_article()
    author = make_user("kim")
    mine = make_queued(article, author)
    make_queued(other)

    by_article = moderator_client.get(QUEUE, {"comment__article__id__exact": article.pk})
    by_author = moderator_client.get(QUEUE, {"comment__author__id__exact": author.pk})

    assert listed(by_article) == [mine.pk]
    assert listed(by_author) == [mine.pk]


def test_the_queue_is_refused_to_staff_outside_the_moderators_group(client, article):
    make_queued(article)
    client.force_login(make_user(is_staff=True))

    assert client.get(QUEUE).status_code == 403
    assert client.get(REVIEW).status_code == 403


def test_the_queue_is_refused_to_readers(client, reader):
    client.force_login(reader)

    assert client.get(QUEUE).status_code == 302
    assert "/admin/login/" in client.get(REVIEW)["Location"]


def test_the_admin_index_shows_the_queue_size_and_the_oldest_items_age(moderator_client, article):
    make_queued(article)
    oldest = make_queued(article)
    ReviewItem.objects.filter(comment=oldest).update(entered_at=timezone.now() - timedelta(hours=3))

    page = moderator_client.get(reverse("admin:index")).content.decode()

    assert "2 items wait; the oldest for 3\xa0hours" in page


def test_each_row_shows_what_is_needed_to_decide(moderator_client, article):
    parent = make_comment(article, make_user(), body="The parent says hello")
    make_queued(
        article,
        make_user("lea"),
        parent=parent,
        body="The queued reply",
        reasons=[("off_topic", "", 0.05, 0.15)],
    )

    page = moderator_client.get(QUEUE).content.decode()

    assert "The queued reply" in page
    assert article.title in page
    assert "The parent says hello" in page
    assert "relevance 0.05 is below 0.15" in page
    assert "1 approved · 0 rejected · 0 removed" not in page  # lea has no approved comment
    assert "0 approved · 0 rejected · 0 removed" in page


def fill_queue(size: int) -> None:
    from articles.models import Comment
    from moderation.models import Assessment

    article = make_article()
    authors = [make_user() for _ in range(20)]
    parents = Comment.objects.bulk_create(
        Comment(article=article, author=authors[i % 20], body=f"parent {i}", status="approved")
        for i in range(50)
    )
    comments = Comment.objects.bulk_create(
        Comment(
            article=article,
            author=authors[i % 20],
            parent=parents[i % min(50, max(1, size // 3))],  # siblings: every row has neighbours
            depth=2,
            body=f"queued comment {i}",
            status="needs_review",
        )
        for i in range(size)
    )
    items = ReviewItem.objects.bulk_create(
        ReviewItem(comment=c, source="policy", priority=i % 2) for i, c in enumerate(comments)
    )
    QueueReason.objects.bulk_create(QueueReason(item=item, code="off_topic") for item in items)
    Assessment.objects.bulk_create(
        Assessment(
            comment=c,
            toxicity={"insult": 0.6},
            relevance=0.1,
            decision="review",
            reasons=[{"code": "off_topic", "score": 0.1, "threshold": 0.15}],
        )
        for c in comments
    )


@pytest.mark.parametrize("url", [QUEUE, REVIEW])
def test_the_queue_and_review_screen_take_a_constant_number_of_queries(
    moderator_client, url, django_assert_max_num_queries
):
    fill_queue(3)
    with django_assert_max_num_queries(25) as small:
        assert moderator_client.get(url).status_code == 200

    fill_queue(10_000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = moderator_client.get(url)

    assert response.status_code == 200
    assert "queued comment" in response.content.decode()
