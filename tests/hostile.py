"""What the hostile-input tests share: the clients they send garbage with, the garbage itself, and
the check that an answer shows no traceback or internal name."""

from html.parser import HTMLParser

from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Article
from notifications.following import CONFIRM_SALT

# A payload that would run if it reached the page as markup; assert_inert looks for it.
MARK = "agoraXSS"
QUEUE = "/admin/moderation/reviewitem/"
REVIEW = "/admin/moderation/reviewitem/review/"
COMMENTS_ADMIN = "/admin/articles/comment/"
# The site-wide guard's answer to a NUL byte anywhere in a request.
NUL_MESSAGE = "NUL byte"
# The header a mail client sends with an RFC 8058 one-click unsubscribe.
ONE_CLICK = {"List-Unsubscribe": "One-Click"}

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

# Characters no comment or title keeps, and those XML 1.0 (the feeds) cannot carry at all.
CONTROL_CHARACTERS = [
    *(chr(c) for c in range(0x01, 0x09)),
    "\x0b",
    "\x0c",
    *(chr(c) for c in range(0x0E, 0x20)),
    "\x7f",
    "\x80",
    "\x85",
    "\x9b",
    "\x9f",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\ufdef",
    "\U0001fffe",
    "\U0010ffff",
]
UNWANTED_IN_XML = {chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {
    "\ufffe",
    "\uffff",
}

# Where a log-in, log-out or language switch must never send anyone.
FOREIGN_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    " //evil.example",
    "///evil.example",
    "http:///evil.example",
    "\thttps://evil.example",
]


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
    return response.status_code == 400 and NUL_MESSAGE.encode() in response.content


def post_url(article: Article) -> str:
    return reverse("articles:comment_create", kwargs={"slug": article.slug})


def report_url(pk) -> str:
    return f"/comments/{pk}/report/"


class LiveMarkup(HTMLParser):
    """Collects every place where MARK would run as markup or script, and where it shows as text."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.shown = False
        self._raw_element: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            value = value or ""
            if MARK not in name + value:
                continue
            squashed = "".join(value.split()).lower()
            if (
                name.startswith("on")
                or name in {"style", "srcdoc"}
                or name in self.URL_ATTRIBUTES
                and squashed.startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in {"script", "style"}:
            self._raw_element = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw_element:
            self._raw_element = None

    def handle_data(self, data: str) -> None:
        if MARK in data:
            if self._raw_element:
                self.live.append(f"inside <{self._raw_element}>: {data!r}")
            else:
                self.shown = True


def assert_inert(html: str) -> None:
    """The payload shows as text and nowhere as live markup."""
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    assert parser.live == []
    assert parser.shown, "the payload is not on the page at all"


def assert_stays_on_the_site(response) -> None:
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        location = response["Location"]
        assert url_has_allowed_host_and_scheme(location, {"testserver"}), location
        assert "evil" not in location
