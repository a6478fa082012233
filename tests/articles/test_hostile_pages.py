"""Hostile text in comments and article titles on the pages and feeds that show them, and
garbage in the reader pages' URLs: script stays text, a stored control character breaks no feed,
read-only pages refuse writing methods, and no page shows a traceback or internal name.
"""

from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Comment
from tests.factories import make_article, make_comment, make_moderator, make_queue_entry, make_user
from tests.hostile import (
    CONTROL_CHARACTERS,
    MARK,
    QUEUE,
    REVIEW,
    UNWANTED_IN_XML,
    assert_inert,
    assert_no_leak,
    logged_in,
    text_of,
)


def parsed_feed(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own feed; raises if malformed


def feed_url(article: Article) -> str:
    return reverse("articles:comments_feed", kwargs={"slug": article.slug})


XSS_PAYLOADS = [
    f"<script>{MARK}()</script>",
    f'<img src=x onerror="{MARK}()">',
    f"<svg/onload={MARK}()>",
    f'<a href="javascript:{MARK}()">click</a>',
    f'"><script>{MARK}()</script>',
    f"'><img src=x onerror={MARK}()>",
    f'<iframe src="javascript:{MARK}()">',
    f"<body onload={MARK}()>",
    f'<div style="x:expression({MARK}())">',
    f'<a href="https://example.org/" onclick="{MARK}()">x</a>',
    f"javascript:{MARK}()",
    f'https://example.org/"onmouseover="{MARK}()',
    f"</textarea><script>{MARK}()</script>",
    f"<style>*{{x:url({MARK})}}</style>",
    f"&lt;script&gt;{MARK}()&lt;/script&gt;",
    f"<scr<script>ipt>{MARK}()</script>",
    f"{{{{ {MARK} }}}}{{% debug %}}",
    f"<details open ontoggle={MARK}()>",
    f"<input autofocus onfocus={MARK}()>",
    f'<a href="data:text/html,{MARK}">x</a>',
    f"<!--<img src=x onerror={MARK}()>-->",
    f'<form action="javascript:{MARK}()"><button>x',
]


def _article_page_as_a_reader(payload):
    article = make_article(language="en")
    make_comment(article, make_user(), body=payload)
    return Client().get(article.get_absolute_url()), False


def _authors_own_view(payload):
    article = make_article(language="en")
    author = make_user()
    make_comment(article, author, body=payload, status=Comment.Status.PENDING)
    return logged_in(author).get(article.get_absolute_url()), False


def _queue_list(payload):
    make_queue_entry(make_article(language="en"), payload)
    return logged_in(make_moderator()).get(QUEUE), True


def _review_screen(payload):
    make_queue_entry(make_article(language="en"), payload)
    return logged_in(make_moderator()).get(REVIEW), True


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize(
    "surface", [_article_page_as_a_reader, _authors_own_view, _queue_list, _review_screen]
)
def test_a_comment_payload_stays_text_on_every_page(payload, surface):
    response, admin = surface(payload)

    assert response.status_code == 200
    assert_inert(text_of(response))
    assert_no_leak(response, admin=admin)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_comment_payload_stays_text_in_the_feed(payload):
    article = make_article(language="en")
    make_comment(article, make_user(), body=payload)

    feed = parsed_feed(Client().get(feed_url(article)))

    descriptions = [item.findtext("description") for item in feed.iter("item")]
    assert len(descriptions) == 1
    assert_inert(descriptions[0])


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_an_article_title_payload_stays_text_on_the_page_and_in_the_feeds(payload):
    article = make_article(title=payload, lead=f"Lead {payload}", language="en")
    make_comment(article, make_user(), body="A quiet comment.")

    page = Client().get(article.get_absolute_url())
    site_feed = parsed_feed(Client().get(reverse("articles:feed")))
    comments_feed = parsed_feed(Client().get(feed_url(article)))

    assert page.status_code == 200
    assert_inert(text_of(page))
    assert_no_leak(page)
    # RSS titles are plain text: the payload is kept as text, escaped for XML.
    assert site_feed.find("channel/item/title").text == payload
    assert payload in comments_feed.find("channel/title").text
    assert_inert(site_feed.find("channel/item/description").text)


@pytest.mark.django_db
@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_stored_control_character_breaks_neither_feed_nor_page(char):
    """Comments and titles stored before the input refused them, or written through the admin."""
    article = make_article(title=f"Ferry{char} returns", lead=f"Lead{char}.", language="en")
    make_comment(article, make_user(), body=f"great,{char}I use it every day")

    comments_feed = Client().get(feed_url(article))
    site_feed = Client().get(reverse("articles:feed"))
    page = Client().get(article.get_absolute_url())

    for feed in (comments_feed, site_feed):
        parsed_feed(feed)
        assert not UNWANTED_IN_XML & set(feed.content.decode())
    assert "I use it every day" in comments_feed.content.decode()
    assert page.status_code == 200
    assert "I use it every day" in text_of(page)


READ_ONLY_PAGES = [
    "/",
    "/articles/{slug}/",
    "/feed/",
    "/articles/{slug}/feed/",
    "/policy/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", READ_ONLY_PAGES)
def test_head_answers_like_get_without_a_body(url):
    article = make_article()
    make_comment(article, make_user())
    url = url.format(slug=article.slug)

    got = Client().get(url)
    head = Client().head(url)

    assert (got.status_code, head.status_code) == (200, 200)
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", READ_ONLY_PAGES)
def test_a_read_only_page_refuses_writing_methods(url, method):
    article = make_article()
    client = logged_in(make_user())

    response = getattr(client, method)(url.format(slug=article.slug))

    assert response.status_code == 405
    assert_no_leak(response)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["1", "-1", "0", "abc", "9" * 30, "1.5", "last", ""])
def test_a_forged_page_number_shows_a_page(page):
    make_article()

    response = Client().get("/", {"page": page})

    assert response.status_code == 200
    assert_no_leak(response)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [quote("ärger"), "a" * 300, "..%2F..%2Fetc", "%2e%2e"])
def test_an_odd_slug_is_404(slug):
    response = Client().get(f"/articles/{slug}/")

    assert response.status_code == 404
    assert_no_leak(response)
