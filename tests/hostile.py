"""What the hostile-input tests share: the clients they send garbage with, the garbage itself, and
the check that an answer shows no traceback or internal name."""

from django.core import signing
from django.test import Client

from notifications.following import CONFIRM_SALT

# What a reader must never see: a traceback, an exception's name, a model field or status code.
READER_LEAKS = [
    "Traceback",
    "Exception",
    "Error at",
    'File "',
    "needs_review",
    "IntegrityError",
    "DoesNotExist",
    "OperationalError",
    "ValidationError",
    "AnonymousUser",
    "rejection_reason",
]
# The admin names statuses in its filter links; it must still never show a traceback.
ADMIN_LEAKS = ["Traceback", "Error at", 'File "', "IntegrityError", "OperationalError"]

HUGE_IDS = ["0", "999999999", "9223372036854775807", "9223372036854775808", "9" * 30]
MALFORMED_IDS = ["-1", "abc", "1.5", "1e3", "%20", "0x10", "%D9%A1", "%C2%B2"]
GARBAGE_NUMBERS = ["", "abc", "-1", "0", "1.5", "1e3", "9" * 40, "%00", "%C2%B2", "%D9%A1", "NaN"]
# Tokens no signed link of ours ever carries; SIGNED_GARBAGE are values ours never sign.
FORGED_TOKENS = [
    "",
    "nonsense",
    "a" * 5000,
    "x:y:z",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    signing.dumps(1, salt="another salt"),
    signing.dumps(1, salt=CONFIRM_SALT)[:-2] + "xx",  # a tampered signature
]
SIGNED_GARBAGE = ["abc", None, [1, 2], {"a": 1}, 10**30, -1]


def english(**kwargs) -> Client:
    """A visitor without an account, reading the site in English."""
    return Client(headers={"accept-language": "en"}, **kwargs)


def logged_in(user, **kwargs) -> Client:
    """A client with `user`'s session, reading the site in English."""
    client = Client(headers={"accept-language": "en"}, **kwargs)
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The response's body as text, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_no_leak(response, *, admin: bool = False) -> None:
    body = text_of(response)
    for leak in ADMIN_LEAKS if admin else READER_LEAKS:
        assert leak not in body, f"{leak!r} in the response"


def refused_for_a_nul_byte(response) -> bool:
    """The site-wide guard answered a NUL byte before the view."""
    return response.status_code == 400 and b"NUL byte" in response.content
