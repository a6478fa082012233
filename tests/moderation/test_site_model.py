"""The site model: examples from decisions and imports, training, safe files, activation, use."""

import dataclasses
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, Comment
from moderation import services
from moderation.models import LabelledExample, PolicyVersion, SiteModelVersion
from moderation.policy.rules import LabelThresholds, Outcome, Scores, Thresholds, decide
from moderation.site_model import store
from tests.factories import (
    make_article,
    make_comment,
    make_moderator,
    make_queued,
    make_user,
    synthetic_rows,
    write_csv,
)


@pytest.fixture(autouse=True)
def _nothing_loaded():
    store.forget_loaded()
    yield
    store.forget_loaded()


@pytest.fixture
def site_models_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "site_models"


@pytest.fixture
def trained(db, tmp_path, site_models_dir) -> SiteModelVersion:
    call_command(
        "import_decisions", str(write_csv(tmp_path / "h.csv", synthetic_rows())), stdout=StringIO()
    )
    return store.train_version()


def owner():
    return make_user("owner", is_staff=True, is_superuser=True)


# Labelled examples from decisions


def test_approving_from_the_queue_records_an_example_with_its_context(article, moderator):
    parent = make_comment(article, make_user(), body="Wie finden Sie die Radwege?")
    comment = make_queued(article, parent=parent, body="Sehr gut, endlich sicherer.")

    services.moderate(
        comment=comment, moderator=moderator, action="approve", expected_status="needs_review"
    )

    [example] = LabelledExample.objects.all()
    assert (example.label, example.action, example.reason) == (0, "approve", "")
    assert example.text == "Sehr gut, endlich sicherer."
    assert example.article_ref == str(article.pk) and example.article_title == article.title
    assert example.article_lead == article.lead and example.parent_text == parent.body
    assert example.decided_by == moderator and example.decided_at
    assert example.source == "decision" and example.comment == comment


@pytest.mark.parametrize(
    ("status", "action", "reason", "label", "recorded"),
    [
        ("needs_review", "reject", "off_topic", 1, "reject"),
        ("approved", "remove", "spam", 1, "remove"),
        ("removed", "restore", "", 0, "restore"),
    ],
)
def test_each_human_decision_becomes_an_example(
    article, moderator, status, action, reason, label, recorded
):
    comment = make_comment(article, make_user(), status=status)

    services.moderate(
        comment=comment, moderator=moderator, action=action, expected_status=status, reason=reason
    )

    [example] = LabelledExample.objects.all()
    assert (example.label, example.reason, example.action) == (label, reason, recorded)


def test_keeping_a_reported_comment_is_an_example_of_a_fine_comment(article, moderator):
    comment = make_queued(article, reported=1)

    services.moderate(
        comment=comment, moderator=moderator, action="approve", expected_status="approved"
    )

    assert list(LabelledExample.objects.values_list("label", "action")) == [(0, "keep")]


def test_undoing_a_decision_takes_its_example_back(article, moderator):
    comment = make_queued(article)
    change = services.moderate(
        comment=comment,
        moderator=moderator,
        action="reject",
        expected_status="needs_review",
        reason="disrespectful",
    )

    services.undo_decision(change_id=change.pk, moderator=moderator)

    assert not LabelledExample.objects.exists()


def test_rejections_that_come_with_a_ban_are_no_examples(article, moderator):
    author = make_user()
    make_queued(article, author)

    services.ban_user(user=author, moderator=moderator, reject_pending=True)

    assert Comment.objects.get(author=author).status == Comment.Status.REJECTED
    assert not LabelledExample.objects.exists()


def test_the_policys_own_decisions_are_no_examples(scorer, article):
    from moderation.scoring.pipeline import score_pending

    make_comment(article, make_user(), status=Comment.Status.PENDING)

    score_pending()

    assert not LabelledExample.objects.exists()


# Importing a history


def test_import_decisions_stores_every_row_as_an_example(db, tmp_path):
    rows = [
        {
            "text": "Danke!",
            "label": "0",
            "article_id": "7",
            "article_title": "Radwege",
            "article_text": "Der Rat",
            "parent_text": "Gut?",
            "language": "de",
        },
        {"text": "Du Idiot", "label": "1", "reason": "disrespectful", "article_id": "7"},
    ]
    header = [
        "text",
        "label",
        "reason",
        "article_id",
        "article_title",
        "article_text",
        "parent_text",
        "language",
    ]
    out = StringIO()

    call_command("import_decisions", str(write_csv(tmp_path / "h.csv", rows, header)), stdout=out)

    assert "Imported 2" in out.getvalue()
    fine, rude = LabelledExample.objects.order_by("id")
    assert (fine.label, fine.article_ref, fine.article_title, fine.article_lead) == (
        0,
        "7",
        "Radwege",
        "Der Rat",
    )
    assert (fine.parent_text, fine.language, fine.source) == ("Gut?", "de", "import")
    assert (rude.label, rude.reason) == (1, "disrespectful")
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Line 1: the file is empty"),
        (b"text,reason\nDanke,\n", "Line 1: the header lacks the column(s) label"),
        (b"text,label\nDanke,0\nNa ja,2\n", "Line 3: the label must be 0 or 1"),
        (b"text,label,reason\nDanke,0,\nDu,1,rude\n", "Line 3: unknown reason 'rude'"),
        (b"text,label\nDanke,0\nSch\xf6n,0\n", "Line 3: not valid UTF-8"),
        (b'text,label\n"Zwei\nZeilen",0\n,1\n', "Line 4: the text is empty"),
    ],
)
def test_a_malformed_file_names_its_line_and_imports_nothing(db, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_decisions", str(path))
    assert not LabelledExample.objects.exists()


# Training


def test_training_validates_across_articles_and_stores_the_version(trained, site_models_dir):
    metrics = trained.metrics
    assert metrics["auc"] > 0.9
    assert metrics["per_class"] == {"0": 50, "1": 50}
    assert metrics["folds"] == 5 and metrics["validation"] == "GroupKFold by article"
    assert set(metrics["at_thresholds"]) == {"review"}
    assert trained.outputs == ["site_model", "site_model_disrespectful", "site_model_spam"]
    assert trained.example_count == 100 and "word n-grams" in trained.features
    assert (site_models_dir / trained.file_name).is_file() and len(trained.sha256) == 64
    assert not trained.is_active


def test_train_site_model_with_activate_uses_the_new_version(db, tmp_path, site_models_dir):
    call_command(
        "import_decisions", str(write_csv(tmp_path / "h.csv", synthetic_rows())), stdout=StringIO()
    )
    out = StringIO()

    call_command("train_site_model", "--activate", stdout=out)

    assert SiteModelVersion.objects.get().is_active
    assert "cross-validated AUC" in out.getvalue()


def test_too_few_examples_says_how_many_more_are_needed_and_activates_nothing(
    db, tmp_path, site_models_dir
):
    rows = synthetic_rows()[:45]  # 45 fine, none turned down
    call_command("import_decisions", str(write_csv(tmp_path / "h.csv", rows)), stdout=StringIO())

    with pytest.raises(CommandError, match="20 more not published, 0 more published"):
        call_command("train_site_model", "--activate")
    assert not SiteModelVersion.objects.exists()


def test_a_file_whose_hash_does_not_match_is_never_loaded(trained, site_models_dir):
    path = site_models_dir / trained.file_name
    path.write_bytes(path.read_bytes() + b"tampered")

    with pytest.raises(store.SiteModelUnavailable, match="does not match the SHA-256"):
        store.load(trained)
    with pytest.raises(store.SiteModelUnavailable):
        store.activate(version=trained, by_command=True)
    assert not SiteModelVersion.objects.filter(is_active=True).exists()


def test_an_active_version_whose_file_changed_is_not_used(trained, site_models_dir):
    store.activate(version=trained, by_command=True)
    path = site_models_dir / trained.file_name
    path.write_bytes(path.read_bytes()[:-1])
    store.forget_loaded()  # as a worker that starts after the change

    outputs = store.score(["Du Trottel"], [{}])

    assert outputs.version_id is None and outputs.scores == [{}]


def test_activating_another_version_rolls_back(trained):
    second = store.train_version()

    store.activate(version=second, user=owner())
    store.activate(version=trained, user=SiteModelVersion.objects.get(pk=second.pk).activated_by)

    assert list(SiteModelVersion.objects.filter(is_active=True)) == [trained]
    assert store.active_classifier()[0] == trained


def test_only_site_owners_may_activate(trained, client):
    url = f"/admin/moderation/sitemodelversion/{trained.pk}/activate/"
    client.force_login(make_moderator("mod2"))
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 403
    with pytest.raises(store.ActivationRefused):
        store.activate(version=trained, user=make_moderator("mod3"))

    client.force_login(owner())
    assert "AUC" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert SiteModelVersion.objects.get(pk=trained.pk).is_active


def test_the_versions_list_shows_their_validation(trained, client):
    client.force_login(owner())

    page = client.get("/admin/moderation/sitemodelversion/").content.decode()

    assert f"{trained.auc:.3f}" in page and "Activate" in page


# Use


def test_the_policy_treats_site_model_outputs_as_labels():
    thresholds = Thresholds(
        labels={"toxicity": LabelThresholds(0.5, 0.9)},
        relevance_review_below=0.0,
        new_commenter_reviews=0,
        links_to_review=False,
        short_text_words=0,
        site_model_review_at=0.6,
    )
    scores = Scores(toxicity={"toxicity": 0.1}, relevance=None, text="x", site_model={})

    assert decide(scores, thresholds).outcome == Outcome.PUBLISH
    flagged = Scores(
        toxicity={"toxicity": 0.1}, relevance=None, text="x", site_model={"site_model": 0.95}
    )
    decision = decide(flagged, thresholds)
    assert decision.outcome == Outcome.REVIEW  # no reject threshold: review only
    assert decision.reasons[0].code == "site_model_review"
    strict = dataclasses.replace(thresholds, site_model_reject_at=0.9)
    assert decide(flagged, strict).outcome == Outcome.REJECT


def test_every_assessment_adds_the_active_site_models_outputs(scorer, trained, moderator_client):
    from moderation.models import Assessment
    from moderation.scoring.pipeline import score_pending

    store.activate(version=trained, by_command=True)
    PolicyVersion.objects.create(new_commenter_reviews=0, links_to_review=False)
    article = make_article()
    author = make_user()
    rude = make_comment(
        article, author, status=Comment.Status.PENDING, body="Du Trottel, du bist ein Vollidiot"
    )

    score_pending()

    assessment = Assessment.objects.get(comment=rude)
    assert assessment.site_model_version == trained
    assert assessment.site_model["scores"]["site_model"] > 0.5
    assert any(r["code"] == "site_model_review" for r in assessment.reasons)
    rude.refresh_from_db()
    assert rude.status == Comment.Status.NEEDS_REVIEW
    page = moderator_client.get(reverse("admin:moderation_review")).content.decode()
    assert "site model: would not publish" in page
    assert "Weighed most towards" in page and assessment.site_model["terms"][0][0] in page


def test_the_default_policy_lets_the_site_model_review_but_never_reject():
    thresholds = PolicyVersion().thresholds()

    assert thresholds.site_model_review_at == 0.5
    assert thresholds.site_model_reject_at is None


def test_model_features_are_weighed_when_most_examples_carry_them(scorer, db, settings, tmp_path):
    from moderation.site_model import training
    from moderation.site_model.classifier import Sample

    settings.VAR_DIR = tmp_path
    rows = synthetic_rows()
    for row in rows:
        LabelledExample.objects.create(
            text=row["text"],
            label=int(row["label"]),
            reason=row["reason"],
            article_ref=row["article_id"],
            source="import",
            decided_at="2026-01-01T00:00Z",
            scores={
                "toxicity": {"insult": 0.9 if row["label"] == "1" else 0.1},
                "relevance": 0.5,
                "relevance_article": 0.5,
                "relevance_parent": None,
            },
        )

    classifier, metrics = training.train(training.training_set(), embed=scorer.relevance.embed)

    richest = metrics["candidates"][-1]
    assert richest["features"] == {
        "toxicity_labels": ["insult"],
        "relevance": True,
        "embeddings": True,
    }
    assert metrics["chosen"] in [candidate["name"] for candidate in metrics["candidates"]]
    sample = Sample(
        "Du Trottel",
        scores={"toxicity": {"insult": 0.95}},
        embedding=scorer.relevance.embed(["Du Trottel"])[0],
    )
    assert classifier.predict([sample])[0]["site_model"] > 0.5


def test_train_with_score_gives_imported_examples_the_model_features(
    scorer, db, tmp_path, site_models_dir
):
    call_command(
        "import_decisions", str(write_csv(tmp_path / "h.csv", synthetic_rows())), stdout=StringIO()
    )
    out = StringIO()

    call_command("train_site_model", "--score", stdout=out, stderr=StringIO())

    assert "Scored 100 examples" in out.getvalue()
    assert not LabelledExample.objects.filter(scores={}).exists()
    weighed = SiteModelVersion.objects.get().metrics["candidates"]
    assert any("insult" in candidate["features"]["toxicity_labels"] for candidate in weighed)
    assert not Article.objects.exists()  # the articles existed only while scoring


def test_the_weekly_task_trains_a_version_without_activating_it(trained):
    from moderation.tasks import train_site_model

    version_id = train_site_model()

    assert not SiteModelVersion.objects.get(pk=version_id).is_active


def test_the_weekly_task_skips_quietly_with_too_few_examples(db, site_models_dir):
    from moderation.tasks import train_site_model

    assert train_site_model() is None
    assert not SiteModelVersion.objects.exists()


def test_each_reason_keeps_its_own_output_when_only_one_reason_was_seen():
    import numpy as np

    from moderation.site_model.classifier import Sample, SiteClassifier

    rows = synthetic_rows()
    fine = [r for r in rows if r["label"] == "0"]
    spam = [r for r in rows if r["reason"] == "spam"]
    samples = [Sample(r["text"]) for r in fine + spam]
    labels = np.array([0] * len(fine) + [1] * len(spam))

    classifier = SiteClassifier().fit(
        samples, labels, [r["reason"] for r in fine + spam], ["disrespectful", "spam"]
    )

    [scores] = classifier.predict([Sample(spam[0]["text"])])
    assert scores["site_model_spam"] == scores["site_model"] > 0.5
    assert scores["site_model_disrespectful"] == 0.0
