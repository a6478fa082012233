"""A reader signs up, verifies the address from the e-mail, comments, replies, switches language."""

import re

import pytest
from django.core import mail

from tests.factories import make_article

pytestmark = pytest.mark.browser


def test_a_new_reader_signs_up_verifies_comments_replies_and_switches_to_english(
    page, live_server, transactional_db
):
    article = make_article(title="Mehr Radwege für die Innenstadt", language="de")

    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "neu@example.org")
    page.fill("input[name=username]", "neuleser")
    page.fill("input[name=password1]", "ein-langes-passwort-7")
    page.fill("input[name=password2]", "ein-langes-passwort-7")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile("/accounts/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.click("main button[type=submit]")

    page.goto(article.get_absolute_url())
    page.fill("#body-new", "Geschützte Radwege machen den Ring sicherer.")
    page.click("form.comment-form:has(#body-new) button[type=submit]")
    comment = page.locator("article.comment", has_text="Geschützte Radwege")
    comment.locator("summary").click()
    comment.locator("textarea").fill("Nachtrag: auch die Kreuzungen sollten umgebaut werden.")
    comment.locator("button[type=submit]").click()

    comment = page.locator("article.comment", has_text="Geschützte Radwege").first
    reply = page.locator("article.comment.level-2", has_text="Nachtrag")
    assert "Wartet auf Moderation" in comment.inner_text()
    assert "Wartet auf Moderation" in reply.inner_text()

    page.select_option("#language-select", "en")
    page.click("#language-submit")
    page.locator("html[lang=en]").wait_for()
    assert "Awaiting moderation" in reply.inner_text()
    assert page.locator("h2", has_text="Discussion").is_visible()
