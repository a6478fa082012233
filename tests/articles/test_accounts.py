import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from tests.factories import make_user
from tests.processes import manage


def sign_up(client, username="bob"):
    return client.post(
        reverse("account_signup"),
        {
            "email": f"{username}@example.org",
            "username": username,
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_sends_a_verification_mail_and_blocks_commenting_until_verified(client, article):
    sign_up(client)

    user = get_user_model().objects.get(username="bob")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    # Mandatory verification: the new account is not logged in yet.
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Please log in to comment." in page


def test_the_verification_link_verifies_the_address_and_allows_commenting(client, article):
    sign_up(client)
    link = link_in(mail.outbox[0])

    client.post(link)

    assert EmailAddress.objects.get(email="bob@example.org").verified
    response = client.post(
        reverse("articles:comment_create", kwargs={"slug": article.slug}), {"body": "Hello"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().author.username == "bob"


def test_login_and_logout(client, db):
    make_user("carol")

    client.post(
        reverse("account_login"), {"login": "carol@example.org", "password": "a-long-test-password"}
    )
    assert client.get(reverse("articles:list")).context["user"].username == "carol"

    client.post(reverse("account_logout"))
    assert not client.get(reverse("articles:list")).context["user"].is_authenticated


def test_password_reset_mails_a_signed_link_that_sets_a_new_password(client, db):
    make_user("dora")

    client.post(reverse("account_reset_password"), {"email": "dora@example.org"})
    link = link_in(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": "new-horse-battery", "password2": "new-horse-battery"})

    assert client.login(username="dora", password="new-horse-battery")


def test_password_change(client, db):
    user = make_user("erik")
    client.force_login(user)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "a-long-test-password",
            "password1": "another-horse-battery",
            "password2": "another-horse-battery",
        },
    )

    user.refresh_from_db()
    assert user.check_password("another-horse-battery")


def test_the_profile_banned_flag_blocks_posting(client, article):
    from moderation.models import ReaderProfile as Profile

    user = make_user("frank")
    client.force_login(user)
    Profile.for_user(user)
    Profile.objects.filter(user=user).update(is_banned=True)

    response = client.post(
        reverse("articles:comment_create", kwargs={"slug": article.slug}), {"body": "Hi"}
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_sign_up_mail_names_the_site_from_site_url_not_example_com(client, db):
    sign_up(client)

    message = mail.outbox[-1]
    assert message.subject.startswith(f"[{settings.SITE_DOMAIN}] ")
    assert urlsplit(settings.SITE_URL).netloc == settings.SITE_DOMAIN
    assert "example.com" not in message.subject + message.body
    assert settings.SITE_DOMAIN in message.body


def test_the_site_row_follows_site_url_after_migrate(db, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SITE_DOMAIN = "news.example.org"

    call_command("migrate", verbosity=0)

    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("news.example.org", "news.example.org")


def test_the_mail_subject_prefix_comes_from_the_site_url_variable():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)",
        DEBUG="true",
        SITE_URL="http://127.0.0.1:8100",
    )

    assert result.stdout.strip().splitlines()[-1] == "[127.0.0.1:8100]"


def test_the_sign_up_form_calls_the_user_name_the_public_display_name(db):
    german = Client(headers={"accept-language": "de"}).get(reverse("account_signup"))
    english = Client(headers={"accept-language": "en"}).get(reverse("account_signup"))

    assert "Anzeigename" in german.content.decode()
    assert "Anmeldename" not in german.content.decode()
    assert "Wird öffentlich bei Ihren Kommentaren angezeigt" in german.content.decode()
    assert "Display name" in english.content.decode()
    assert "Shown publicly with your comments" in english.content.decode()
