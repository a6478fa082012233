"""The policy as a pure function: no database, no model."""

from moderation.models import DEFAULT_LABEL_THRESHOLDS
from moderation.policy.rules import (
    LabelThresholds,
    Outcome,
    Scores,
    Thresholds,
    decide,
    has_link,
    is_short,
)

CALM = {label: 0.01 for label in DEFAULT_LABEL_THRESHOLDS}
LONG_TEXT = "The council's plan for cycle lanes on the ring road seems sensible to me."


def thresholds(**changes) -> Thresholds:
    values = {
        "labels": {
            label: LabelThresholds(review_at=0.5, reject_at=0.9)
            for label in DEFAULT_LABEL_THRESHOLDS
        },
        "relevance_review_below": 0.2,
        "new_commenter_reviews": 0,
        "links_to_review": True,
        "short_text_words": 6,
    }
    values.update(changes)
    return Thresholds(**values)


def scores(text=LONG_TEXT, relevance=0.8, approved=5, unavailable=False, **labels) -> Scores:
    return Scores(
        toxicity={**CALM, **labels},
        relevance=relevance,
        text=text,
        author_approved_comments=approved,
        unavailable=unavailable,
    )


def codes(decision):
    return [(reason.code, reason.label) for reason in decision.reasons]


def test_a_calm_on_topic_comment_is_published():
    decision = decide(scores(), thresholds())

    assert decision.outcome == Outcome.PUBLISH
    assert decision.reasons == []


def test_a_score_at_the_review_threshold_sends_to_review():
    decision = decide(scores(insult=0.5), thresholds())

    assert decision.outcome == Outcome.REVIEW
    assert codes(decision) == [("toxicity_review", "insult")]
    assert decision.reasons[0].threshold == 0.5


def test_a_score_at_the_reject_threshold_rejects_and_lists_every_rule_that_fired():
    decision = decide(scores(insult=0.95, threat=0.6, relevance=0.05), thresholds())

    assert decision.outcome == Outcome.REJECT
    assert codes(decision) == [
        ("toxicity_reject", "insult"),
        ("toxicity_review", "threat"),
        ("off_topic", ""),
    ]


def test_labels_the_policy_does_not_know_are_kept_out_of_the_decision():
    assert decide(scores(some_new_label=0.99), thresholds()).outcome == Outcome.PUBLISH


def test_an_off_topic_comment_goes_to_review():
    decision = decide(scores(relevance=0.1), thresholds())

    assert decision.outcome == Outcome.REVIEW
    assert codes(decision) == [("off_topic", "")]


def test_a_short_reply_is_not_sent_to_review_for_relevance():
    for text in ["Genau!", "Danke für den Artikel", "Great point, thanks.", "👍👍"]:
        assert decide(scores(text=text, relevance=0.0), thresholds()).outcome == Outcome.PUBLISH


def test_a_short_toxic_reply_is_still_rejected():
    decision = decide(scores(text="Idiot!", relevance=0.0, insult=0.97), thresholds())

    assert decision.outcome == Outcome.REJECT


def test_a_missing_relevance_does_not_send_to_review():
    assert decide(scores(relevance=None), thresholds()).outcome == Outcome.PUBLISH


def test_a_new_commenters_first_comments_go_to_review():
    rules = thresholds(new_commenter_reviews=2)

    assert decide(scores(approved=1), rules).outcome == Outcome.REVIEW
    assert codes(decide(scores(approved=1), rules)) == [("new_commenter", "")]
    assert decide(scores(approved=2), rules).outcome == Outcome.PUBLISH


def test_links_go_to_review_unless_switched_off():
    text = LONG_TEXT + " More at https://example.org/plan"

    assert codes(decide(scores(text=text), thresholds())) == [("contains_link", "")]
    assert decide(scores(text=text), thresholds(links_to_review=False)).outcome == Outcome.PUBLISH


def test_an_unavailable_assessment_goes_to_review_never_published():
    decision = decide(scores(unavailable=True), thresholds())

    assert decision.outcome == Outcome.REVIEW
    assert codes(decision) == [("assessment_unavailable", "")]


def test_short_and_link_detection():
    assert is_short("Genau!", 6)
    assert not is_short(LONG_TEXT, 6)
    assert has_link("see www.example.org")
    assert has_link("visit shop.example.com now")
    assert not has_link("Das ist z.B. wichtig.")


def test_a_score_in_the_upper_half_towards_rejection_is_near_the_threshold():
    assert decide(scores(insult=0.75), thresholds()).near_reject
    assert not decide(scores(insult=0.6), thresholds()).near_reject
    assert not decide(scores(relevance=0.05), thresholds()).near_reject
