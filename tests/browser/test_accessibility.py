"""axe-core finds no critical or serious WCAG 2.1 A/AA violation on any page, in any state.

axe-core comes bundled in the axe-playwright-python package: nothing is fetched at run time. Each
test walks many pages in one browser context and reports every violation at once.
"""

import pytest

from tests.browser.journeys import log_in, new_context, violations
from tests.factories import make_article, make_comment, make_moderator, make_queued, make_user

pytestmark = pytest.mark.browser


def submit_without_browser_checks(page, form_selector: str) -> None:
    """Send a form as a browser without its own validation would, to see the server's errors."""
    form = page.locator(form_selector)
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").last.click()


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_reader_pages_pass_axe_logged_out_and_in_with_forms_open_and_refused(
    browser, live_server, transactional_db, locale
):
    article = make_article(title="Mehr Radwege", language="de", slug="radwege")
    english = make_article(title="Cycle lanes", language="en", slug="cycle-lanes")
    other = make_comment(article, make_user("nachbar"), body="Gute Idee, endlich.")
    make_comment(article, make_user("drittens"), parent=other, body="Finde ich auch.")
    reader = make_user("leserin")
    make_comment(article, reader, body="Wartet noch.", status="pending")
    make_comment(article, reader, body="Abgelehnt.", status="rejected")
    found: list[str] = []
    outside: list[str] = []

    anonymous = new_context(browser, live_server, locale, outside)
    page = anonymous.new_page()
    for url in ["/", article.get_absolute_url(), english.get_absolute_url(), "/policy/"]:
        page.goto(url)
        found += violations(page, "anonymous")
    page.goto("/accounts/signup/")
    found += violations(page, "sign-up")
    page.fill("input[name=email]", "neu@example.org")
    page.fill("input[name=username]", "neu")
    page.fill("input[name=password1]", "ein-langes-passwort-7")
    page.fill("input[name=password2]", "ein-anderes-passwort-8")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    found += violations(page, "sign-up refused")
    page.goto("/accounts/login/")
    found += violations(page, "login")
    page.fill("input[name=login]", reader.email)
    page.fill("input[name=password]", "a-wrong-password")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    found += violations(page, "login refused")
    anonymous.close()

    context = new_context(browser, live_server, locale, outside)
    log_in(context, live_server, reader)
    page = context.new_page()
    page.goto(english.get_absolute_url())
    found += violations(page, "logged in")
    page.goto(article.get_absolute_url())
    page.locator(f"#comment-{other.pk} details.reply summary").click()
    page.locator(f"#comment-{other.pk} details.report summary").click()
    found += violations(page, "reply and report open")
    submit_without_browser_checks(page, "form.comment-form:has(#body-new)")
    found += violations(page, "comment refused")
    page.locator(f"#comment-{other.pk} details.reply summary").click()
    submit_without_browser_checks(page, f"form.comment-form:has(#body-{other.pk})")
    found += violations(page, "reply refused")
    page.locator(f"#comment-{other.pk} details.report summary").click()
    submit_without_browser_checks(page, f"#comment-{other.pk} form.report-form")
    found += violations(page, "report refused")
    page.goto("/account/notifications/")
    found += violations(page, "notification settings")
    page.locator("#id_language").evaluate(
        "select => select.add(new Option('xx', 'xx', true, true))"
    )
    submit_without_browser_checks(page, "main form")
    found += violations(page, "notification settings refused")
    context.close()

    assert not found, "\n".join(found)
    assert outside == []  # axe-core is bundled: nothing is fetched from elsewhere


def test_moderator_and_owner_pages_pass_axe(browser, live_server, transactional_db):
    article = make_article(title="Radwege", language="de")
    make_queued(
        article, body="Das ist doch alles Unsinn.", reasons=[("toxicity_review", "insult", 0.7)]
    )
    make_queued(article, body="Gehört das hierher?", reported=1)
    moderator = make_moderator("moderatorin")
    owner = make_user("owner", is_staff=True, is_superuser=True)
    found: list[str] = []
    outside: list[str] = []

    context = new_context(browser, live_server, "de-DE", outside)
    log_in(context, live_server, moderator)
    page = context.new_page()
    page.goto("/admin/")
    found += violations(page, "moderator's admin index")
    page.goto("/admin/moderation/reviewitem/")
    found += violations(page, "queue")
    page.goto("/admin/moderation/reviewitem/review/")
    page.click("#help-toggle")
    page.locator("#shortcuts").wait_for()
    found += violations(page, "review screen with its help open")
    context.close()

    context = new_context(browser, live_server, "de-DE", outside)
    log_in(context, live_server, owner)
    page = context.new_page()
    page.goto("/admin/")
    found += violations(page, "owner's admin index")
    page.goto("/admin/moderation/policyversion/add/")
    found += violations(page, "policy form")
    page.fill("#id_toxicity_review_at", "")
    submit_without_browser_checks(page, "#policyversion_form")
    page.locator(".errornote").wait_for()
    found += violations(page, "policy form refused")
    page.goto("/admin/articles/article/add/")
    found += violations(page, "article form")
    context.close()

    assert not found, "\n".join(found)
    assert outside == []  # axe-core is bundled: nothing is fetched from elsewhere
