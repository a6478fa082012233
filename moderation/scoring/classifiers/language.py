"""The language a comment is written in, for per-language calibration of the thresholds."""

import py3langid

from moderation.policy.rules import WORD_PATTERN

# Languages the site expects; restricting the detector keeps short texts from odd guesses.
EXPECTED = ["de", "en", "fr", "es", "it", "pt", "tr", "ru", "nl", "pl"]
MIN_WORDS = 3

py3langid.set_languages(EXPECTED)


def detect_language(text: str, *, declared: str) -> tuple[str, str]:
    """(language, source): detected from the text, or the declared one when the text is short."""
    if len(WORD_PATTERN.findall(text)) < MIN_WORDS:
        return declared, "declared"
    language, _score = py3langid.classify(text)
    return language, "detected"
