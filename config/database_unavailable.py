"""A 503 page instead of a 500 while the database cannot be reached (a restart, a fail-over).

The page tells a reader who sent a form whether it was saved. Each workflow is one transaction,
so a failure before its commit leaves nothing behind; a failure after it (the page the view goes
on to build, saving the session) does not undo it. The middleware therefore notes whether the
request committed a write, and the page says "saved" or "not saved" accordingly.

The page is rendered without the database: a plain template, no context processors, no session
and no user.
"""

import logging
import sys
from collections.abc import Callable
from typing import cast

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNREACHABLE = (OperationalError, InterfaceError)
WRITES = {"INSERT", "UPDATE", "DELETE"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
COMMENT_POST = "articles:comment_create"


class _NotedRequest(HttpRequest):
    """The notes this module writes on a request, declared for the type checker (no request is
    of this class; the notes are plain attributes, read with a default)."""

    committed_writes: "CommittedWrites"
    database_unreachable: bool


class DatabaseUnavailableMiddleware:
    """Answers a request that failed on an unreachable database with a 503 and Retry-After.

    A failure in the view comes to process_exception. One in another middleware has been made a
    500 by Django before it gets here; got_request_exception marks the request, and the 500 is
    replaced. (The session's own failures are DatabaseAwareSessionMiddleware's.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_mark_unreachable_database, dispatch_uid=__name__)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        notes = CommittedWrites()
        cast(_NotedRequest, request).committed_writes = notes
        with connection.execute_wrapper(notes):
            response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unreachable", False):
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNREACHABLE):
            return None
        logger.warning(
            "The database is unreachable (%s %s): %s", request.method, request.path, exception
        )
        return unavailable_response(request)


class DatabaseAwareSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a session it cannot save because the database
    is gone gives the 503 page. Django would answer 400 ("session interrupted"), after the view
    may have saved the reader's comment."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, *UNREACHABLE) as error:
            cause = _unreachable_database_behind(error)
            if cause is None:
                raise
            logger.warning("The database is unreachable (saving the session): %s", cause)
            return unavailable_response(request)


class CommittedWrites:
    """A database execute wrapper: `saved` turns true once a write of the request is committed
    (at once outside a transaction, else when the transaction commits)."""

    def __init__(self) -> None:
        self.saved = False

    def __call__(
        self, execute: Callable, sql: str, params: object, many: bool, context: dict
    ) -> object:
        result = execute(sql, params, many, context)
        if not self.saved and sql.lstrip()[:6].upper() in WRITES:
            database = context["connection"]
            if database.in_atomic_block:
                database.on_commit(self._mark_saved)
            elif database.get_autocommit():
                self._mark_saved()
        return result

    def _mark_saved(self) -> None:
        self.saved = True


def _unreachable_database_behind(error: BaseException | None) -> BaseException | None:
    """The OperationalError or InterfaceError that (maybe through others) led to this error."""
    while error is not None:
        if isinstance(error, UNREACHABLE):
            return error
        error = error.__cause__ or error.__context__
    return None


def _mark_unreachable_database(
    sender: object, request: HttpRequest | None = None, **kwargs: object
) -> None:
    # Sent while Django handles the exception, so it is still the current one.
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        cast(_NotedRequest, request).database_unreachable = True


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page in the reader's language, saying whether what they sent was saved."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        page = render_to_string("503.html", {"language": language, "message": _message(request)})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    add_never_cache_headers(response)
    return response


def _message(request: HttpRequest) -> str:
    if request.method in SAFE_METHODS:
        return _("The site is briefly unavailable. Please try again in a moment.")
    notes = getattr(request, "committed_writes", None)
    saved = notes is not None and notes.saved
    match = request.resolver_match
    if match is not None and match.view_name == COMMENT_POST:
        if saved:
            return _(
                "The site is briefly unavailable. Your comment was saved; please do not send it "
                "again."
            )
        return _(
            "The site is briefly unavailable. Your comment was not saved; please send it again "
            "in a moment."
        )
    if saved:
        return _(
            "The site is briefly unavailable. What you sent was saved; please do not send it again."
        )
    return _(
        "The site is briefly unavailable. Nothing you sent was saved; please send it again in a "
        "moment."
    )
