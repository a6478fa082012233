"""The site model's pages for owners and its bars on the review screen pass axe-core, and the
owner activates a version from its validation page."""

import pytest

from moderation.models import Assessment, SiteModelVersion
from tests.browser.journeys import log_in, new_context, violations
from tests.factories import make_article, make_moderator, make_queued, make_user

pytestmark = pytest.mark.browser

METRICS = {
    "auc": 0.84,
    "auc_per_output": {"site_model_spam": 0.9},
    "at_thresholds": {"review": {"threshold": 0.5, "flagged": 10, "precision": 0.7, "recall": 0.5}},
    "examples": 120,
    "per_class": {"0": 80, "1": 40},
    "articles": 12,
    "folds": 5,
}


def test_site_model_pages_pass_axe(browser, live_server, transactional_db, monkeypatch):
    from moderation.site_model import store

    version = SiteModelVersion.objects.create(
        file_name="v.joblib",
        sha256="0" * 64,
        example_count=120,
        features=["word n-grams"],
        outputs=["site_model", "site_model_spam"],
        metrics=METRICS,
    )
    monkeypatch.setattr(store, "load", lambda version: None)  # no file needed to activate
    comment = make_queued(make_article(title="Radwege"), body="Jetzt kaufen: www.shop.example")
    Assessment.objects.create(
        comment=comment,
        decision="review",
        site_model_version=version,
        site_model={
            "scores": {"site_model": 0.8, "site_model_spam": 0.7},
            "terms": [["kaufen", 0.9], ["www", 0.4]],
        },
    )
    found: list[str] = []
    outside: list[str] = []

    context = new_context(browser, live_server, "de-DE", outside)
    log_in(context, live_server, make_moderator("moderatorin"))
    page = context.new_page()
    page.goto("/admin/moderation/reviewitem/review/")
    assert page.get_by_text("Seitenmodell: würde nicht veröffentlicht").count()
    found += violations(page, "review screen with the site model's bars")
    context.close()

    context = new_context(browser, live_server, "de-DE", outside)
    log_in(context, live_server, make_user("owner", is_staff=True, is_superuser=True))
    page = context.new_page()
    page.goto("/admin/moderation/sitemodelversion/")
    found += violations(page, "site model versions")
    page.goto(f"/admin/moderation/sitemodelversion/{version.pk}/activate/")
    found += violations(page, "validation and activation")
    with page.expect_navigation():
        page.get_by_role("button", name="Aktivieren").click()
    found += violations(page, "versions after activation")
    context.close()

    assert not found, "\n".join(found)
    assert SiteModelVersion.objects.get(pk=version.pk).is_active
