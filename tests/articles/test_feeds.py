from django.urls import reverse

from tests.conftest import make_article, make_comment


def test_the_site_feed_lists_articles(client, db):
    make_article(title="Ferry returns")

    response = client.get(reverse("articles:feed"))

    assert response["Content-Type"].startswith("application/rss+xml")
    assert "<title>Ferry returns</title>" in response.content.decode()


def test_the_article_feed_lists_only_published_comments(client, article, reader):
    make_comment(article, reader, body="Published words")
    make_comment(article, reader, body="Pending words", status="pending")
    make_comment(article, reader, body="Rejected words", status="rejected")

    feed = client.get(reverse("articles:comments_feed", kwargs={"slug": article.slug}))

    body = feed.content.decode()
    assert "Published words" in body
    assert "Pending words" not in body
    assert "Rejected words" not in body


def test_the_article_feed_escapes_comment_text(client, article, reader):
    make_comment(article, reader, body="<script>alert(1)</script>")

    body = client.get(reverse("articles:comments_feed", kwargs={"slug": article.slug})).content

    assert b"<script>" not in body


def test_the_feed_of_an_unknown_article_is_404(client, db):
    assert client.get("/articles/missing/feed/").status_code == 404
