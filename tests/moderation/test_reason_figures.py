"""The figures in policy reasons and version differences follow the reader's language."""

from django.utils import translation

from moderation.models import PolicyVersion
from moderation.policy.versions import differences
from moderation.review.selectors import describe


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


def test_a_german_owner_reads_decimal_commas_in_the_differences_of_two_versions():
    old = PolicyVersion(insult_review_at=0.5)
    new = PolicyVersion(insult_review_at=0.42, language_overrides={"de": {"insult_review_at": 0.3}})

    with translation.override("de"):
        shown = [(d.old, d.new) for d in differences(old, new)]

    assert ("0,5", "0,42") in shown
    assert ("—", "0,3") in shown


def test_a_site_models_features_read_as_words_in_german():
    from moderation.codes import site_model_feature_label

    with translation.override("de"):
        shown = [site_model_feature_label(n) for n in ["word n-grams", "toxicity: insult"]]

    assert shown == ["Wort-N-Gramme", "Toxizität: Beleidigung"]
