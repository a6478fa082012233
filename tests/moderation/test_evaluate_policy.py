"""evaluate_policy: a labelled file through the worker's code path, measured against its labels."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from moderation.models import ArticleEmbedding, Assessment, PolicyVersion
from moderation.site_model import store
from tests.factories import synthetic_rows, write_csv

HEADER = ["text", "label", "reason", "article_id", "article_title", "article_text", "parent_text"]


@pytest.fixture(autouse=True)
def _nothing_loaded():
    store.forget_loaded()
    yield
    store.forget_loaded()


def evaluate(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("evaluate_policy", *args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def small_rows() -> list[dict]:
    return [
        {
            "text": "Die neuen Radwege in der Innenstadt sind eine gute Idee.",
            "label": "0",
            "article_id": "1",
            "article_title": "Radwege",
            "article_text": "Der Rat baut Radwege.",
        },
        {
            "text": "Du bist ein Idiot und ein Versager, halt den Mund.",
            "label": "1",
            "reason": "disrespectful",
            "article_id": "1",
        },
        {
            "text": "Kaufen Sie jetzt günstig Uhren bei www.shop.example",
            "label": "1",
            "reason": "spam",
            "article_title": "Fähre",
            "article_text": "Die Fähre fährt wieder.",
        },
        {"text": "Genau so ist es.", "label": "0", "parent_text": "Die Fähre ist zurück."},
        {"text": "Danke für den Bericht über die Bibliothek am Sonntag.", "label": "0"},
    ]


def test_it_reports_n_aucs_and_outcomes_as_json(scorer, db, tmp_path):
    path = write_csv(tmp_path / "eval.csv", small_rows(), HEADER)

    report, progress = evaluate(str(path))

    assert report["n"] == 5
    assert {"toxicity", "insult", "relevance"} <= set(report["auc"])
    assert all(v is None or 0.0 <= v <= 1.0 for v in report["auc"].values())
    assert set(report["outcomes"]) == {"publish", "review", "reject"}
    assert sum(c["0"] + c["1"] for c in report["outcomes"].values()) == 5
    assert sum(c["1"] for c in report["outcomes"].values()) == 2
    assert {"reject_precision", "violating_published_share", "review_share"} <= set(report)
    assert "5/5" in progress  # the progress bar, on stderr
    # The articles existed only for the evaluation; nothing was stored.
    assert not Article.objects.exists()
    assert not Assessment.objects.exists() and not ArticleEmbedding.objects.exists()


def test_it_adds_the_active_site_model_and_a_chosen_policy(scorer, db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command(
        "import_decisions", str(write_csv(tmp_path / "h.csv", synthetic_rows())), stdout=StringIO()
    )
    store.activate(version=store.train_version(), by_command=True)
    strict = PolicyVersion.objects.create(site_model_review_at=0.01)
    path = write_csv(tmp_path / "eval.csv", synthetic_rows(seed=2), HEADER)

    report, _ = evaluate(str(path), "--policy", str(strict.pk))

    assert report["auc"]["site_model"] > 0.9
    assert "site_model_spam" in report["auc"]
    assert report["policy_version"] == strict.pk
    assert report["outcomes"]["publish"] == {"0": 0, "1": 0}  # everything reviewed at 0.01


def test_a_malformed_file_names_its_line(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,label\nGut,0\nSchlecht,yes\n", encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape("Line 3: the label must be 0 or 1")):
        call_command("evaluate_policy", str(path), "--json")


def test_an_unknown_policy_version_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "eval.csv", small_rows(), HEADER)

    with pytest.raises(CommandError, match="No policy version 99"):
        call_command("evaluate_policy", str(path), "--policy", "99")


def test_without_json_it_prints_a_readable_report(scorer, db, tmp_path):
    path = write_csv(tmp_path / "eval.csv", small_rows(), HEADER)
    out = StringIO()

    call_command("evaluate_policy", str(path), stdout=out, stderr=StringIO())

    text = out.getvalue()
    assert "n=5 violating=2" in text and "relevance" in text
    assert "precision of automatic rejection" in text and "share sent to review" in text
