"""Hostile input on the comment form: forged parents, control, invisible, bidi and broken
text, NUL bytes, sizes and methods. Each case gets the right status, stores nothing wrongly, and
shows no traceback or internal name.
"""

import pytest
from django.test import override_settings

from articles.models import Comment
from tests.factories import make_article, make_comment, make_user
from tests.hostile import (
    CONTROL_CHARACTERS,
    MARK,
    NUL_MESSAGE,
    assert_inert,
    assert_no_leak,
    logged_in,
    post_url,
    text_of,
)


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
@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_the_comment_form_takes_only_post(method):
    article = make_article()
    client = logged_in(make_user())

    response = getattr(client, method)(post_url(article), {"body": "Hello"})

    assert response.status_code == 405
    assert not Comment.objects.exists()


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
