"""The account e-mails and pages allauth makes for us speak as the site does: "Sie", not "du"."""

import re
from pathlib import Path

import allauth
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from articles.allauth_texts import ALLAUTH_MESSAGES

ALLAUTH_EMAILS = sorted(
    path.name for path in (Path(allauth.__file__).parent / "templates/account/email").glob("*.txt")
)
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|bestätige|gib|rufe|lass)\b", re.IGNORECASE)


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
