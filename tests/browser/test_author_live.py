"""The author of a comment sees its outcome without reloading, and the thanks stay in view."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Comment
from moderation import services
from moderation.policy.rules import Decision, Outcome
from tests.browser.journeys import log_in
from tests.factories import make_article, make_moderator, make_queued, make_user

pytestmark = pytest.mark.browser

LONG_BODY = "\n\n".join(
    f"Absatz {n}: Der Stadtrat hat über neue Radwege am Ring beraten." for n in range(40)
)


def test_the_author_sees_the_thanks_and_then_the_decision_without_reloading(
    page, live_server, transactional_db
):
    article = make_article(title="Radwege am Ring", language="de", body=LONG_BODY)
    author = make_user("autorin")
    log_in(page.context, live_server, author)
    page.goto(article.get_absolute_url())

    page.fill("#body-new", "Geschützte Radwege machen den Ring sicherer.")
    page.click("form.comment-form:has(#body-new) button[type=submit]")
    comment = Comment.objects.get(author=author)
    box = page.locator(f"#comment-{comment.pk}")
    thanks = box.locator(".comment-notice")
    expect(thanks).to_contain_text("Vielen Dank. Ihr Kommentar wartet auf Moderation.")
    expect(thanks).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0  # the page did scroll down to the comment
    assert page.locator("main > .messages").count() == 0

    # The policy sends it to review; the page says so by itself.
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.NEEDS_REVIEW)
    comment.refresh_from_db()
    services.enqueue_for_review(comment=comment, decision=Decision(Outcome.REVIEW, []))
    expect(box.locator(".live-status")).to_have_text(
        "Die Moderation wird sich Ihren Kommentar ansehen."
    )

    # A moderator approves it; the badge and the live region follow, with no reload.
    services.moderate(
        comment=comment,
        moderator=make_moderator(),
        action="approve",
        expected_status=Comment.Status.NEEDS_REVIEW,
    )
    expect(box.locator(".badge")).to_have_text("Veröffentlicht")
    expect(box.locator(".live-status")).to_have_text("Ihr Kommentar ist veröffentlicht.")
    expect(box.locator(".live-status")).to_have_attribute("aria-live", "polite")
    expect(box).not_to_have_class(re.compile(r"\bunpublished\b"))
    assert navigations == []


def test_a_rejected_author_appeals_from_the_live_message_and_another_moderator_grants_it(
    browser, page, live_server, transactional_db
):
    article = make_article(title="Fähre nach Föhr", language="de")
    author, first, second = make_user("autor"), make_moderator("erste"), make_moderator("zweiter")
    comment = make_queued(article, author, body="Die Fähre fährt bald öfter.")
    log_in(page.context, live_server, author)
    page.goto(article.get_absolute_url())
    box = page.locator(f"#comment-{comment.pk}")

    # A moderator rejects it; the live message says so and offers the appeal at once.
    services.moderate(
        comment=comment,
        moderator=first,
        action="reject",
        expected_status=Comment.Status.NEEDS_REVIEW,
        reason="off_topic",
    )
    expect(box.locator(".live-status")).to_contain_text("Ihr Kommentar wurde nicht veröffentlicht.")
    box.locator(".appeal-link a").click()
    page.fill("#appeal-text", "Die Fähre ist das Thema des Artikels.")
    page.get_by_role("button", name="Einspruch senden").click()
    expect(box.locator(".appeal-state")).to_have_text(
        "Ihr Einspruch wird von der Moderation geprüft."
    )

    # Another moderator grants it on the review screen with the "a" key.
    moderator_context = browser.new_context(locale="de-DE", base_url=live_server.url)
    log_in(moderator_context, live_server, second)
    review = moderator_context.new_page()
    review.goto(reverse("admin:moderation_review"))
    expect(review.locator(".ri-appeal-text")).to_contain_text("Die Fähre ist das Thema")
    with review.expect_navigation():
        review.keyboard.press("a")
    expect(review.locator("#review-screen .ri-empty")).to_be_visible()
    moderator_context.close()

    # The author sees the comment published and the appeal granted.
    page.reload()
    expect(box).not_to_have_class(re.compile(r"\bunpublished\b"))
    expect(box.locator(".appeal-state")).to_have_text(
        "Ihrem Einspruch wurde stattgegeben: Ihr Kommentar ist veröffentlicht."
    )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
