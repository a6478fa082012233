"""Thresholds per language: a language's own values apply to its comments, and say so."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from moderation.models import PolicyVersion
from moderation.policy.rules import Outcome, Scores, decide
from moderation.review.selectors import describe

LONG = "Die Radwege in der Innenstadt sind eine gute Idee für alle hier"


def policy(**overrides) -> PolicyVersion:
    return PolicyVersion(new_commenter_reviews=0, language_overrides=overrides)


def test_a_languages_own_threshold_applies_to_its_comments_only():
    thresholds = policy(de={"insult_review_at": 0.3}).thresholds(words=[])

    german = decide(Scores({"insult": 0.35}, 0.9, LONG, language="de"), thresholds)
    english = decide(Scores({"insult": 0.35}, 0.9, LONG, language="en"), thresholds)

    assert german.outcome == Outcome.REVIEW
    assert (german.reasons[0].threshold, german.reasons[0].language) == (0.3, "de")
    assert english.outcome == Outcome.PUBLISH


def test_a_reason_under_the_default_thresholds_names_no_language():
    thresholds = policy(de={"insult_review_at": 0.3}).thresholds(words=[])

    decision = decide(Scores({"threat": 0.5}, 0.9, LONG, language="de"), thresholds)

    assert decision.reasons[0].language == ""
    assert "language" not in decision.reasons[0].as_dict()


def test_relevance_and_short_comments_can_be_set_per_language():
    thresholds = policy(en={"relevance_review_below": 0.5, "short_text_words": 3}).thresholds(
        words=[]
    )

    english = decide(Scores({}, 0.4, "Good point there", language="en"), thresholds)
    german = decide(Scores({}, 0.4, "Guter Punkt dort", language="de"), thresholds)

    assert english.outcome == Outcome.REVIEW and english.reasons[0].language == "en"
    assert german.outcome == Outcome.PUBLISH


def test_the_review_screen_says_which_languages_thresholds_applied():
    reason = {"code": "toxicity_review", "label": "insult", "score": 0.35, "threshold": 0.3}

    with translation.override("en"):
        assert "(rules for “de”)" in describe({**reason, "language": "de"})
        assert "rules for" not in describe(reason)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deutsch": {"insult_review_at": 0.3}}, '"deutsch": use a two-letter language code'),
        ({"de": {"colour": 0.3}}, '"de": "colour" is not a threshold a language can set'),
        ({"de": {"insult_review_at": 1.5}}, '"de": insult: review at must be a number from 0 to 1'),
        ({"de": {"insult_review_at": "high"}}, '"de": insult: review at must be a number'),
        (
            {"de": {"insult_review_at": 0.95}},
            '"de": insult: review at must not be above',
        ),
        (["de"], "Write one entry per language"),
    ],
)
def test_invalid_language_thresholds_are_refused_naming_language_and_field(overrides, message):
    version = PolicyVersion(language_overrides=overrides)

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            version.clean()
        shown = refused.value.message_dict["language_overrides"][0]

    assert message in shown
