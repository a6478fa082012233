"""A moderator clears the queue with the keyboard; the reader sees the outcome."""

import pytest

from tests.factories import make_article, make_moderator, make_queued, make_user

pytestmark = pytest.mark.browser


def log_in_to_admin(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_moderator_rejects_and_approves_with_the_keyboard_and_the_reader_sees_it(
    browser, live_server, transactional_db
):
    article = make_article(title="Radwege", language="de")
    author = make_user("autorin")
    rejected = make_queued(article, author, body="Das ist doch alles Unsinn, ihr Idioten.")
    approved = make_queued(article, author, body="Geschützte Radwege helfen Familien.")
    make_moderator("moderatorin")

    moderator = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    log_in_to_admin(moderator, "moderatorin")
    moderator.goto("/admin/moderation/reviewitem/review/")
    moderator.locator(".ri-body", has_text="Unsinn").wait_for()

    moderator.keyboard.press("?")
    assert moderator.locator("#shortcuts").is_visible()
    moderator.keyboard.press("Escape")
    moderator.keyboard.press("r")
    moderator.keyboard.press("1")
    moderator.locator(".ri-body", has_text="Geschützte Radwege").wait_for()
    moderator.keyboard.press("a")
    moderator.locator(".ri-empty").wait_for()

    reader = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    reader.goto("/accounts/login/")
    reader.fill("input[name=login]", author.email)
    reader.fill("input[name=password]", "a-long-test-password")
    reader.click("main button[type=submit]")
    reader.goto(article.get_absolute_url())
    published = reader.locator(f"#comment-{approved.pk}")
    not_published = reader.locator(f"#comment-{rejected.pk}")
    assert "Geschützte Radwege" in published.inner_text()
    assert "Wartet auf Moderation" not in published.inner_text()
    assert "Nicht veröffentlicht" in not_published.inner_text()
    assert (
        "Respektlos" in not_published.inner_text() or "herabsetzend" in not_published.inner_text()
    )

    stranger = browser.new_context(base_url=live_server.url).new_page()
    stranger.goto(article.get_absolute_url())
    assert stranger.locator(f"#comment-{approved.pk}").is_visible()
    assert stranger.locator(f"#comment-{rejected.pk}").count() == 0
