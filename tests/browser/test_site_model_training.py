"""An owner trains the site model from the browser: uploads past decisions, watches the training
finish, reads the trade-off chart, picks 80% and activates; the next comment like a training
violation goes to review. The Celery task runs in the test's process, as a worker would."""

import random
import re

import pytest

from articles import services as articles
from articles.models import Comment
from moderation import tasks
from moderation.models import PolicyVersion, SiteModelVersion
from moderation.scoring import pipeline
from moderation.site_model import store
from moderation.site_model.models import SiteModelTraining
from tests.browser.journeys import log_in
from tests.factories import make_article, make_owner, make_user, synthetic_rows, write_csv

pytestmark = pytest.mark.browser


def history(tmp_path):
    rows = synthetic_rows(per_kind=40)
    random.Random(3).shuffle(rows)
    for index, row in enumerate(rows):
        row["article_id"] = f"a{index % 8}"
    return write_csv(tmp_path / "entscheidungen.csv", rows)


def test_an_owner_trains_picks_80_percent_and_the_next_violation_goes_to_review(
    browser, live_server, transactional_db, settings, tmp_path, wakeups, scorer
):
    settings.VAR_DIR = tmp_path
    store.forget_loaded()
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    log_in(context, live_server, make_owner("eigentuemerin"))
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/admin/moderation/sitemodelversion/")
    page.get_by_role("link", name="Train the site model").click()
    page.get_by_label("CSV file of past decisions").set_input_files(str(history(tmp_path)))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("160 decisions were imported as examples.").is_visible()

    page.get_by_role("button", name="Train now").click()
    assert page.locator("#training-step").inner_text() == "waiting for a worker"
    tasks.train_site_model_run(SiteModelTraining.objects.get().pk)  # the worker's part
    page.locator("#training-done").wait_for()  # the page notices by itself

    page.get_by_role("link", name="Validation and thresholds").click()
    assert page.locator("canvas[data-chart='tradeoff-chart']").is_visible()
    page.get_by_text("Show the figures as a table").click()
    assert page.locator(".dash-chart table tbody tr").count() == 99
    page.get_by_label("Catch this share of what moderators reject (%)").fill("80")
    page.get_by_role("button", name="Show the thresholds").click()
    review_text = page.locator("#review-threshold").inner_text()
    assert re.search(r"Review at 0\.\d\d: catches", review_text)

    page.get_by_role("button", name="Next: what would change").click()
    assert page.locator("#whatif-totals").is_visible()
    page.get_by_role("button", name="Activate").click()
    assert page.get_by_text("is active; policy version").is_visible()
    context.close()

    version = SiteModelVersion.objects.get()
    choice = store.thresholds_for(version, review_recall=0.8)
    assert version.is_active
    assert PolicyVersion.objects.active().site_model_review_at == choice.review.threshold
    comment = articles.post_comment(
        article=make_article(title="Radwege"),
        author=make_user("neuling"),
        body="Du Trottel, du bist ein Versager",
        parent=None,
    )
    pipeline.score_pending()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.NEEDS_REVIEW
    assessment = comment.assessments.get()
    assert assessment.site_model_version == version
    # Sent by the site model, not only by the rules for new commenters.
    assert "site_model_review" in {reason["code"] for reason in assessment.reasons}
