"""The calibration arithmetic on hand-made decisions: no database."""

import pytest

from moderation.policy.calibration import (
    RELEVANCE,
    Decided,
    Targets,
    calibrate,
    curve,
    publish_threshold,
    reject_threshold,
    relevance_threshold,
    suggest,
    wilson,
)


def points(*groups: tuple[float, int, int]) -> list[tuple[float, bool]]:
    """(score, rejected count, approved count) groups as (score, rejected) decisions."""
    return [
        (score, rejected)
        for score, n_rejected, n_approved in groups
        for rejected in [True] * n_rejected + [False] * n_approved
    ]


def test_the_wilson_interval_matches_the_textbook_values():
    low, high = wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(50, 50)
    assert round(low, 3) == 0.929 and high == 1.0


def test_the_reject_threshold_is_the_lowest_where_moderators_rejected_95_percent():
    decided = points((0.3, 1, 19), (0.6, 3, 7), (0.8, 19, 1), (0.9, 20, 0))
    threshold, share = reject_threshold(decided, 0.95)
    # At 0.61 and above: 39 of 40 rejected (97.5%); at 0.6 and above only 42 of 50.
    assert threshold == 0.61
    assert (share.hits, share.n) == (39, 40)


def test_the_publish_threshold_is_the_highest_below_which_moderators_approved_98_percent():
    decided = points((0.1, 0, 50), (0.3, 1, 49), (0.6, 5, 5))
    threshold, share = publish_threshold(decided, 0.98)
    # Below 0.6: 99 of 100 approved; below 0.61 the 0.6 group drops it to 94 of 110.
    assert threshold == 0.6
    assert (share.hits, share.n) == (99, 100)


def test_no_threshold_is_suggested_where_no_range_meets_the_target():
    decided = points((0.5, 5, 5), (0.9, 5, 5))
    assert reject_threshold(decided, 0.95) == (None, None)
    assert publish_threshold(decided, 0.98) == (None, None)


def test_the_relevance_threshold_is_the_lowest_above_which_moderators_approved_98_percent():
    decided = points((0.05, 8, 2), (0.2, 2, 8), (0.5, 0, 40))
    threshold, share = relevance_threshold(decided, 0.98)
    assert threshold == 0.21
    assert (share.hits, share.n) == (40, 40)


def test_the_curve_gives_the_share_rejected_above_and_the_share_of_violations_caught():
    decided = points((0.2, 1, 3), (0.7, 3, 1))
    by_threshold = {point.threshold: point for point in curve(decided)}
    assert by_threshold[0.2].rejected_share == 0.5 and by_threshold[0.2].caught_share == 1.0
    assert by_threshold[0.5].rejected_share == 0.75 and by_threshold[0.5].caught_share == 0.75
    assert by_threshold[0.8].rejected_share is None and by_threshold[0.8].caught_share == 0.0


def test_too_few_decisions_say_how_many_more_are_needed_and_suggest_nothing():
    suggestion = suggest("insult", "", points((0.9, 20, 0)), targets=Targets(), min_decisions=50)
    assert suggestion.needed == 30
    assert suggestion.reject_at is None and suggestion.review_at is None


def test_the_review_threshold_never_exceeds_the_reject_threshold():
    decided = points((0.1, 0, 60), (0.5, 20, 0))
    suggestion = suggest("insult", "", decided, targets=Targets(), min_decisions=50)
    assert suggestion.reject_at == 0.11
    assert suggestion.review_at == 0.11


def test_each_language_gets_its_own_suggestion_once_it_has_enough_decisions():
    german = [Decided({"insult": 0.9}, 0.5, "de", True) for _ in range(40)]
    german += [Decided({"insult": 0.1}, 0.5, "de", False) for _ in range(20)]
    english = [Decided({"insult": 0.9}, 0.5, "en", True) for _ in range(10)]

    suggestions = {
        (s.name, s.language): s for s in calibrate(german + english, ["insult"], min_decisions=50)
    }

    assert suggestions[("insult", "")].decisions == 70
    assert suggestions[("insult", "de")].reject_at == pytest.approx(0.11)
    assert suggestions[("insult", "en")].needed == 40
    assert suggestions[(RELEVANCE, "de")].decisions == 60
