"""A reader's own comments, with their status and, if turned down, the reason."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles import views
from moderation import services
from moderation.models import StatusChange
from tests.factories import make_article, make_comment, make_moderator, make_queued, make_user

MINE = reverse("articles:my_comments")


def test_it_requires_login(client, db):
    response = client.get(MINE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lists_only_the_readers_own_comments_with_their_status(reader_client, reader):
    article = make_article(title="Cycle lanes")
    published = make_comment(article, reader, body="Mine and published.")
    make_comment(article, reader, body="Mine and waiting.", status="pending")
    rejected = make_comment(
        article, reader, body="Mine and rejected.", status="rejected", rejection_reason="Off-topic"
    )
    make_comment(article, make_user(), body="Someone else's comment.")

    page = reader_client.get(MINE).content.decode()

    assert "Mine and published." in page and "Published" in page
    assert "Mine and waiting." in page and "Awaiting moderation" in page
    assert "Mine and rejected." in page and "Not published" in page
    assert "Reason: Off-topic" in page
    assert "Someone else" not in page
    assert published.get_absolute_url() in page
    assert rejected.get_absolute_url() in page
    assert "On “Cycle lanes”" in page


def test_a_removed_comment_shows_as_removed_with_its_reason(reader_client, reader, article):
    make_comment(article, reader, status="removed", rejection_reason="Spam or advertising")

    page = reader_client.get(MINE).content.decode()

    assert "Removed" in page
    assert "Reason: Spam or advertising" in page


def test_it_comes_in_pages_newest_first(reader_client, reader, article, monkeypatch):
    monkeypatch.setattr(views, "MY_COMMENTS_PER_PAGE", 2)
    for n in range(3):
        make_comment(article, reader, body=f"Comment number {n}.")

    first = reader_client.get(MINE).content.decode()
    second = reader_client.get(MINE, {"page": 2}).content.decode()

    assert "Comment number 2." in first and "Comment number 1." in first
    assert "Comment number 0." in second and "Comment number 2." not in second
    assert "Page 1 of 2" in first


def test_the_header_and_the_account_menu_link_it(reader_client):
    page = reader_client.get(reverse("articles:list")).content.decode()
    notifications = reader_client.get(reverse("articles:notifications")).content.decode()

    assert f'href="{MINE}"' in page
    assert f'href="{MINE}"' in notifications


def test_a_reader_with_no_comments_is_told_so(reader_client):
    assert "You have not written any comments yet." in reader_client.get(MINE).content.decode()


def rejected_by_moderator(author, body: str):
    comment = make_queued(make_article(), author, body=body)
    services.moderate(
        comment=comment,
        moderator=make_moderator(),
        action="reject",
        expected_status="needs_review",
        reason="off_topic",
    )
    return comment


def test_a_turned_down_comment_links_to_its_appeal_within_the_period(reader_client, reader):
    open_one = rejected_by_moderator(reader, "Still appealable.")
    late = rejected_by_moderator(reader, "Too late to appeal.")
    StatusChange.objects.filter(comment=late).update(created_at=timezone.now() - timedelta(days=99))

    page = reader_client.get(MINE).content.decode()

    assert page.count("Appeal against this decision") == 1
    assert f'href="{reverse("articles:comment_appeal", args=[open_one.pk])}"' in page
    assert reverse("articles:comment_appeal", args=[late.pk]) not in page


def test_an_appealed_comment_shows_where_its_appeal_stands(reader_client, reader):
    filed = rejected_by_moderator(reader, "Appealed and waiting.")
    upheld = rejected_by_moderator(reader, "Appealed and upheld.")
    for comment in (filed, upheld):
        services.file_appeal(comment_id=comment.pk, author=reader, text="Please look again.")
    services.decide_appeal(comment_id=upheld.pk, moderator=make_moderator(), grant=False)

    page = reader_client.get(MINE).content.decode()

    assert "Your appeal is being reviewed by a moderator." in page
    assert "Your appeal was rejected: the decision stands." in page
    assert "Appeal against this decision" not in page
