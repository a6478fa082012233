"""The figures in a policy reason follow the moderator's language, like the bars beside them."""

from django.utils import translation

from moderation.selectors import describe


def test_a_german_moderator_reads_decimal_commas_in_a_reason():
    reason = {"code": "toxicity_review", "label": "insult", "score": 0.034, "threshold": 0.5}

    with translation.override("de"):
        text = describe(reason)

    assert "0,03" in text
    assert "0,50" in text
    assert "0.03" not in text


def test_an_english_moderator_reads_decimal_points_in_a_reason():
    reason = {"code": "off_topic", "label": "", "score": 0.05, "threshold": 0.15}

    with translation.override("en"):
        assert describe(reason) == "relevance 0.05 is below 0.15 (off-topic?)"
