"""A reader follows a discussion, another reader's comment is published, the e-mail arrives in
var/mail/, and its one-click link stops the e-mails (GET asks, POST stops)."""

import email
import email.policy
from pathlib import Path

import pytest

from moderation import services
from notifications.models import Subscription
from notifications.tasks import send_follower_mail
from tests.browser.journeys import log_in
from tests.factories import make_article, make_moderator, make_queued, make_user

pytestmark = pytest.mark.browser

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def new_mails(folder: Path, before: set[Path]) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(set(folder.glob("*.log")) - before):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                messages.append(email.message_from_bytes(raw, policy=email.policy.default))
    return messages


def test_a_reader_follows_gets_the_mail_in_var_mail_and_unsubscribes_from_it(
    browser, live_server, transactional_db, settings
):
    folder = Path(settings.VAR_DIR) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.glob("*.log"))
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = folder
    settings.SITE_URL = live_server.url
    article = make_article(title="Mehr Radwege für die Innenstadt", language="de")
    follower = make_user("folgerin")
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    log_in(context, live_server, follower)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(article.get_absolute_url())
    page.click("#follow button[type=submit]")
    page.locator("#follow", has_text="Benachrichtigungen beenden").wait_for()
    assert Subscription.objects.filter(user=follower, article=article).exists()

    comment = make_queued(article, make_user("schreiber"), body="Die Ampeln <b>zuerst</b>!")
    services.moderate(
        comment=comment,
        moderator=make_moderator(),
        action="approve",
        expected_status="needs_review",
    )
    send_follower_mail()  # the beat task: here the worker that the broker would wake

    [message] = new_mails(folder, before)
    assert message["To"] == follower.email
    assert "Mehr Radwege" in message["Subject"]
    assert "Die Ampeln <b>zuerst</b>!" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(live_server.url + "/follow/off/")

    page.goto(link)
    page.locator("main button[type=submit]").wait_for()
    assert Subscription.objects.filter(user=follower).exists()  # the GET changed nothing
    page.click("main button[type=submit]")
    page.locator("main", has_text="Erledigt").wait_for()
    assert not Subscription.objects.filter(user=follower).exists()
    context.close()
