from datetime import timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_comment, make_user


@override_settings(ARTICLES_PER_PAGE=2)
def test_the_list_shows_published_articles_newest_first_in_pages(client, db):
    now = timezone.now()
    oldest = make_article(title="Oldest", published_at=now - timedelta(days=3))
    middle = make_article(title="Middle", published_at=now - timedelta(days=2))
    newest = make_article(title="Newest", published_at=now - timedelta(days=1))
    make_article(title="Tomorrow", published_at=now + timedelta(days=1))

    first = client.get(reverse("articles:list"))
    second = client.get(reverse("articles:list"), {"page": 2})

    assert [a.title for a in first.context["page_obj"]] == [newest.title, middle.title]
    assert [a.title for a in second.context["page_obj"]] == [oldest.title]
    assert "Tomorrow" not in first.content.decode() + second.content.decode()


def test_the_list_shows_each_articles_published_comments_count_in_constant_queries(
    client, db, django_assert_max_num_queries
):
    author = make_user()
    busy, quiet = make_article(title="Busy"), make_article(title="Quiet")
    for _ in range(3):
        make_comment(busy, author)
    for status in ("pending", "needs_review", "rejected", "removed"):
        make_comment(busy, author, status=status)
    make_comment(quiet, author)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("articles:list"))
    for _ in range(10):
        make_comment(make_article(), author)
    with django_assert_max_num_queries(3):
        client.get(reverse("articles:list"))

    page = response.content.decode()
    assert "3 comments" in page
    assert "1 comment<" in page
    counts = {a.title: a.comment_count for a in response.context["page_obj"]}
    assert counts == {"Busy": 3, "Quiet": 1}


def test_the_article_page_shows_the_article_the_policy_and_the_form(reader_client, article):
    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert article.title in page
    assert "Shops worry about parking." in page
    assert "respectful, on-topic discussion" in page
    assert 'name="body"' in page
    assert reverse("articles:policy") in page


def test_the_policy_has_its_own_page(client, db):
    page = client.get(reverse("articles:policy")).content.decode()

    assert "denigrate" in page
    assert "topic" in page


def test_an_anonymous_visitor_is_told_to_log_in_with_a_link(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    assert "Please log in to comment." in page
    assert reverse("account_login") in page
    assert 'name="body"' not in page


def test_an_unverified_user_is_told_to_verify_with_a_link(client, article):
    client.force_login(make_user(verified=False))

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Please verify your e-mail address" in page
    assert reverse("account_email") in page
    assert 'name="body"' not in page


def test_a_banned_user_is_told_so(client, article):
    client.force_login(make_user(banned=True))

    page = client.get(article.get_absolute_url()).content.decode()

    assert "banned from commenting" in page
    assert 'name="body"' not in page


def test_a_rejected_comment_shows_to_its_author_as_not_published_with_the_reason(
    reader_client, article, reader
):
    make_comment(article, reader, status="rejected", rejection_reason="Attacks another reader.")

    page = reader_client.get(article.get_absolute_url()).content.decode()

    assert "Not published" in page
    assert "Attacks another reader." in page


def test_an_unknown_article_is_404(client, db):
    assert client.get("/articles/nothing-here/").status_code == 404


def test_the_page_links_both_feeds(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert reverse("articles:feed") in page
    assert reverse("articles:comments_feed", kwargs={"slug": article.slug}) in page


def make_big_thread(article, size: int) -> None:
    from articles.models import Comment

    authors = [make_user() for _ in range(20)]
    comments = []
    for i in range(size):
        parent = comments[i // 3] if i >= 3 and i % 4 else None
        comments.append(
            Comment.objects.create(
                article=article,
                author=authors[i % len(authors)],
                parent=parent,
                depth=parent.depth + 1 if parent else 1,
                body=f"Comment number {i} about the cycle lanes.",
                status="approved",
            )
        )


def test_the_article_page_renders_a_thread_in_a_constant_number_of_queries(
    reader_client, article, django_assert_max_num_queries
):
    from articles.models import Comment

    make_big_thread(article, 10)
    with django_assert_max_num_queries(12) as small:
        reader_client.get(article.get_absolute_url())

    make_big_thread(article, 1000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = reader_client.get(article.get_absolute_url())

    import re

    shown = [int(pk) for pk in re.findall(r'id="comment-(\d+)"', response.content.decode())]
    roots = list(Comment.objects.filter(parent=None).order_by("created_at", "id"))
    shown_roots = [c.pk for c in roots if c.pk in shown]
    assert shown_roots == [c.pk for c in roots[: len(shown_roots)]]  # the oldest threads...
    whole = Comment.objects.filter(pk__in=shown_roots) | Comment.objects.filter(
        thread_root__in=shown_roots
    )
    assert sorted(shown) == sorted(whole.values_list("pk", flat=True))  # ... each whole
