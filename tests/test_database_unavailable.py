"""While the database cannot be reached, readers get a 503 page in their language that says
whether their comment was saved, never a 500 with a traceback."""

from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from articles.models import Comment

NOT_SAVED_EN = (
    "The site is briefly unavailable. Your comment was not saved; please send it again in a moment."
)
NOT_SAVED_DE = (
    "Die Website ist kurz nicht erreichbar. Ihr Kommentar wurde nicht gespeichert; bitte senden "
    "Sie ihn gleich noch einmal."
)
NOTHING_SAVED_EN = (
    "The site is briefly unavailable. Nothing you sent was saved; please send it again in a moment."
)
SAVED_EN = "The site is briefly unavailable. Your comment was saved; please do not send it again."


@contextmanager
def database_down(when: Callable[[str], bool] = lambda sql: True):
    """Every query for which when(sql) is true fails as on a database that went away."""

    def refuse(execute, sql, params, many, context):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def inserting_a_comment(sql: str) -> bool:
    return sql.startswith('INSERT INTO "articles_comment"')


def post_url(article) -> str:
    return reverse("articles:comment_create", kwargs={"slug": article.slug})


def assert_unavailable(response, text: str) -> None:
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert text in page
    assert "Traceback" not in page
    assert "OperationalError" not in page


def test_a_comment_sent_while_the_database_is_down_gets_a_503_and_is_not_stored(
    reader_client, article
):
    with database_down(when=inserting_a_comment):
        response = reader_client.post(post_url(article), {"body": "Good plan for the city."})

    assert_unavailable(response, NOT_SAVED_EN)
    assert not Comment.objects.exists()


def test_a_german_reader_is_told_in_german_that_the_comment_was_not_saved(article, reader):
    german = Client()
    german.force_login(reader)

    with database_down(when=inserting_a_comment):
        response = german.post(post_url(article), {"body": "Guter Plan für die Stadt."})

    assert_unavailable(response, NOT_SAVED_DE)
    assert response["Content-Language"] == "de"
    assert 'lang="de"' in response.content.decode()
    assert not Comment.objects.exists()


def test_the_page_is_shown_when_not_even_the_session_can_be_read(reader_client, article):
    with database_down():
        post = reader_client.post(post_url(article), {"body": "Good plan for the city."})
        page = reader_client.get(article.get_absolute_url())

    assert_unavailable(post, NOT_SAVED_EN)
    assert_unavailable(page, "The site is briefly unavailable. Please try again in a moment.")
    assert not Comment.objects.exists()


def test_a_report_sent_while_the_database_is_down_is_not_called_a_comment(reader_client):
    with database_down():
        response = reader_client.post(reverse("articles:comment_report", kwargs={"pk": 1}))

    assert_unavailable(response, NOTHING_SAVED_EN)


def test_a_comment_stored_before_the_database_went_away_is_reported_as_saved(
    transactional_db, reader_client, article
):
    inserted = []

    def after_the_comment(sql: str) -> bool:
        gone = bool(inserted)
        if inserting_a_comment(sql):
            inserted.append(sql)
        return gone

    with database_down(when=after_the_comment):
        response = reader_client.post(post_url(article), {"body": "Good plan for the city."})

    assert_unavailable(response, SAVED_EN)
    assert Comment.objects.get().body == "Good plan for the city."


def test_a_session_that_cannot_be_saved_after_the_comment_gives_a_503_not_a_500(
    transactional_db, article, reader
):
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(reader)

    with database_down(when=lambda sql: sql.startswith('UPDATE "django_session"')):
        response = client.post(post_url(article), {"body": "Good plan for the city."})

    assert_unavailable(response, SAVED_EN)
    assert Comment.objects.get().body == "Good plan for the city."


def test_other_database_errors_are_not_hidden_behind_the_503(reader_client, article):
    def duplicate(execute, sql, params, many, context):
        if inserting_a_comment(sql):
            raise IntegrityError("duplicate key value")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(duplicate), pytest.raises(IntegrityError):
        reader_client.post(post_url(article), {"body": "Good plan for the city."})


class ReadsTheUserFirst:
    """A middleware that asks for the user before any view runs, as a "last seen" one would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 (loads the session and the user)
        return self.get_response(request)


def test_a_middleware_that_finds_the_database_down_gives_a_503_too(article, reader, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsTheUserFirst"]
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(reader)

    with database_down():
        response = client.post(post_url(article), {"body": "Good plan for the city."})

    # Before the URL is resolved: what was sent is not known to be a comment.
    assert_unavailable(response, NOTHING_SAVED_EN)
    assert not Comment.objects.exists()
