"""A site owner reads the dashboard's charts, then turns the calibration's suggestions into a new
policy version."""

import pytest
from django.contrib.auth.models import Group, Permission

from moderation.models import Assessment, PolicyVersion
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import violations
from tests.conftest import make_article, make_comment, make_user

pytestmark = pytest.mark.browser


def make_owner():
    user = make_user("eigentuemerin", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Site owners")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["add_policyversion", "view_policyversion"])
    )
    user.groups.add(group)
    return user


def decided(article, author, status: str, insult: float) -> None:
    comment = make_comment(article, author, status=status)
    Assessment.objects.create(
        comment=comment, decision="review", language="de", toxicity={"insult": insult}
    )


def test_an_owner_reads_the_charts_and_saves_the_calibration_suggestions(
    browser, live_server, transactional_db, settings
):
    settings.MODERATION_CALIBRATION_MIN_DECISIONS = 10
    article = make_article(language="de")
    author = make_user("autor")
    for _ in range(10):
        decided(article, author, "rejected", 0.9)
        decided(article, author, "approved", 0.2)
    owner = make_owner()

    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    log_in(context, live_server, owner)
    page = context.new_page()
    page.set_default_timeout(15_000)

    # 1. The dashboard: Chart.js has drawn every chart.
    page.goto("/admin/")
    page.click("#dashboard-link a[href$='/dashboard/']")
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length")
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".map(c => Chart.getChart(c) !== undefined)"
    )
    assert drawn == [True, True, True]
    page.click("details summary")  # the first chart's table
    found = violations(page, "dashboard")

    # 3. The calibration's suggestions fill a draft; the owner saves it.
    page.click("a[href$='/calibration/']")
    page.locator("canvas[data-chart]").first.wait_for()
    found += violations(page, "calibration")
    assert found == []
    page.click("#use-suggestions")
    page.wait_for_url("**/policyversion/add/**")
    assert page.input_value("input[name=insult_reject_at]") == "0.21"
    assert page.input_value("input[name=insult_review_at]") == "0.21"
    assert PolicyVersion.objects.count() == 0
    page.click("input[name=_save]")
    # Saving shows the new version's differences and its what-if against the previous one.
    page.wait_for_url("**/policyversion/*/what-if/")

    saved = PolicyVersion.objects.active()
    assert (saved.insult_review_at, saved.insult_reject_at) == (0.21, 0.21)
    assert saved.created_by == owner
    context.close()
