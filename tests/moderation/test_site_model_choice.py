"""Training chooses among candidates by grouped cross-validation, holds the newest examples out,
and derives the site model's thresholds from the validation trade-off the owner targets."""

import json
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from moderation.models import PolicyVersion, SiteModelVersion
from moderation.policy.rules import Outcome, Scores, decide
from moderation.site_model import selection, store, tradeoff, training
from tests.factories import synthetic_rows, write_csv


@pytest.fixture
def imported(db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    rows = synthetic_rows(per_kind=40)
    random.Random(3).shuffle(rows)  # in the order decided: the newest are of both classes
    for index, row in enumerate(rows):
        row["article_id"] = f"a{index % 8}"
    call_command("import_decisions", str(write_csv(tmp_path / "h.csv", rows)), stdout=StringIO())
    store.forget_loaded()
    yield rows
    store.forget_loaded()


def test_every_candidate_is_cross_validated_and_the_plain_configuration_is_among_them(imported):
    metrics = store.train_version().metrics

    names = [candidate["name"] for candidate in metrics["candidates"]]
    assert names[0] == "plain" and len(names) >= 3
    best = max(candidate["cv_auc"] for candidate in metrics["candidates"])
    chosen = next(c for c in metrics["candidates"] if c["name"] == metrics["chosen"])
    assert chosen["cv_auc"] >= best - selection.MARGIN
    assert metrics["auc"] == pytest.approx(chosen["cv_auc"], abs=0.02)
    assert metrics["holdout_examples"] == round(len(imported) * selection.HOLDOUT_SHARE)
    assert 0.5 < metrics["holdout_auc"] <= 1.0


def test_a_candidate_replaces_the_plain_one_only_when_clearly_better():
    scored = [
        selection.Scored(selection.Candidate("plain", 1.0, None), 0.800, np.zeros(1)),
        selection.Scored(selection.Candidate("C=4", 4.0, None), 0.804, np.zeros(1)),
        selection.Scored(selection.Candidate("scores", 1.0, None), 0.803, np.zeros(1)),
    ]
    best = max(s.cv_auc for s in scored)

    chosen = next(s for s in scored if s.cv_auc >= best - selection.MARGIN)

    assert chosen.candidate.name == "plain"


def test_model_features_join_the_family_only_where_the_examples_carry_them():
    plain = training.choose_features([], embeddings=False)
    with_scores = selection.family(selection.Features(toxicity_labels=["insult"]))

    assert [c.name for c in selection.family(plain)] == ["plain", "plain, C=0.25", "plain, C=4"]
    assert with_scores[-1].features.toxicity_labels == ["insult"]


def points(scores, labels):
    return tradeoff.table(np.array(labels), np.array(scores, dtype=float))


def test_the_review_threshold_catches_the_share_of_violations_the_owner_asks_for():
    # Ten violations scored 0.1..1.0, ninety fine comments scored 0.05.
    scores = [step / 10 for step in range(1, 11)] + [0.05] * 90
    labels = [1] * 10 + [0] * 90

    choice = tradeoff.choose(points(scores, labels), review_recall=0.8)

    assert choice.review.threshold == 0.3  # 0.3..1.0: eight of ten
    assert choice.review.recall == 0.8
    assert choice.review.review_share == pytest.approx(0.08)


def test_a_review_share_target_keeps_the_queue_within_it():
    scores = [i / 100 for i in range(100)]
    labels = [int(i >= 70) for i in range(100)]

    choice = tradeoff.choose(points(scores, labels), review_recall=None, review_share=0.2)

    assert choice.review.review_share <= 0.2
    assert choice.review.threshold == 0.8


def test_no_automatic_rejection_unless_validation_precision_reaches_the_target():
    scores = [0.95] * 30 + [0.5] * 10 + [0.1] * 60
    clean = tradeoff.choose(points(scores, [1] * 40 + [0] * 60))
    mixed = tradeoff.choose(points(scores, [1] * 25 + [0] * 5 + [1] * 10 + [0] * 60))

    assert clean.review.threshold == 0.5
    assert clean.reject is not None and clean.reject.precision == 1.0
    assert clean.reject.threshold == 0.51  # the lowest above review that is precise enough
    assert mixed.reject is None  # 25 of 30 is 83% precision: below 95%


def test_train_site_model_activate_review_recall_saves_a_policy_version_with_its_threshold(
    imported,
):
    out = StringIO()

    call_command("train_site_model", "--activate", "--review-recall", "0.8", stdout=out)

    version = SiteModelVersion.objects.get()
    policy = PolicyVersion.objects.active()
    choice = store.thresholds_for(version, review_recall=0.8)
    assert version.is_active
    assert policy.pk and policy.site_model_review_at == choice.review.threshold
    assert choice.review.recall >= 0.8
    assert f"review at {choice.review.threshold}" in out.getvalue()


def test_after_activation_a_comment_like_a_training_violation_goes_to_review(imported):
    call_command("train_site_model", "--activate", "--review-recall", "0.8", stdout=StringIO())
    policy = PolicyVersion.objects.active()
    text = "Du Trottel, du bist ein Versager"

    [outputs] = store.score([text], [{}]).scores
    decision = decide(
        Scores(
            toxicity={}, relevance=None, text=text, author_approved_comments=5, site_model=outputs
        ),
        policy.thresholds(),
    )

    assert decision.outcome in {Outcome.REVIEW, Outcome.REJECT}


def test_review_targets_without_activate_are_refused(imported):
    with pytest.raises(CommandError, match="--activate"):
        call_command("train_site_model", "--review-recall", "0.8", stdout=StringIO())


@pytest.mark.parametrize("bad", ["0", "1.5", "abc", "-0.2"])
def test_a_review_recall_that_is_no_share_is_refused(imported, bad):
    with pytest.raises(CommandError):
        call_command("train_site_model", "--activate", "--review-recall", bad, stdout=StringIO())
    assert not SiteModelVersion.objects.exists()


def test_the_trade_off_is_stored_with_the_version_for_the_owner(imported):
    metrics = store.train_version().metrics

    recalls = [point["recall"] for point in metrics["tradeoff"]]
    assert len(metrics["tradeoff"]) == len(tradeoff.GRID)
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never catches more
    assert json.loads(json.dumps(metrics)) == metrics


def test_evaluate_policy_reports_what_the_activated_site_model_catches_on_held_out_rows(
    scorer, imported, tmp_path
):
    call_command("train_site_model", "--activate", "--review-recall", "0.8", stdout=StringIO())
    held_out = synthetic_rows(per_kind=10, seed=9)
    out = StringIO()

    call_command(
        "evaluate_policy",
        str(write_csv(tmp_path / "held-out.csv", held_out)),
        "--json",
        stdout=out,
        stderr=StringIO(),
    )

    report = json.loads(out.getvalue())
    assert report["site_model_review_recall"] >= 0.7
    assert 0 < report["site_model_review_share"] < 1
    assert report["violations_caught"] >= report["site_model_review_recall"]
