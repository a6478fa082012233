"""A site owner edits a draft threshold, previews it over stored assessments, then saves it."""

import pytest

from moderation.models import Assessment, PolicyVersion
from tests.browser.conftest import log_in
from tests.conftest import make_article, make_comment, make_user

pytestmark = pytest.mark.browser


def seed_assessments() -> None:
    """Four comments assessed under the defaults: insult 0.1, 0.35, 0.45 (published), 0.6."""
    article = make_article(title="Radwege", language="de")
    for insult in (0.1, 0.35, 0.45, 0.6):
        Assessment.objects.create(
            comment=make_comment(article, make_user()),
            toxicity={"insult": insult},
            relevance=0.9,
            word_count=12,
            has_link=False,
            author_approved_comments=3,
            language="de",
            decision="review" if insult >= 0.5 else "publish",
        )


def test_the_owner_previews_a_draft_and_sees_the_numbers_change(
    browser, live_server, transactional_db
):
    seed_assessments()
    owner = make_user("owner", is_staff=True, is_superuser=True)
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    log_in(context, live_server, owner)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/admin/moderation/policyversion/add/")
    page.click("#whatif-preview")
    page.locator("#whatif-report").wait_for()
    assert "0 comments would change outcome" in page.inner_text("#whatif-changed")
    assert page.inner_text("#whatif-review-after") == "0.0"

    page.fill("input[name=insult_review_at]", "0.3")
    page.select_option("#id_whatif_days", "all")
    page.evaluate("window.stillTheSamePage = true")
    page.click("#whatif-preview")
    page.locator("#whatif-changed", has_text="2 comments would change outcome").wait_for()
    assert page.evaluate("window.stillTheSamePage")  # updated in place, by fetch
    assert page.locator("#whatif-examples tbody tr").count() == 2
    assert page.input_value("input[name=insult_review_at]") == "0.3"
    assert not PolicyVersion.objects.exists()

    page.click("input[name=_save]")
    page.wait_for_url("**/what-if/")
    assert "2 comments would change outcome" in page.inner_text("#whatif-report")
    assert PolicyVersion.objects.get().insult_review_at == 0.3
    context.close()
