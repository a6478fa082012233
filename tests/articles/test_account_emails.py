"""The account e-mails and pages allauth makes for us speak as the site does: "Sie", not "du"."""

import re
from gettext import GNUTranslations
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from articles.allauth_texts import ALLAUTH_MESSAGES
from tests.factories import make_user

ALLAUTH_EMAILS = sorted(
    path.name for path in (Path(allauth.__file__).parent / "templates/account/email").glob("*.txt")
)
INFORMAL = re.compile(
    r"\b(du|dich|dir|dein\w*|bestätige|gib|rufe|lass|versuche|wähle|melde|kannst|hast|bist|musst"
    r"|möchtest)\b",
    re.IGNORECASE,
)
ALLAUTH = Path(allauth.__file__).parent
OUR_TEMPLATES = Path(settings.BASE_DIR) / "templates"


def allauth_account_sources() -> str:
    """The code and templates of allauth's accounts, less the templates the site replaces."""
    templates = ALLAUTH / "templates"
    files = [*(ALLAUTH / "account").rglob("*.py")]
    files += [
        path
        for folder in ("account", "allauth")
        for path in (templates / folder).rglob("*.*")
        if not (OUR_TEMPLATES / path.relative_to(templates)).exists()
    ]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def informal_allauth_account_messages() -> list[str]:
    """The messages of allauth's accounts that allauth's own German says with "du"."""
    with open(ALLAUTH / "locale/de/LC_MESSAGES/django.mo", "rb") as file:
        catalogue = GNUTranslations(file)._catalog
    sources = allauth_account_sources()
    return sorted(
        msgid
        for msgid, german in catalogue.items()
        if isinstance(msgid, str) and msgid and INFORMAL.search(german) and msgid in sources
    )


def context() -> dict:
    return {
        "current_site": Site.objects.get_current(),
        "user": AnonymousUser(),
        "user_display": "leserin",
        "username": "leserin",
        "email": "leserin@example.org",
        "activate_url": "http://127.0.0.1:8000/accounts/confirm-email/abc/",
        "password_reset_url": "http://127.0.0.1:8000/accounts/password/reset/key/abc/",
        "signup_url": "http://127.0.0.1:8000/accounts/signup/",
        "code": "",
        "ip": "127.0.0.1",
        "user_agent": "Firefox",
        "timestamp": "1. Januar 2026",
        "from_email": "alt@example.org",
        "to_email": "neu@example.org",
        "deleted_email": "alt@example.org",
    }


@pytest.mark.parametrize("name", ALLAUTH_EMAILS)
def test_every_account_email_says_sie_in_german(name, db):
    with translation.override("de"):
        text = render_to_string(f"account/email/{name}", context())

    assert not INFORMAL.findall(text), text


def test_the_confirmation_email_is_in_german_and_english(db):
    with translation.override("de"):
        german = render_to_string("account/email/email_confirmation_signup_message.txt", context())
        subject = render_to_string("account/email/email_confirmation_signup_subject.txt", {})
    with translation.override("en"):
        english = render_to_string("account/email/email_confirmation_signup_message.txt", context())

    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in subject
    assert "Sie" in german
    assert "http://127.0.0.1:8000/accounts/confirm-email/abc/" in german
    assert "confirm" in english


@pytest.mark.parametrize(
    "url", ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]
)
def test_the_account_pages_say_sie_in_german(url, db):
    page = Client(headers={"accept-language": "de"}).get(url).content.decode()

    assert not INFORMAL.findall(page)
    assert "Sie" in page


def test_allauths_messages_are_translated_with_sie():
    with translation.override("de"):
        assert gettext("You have signed out.") == "Sie haben sich abgemeldet."
        assert gettext("Verify Your Email Address") == "Bestätigen Sie Ihre E-Mail-Adresse"
        for message in ALLAUTH_MESSAGES:
            assert not INFORMAL.findall(gettext(message)), message


@pytest.mark.parametrize("message", informal_allauth_account_messages())
def test_every_allauth_account_message_that_says_du_has_a_translation_with_sie(message):
    with translation.override("de"):
        german = gettext(message)

    assert not INFORMAL.findall(german), german


def test_the_log_in_lock_out_says_sie_in_german(db):
    make_user("walker")
    client = Client(headers={"accept-language": "de"})
    url = reverse("account_login")
    for _ in range(5):  # allauth's limit: five failed log-ins for an address in five minutes
        client.post(url, {"login": "walker@example.org", "password": "not-the-password"})

    page = client.post(
        url, {"login": "walker@example.org", "password": "a-long-test-password"}
    ).content.decode()

    assert "Anmeldeversuche" in page
    assert "Bitte versuchen Sie es später erneut." in page
    assert not INFORMAL.findall(page)


def test_a_refused_display_name_says_sie_in_german(db, settings):
    settings.ACCOUNT_USERNAME_BLACKLIST = ["redaktion"]
    data = {
        "email": "neu@example.org",
        "username": "redaktion",
        "password1": "a-long-test-password",
        "password2": "a-long-test-password",
    }

    page = Client(headers={"accept-language": "de"}).post(reverse("account_signup"), data)

    text = page.content.decode()
    assert "Bitte wählen Sie einen anderen" in text
    assert not INFORMAL.findall(text)
