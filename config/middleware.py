"""Requests the site refuses before any view sees them, with a 400 and a plain message."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class RefuseForeignFormCharsetMiddleware:
    """Forms must be UTF-8.

    Django refuses a form in another charset with a 400, but then reads the form again to log the
    request and fails with a 500. So the site refuses it first, before anything reads the form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.encoding is the declared charset when Python knows it (Django ignores others).
        encoding = request.encoding
        if request.content_type in FORM_TYPES and encoding and encoding.lower() != "utf-8":
            return _bad_request(_("This site accepts forms only in UTF-8."))
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """No NUL byte in the path, query string, form values or cookies.

    PostgreSQL cannot store or compare text with a NUL byte and answers with an error, so a filter
    parameter like ?status=%00 would end in a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul_byte(request):
            return _bad_request(_("The request contains a NUL byte, which this site refuses."))
        return self.get_response(request)


def _has_nul_byte(request: HttpRequest) -> bool:
    texts = [request.path, *request.COOKIES.keys(), *request.COOKIES.values()]
    forms = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        forms.append(request.POST)
    for form in forms:
        for key, values in form.lists():
            texts.append(key)
            texts.extend(values)
    return any("\x00" in text for text in texts)
