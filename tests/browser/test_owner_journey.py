"""A site owner's journey: the dashboard's charts, a draft previewed over stored assessments, the
calibration's suggestions saved as a new version, its what-if and its comparison with the version
before. The owner is staff in the Site owners group as seed_demo builds it, not a superuser."""

import json

import pytest
from django.utils import translation

from articles.management.commands.seed_demo import demo_group
from moderation import services
from moderation.models import Assessment, PolicyVersion
from moderation.policy.rules import Decision, Outcome, Reason
from tests.browser.journeys import log_in, violations
from tests.factories import make_article, make_comment, make_moderator, make_user

pytestmark = pytest.mark.browser

# (language, insult score, the moderators' verdict), ten comments each. Over all languages the
# calibration suggests 0.61 for review and reject; German on its own 0.56, English 0.61.
DECIDED = [
    ("de", 0.8, "reject"),
    ("de", 0.55, "approve"),
    ("en", 0.7, "reject"),
    ("en", 0.6, "approve"),
]
# Published automatically under the defaults (insult: review at 0.5).
PUBLISHED = (0.1, 0.35, 0.45)


def assess(comment, insult: float, decision: str, policy: PolicyVersion, language: str) -> None:
    """An assessment with every input the what-if replays."""
    Assessment.objects.create(
        comment=comment,
        policy=policy,
        toxicity={"insult": insult},
        relevance=0.95,
        word_count=12,
        has_link=False,
        author_approved_comments=3,
        language=language,
        decision=decision,
    )


def seed_history() -> PolicyVersion:
    """The version in force, the comments it decided, and moderators' verdicts on its reviews."""
    start = PolicyVersion.objects.create(note="Start")
    articles = {
        "de": make_article(title="Radwege", language="de"),
        "en": make_article(title="Ferry", language="en"),
    }
    author, moderator = make_user("autor"), make_moderator("moderatorin")
    for language, insult, verdict in DECIDED:
        for _ in range(10):
            comment = make_comment(articles[language], author, status="needs_review")
            assess(comment, insult, "review", start, language)
            services.enqueue_for_review(
                comment=comment,
                decision=Decision(Outcome.REVIEW, [Reason("toxicity_review", "insult", insult)]),
                language=language,
            )
            services.moderate(
                comment=comment,
                moderator=moderator,
                action=verdict,
                expected_status="needs_review",
                reason="disrespectful" if verdict == "reject" else "",
            )
    for insult in PUBLISHED:
        assess(make_comment(articles["de"], author), insult, "publish", start, "de")
    return start


def make_owner():
    owner = make_user("eigentuemerin", is_staff=True)
    owner.groups.add(demo_group("Site owners"))
    return owner


def setting_names(*fields: str) -> set[str]:
    """The settings as the compare table names them, in German."""
    with translation.override("de"):
        return {str(PolicyVersion._meta.get_field(name).verbose_name) for name in fields}


def test_an_owner_reads_the_charts_previews_a_draft_and_saves_the_calibration_suggestions(
    browser, live_server, transactional_db, settings
):
    settings.MODERATION_CALIBRATION_MIN_DECISIONS = 10
    start = seed_history()
    owner = make_owner()
    assert not owner.is_superuser

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
    # On a phone the wide tables scroll sideways; keyboard users must reach them too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    found += violations(page, "dashboard at 390 px")
    page.set_viewport_size({"width": 1280, "height": 720})

    # 2. A draft: a lower review threshold for insults, previewed in place, not saved.
    page.goto("/admin/moderation/policyversion/")
    page.click("a[href$='/policyversion/add/']")
    page.click("#whatif-preview")
    page.locator("#whatif-report").wait_for()
    assert page.inner_text("#whatif-changed").startswith("0 Kommentare")
    assert page.inner_text("#whatif-review-after") == page.inner_text("#whatif-review-before")

    page.fill("input[name=insult_review_at]", "0.3")
    page.select_option("#id_whatif_days", "all")  # all of them: stored today, one day's worth
    page.evaluate("window.stillTheSamePage = true")
    page.click("#whatif-preview")
    page.locator("#whatif-changed", has_text="2 Kommentare").wait_for()
    assert page.evaluate("window.stillTheSamePage")  # updated in place, by fetch
    assert page.locator("#whatif-examples tbody tr").count() == 2  # the 0.35 and the 0.45
    assert page.inner_text("#whatif-review-before") == "40,0"  # the 40 reviewed
    assert page.inner_text("#whatif-review-after") == "42,0"
    assert page.input_value("input[name=insult_review_at]") == "0.3"
    found += violations(page, "policy draft with its preview")
    assert PolicyVersion.objects.get() == start

    # 3. The calibration's suggestions fill a new draft, per language too; the owner saves it.
    page.goto("/admin/moderation/dashboard/")
    page.click("a[href$='/calibration/']")
    page.locator("canvas[data-chart]").first.wait_for()
    found += violations(page, "calibration")
    page.click("#use-suggestions")
    page.wait_for_url("**/policyversion/add/**")
    assert page.input_value("input[name=insult_review_at]") == "0.61"
    assert page.input_value("input[name=insult_reject_at]") == "0.61"
    assert json.loads(page.input_value("textarea[name=language_overrides]")) == {
        "de": {"insult_review_at": 0.56, "insult_reject_at": 0.56},
        "en": {"insult_review_at": 0.61, "insult_reject_at": 0.61},
    }
    assert PolicyVersion.objects.count() == 1
    page.click("input[name=_save]")
    page.wait_for_url("**/what-if/")

    saved = PolicyVersion.objects.active()
    assert saved != start and saved.created_by == owner
    # Every reviewed comment is now decided automatically, as moderators decided it.
    assert page.inner_text("#whatif-changed").startswith("40 Kommentare")
    assert page.inner_text("#whatif-moderators").count("0 Kommentare") == 2
    found += violations(page, "the new version's what-if")
    with page.expect_navigation():
        page.locator("#whatif-examples tbody a").first.click()  # owners read a changed comment
    assert "/admin/articles/comment/" in page.url
    assert page.locator("#content h1").count()  # the comment, not a refusal

    # The version list compares the new version with the one before: only what differs.
    page.goto("/admin/moderation/policyversion/")
    assert page.input_value("#id_old") == str(start.pk)
    assert page.input_value("#id_new") == str(saved.pk)
    page.click("#compare-form input[type=submit]")
    page.wait_for_url("**/compare/**")
    shown = set(page.locator("#differences tbody th").all_inner_texts())
    thresholds = setting_names("insult_review_at", "insult_reject_at")
    assert shown == thresholds | {
        f"[{lang}] {name}" for lang in ("de", "en") for name in thresholds
    }
    assert not shown & setting_names("threat_review_at", "toxicity_review_at")
    found += violations(page, "compare")
    assert found == []
    context.close()
