from django.test import Client
from django.urls import reverse

from tests.factories import make_article, make_comment


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


def test_the_article_feed_gives_readers_escaped_html(client, article, reader):
    make_comment(article, reader, body='<script>alert(1)</script><img src=x onerror="x()">')

    body = client.get(reverse("articles:comments_feed", kwargs={"slug": article.slug})).content

    # The description is HTML a feed reader renders: the reader's markup must stay text in it,
    # that is escaped once for HTML and once more for XML.
    assert b"&amp;lt;script&amp;gt;" in body
    assert b"&lt;img" not in body
    assert b"&amp;lt;img" in body


def test_the_article_feed_never_shows_a_reply_out_of_context(client, article, reader):
    removed = make_comment(article, reader, body="Removed parent", status="removed")
    make_comment(article, reader, parent=removed, body="Orphaned reply")

    body = client.get(reverse("articles:comments_feed", kwargs={"slug": article.slug})).content

    assert b"Orphaned reply" not in body


def test_the_feed_of_an_unknown_article_is_404(client, db):
    assert client.get("/articles/missing/feed/").status_code == 404


def test_a_control_character_in_a_comment_leaves_the_feed_well_formed(client, article, reader):
    from xml.etree import ElementTree

    make_comment(article, reader, body="great,\x0bI use it every day")
    make_comment(article, reader, body="odd\ufffe\uffff text")

    feed = client.get(reverse("articles:comments_feed", kwargs={"slug": article.slug}))

    assert feed.status_code == 200
    ElementTree.fromstring(feed.content)  # noqa: S314 - our own feed; raises if malformed
    assert b"I use it every day" in feed.content


def test_feeds_answer_head(client, article):
    for url in [reverse("articles:feed"), reverse("articles:comments_feed", args=[article.slug])]:
        assert client.head(url).status_code == 200


def test_the_article_feed_declares_the_article_language_not_the_interface_language(db):
    english = make_article(title="Ferry returns", language="en")
    german = make_article(title="Die Fähre kommt zurück", language="de")

    german_reader = Client(headers={"accept-language": "de"})
    english_reader = Client(headers={"accept-language": "en"})
    english_feed = german_reader.get(reverse("articles:comments_feed", args=[english.slug]))
    german_feed = english_reader.get(reverse("articles:comments_feed", args=[german.slug]))

    assert "<language>en</language>" in english_feed.content.decode()
    assert "<title>Comments on “Ferry returns”</title>" in english_feed.content.decode()
    assert "<language>de</language>" in german_feed.content.decode()
    assert "<title>Kommentare zu „Die Fähre kommt zurück“</title>" in german_feed.content.decode()


def test_feed_links_use_the_host_of_site_url_not_example_com(client, article, reader, settings):
    settings.SITE_URL = "https://news.example.org:8443"
    comment = make_comment(article, reader, body="Published words")

    articles_feed = client.get(reverse("articles:feed")).content.decode()
    comments_feed = client.get(
        reverse("articles:comments_feed", kwargs={"slug": article.slug})
    ).content.decode()

    assert (
        f"<link>https://news.example.org:8443{article.get_absolute_url()}</link>" in articles_feed
    )
    assert (
        f"<link>https://news.example.org:8443{comment.get_absolute_url()}</link>" in comments_feed
    )
    assert 'href="https://news.example.org:8443/feed/"' in articles_feed
    assert "example.com" not in articles_feed + comments_feed
