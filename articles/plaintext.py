"""What reader text may contain, decided once for the input and again for every output.

Control characters break the feeds (XML 1.0 forbids most of them) and noncharacters make them
malformed; neither means anything in a comment. Invisible characters alone (zero-width spaces, a
Hangul filler, a blank Braille pattern) make a comment that looks empty.
"""

import re
import unicodedata

# Line breaks as browsers and other systems send them, and the control characters that mean one.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

# C0 and C1 controls other than tab and newline, lone surrogates, and the noncharacters
# (U+FDD0..U+FDEF and the last two code points of every plane).
_UNWANTED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)

# Letters and symbols that render as nothing: Hangul fillers, the blank Braille pattern, and a few
# more that Unicode lists as Default_Ignorable or that fonts draw blank.
_BLANK_SYMBOLS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5\u034f")

# Format characters (zero-width space and joiners, bidi marks, BOM, tags), combining marks on
# their own, and the rest of the "other" categories draw nothing visible.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Mn", "Me", "Zl", "Zp", "Zs"})


def clean_text(text: str) -> str:
    """The text with line breaks as newlines and without controls, noncharacters or surrogates.

    Tab and newline stay; carriage returns, vertical tabs, form feeds and the Unicode line and
    paragraph separators become newlines; every other C0 or C1 control is removed.
    """
    return _UNWANTED.sub("", _LINE_BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """The cleaned text on one line, with each run of whitespace as one space (for headers)."""
    return " ".join(clean_text(text).split())


def has_visible_text(text: str) -> bool:
    """Whether anything in the text would show on screen."""
    return any(
        not char.isspace()
        and char not in _BLANK_SYMBOLS
        and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )
