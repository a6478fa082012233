"""Big discussions come in pages of top-level threads with all their replies; links to a comment
find its page; anonymous readers get a cached rendering that any status change renews."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles import views
from articles.models import Comment
from tests.factories import make_comment, make_user


def page_ids(response) -> list[int]:
    import re

    return [
        int(pk)
        for pk in re.findall(
            r'<article class="comment[^"]*" id="comment-(\d+)"', response.content.decode()
        )
    ]


def threads(article, count: int, **fields) -> list[Comment]:
    author = make_user()
    return [
        make_comment(article, author, body=f"Thread {i} on cycle lanes.", **fields)
        for i in range(count)
    ]


def test_the_page_shows_a_page_of_threads_with_all_their_replies(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 3
    roots = threads(article, 5)
    reply = make_comment(article, make_user(), parent=roots[1])
    deep = make_comment(article, make_user(), parent=reply)

    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url() + "?page=2")

    assert page_ids(first) == [roots[0].pk, roots[1].pk, reply.pk, deep.pk, roots[2].pk]
    assert page_ids(second) == [roots[3].pk, roots[4].pk]
    assert "?page=2&amp;order=oldest#discussion" in first.content.decode()
    assert "More comments" in first.content.decode()


def test_threads_can_be_ordered_newest_first_or_by_replies(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 10
    quiet, busy, newest = threads(article, 3)
    make_comment(article, make_user(), parent=busy)
    make_comment(article, make_user(), parent=busy)
    make_comment(article, make_user(), parent=newest, status="pending")  # not counted

    by_date = page_ids(client.get(article.get_absolute_url() + "?order=newest"))
    by_replies = page_ids(client.get(article.get_absolute_url() + "?order=replies"))

    assert [pk for pk in by_date if pk in {quiet.pk, busy.pk, newest.pk}] == [
        newest.pk,
        busy.pk,
        quiet.pk,
    ]
    assert by_replies[0] == busy.pk


@pytest.mark.parametrize("order", ["drop", "OLDEST", "newest%20", "x" * 500, ""])
def test_an_unknown_order_falls_back_to_the_default(client, article, settings, order):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    threads(article, 3)

    response = client.get(f"{article.get_absolute_url()}?order={order}")

    assert response.status_code == 200
    assert page_ids(response) == page_ids(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "3", "99999999999999999999", "9" * 5000, "1.0", "%C2%B2", "1e1"]
)
@pytest.mark.parametrize("language", ["en", "de"])
def test_it_answers_a_page_the_discussion_does_not_have_with_a_404_page(
    article, settings, page, language
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    threads(article, 3)  # two pages

    response = Client(headers={"accept-language": language}).get(
        f"{article.get_absolute_url()}?page={page}&order=newest"
    )

    assert response.status_code == 404
    text = response.content.decode()
    assert "Traceback" not in text
    assert {"en": "Page not found", "de": "Seite nicht gefunden"}[language] in text


def test_it_renders_each_page_and_order_once_however_junk_the_query(
    client, article, settings, monkeypatch
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    threads(article, 3)  # two pages, in three orders: at most six renderings
    rendered = []
    render = views.render_to_string
    monkeypatch.setattr(
        views,
        "render_to_string",
        lambda name, *a, **k: rendered.append(name) or render(name, *a, **k),
    )
    queries = (
        ["", "?page=1", "?page=01", "?page=0001&order=oldest", "?order=oldest", "?page="]
        + ["?page=2", "?page=02", "?page=2&order=oldest", "?page=2&order=newest"]
        + [f"?order=made-up-{n}" for n in range(60)]
        + [f"?page={n}" for n in range(3, 63)]
        + ["?page=abc", "?page=-1", "?page=0", "?page=99999999999999999999"]
    )

    statuses = {client.get(article.get_absolute_url() + query).status_code for query in queries}

    assert statuses == {200, 404}
    assert rendered.count("articles/_thread.html") == 3  # (1, oldest), (2, oldest), (2, newest)
    assert len([key for key in cache._cache if ":thread:" in key]) == 3


def test_a_link_to_a_comment_opens_the_page_that_holds_it(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    roots = threads(article, 5)
    reply = make_comment(article, make_user(), parent=roots[4])

    response = client.get(reply.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?page=3#comment-{reply.pk}"
    assert reply.pk in page_ids(client.get(response["Location"].split("#")[0]))


def test_a_link_to_a_comment_the_reader_may_not_see_is_404(client, article):
    hidden = make_comment(article, make_user(), status="pending")

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:comment_link", args=[999999])).status_code == 404


def test_the_author_is_sent_to_the_page_of_their_new_comment(reader_client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    threads(article, 2)

    response = reader_client.post(
        reverse("articles:comment_create", kwargs={"slug": article.slug}),
        {"body": "A third thread about the cycle lanes."},
    )

    comment = Comment.objects.latest("id")
    assert response["Location"] == f"{article.get_absolute_url()}?page=3#comment-{comment.pk}"


def test_anonymous_readers_get_a_cached_page_renewed_by_any_status_change(
    article, django_assert_max_num_queries
):
    from moderation import lifecycle

    reader = Client()
    published = make_comment(article, make_user(), body="Already published.")
    waiting = make_comment(
        article, make_user(), body="Waiting for a moderator.", status="needs_review"
    )
    first = reader.get(article.get_absolute_url())
    with django_assert_max_num_queries(2) as cached:  # the session-less page: article only
        again = reader.get(article.get_absolute_url())

    lifecycle.change(waiting, to="approved", by=lifecycle.By.MODERATOR, actor_label="test")
    renewed = reader.get(article.get_absolute_url())

    assert page_ids(first) == page_ids(again) == [published.pk]
    assert not any(
        "comment" in q["sql"] and "thread_root" in q["sql"] for q in cached.captured_queries
    )
    assert page_ids(renewed) == [published.pk, waiting.pk]


def test_logged_in_readers_never_get_the_anonymous_rendering(reader_client, reader, article):
    Client().get(article.get_absolute_url())  # fills the anonymous cache
    own = make_comment(article, reader, status="pending", body="My own waiting comment.")

    assert own.pk in page_ids(reader_client.get(article.get_absolute_url()))
