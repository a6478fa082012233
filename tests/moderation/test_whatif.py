"""The what-if replay: exact against `decide`, and moving the comments a change should move."""

import json
import random
from dataclasses import replace

import pytest
from django.utils import timezone, translation

from moderation.codes import toxicity_label
from moderation.models import Assessment, PolicyVersion, StatusChange, WordListEntry
from moderation.policy import vectorised, whatif
from moderation.policy.rules import Outcome, Scores, WordRule, decide
from moderation.policy.wordlists import WordList, normalise
from moderation.scoring import pipeline
from tests.factories import make_article, make_comment, make_user

LABELS = ["identity_attack", "insult", "obscene", "severe_toxicity", "threat", "toxicity"]
WORDS = "die Stadt baut Radwege the council voted idiot 1d10ten dumme kuh www.example.com".split()


def random_row(rng: random.Random, n: int) -> tuple[tuple, Scores]:
    """A stored row as the database returns it, and the Scores `decide` saw when it was stored."""
    toxicity = {label: round(rng.betavariate(0.7, 3), 4) for label in LABELS if rng.random() > 0.1}
    if rng.random() < 0.1:
        toxicity["sexual_explicit"] = 0.5  # a label set exactly on a threshold
    if rng.random() < 0.05:
        toxicity["unknown_label"] = 0.99  # no policy has it: ignored
    text = normalise(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))))
    relevance = None if rng.random() < 0.1 else round(rng.random() * 0.4, 4)
    error = "TimeoutError" if rng.random() < 0.03 else ""
    scores = Scores(
        toxicity={} if error else toxicity,
        relevance=relevance,
        text="",
        author_approved_comments=rng.randint(0, 3),
        unavailable=bool(error),
        word_count=rng.randint(1, 12),
        has_link=rng.random() < 0.1,
        language=rng.choice(["de", "en", "fr"]),
        list_text=text,
    )
    row = (
        n,
        1000 + n,
        scores.relevance,
        scores.word_count,
        int(scores.has_link),
        scores.author_approved_comments,
        scores.language,
        error,
        text,
        json.dumps(scores.toxicity),
    )
    return row, scores


def draft_thresholds():
    version = PolicyVersion(
        insult_review_at=0.3,
        new_commenter_reviews=2,
        language_overrides={
            "de": {"insult_review_at": 0.2, "toxicity_reject_at": 0.6, "short_text_words": 3},
            "en": {"relevance_review_below": 0.3},
        },
    )
    return version.thresholds(
        words=[("", "review", "dumme kuh"), ("de", "reject", "idiot*"), ("en", "review", "www")]
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_vectorised_replay_decides_every_row_as_decide_does(seed):
    rng = random.Random(seed)
    pairs = [random_row(rng, n) for n in range(3000)]
    policy = draft_thresholds()
    labels = sorted(set(policy.labels))
    columns = vectorised.Columns.from_rows(
        [row for row, _ in pairs], labels=labels, with_list_text=True
    )

    replayed = vectorised.outcomes(columns, policy)

    expected = [decide(scores, policy).outcome for _, scores in pairs]
    assert [vectorised.OUTCOMES[o] for o in replayed] == expected
    assert [decide(columns.scores_of(i), policy) for i in range(50)] == [
        decide(scores, policy) for _, scores in pairs[:50]
    ]
    assert len(set(expected)) == 3  # the rows exercise every outcome


def test_a_rule_the_vectorised_replay_does_not_know_is_replayed_with_decide(monkeypatch):
    rng = random.Random(4)
    pairs = [random_row(rng, n) for n in range(200)]
    policy = draft_thresholds()
    columns = vectorised.Columns.from_rows(
        [row for row, _ in pairs], labels=sorted(policy.labels), with_list_text=True
    )
    monkeypatch.setattr(vectorised, "KNOWN", vectorised.KNOWN - {"links_to_review"})

    assert not vectorised.supports(policy)
    replayed = vectorised.outcomes(columns, policy)
    assert [vectorised.OUTCOMES[o] for o in replayed] == [
        decide(scores, policy).outcome for _, scores in pairs
    ]


def test_replaying_stored_inputs_with_the_deciding_policy_reproduces_each_decision(scorer, article):
    policy = PolicyVersion.objects.create(
        relevance_review_below=0.0, language_overrides={"de": {"insult_review_at": 0.0}}
    )
    WordListEntry.objects.create(version=policy, language="", rule="reject", phrase="idiot*")
    author = make_user()
    make_comment(article, author)  # one approved comment: not a new commenter any more
    bodies = [
        "Die Radwege in der Innenstadt sind eine gute Idee für die Stadt.",
        "The ferry in the harbour is running again, good news for the docks.",
        "Ihr seid alle 1d10ten und habt keine Ahnung von Radwegen hier.",
        "Mehr dazu unter www.example.com und auf unserer Seite dort.",
        "Genau!",
    ]
    for body in bodies:
        make_comment(article, author, body=body, status="pending")
        make_comment(article, make_user(), body=body, status="pending")

    pipeline.score_pending()

    stored = dict(Assessment.objects.values_list("id", "decision"))
    assert len(stored) == 10 and len(set(stored.values())) >= 2
    columns = whatif.stored_columns(days=None, policies=[policy.thresholds()])
    replayed = vectorised.outcomes(columns, policy.thresholds())
    assert {
        int(i): vectorised.OUTCOMES[o].value for i, o in zip(columns.id, replayed, strict=True)
    } == stored
    report = whatif.what_if(after=policy.thresholds(), before=policy.thresholds(), days=None)
    assert report.replayed == 10 and report.changed_count == 0
    one = Assessment.objects.filter(list_text__contains="idiot").get(comment__author=author)
    assert one.word_count == 11 and one.has_link is False and one.author_approved_comments == 1


def store(insult: float, *, language: str = "de", days_ago: int = 0, **fields) -> Assessment:
    comment = make_comment(make_article(), make_user())
    defaults = {
        "toxicity": {"insult": insult},
        "relevance": 0.9,
        "word_count": 12,
        "has_link": False,
        "author_approved_comments": 5,
        "language": language,
    }
    defaults.update(fields)
    scores = Scores(text="", **{k: v for k, v in defaults.items()})
    decision = decide(scores, PolicyVersion().thresholds())
    assessment = Assessment.objects.create(
        comment=comment, decision=decision.outcome.value, **defaults
    )
    if days_ago:
        created = timezone.now() - timezone.timedelta(days=days_ago)
        Assessment.objects.filter(pk=assessment.pk).update(created_at=created)
    return assessment


@pytest.mark.django_db
def test_a_lowered_threshold_moves_exactly_the_comments_between_the_two_values():
    low, between, also_between, high = store(0.1), store(0.35), store(0.45), store(0.6)
    draft = PolicyVersion(insult_review_at=0.3).thresholds()

    report = whatif.what_if(after=draft, before=PolicyVersion().thresholds(), days=30)

    assert {c.comment_id for c in report.changed} == {between.comment_id, also_between.comment_id}
    assert report.matrix[(Outcome.PUBLISH, Outcome.REVIEW)] == 2
    assert report.matrix[(Outcome.REVIEW, Outcome.REVIEW)] == 1
    assert (report.review_before, report.review_after) == (1, 3)
    assert report.review_per_day_after == 0.1
    assert list(report.by_reason.values()) == [2]
    assert toxicity_label("insult") in next(iter(report.by_reason))
    assert report.by_language == {"de": [2, 4]}
    assert low and high


@pytest.mark.django_db
def test_a_language_override_moves_only_that_languages_comments():
    german, english = store(0.45, language="de"), store(0.45, language="en")
    draft = PolicyVersion(language_overrides={"en": {"insult_review_at": 0.4}}).thresholds()

    with translation.override("en"):
        report = whatif.what_if(after=draft, before=PolicyVersion().thresholds(), days=30)

    assert [c.comment_id for c in report.changed] == [english.comment_id]
    assert "(rules for “en”)" in report.changed[0].reasons[0]
    assert german


@pytest.mark.django_db
def test_the_replay_is_compared_with_the_moderators_decisions():
    rejected = store(0.6)  # in review under the defaults
    approved = store(0.6)
    moderator = make_user("mod", is_staff=True)
    for assessment, status in ((rejected, "rejected"), (approved, "approved")):
        StatusChange.objects.create(
            comment=assessment.comment,
            from_status="needs_review",
            to_status=status,
            actor=moderator,
        )

    lenient = whatif.what_if(
        after=PolicyVersion(insult_review_at=0.7).thresholds(),
        before=PolicyVersion().thresholds(),
    )
    strict = whatif.what_if(
        after=PolicyVersion(insult_review_at=0.2, insult_reject_at=0.5).thresholds(),
        before=PolicyVersion().thresholds(),
    )

    assert lenient.moderator_rejected_published == [rejected.comment_id]
    assert {c.comment_id: c.moderator for c in lenient.changed} == {
        rejected.comment_id: "rejected",
        approved.comment_id: "approved",
    }
    assert strict.moderator_approved_rejected == [approved.comment_id]


@pytest.mark.django_db
def test_the_period_limits_the_replay_and_older_assessments_without_inputs_are_counted():
    store(0.45, days_ago=40)
    store(0.45, days_ago=2)
    store(0.45, word_count=None)
    draft = PolicyVersion(insult_review_at=0.3).thresholds()

    week = whatif.what_if(after=draft, before=PolicyVersion().thresholds(), days=7)
    everything = whatif.what_if(after=draft, before=PolicyVersion().thresholds(), days=None)

    assert (week.replayed, week.left_out) == (1, 1)
    assert (everything.replayed, everything.changed_count) == (2, 2)


@pytest.mark.django_db
def test_a_word_list_edit_is_replayed_on_the_stored_text():
    hit = store(0.1, list_text=normalise("Ihr seid alle 1d10ten"))
    store(0.1, list_text=normalise("Die Radwege sind gut"))
    words = WordList.of(["idiot*"])
    draft = replace(PolicyVersion().thresholds(), word_rules=(WordRule("", Outcome.REJECT, words),))

    report = whatif.what_if(after=draft, before=PolicyVersion().thresholds())

    assert [(c.comment_id, c.after) for c in report.changed] == [(hit.comment_id, Outcome.REJECT)]


def test_the_vectorised_replay_applies_the_site_model_thresholds_as_decide_does():
    rng = random.Random(5)
    pairs = []
    for n in range(2000):
        row, scores = random_row(rng, n)
        outputs = {} if rng.random() < 0.2 else {"site_model": round(rng.random(), 4)}
        if outputs and rng.random() < 0.5:
            outputs["site_model_off_topic"] = round(rng.random(), 4)
        stored = json.dumps({"scores": outputs, "terms": []} if outputs else {})
        pairs.append((row + (stored,), replace(scores, site_model=outputs)))
    policy = replace(draft_thresholds(), site_model_review_at=0.6, site_model_reject_at=0.9)
    columns = vectorised.Columns.from_rows(
        [row for row, _ in pairs], labels=sorted(policy.labels), with_list_text=True
    )

    assert vectorised.supports(policy)
    replayed = vectorised.outcomes(columns, policy)

    expected = [decide(scores, policy).outcome for _, scores in pairs]
    assert [vectorised.OUTCOMES[o] for o in replayed] == expected
    without = replace(policy, site_model_review_at=None, site_model_reject_at=None)
    assert list(vectorised.outcomes(columns, without)) != list(replayed)


def test_a_quiet_sites_review_queue_per_day_does_not_round_to_nothing():
    report = whatif.Report(days=30, review_before=3, review_after=30, per_day_divisor=30)

    assert (report.review_per_day_before, report.review_per_day_after) == (0.1, 1.0)
    assert whatif.Report(days=90, review_before=1, per_day_divisor=90).review_per_day_before == 0.01
