"""The reason an author reads under a comment the automatic check rejected: the rule's own."""

from moderation import reasons
from moderation.codes import ReasonCode
from moderation.policy.rules import (
    LabelThresholds,
    Outcome,
    Reason,
    Scores,
    Thresholds,
    WordRule,
    decide,
)
from moderation.policy.wordlists import WordList


def rejected_by(**overrides) -> list[str]:
    thresholds = Thresholds(
        labels={"insult": LabelThresholds(review_at=0.5, reject_at=0.9)},
        relevance_review_below=0.0,
        new_commenter_reviews=0,
        links_to_review=False,
        short_text_words=0,
        **overrides,
    )
    scores = Scores(toxicity={"insult": 0.1}, relevance=None, text="Sie sind ein Idiot, wirklich.")
    decision = decide(scores, thresholds)
    assert decision.outcome == "reject"
    return reasons.rejecting_codes(reason.as_dict() for reason in decision.reasons)


def test_a_word_list_rejection_names_the_word_list_not_disrespect():
    codes = rejected_by(word_rules=(WordRule("", Outcome.REJECT, WordList.of(["idiot"])),))

    text = reasons.policy_reason(language="en", codes=codes)

    assert "word or phrase" in text
    assert "disrespectful" not in text


def test_a_site_model_rejection_says_the_policy_is_not_met():
    thresholds = Thresholds(
        labels={},
        relevance_review_below=0.0,
        new_commenter_reviews=0,
        links_to_review=False,
        short_text_words=0,
        site_model_review_at=0.5,
        site_model_reject_at=0.8,
    )
    scores = Scores(toxicity={}, relevance=None, text="Text", site_model={"site_model": 0.85})
    decision = decide(scores, thresholds)
    codes = reasons.rejecting_codes(reason.as_dict() for reason in decision.reasons)

    assert codes == [ReasonCode.SITE_MODEL_REJECT]
    text = reasons.policy_reason(language="en", codes=codes)
    assert "does not meet our discussion policy" in text


def test_a_toxicity_rejection_keeps_the_disrespect_wording_in_german():
    codes = [Reason(ReasonCode.TOXICITY_REJECT, "insult", 0.95, 0.9).as_dict()["code"]]

    text = reasons.policy_reason(language="de", codes=codes)

    assert "respektlos" in text
