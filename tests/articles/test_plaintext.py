"""What reader text may contain: the rules the comment form and every output share."""

import pytest

from articles.plaintext import clean_text, has_visible_text, one_line


def test_it_keeps_ordinary_text_tabs_and_newlines():
    text = "Grüße aus Köln!\n\n\tEin Absatz. 😀 مرحبا"

    assert clean_text(text) == text


@pytest.mark.parametrize(
    "text, cleaned",
    [
        ("great,\x0bI use it", "great,\nI use it"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\x0cb", "a\nb"),
        ("a\x00b\x01c\x1bd\x7fe\x9bf", "abcdef"),
        ("a\ufffeb\uffffc\ufdd0d\U0010ffffe", "abcde"),
        ("a\ud800b", "ab"),
    ],
)
def test_it_drops_controls_noncharacters_and_surrogates(text, cleaned):
    assert clean_text(text) == cleaned


def test_one_line_joins_the_lines_for_a_header():
    assert one_line("Ferry\r\nreturns\x0b to\tthe  harbour") == "Ferry returns to the harbour"


@pytest.mark.parametrize(
    "text", ["\u200b\u200b\u200b", "\ufeff\u200c\u200d", "\u200e\u200f", "\u3164", "\u2800", " \n"]
)
def test_invisible_characters_are_no_visible_text(text):
    assert not has_visible_text(text)


@pytest.mark.parametrize("text", ["a", "\u200bx\u200b", "é", "😀", "\ue000", "١"])
def test_one_visible_character_is_enough(text):
    assert has_visible_text(text)
