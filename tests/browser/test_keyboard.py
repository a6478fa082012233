"""A reader who uses only the keyboard comments, replies, reports and switches the language, and
always knows where focus is; a refused form leaves focus on the field to correct."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Comment
from tests.browser.journeys import log_in
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.browser


def focused(page) -> str:
    """The focused element as a short selector: tag, id and name."""
    return page.evaluate(
        """() => { const e = document.activeElement;
          return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (e.name ? '[name=' + e.name + ']' : ''); }"""
    )


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until `selector` has focus; fail if the keyboard never does."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.locator(selector).evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"{selector} cannot be reached with the keyboard")


def press_and_load(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_keyboard_user_comments_replies_reports_and_switches_language(
    browser, live_server, transactional_db
):
    article = make_article(title="Mehr Radwege", language="de")
    other = make_comment(article, make_user("nachbar"), body="Gute Idee, endlich.")
    reader = make_user("leserin")
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    log_in(context, live_server, reader)
    page = context.new_page()
    page.goto(article.get_absolute_url())

    # The first stop is the skip link, visible once focused; it leads to the discussion.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Zur Diskussion springen")
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("#discussion")).to_be_focused()

    # An empty comment is refused: focus is back in the box, which says what is wrong.
    tab_to(page, "#body-new")
    tab_to(page, "form.comment-form:has(#body-new) button")
    press_and_load(page, "Enter")
    box = page.locator("#body-new")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(re.compile("Bitte schreiben Sie einen Kommentar"))

    # A comment: focus lands on it, marked as awaiting moderation.
    page.keyboard.type("Geschützte Radwege machen den Ring sicherer.")
    page.keyboard.press("Tab")
    press_and_load(page, "Enter")
    comment = Comment.objects.get(author=reader)
    expect(page.locator(f"#comment-{comment.pk}")).to_be_focused()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Wartet auf Moderation")

    # A reply to it: opening the reply box focuses it; the sent reply gets focus.
    tab_to(page, f"#comment-{comment.pk} details.reply summary")
    page.keyboard.press("Enter")
    expect(page.locator(f"#body-{comment.pk}")).to_be_focused()
    page.keyboard.type("Nachtrag: auch die Kreuzungen.")
    page.keyboard.press("Tab")
    press_and_load(page, "Enter")
    reply = Comment.objects.get(parent=comment)
    expect(page.locator(f"#comment-{reply.pk}")).to_be_focused()

    # A report: sent without a reason, the browser keeps focus on the reasons; with one, the
    # reported comment gets focus and the thanks are on the page.
    tab_to(page, f"#comment-{other.pk} details.report summary", backwards=True)
    page.keyboard.press("Enter")
    tab_to(page, f"#comment-{other.pk} .report-form button")
    page.keyboard.press("Enter")
    first_reason = page.locator(f"#comment-{other.pk} input[name=reason]").first
    expect(first_reason).to_be_focused()
    page.keyboard.press("Space")
    tab_to(page, f"#comment-{other.pk} .report-form button")
    press_and_load(page, "Enter")
    expect(page.locator(f"#comment-{other.pk}")).to_be_focused()
    expect(page.locator(".messages")).to_contain_text("Vielen Dank. Die Moderation")

    # The language: moving through the list changes nothing; Enter switches, and focus is back
    # on the list, in English.
    tab_to(page, "#language-select", backwards=True)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert navigations == []
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#language-select")).to_be_focused()
    expect(page.locator("#language-select")).to_have_value("en")
    press_and_load(page, "Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-select")).to_be_focused()
    assert focused(page) == "select#language-select[name=language]"
    context.close()


def test_a_refused_sign_up_leaves_focus_on_the_first_field_to_correct(
    page, live_server, transactional_db
):
    page.goto("/accounts/signup/")

    tab_to(page, "input[name=email]")
    page.keyboard.type("neu@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("neu")
    page.keyboard.press("Tab")
    page.keyboard.type("ein-langes-passwort-7")
    page.keyboard.press("Tab")
    page.keyboard.type("ein-anderes-passwort-8")
    press_and_load(page, "Enter")

    repeated = page.locator("input[name=password2]")
    expect(repeated).to_be_focused()
    expect(repeated).to_have_accessible_description(re.compile("Passwort"))


def test_a_refused_login_leaves_focus_on_the_first_field_and_names_the_error(
    page, live_server, transactional_db
):
    reader = make_user("leserin")
    page.goto("/accounts/login/")

    tab_to(page, "input[name=login]")
    page.keyboard.type(reader.email)
    page.keyboard.press("Tab")
    page.keyboard.type("ein-falsches-passwort")
    press_and_load(page, "Enter")

    login = page.locator("input[name=login]")
    expect(login).to_be_focused()
    expect(login).to_have_accessible_description(re.compile("nicht korrekt|falsch|stimmen"))


def test_a_refused_policy_leaves_the_owner_on_the_first_invalid_field(
    page, live_server, transactional_db
):
    owner = make_user("owner", is_staff=True, is_superuser=True)
    log_in(page.context, live_server, owner)
    page.goto("/admin/moderation/policyversion/add/")

    page.locator("#id_toxicity_reject_at").fill("7")
    page.locator("#id_toxicity_reject_at").focus()
    press_and_load(page, "Enter")

    field = page.locator("#id_toxicity_reject_at")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(r"1"))


def test_a_reply_to_a_comment_that_is_gone_leaves_focus_in_the_box_that_says_so(
    page, live_server, transactional_db
):
    article = make_article(language="de")
    gone = make_comment(article, make_user("nachbar"), body="Gleich weg.")
    log_in(page.context, live_server, make_user("leserin"))
    page.goto(article.get_absolute_url())
    tab_to(page, f"#comment-{gone.pk} details.reply summary")
    page.keyboard.press("Enter")
    expect(page.locator(f"#body-{gone.pk}")).to_be_focused()  # the box has opened
    page.keyboard.type("Das sehe ich anders.")
    gone.delete()

    page.keyboard.press("Tab")
    press_and_load(page, "Enter")

    box = page.locator("#body-new")
    expect(box).to_be_focused()
    expect(box).to_have_accessible_description(re.compile("nicht mehr"))
