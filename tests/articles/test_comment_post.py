import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import Comment
from tests.factories import make_article, make_comment, make_user


def post_url(article):
    return reverse("articles:comment_create", kwargs={"slug": article.slug})


def test_it_stores_a_new_comment_as_pending_and_shows_it_to_its_author(reader_client, article):
    response = reader_client.post(post_url(article), {"body": "Good plan for the city."})

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Good plan for the city." in page
    assert "Awaiting moderation" in page


def test_it_hides_a_pending_comment_from_other_readers(reader_client, client, article):
    reader_client.post(post_url(article), {"body": "Only I can see this for now."})
    client.force_login(make_user())

    assert "Only I can see this" not in client.get(article.get_absolute_url()).content.decode()


def test_it_hands_the_comment_to_moderation_after_the_commit(
    reader_client, article, monkeypatch, django_capture_on_commit_callbacks
):
    handed_over = []
    monkeypatch.setattr(
        "moderation.services.comment_submitted",
        lambda *, comment_id: handed_over.append(comment_id),
    )
    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(post_url(article), {"body": "A comment for the queue."})

    assert handed_over == [Comment.objects.get().pk]


def test_it_stores_a_reply_under_its_parent(reader_client, article, reader):
    parent = make_comment(article, make_user())

    reader_client.post(post_url(article), {"body": "A reply.", "parent": parent.pk})

    reply = Comment.objects.get(parent=parent)
    assert reply.depth == 2
    assert reply.status == Comment.Status.PENDING


@override_settings(COMMENTS_MAX_DEPTH=3)
def test_it_attaches_a_reply_below_the_depth_limit_at_the_deepest_level(
    reader_client, article, reader
):
    level1 = make_comment(article, reader)
    level2 = make_comment(article, reader, parent=level1)
    level3 = make_comment(article, reader, parent=level2)

    reader_client.post(post_url(article), {"body": "Too deep.", "parent": level3.pk})

    reply = Comment.objects.get(body="Too deep.")
    assert reply.parent == level2
    assert reply.depth == 3


def assert_refused(response, status, message):
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Comment.objects.filter(status=Comment.Status.PENDING).exists()


def test_it_refuses_a_reply_to_a_comment_of_another_article(reader_client, article, reader):
    elsewhere = make_comment(make_article(), reader)

    response = reader_client.post(post_url(article), {"body": "Hi", "parent": elsewhere.pk})

    assert_refused(response, 400, "belongs to another article")


def test_it_refuses_a_reply_to_a_comment_that_no_longer_exists(reader_client, article):
    response = reader_client.post(post_url(article), {"body": "Hi", "parent": 999999})

    assert_refused(response, 400, "no longer exists")


def test_it_refuses_a_reply_to_a_rejected_comment(reader_client, article, reader):
    rejected = make_comment(article, make_user(), status="rejected")

    response = reader_client.post(post_url(article), {"body": "Hi", "parent": rejected.pk})

    assert_refused(response, 400, "is not published")


@pytest.mark.parametrize("body", ["", "   \n  ", "\u200b\u200b\u200b", "\u3164", "\u2800"])
def test_it_refuses_an_empty_comment(reader_client, article, body):
    response = reader_client.post(post_url(article), {"body": body})

    assert_refused(response, 400, "Please write a comment")


@override_settings(COMMENTS_MAX_LENGTH=50)
def test_it_refuses_a_comment_over_the_length_limit_and_keeps_the_text(reader_client, article):
    text = "Far too long. " * 10

    response = reader_client.post(post_url(article), {"body": text})

    assert_refused(response, 400, "Please keep your comment to 50 characters (it has 139)")
    assert text.strip() in response.content.decode()


def test_it_refuses_a_comment_when_comments_are_closed(reader_client):
    closed = make_article(comments_open=False)

    response = reader_client.post(post_url(closed), {"body": "Hello"})

    assert_refused(response, 403, "Comments are closed for this article.")


def test_it_refuses_a_comment_from_an_unverified_user(client, article):
    client.force_login(make_user(verified=False))

    response = client.post(post_url(article), {"body": "Hello"})

    assert_refused(response, 403, "Please verify your e-mail address")


def test_it_refuses_a_comment_from_a_banned_user(client, article):
    client.force_login(make_user(banned=True))

    response = client.post(post_url(article), {"body": "Hello"})

    assert_refused(response, 403, "banned from commenting")


def test_it_refuses_a_comment_from_an_anonymous_visitor(client, article):
    response = client.post(post_url(article), {"body": "Hello"})

    assert_refused(response, 403, "Please log in to comment.")


def test_it_answers_404_for_a_nonexistent_article(reader_client):
    response = reader_client.post("/articles/no-such-article/comments/", {"body": "Hello"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_it_answers_404_for_an_article_not_yet_published(reader_client):
    from datetime import timedelta

    from django.utils import timezone

    future = make_article(published_at=timezone.now() + timedelta(days=1))

    response = reader_client.post(post_url(future), {"body": "Hello"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_it_refuses_a_post_without_a_csrf_token(article, reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Hello"})

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_it_refuses_a_non_numeric_parent(reader_client, article):
    response = reader_client.post(post_url(article), {"body": "Hi", "parent": "abc"})

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_it_drops_control_characters_from_a_new_comment(reader_client, article):
    reader_client.post(post_url(article), {"body": "great,\x0bI use it every day\x1b\ufffe"})

    assert Comment.objects.get().body == "great,\nI use it every day"
