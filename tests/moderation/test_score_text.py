import json

import pytest
from django.core.management import CommandError, call_command

from moderation.models import DEFAULT_LABEL_THRESHOLDS
from tests.factories import make_article, make_comment, make_user


def score_text(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("score_text", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_every_label_the_relevance_and_the_decision(scorer, db):
    article = make_article(slug="radwege")

    result = score_text("Die Radwege sind gut für die Stadt und den Rat.", "--article", "radwege")

    assert set(result["toxicity"]) == set(DEFAULT_LABEL_THRESHOLDS)
    assert 0.0 <= result["relevance"] <= 1.0
    assert -1.0 <= result["relevance_raw"] <= 1.0
    assert result["decision"] in {"publish", "review", "reject"}
    assert isinstance(result["reasons"], list)
    assert result["models"]["toxicity"] == scorer.toxicity.model_id
    assert article.pk  # the article was used, not created


def test_it_gives_the_same_scores_as_the_worker(scorer, db):
    from moderation.models import PolicyVersion
    from moderation.scoring.assessment import assess
    from moderation.scoring.results import Item

    article = make_article(slug="ferry")
    parent = make_comment(article, make_user(), body="The ferry is back.")
    text = "Great, the harbour ferry is running again."

    printed = score_text(text, "--article", "ferry", "--parent", str(parent.pk))
    [worker] = assess(
        [Item(text=text, article=article, parent_text=parent.body)],
        scorer=scorer,
        policy=PolicyVersion.objects.active(),
    )

    assert printed["toxicity"] == {k: round(v, 6) for k, v in worker.toxicity.items()}
    assert printed["relevance"] == round(worker.relevance, 6)
    assert printed["relevance_parent"] == round(worker.relevance_parent, 6)
    assert printed["relevance_raw"] == round(worker.relevance_raw, 6)
    assert printed["relevance_parent_raw"] == round(worker.relevance_parent_raw, 6)
    assert printed["models"]["relevance"] == worker.relevance_model == scorer.relevance.model_id


def test_it_refuses_an_unknown_article(scorer, db):
    with pytest.raises(CommandError, match="No article with the slug 'nope'"):
        score_text("Hello", "--article", "nope")


def test_it_refuses_a_parent_of_another_article(scorer, db):
    make_article(slug="one")
    parent = make_comment(make_article(), make_user())

    with pytest.raises(CommandError, match="belongs to another article"):
        score_text("Hello", "--article", "one", "--parent", str(parent.pk))


def test_it_says_when_the_models_do_not_load(settings, db):
    from moderation.scoring import classifiers

    settings.MODERATION_TOXICITY_CHECKPOINT = "/nonexistent/x.ckpt"
    settings.MODERATION_TOXICITY_CONFIG_DIR = "/nonexistent"
    classifiers.forget_scorer()

    with pytest.raises(CommandError, match="The models do not load"):
        score_text("Hello")
