"""Hostile input, everywhere a stranger can send it: each case gets the right status, stores
nothing wrongly, and shows no traceback or internal name.

The admin side is reached only through its URLs and the ORM models (Comment, Article, ReviewItem,
Report), so these tests hold while the moderation code moves between modules.
"""

from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Article, Comment
from moderation.models import Report, ReviewItem
from notifications.models import EmailPreferences as Profile
from tests.factories import make_article, make_comment, make_moderator, make_user

MARK = "agoraXSS"
QUEUE = "/admin/moderation/reviewitem/"
REVIEW = "/admin/moderation/reviewitem/review/"
COMMENTS_ADMIN = "/admin/articles/comment/"

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


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_no_leak(response, *, admin: bool = False) -> None:
    body = text_of(response)
    for leak in ADMIN_LEAKS if admin else READER_LEAKS:
        assert leak not in body, f"{leak!r} in the response"


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


def parsed_feed(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own feed; raises if malformed


def feed_url(article: Article) -> str:
    return reverse("articles:comments_feed", kwargs={"slug": article.slug})


def post_url(article: Article) -> str:
    return reverse("articles:comment_create", kwargs={"slug": article.slug})


def report_url(pk) -> str:
    return f"/comments/{pk}/report/"


def logged_in(user, **kwargs) -> Client:
    client = Client(headers={"accept-language": "en"}, **kwargs)
    client.force_login(user)
    return client


def queued(article: Article, body: str, author=None) -> Comment:
    """A comment the policy sent to review, with its queue item, made through the ORM only."""
    comment = make_comment(
        article, author or make_user(), body=body, status=Comment.Status.NEEDS_REVIEW
    )
    item = ReviewItem.objects.create(comment=comment, source="policy", language=article.language)
    item.reasons.create(code="off_topic")
    return comment


# --- Script in comments and titles --------------------------------------------------------------

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
    queued(make_article(language="en"), payload)
    return logged_in(make_moderator()).get(QUEUE), True


def _review_screen(payload):
    queued(make_article(language="en"), payload)
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


# --- Ids: forged, foreign, negative, huge, not numbers -------------------------------------------

HUGE_IDS = ["0", "999999999", "9223372036854775807", "9223372036854775808", "9" * 30]


@pytest.mark.django_db
@pytest.mark.parametrize("pk", HUGE_IDS)
def test_a_report_on_an_unknown_or_huge_id_is_404(pk):
    client = logged_in(make_user())

    response = client.post(report_url(pk), {"reason": "spam"})

    assert response.status_code == 404
    assert_no_leak(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["-1", "abc", "1.5", "1e3", "%20", "0x10", "%D9%A1"])
def test_a_report_url_with_a_malformed_id_is_404(pk):
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(f"/comments/{pk}/report/", {"reason": "spam"})

    assert response.status_code == 404
    assert_no_leak(response)
    assert not Report.objects.exists()
    assert comment.pk  # the comment exists; only the id in the URL is wrong


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parent",
    [
        "-1",
        "0",
        "abc",
        "1.5",
        "1e3",
        "0x10",
        "null",
        "[]",
        "9223372036854775808",
        "9" * 30,
        "999999",
    ],
)
def test_a_reply_to_a_forged_parent_id_is_refused(parent):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.post(post_url(article), {"body": "A reply.", "parent": parent})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["approved", "pending", "needs_review", "rejected", "removed"])
def test_a_reply_to_a_comment_of_another_article_is_refused(status):
    article = make_article(language="en")
    foreign = make_comment(make_article(), make_user(), status=status)
    client = logged_in(make_user())

    response = client.post(post_url(article), {"body": "A reply.", "parent": foreign.pk})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Comment.objects.filter(parent=foreign).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "needs_review", "rejected", "removed"])
def test_a_reply_to_someone_elses_unpublished_comment_is_refused(status):
    article = make_article(language="en")
    hidden = make_comment(article, make_user(), status=status)
    client = logged_in(make_user())

    response = client.post(post_url(article), {"body": "A reply.", "parent": hidden.pk})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Comment.objects.filter(parent=hidden).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        "x",
        "a" * 5000,
        "1:abc:def",
        signing.dumps(1, salt="another.salt"),
        signing.dumps("1", salt="agora.notifications.off", key="not-our-secret-key" * 3),
    ],
)
def test_a_forged_unsubscribe_token_is_400_and_changes_nothing(token):
    user = make_user()
    Profile.objects.create(user=user, notify_on_decision=True)
    url = reverse("articles:notifications_off", args=[token])

    shown, posted = Client().get(url), Client().post(url)

    assert (shown.status_code, posted.status_code) == (400, 400)
    assert_no_leak(posted)
    assert Profile.objects.get(user=user).notify_on_decision


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30, "1.5", "9223372036854775808"])
@pytest.mark.parametrize("field", ["comment__article__id__exact", "comment__author__id__exact"])
def test_a_forged_id_in_a_queue_filter_is_no_error(field, value):
    queued(make_article(), "Waiting")

    response = logged_in(make_moderator()).get(QUEUE, {field: value})

    assert response.status_code in {200, 302}
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "9223372036854775807"])
def test_a_decision_on_an_unknown_comment_is_404(pk):
    client = logged_in(make_moderator())

    response = client.post(
        reverse("admin:moderation_decide", args=[pk]),
        {"action": "approve", "expected_status": "needs_review"},
    )

    assert response.status_code == 404
    assert_no_leak(response, admin=True)


# --- Control, invisible, bidi and broken text ---------------------------------------------------

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


@pytest.mark.django_db
@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_character_in_a_new_comment_is_dropped(char):
    article = make_article(language="en")
    make_comment(article, make_user())
    client = logged_in(make_user())

    response = client.post(post_url(article), {"body": f"great,{char}I use it every day"})

    assert response.status_code == 302
    stored = Comment.objects.latest("pk").body
    assert char not in stored
    assert "great," in stored and "I use it every day" in stored


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


INVISIBLE_BODIES = [
    "\u200b\u200b\u200b",
    "\ufeff\u200c\u200d",
    "\u200e\u200f",
    "\u3164",
    "\u2800",
    "\u00ad",
    "\u2060\u2061\u2062",
    "\u180e",
    "\u115f\u1160",
    "\uffa0",
    "\u034f",
    "\ufe0f",
    "\U000e0041\U000e007f",
    "\u202e\u202c",
    "\u2066\u2069",
    " \u200b \n\t\u3000 ",
    "\u2028\u2029",
    "\u0301\u0301",
    "\x0b\x0c",
    "\x01\x02\ufffe",
]


@pytest.mark.django_db
@pytest.mark.parametrize("body", INVISIBLE_BODIES, ids=lambda b: "+".join(f"{ord(c):X}" for c in b))
def test_a_comment_of_invisible_characters_only_is_refused_like_an_empty_one(body):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.post(post_url(article), {"body": body})

    assert response.status_code == 400
    assert "Please write a comment before you send it." in text_of(response)
    assert_no_leak(response)
    assert not Comment.objects.exists()


BIDI_BODIES = [
    "\u202egnp.exe is a nice file",
    "abc\u202edef and more",
    "\u2066isolated\u2069 text",
    "\u200fمرحبا\u200f بالجميع",
    "شكرا على المقال",
    "\u202dforced left\u202c ok",
]


@pytest.mark.django_db
@pytest.mark.parametrize("body", BIDI_BODIES)
def test_bidi_text_is_kept_inside_its_comment(body):
    article = make_article(language="en")
    author = make_user()
    client = logged_in(author)

    response = client.post(post_url(article), {"body": body})

    assert response.status_code == 302
    assert Comment.objects.get().body == body
    page = text_of(client.get(article.get_absolute_url()))
    # The text sits inside its own paragraph, which ends any override before the page goes on.
    assert f"<p>{body}</p>" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        b"body=ok%ED%A0%80ok",  # a lone high surrogate, as CESU-8
        b"body=ok%ED%BF%BFok",  # a lone low surrogate
        b"body=ok%F0%9F%98ok",  # a cut-off four-byte sequence
        b"body=ok%C0%AEok",  # an overlong encoding
        b"body=ok%FF%FEok",  # bytes that are never UTF-8
        b"body=%ED%A0%80",  # nothing else
    ],
)
def test_broken_utf8_and_lone_surrogates_never_reach_the_database(raw):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.post(post_url(article), raw, content_type="application/x-www-form-urlencoded")

    assert response.status_code in {302, 400}
    assert_no_leak(response)
    for comment in Comment.objects.all():
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in comment.body)
        comment.body.encode("utf-8")


# --- NUL bytes ---------------------------------------------------------------------------------

NUL_MESSAGE = "NUL byte"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"body": "a\x00b"},
        {"body": "\x00"},
        {"body": "Hello", "parent": "\x00"},
        {"body": "Hello", "parent": "1\x00"},
        {"body": "Hello", "x\x00": "y"},
    ],
)
def test_a_nul_byte_in_a_comment_form_is_400(data):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.post(post_url(article), data)

    assert response.status_code == 400
    assert NUL_MESSAGE in text_of(response)
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"reason": "spam\x00"}, {"reason": "spam", "text": "a\x00b"}])
def test_a_nul_byte_in_a_report_is_400(data):
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(report_url(comment.pk), data)

    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/?page=%00",
        "/?%00=1",
        "/articles/{slug}/?x=%00",
        "/articles/%00/",
        "/articles/{slug}/feed/?x=%00",
        "/policy/?q=a%00b",
        "/accounts/login/?next=%00",
    ],
)
def test_a_nul_byte_in_a_reader_url_is_400_with_a_plain_message(url):
    article = make_article()

    response = Client(headers={"accept-language": "en"}).get(url.format(slug=article.slug))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert NUL_MESSAGE in text_of(response)
    assert_no_leak(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"{QUEUE}?reason=%00",
        f"{QUEUE}?label=%00",
        f"{QUEUE}?language=%00",
        f"{QUEUE}?q=%00",
        f"{COMMENTS_ADMIN}?status=%00",
        f"{COMMENTS_ADMIN}?q=%00",
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_400(url):
    queued(make_article(), "Waiting")

    response = logged_in(make_superuser_moderator()).get(url)

    assert response.status_code == 400
    assert NUL_MESSAGE in text_of(response)


def make_superuser_moderator():
    user = make_moderator()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.mark.django_db
def test_a_nul_byte_in_the_sign_up_form_creates_no_account():
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "nul@example.org",
            "username": "nul\x00user",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert response.status_code == 400
    assert not get_user_model().objects.filter(email="nul@example.org").exists()


def test_german_readers_read_the_nul_byte_message_in_german(db):
    response = Client(headers={"accept-language": "de"}).get("/?page=%00")

    assert response.status_code == 400
    assert "NUL-Byte" in text_of(response)


# --- Form charsets -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=utf-32",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=cp037",
        "multipart/form-data; boundary=xyz; charset=utf-16",
    ],
)
def test_a_form_in_another_charset_is_400(content_type):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.generic(
        "POST", post_url(article), "body=Hello".encode("utf-16"), content_type=content_type
    )

    assert response.status_code == 400
    assert "UTF-8" in text_of(response)
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "unknown-charset"])
def test_a_form_declared_as_utf8_or_an_unknown_charset_is_taken(charset):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.generic(
        "POST",
        post_url(article),
        b"body=Gr%C3%BC%C3%9Fe",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == 302
    assert Comment.objects.get().body == "Grüße"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=\xff"]
)
def test_a_malformed_multipart_form_is_400(content_type):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.generic("POST", post_url(article), b"body=Hello", content_type=content_type)

    assert response.status_code == 400
    assert not Comment.objects.exists()


# --- Length ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, status",
    [
        ("x" * 3000, 302),
        ("😀" * 3000, 302),
        ("x" * 3001, 400),
        ("x" * 30000, 400),
        ("x" * 2_000_000, 400),
        ("x" * 3_000_000, 400),  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        ("e\u0301" * 1600, 400),  # 3200 code points that look like 1600 letters
    ],
    ids=[
        "at-limit",
        "emoji-at-limit",
        "one-over",
        "ten-times",
        "two-megabytes",
        "too-big",
        "marks",
    ],
)
def test_the_length_limit_holds_for_every_size(body, status):
    article = make_article(language="en")
    client = logged_in(make_user())

    response = client.post(post_url(article), {"body": body})

    assert response.status_code == status
    assert_no_leak(response)
    assert Comment.objects.count() == (1 if status == 302 else 0)


@pytest.mark.django_db
def test_a_report_text_over_500_characters_is_refused():
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(report_url(comment.pk), {"reason": "spam", "text": "x" * 501})

    assert response.status_code == 400
    assert not Report.objects.exists()


# --- CSRF --------------------------------------------------------------------------------------


def _comment_post(client, article, comment):
    return client.post(
        post_url(article), {"body": "Hello", **client.token}
    ), lambda: not Comment.objects.filter(body="Hello").exists()


def _report_post(client, article, comment):
    response = client.post(report_url(comment.pk), {"reason": "spam", **client.token})
    return response, lambda: not Report.objects.exists()


def _logout_post(client, article, comment):
    response = client.post(reverse("account_logout"), client.token)
    return response, lambda: client.get("/").context["user"].is_authenticated


def _language_post(client, article, comment):
    response = client.post(reverse("set_language"), {"language": "de", **client.token})
    return response, lambda: "django_language" not in client.cookies


def _notification_settings_post(client, article, comment):
    response = client.post(
        reverse("articles:notifications"),
        {"notify_on_decision": "on", "language": "en", **client.token},
    )
    return response, lambda: not Profile.objects.filter(notify_on_decision=True).exists()


def _decision_post(client, article, comment):
    queued_comment = queued(article, "Waiting for a moderator")
    response = client.post(
        reverse("admin:moderation_decide", args=[queued_comment.pk]),
        {"action": "approve", "expected_status": "needs_review", **client.token},
    )
    return (
        response,
        lambda: Comment.objects.get(pk=queued_comment.pk).status == Comment.Status.NEEDS_REVIEW,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token", [{}, {"csrfmiddlewaretoken": "x" * 64}, {"csrfmiddlewaretoken": ""}]
)
@pytest.mark.parametrize(
    "send",
    [
        _comment_post,
        _report_post,
        _logout_post,
        _language_post,
        _notification_settings_post,
        _decision_post,
    ],
)
def test_a_post_without_a_valid_csrf_token_is_403_and_changes_nothing(send, token):
    article = make_article(language="en")
    comment = make_comment(article, make_user())
    client = logged_in(make_moderator(), enforce_csrf_checks=True)
    client.token = token

    response, unchanged = send(client, article, comment)

    assert response.status_code == 403
    assert unchanged()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_signup", "account_login"])
def test_sign_up_and_log_in_without_a_csrf_token_are_403(url_name):
    make_user("known")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse(url_name),
        {
            "email": "new@example.org",
            "username": "newcomer",
            "login": "known@example.org",
            "password": "a-long-test-password",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert "_auth_user_id" not in client.session


# --- Open redirects ----------------------------------------------------------------------------

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


def assert_stays_on_the_site(response) -> None:
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        location = response["Location"]
        assert url_has_allowed_host_and_scheme(location, {"testserver"}), location
        assert "evil" not in location


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_log_in_never_redirects_off_the_site(target):
    make_user("walker")

    response = Client().post(
        reverse("account_login"),
        {"login": "walker@example.org", "password": "a-long-test-password", "next": target},
    )

    assert response.status_code == 302
    assert_stays_on_the_site(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_log_out_never_redirects_off_the_site(target):
    client = logged_in(make_user())

    response = client.post(reverse("account_logout"), {"next": target})

    assert_stays_on_the_site(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_the_language_switch_never_redirects_off_the_site(target):
    response = Client().post(reverse("set_language"), {"language": "en", "next": target})

    assert response.status_code == 302
    assert_stays_on_the_site(response)


@pytest.mark.django_db
@pytest.mark.parametrize("target", FOREIGN_NEXT)
def test_the_language_switch_ignores_a_foreign_referer(target):
    response = Client(headers={"referer": target}).post(reverse("set_language"), {"language": "en"})

    assert_stays_on_the_site(response)


# --- Methods -----------------------------------------------------------------------------------

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
@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_the_comment_form_takes_only_post(method):
    article = make_article()
    client = logged_in(make_user())

    response = getattr(client, method)(post_url(article), {"body": "Hello"})

    assert response.status_code == 405
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_a_report_takes_only_post(method):
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = getattr(client, method)(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 405
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_method_override_header_is_ignored():
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())

    response = client.post(
        report_url(comment.pk), {"reason": "spam"}, headers={"x-http-method-override": "DELETE"}
    )

    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert Comment.objects.filter(pk=comment.pk).exists()


# --- Every report check --------------------------------------------------------------------------


def _anonymous():
    return Client(headers={"accept-language": "en"})


def _banned():
    return logged_in(make_user(banned=True))


def _unverified():
    return logged_in(make_user(verified=False))


@pytest.mark.django_db
@pytest.mark.parametrize("comments_open", [True, False], ids=["open", "closed"])
@pytest.mark.parametrize(
    "who, message",
    [
        (_anonymous, "Please log in"),
        (_banned, "banned"),
        (_unverified, "verify your e-mail address"),
    ],
    ids=["anonymous", "banned", "unverified"],
)
def test_a_report_from_an_account_that_may_not_report_is_refused(who, message, comments_open):
    comment = make_comment(make_article(comments_open=comments_open), make_user())

    response = who().post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 403
    assert message in text_of(response)
    assert_no_leak(response)
    assert not Report.objects.exists()
    assert not ReviewItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("comments_open", [True, False], ids=["open", "closed"])
def test_a_verified_readers_report_is_taken_whether_or_not_comments_are_open(comments_open):
    comment = make_comment(make_article(comments_open=comments_open), make_user())

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 302
    assert Report.objects.get().comment == comment
    assert ReviewItem.objects.get().comment == comment


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "needs_review", "rejected", "removed"])
def test_an_unpublished_comment_cannot_be_reported(status):
    comment = make_comment(make_article(), make_user(), status=status)

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "bogus", "approved", "needs_review", "SPAM", " spam"])
def test_a_report_with_an_invalid_reason_is_refused(reason):
    comment = make_comment(make_article(), make_user())

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": reason})

    assert response.status_code == 400
    assert_no_leak(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_ones_own_comment_cannot_be_reported():
    author = make_user()
    comment = make_comment(make_article(), author)

    response = logged_in(author).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_second_report_by_the_same_reader_is_409():
    comment = make_comment(make_article(), make_user())
    client = logged_in(make_user())
    client.post(report_url(comment.pk), {"reason": "spam"})

    again = client.post(report_url(comment.pk), {"reason": "other", "text": "again"})

    assert again.status_code == 409
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_comment_on_an_unpublished_article_cannot_be_reported():
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(published_at=timezone.now() + timedelta(days=1))
    comment = make_comment(article, make_user())

    response = logged_in(make_user()).post(report_url(comment.pk), {"reason": "spam"})

    assert response.status_code == 404
    assert not Report.objects.exists()


# --- Every decision check ----------------------------------------------------------------------


def decide(client, comment, **data):
    return client.post(reverse("admin:moderation_decide", args=[comment.pk]), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, status",
    [
        ({"action": "approve", "expected_status": "needs_review"}, 302),
        ({"action": "approve", "expected_status": "pending"}, 409),
        ({"action": "approve", "expected_status": "bogus"}, 409),
        ({"action": "approve"}, 409),
        ({"action": "publish-everything", "expected_status": "needs_review"}, 400),
        ({"action": "", "expected_status": "needs_review"}, 400),
        ({"action": "reject", "expected_status": "needs_review"}, 400),
        ({"action": "reject", "expected_status": "needs_review", "reason": "bogus"}, 400),
        ({"action": "reject", "expected_status": "needs_review", "reason": "other"}, 400),
        pytest.param(
            {
                "action": "reject",
                "expected_status": "needs_review",
                "reason": "other",
                "reason_text": "\u200b\u200b",
            },
            400,
        ),
        ({"action": "reject", "expected_status": "needs_review", "reason": "spam"}, 302),
    ],
)
def test_a_moderators_decision_is_checked_before_it_applies(data, status):
    comment = queued(make_article(language="en"), "Waiting for a moderator")

    response = decide(logged_in(make_moderator()), comment, **data)

    assert response.status_code == status
    assert_no_leak(response, admin=True)
    stored = Comment.objects.get(pk=comment.pk).status
    if status == 302:
        assert stored in {Comment.Status.APPROVED, Comment.Status.REJECTED}
    else:
        assert stored == Comment.Status.NEEDS_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    [
        lambda: Client(),
        lambda: logged_in(make_user()),
        lambda: logged_in(make_user(is_staff=True)),
        lambda: logged_in(make_user(banned=True)),
    ],
    ids=["anonymous", "reader", "staff-outside-the-group", "banned"],
)
def test_only_moderators_can_decide(who):
    comment = queued(make_article(), "Waiting for a moderator")

    response = decide(who(), comment, action="approve", expected_status="needs_review")

    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.NEEDS_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    [lambda: Client(), lambda: logged_in(make_user()), lambda: logged_in(make_user(is_staff=True))],
    ids=["anonymous", "reader", "staff-outside-the-group"],
)
@pytest.mark.parametrize("url", [QUEUE, REVIEW])
def test_only_moderators_see_the_queue(who, url):
    queued(make_article(), f"Secret {MARK}")

    response = who().get(url)

    assert response.status_code in {302, 403}
    assert MARK not in text_of(response)


@pytest.mark.django_db
def test_the_review_screen_with_a_forged_item_is_no_error():
    queued(make_article(), "Waiting")
    client = logged_in(make_moderator())

    for item in ["abc", "-1", "999999", "9" * 30, "%00"]:
        response = client.get(f"{REVIEW}?item={item}")

        assert response.status_code in {200, 302, 400, 404}
        assert_no_leak(response, admin=True)


@override_settings(COMMENTS_MAX_LENGTH=20)
@pytest.mark.django_db
def test_an_over_length_comment_keeps_the_text_escaped_in_the_form():
    article = make_article(language="en")
    client = logged_in(make_user())
    payload = f"</textarea><script>{MARK}()</script>"

    response = client.post(post_url(article), {"body": payload})

    assert response.status_code == 400
    assert_inert(text_of(response))
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_sign_up_form_refuses_an_invisible_username():
    Client().post(
        reverse("account_signup"),
        {
            "email": "ghost@example.org",
            "username": "\u200b\u200b\u200b",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert not EmailAddress.objects.filter(email="ghost@example.org").exists()


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


# --- E-mail --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\n", "\r\n", "\x0b", "\x1b", "\x85", "\ufffe"], ids=repr)
def test_the_decision_mail_takes_any_stored_title_and_body(char, mailoutbox):
    from notifications import decision_mail

    article = make_article(title=f"Ferry{char}returns & more", language="en")
    author = make_user()
    comment = make_comment(
        article,
        author,
        body=f"great,{char}I use it every day",
        status=Comment.Status.REJECTED,
        rejection_reason=f"Spam{char}.",
    )
    Profile.objects.create(user=author, notify_on_decision=True, language="en")

    assert decision_mail.send_decision_notice(comment_id=comment.pk)

    (mail,) = mailoutbox
    assert mail.subject.replace("Ferry returns", "Ferryreturns") == (
        "Your comment on “Ferryreturns & more” was not published"
    )
    assert "I use it every day" in mail.body
    assert not UNWANTED_IN_XML & set(mail.subject + mail.body)
