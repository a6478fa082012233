"""Owners' word lists: whole words, case-folded, wildcards, and obfuscation undone."""

from dataclasses import replace

import pytest

from moderation.codes import ReasonCode
from moderation.models import PolicyVersion
from moderation.policy import Outcome, Scores, Thresholds, WordRule, decide
from moderation.wordlists import WordList, normalise

LONG = "Die Radwege in der Innenstadt sind eine gute Idee für alle hier"


def found(entries: list[str], text: str) -> list[str]:
    return WordList.of(entries).hits(normalise(text))


@pytest.mark.parametrize(
    "text", ["Du Idiot!", "du IDIOT", "Du 1d10t", "du iiidiot", "du i.d.i.o.t", "du I-D-I-O-T"]
)
def test_an_entry_matches_through_case_and_common_obfuscation(text):
    assert found(["idiot"], text) == ["idiot"]


def test_matching_is_on_whole_words():
    assert found(["idiot"], "Das ist idiotensicher") == []
    assert found(["idiot"], "Vollidiot") == []


def test_a_wildcard_matches_any_ending_or_beginning():
    assert found(["idiot*"], "Ihr Idioten") == ["idiot*"]
    assert found(["*idiot"], "Du Vollidiot") == ["*idiot"]
    assert found(["idiot*"], "Ein Vollidiot") == []


def test_a_phrase_matches_its_words_in_order():
    assert found(["dumme kuh"], "Was für eine DUMME   Kuh.") == ["dumme kuh"]
    assert found(["dumme kuh"], "Die Kuh ist nicht dumm") == []


def test_an_entry_is_normalised_like_the_text():
    assert found(["Schiff"], "Das schiiiff im Hafen") == ["Schiff"]


def test_an_entry_of_only_wildcards_matches_nothing():
    assert found(["*", "**"], "Alles hier") == []


def thresholds(*rules: WordRule) -> Thresholds:
    return replace(PolicyVersion(new_commenter_reviews=0).thresholds(words=[]), word_rules=rules)


def test_a_hit_on_the_reject_list_rejects_with_a_reason_naming_the_entry():
    policy = thresholds(WordRule("", Outcome.REJECT, WordList.of(["idiot*"])))

    decision = decide(Scores({}, 0.9, LONG + " ihr 1d10ten", language="de"), policy)

    assert decision.outcome == Outcome.REJECT
    assert [(r.code, r.label) for r in decision.reasons] == [
        (ReasonCode.WORD_LIST_REJECT, "idiot*")
    ]


def test_a_list_for_one_language_leaves_other_languages_alone():
    policy = thresholds(WordRule("de", Outcome.REVIEW, WordList.of(["idiot*"])))

    german = decide(Scores({}, 0.9, LONG + " idiot", language="de"), policy)
    english = decide(Scores({}, 0.9, LONG + " idiot", language="en"), policy)

    assert german.outcome == Outcome.REVIEW
    assert german.reasons[0].code == ReasonCode.WORD_LIST_REVIEW
    assert german.reasons[0].language == "de"
    assert english.outcome == Outcome.PUBLISH


def test_decide_matches_the_stored_list_text_without_the_comment_text():
    policy = thresholds(WordRule("", Outcome.REJECT, WordList.of(["idiot"])))

    decision = decide(Scores({}, 0.9, "", word_count=10, list_text=normalise("1d10t")), policy)

    assert decision.outcome == Outcome.REJECT
