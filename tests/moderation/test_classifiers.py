"""The real loading and scoring code, on tiny models built in a fixture."""

import pytest
from detoxify import Detoxify

from moderation.scoring import classifiers

MIXED = [
    "Gut.",
    "Die Radwege in der Innenstadt sind eine gute Idee, danke für den Artikel!",
    "The ferry is back, great news for the harbour.",
    "Genau 😀 the city council und der Rat 👍👍",
    "😀😀😀",
    "a " * 40,
]
LONG = ("Die Stadt baut Radwege und der Rat ist dafür. The council agrees. " * 90)[:6000]


@pytest.fixture
def reference(tiny_models) -> Detoxify:
    """Detoxify itself, loaded from the same checkpoint, called one text at a time."""
    return Detoxify(
        checkpoint=tiny_models["MODERATION_TOXICITY_CHECKPOINT"],
        huggingface_config_path=tiny_models["MODERATION_TOXICITY_CONFIG_DIR"],
    )


def assert_close(batched: dict, single: dict) -> None:
    assert batched.keys() == single.keys()
    for label in single:
        assert abs(batched[label] - single[label]) < 1e-4, label


def test_the_batched_scores_equal_detoxify_one_text_at_a_time(scorer, reference):
    batched = scorer.toxicity.score(MIXED)

    for text, scores in zip(MIXED, batched, strict=True):
        assert_close(scores, {k: float(v) for k, v in reference.predict(text).items()})


def test_a_long_text_is_scored_in_pieces_and_takes_the_worst_of_each_label(scorer, reference):
    [pieces] = scorer.toxicity.pieces([LONG])
    assert len(LONG) >= 5000
    assert len(pieces) > 1
    tokenizer = reference.tokenizer
    assert all(len(tokenizer.tokenize(piece)) <= scorer.toxicity.max_tokens for piece in pieces)

    [batched] = scorer.toxicity.score([LONG])

    per_piece = [reference.predict(piece) for piece in pieces]
    worst = {label: max(float(p[label]) for p in per_piece) for label in per_piece[0]}
    assert_close(batched, worst)
    # Truncating instead would have given the first piece's scores only.
    assert batched != {k: float(v) for k, v in reference.predict(pieces[0]).items()}


def test_it_stores_every_label_the_model_returns(scorer):
    [scores] = scorer.toxicity.score(["Die Stadt"])

    assert set(scores) == {
        "toxicity",
        "severe_toxicity",
        "obscene",
        "identity_attack",
        "insult",
        "threat",
        "sexual_explicit",
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀" * 500,
        "x" * 20_000,
        "Die Stadt and the city, la ciudad",
        "bad \ud800 surrogate \x00",
    ],
)
def test_awkward_text_does_not_crash_scoring(scorer, text):
    from moderation.scoring.classifiers.text import normalise

    [scores] = scorer.toxicity.score([normalise(text)])
    [vector] = scorer.relevance.embed([normalise(text)])

    assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert vector.shape == (scorer.relevance.dimensions,)


def test_relevance_vectors_are_unit_length(scorer):
    vectors = scorer.relevance.embed(["die stadt", "the ferry"])

    assert vectors.shape == (2, scorer.relevance.dimensions)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_a_missing_checkpoint_is_reported_with_what_to_do(settings, tiny_models):
    settings.MODERATION_TOXICITY_CHECKPOINT = "/nonexistent/toxicity.ckpt"
    settings.MODERATION_TOXICITY_CONFIG_DIR = tiny_models["MODERATION_TOXICITY_CONFIG_DIR"]
    classifiers.forget_scorer()

    with pytest.raises(classifiers.ClassifierUnavailable, match="MODERATION_TOXICITY_CHECKPOINT"):
        classifiers.load_scorer()


def test_a_missing_relevance_model_is_reported_with_what_to_do(settings, tiny_models):
    for name, value in tiny_models.items():
        setattr(settings, name, value)
    settings.MODERATION_RELEVANCE_MODEL = "/nonexistent/model"
    classifiers.forget_scorer()

    with pytest.raises(classifiers.ClassifierUnavailable, match="MODERATION_RELEVANCE_MODEL"):
        classifiers.load_scorer()
    classifiers.forget_scorer()


def test_models_load_once_per_process(scorer):
    assert classifiers.load_scorer() is scorer
