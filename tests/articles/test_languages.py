from django.test import Client
from django.urls import reverse


def test_the_site_speaks_german_by_default(db):
    page = Client().get(reverse("articles:policy")).content.decode()

    assert '<html lang="de">' in page
    assert "Diskussionsregeln" in page


def test_the_site_follows_accept_language(db):
    page = Client(headers={"accept-language": "en-GB,en;q=0.9"}).get(reverse("articles:policy"))

    assert "Discussion policy" in page.content.decode()


def test_the_language_switcher_changes_the_language(db):
    client = Client()

    response = client.post(reverse("set_language"), {"language": "en", "next": "/policy/"})

    assert response.status_code == 302
    assert "Discussion policy" in client.get(reverse("articles:policy")).content.decode()


def test_allauth_pages_are_translated_in_our_layout(db):
    page = Client().get(reverse("account_login")).content.decode()

    assert "Anmelden" in page
    assert "Diskussionsregeln" in page  # our header and footer around allauth's form


def test_every_string_in_the_code_is_in_the_german_catalogue(tmp_path):
    """makemessages on a copy of the sources finds no string the catalogue lacks."""
    import shutil
    import subprocess
    import sys

    from django.conf import settings

    for name in ["articles", "moderation", "notifications", "templates", "config"]:
        shutil.copytree(settings.BASE_DIR / name, tmp_path / name)
    shutil.copy(settings.BASE_DIR / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "AGORA_VAR_DIR": str(tmp_path / "var")},
        check=True,
        capture_output=True,
        timeout=120,
    )
    compared = subprocess.run(
        [
            "msgcmp",
            str(settings.BASE_DIR / "locale/de/LC_MESSAGES/django.po"),
            str(tmp_path / "locale/de/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
    )

    assert compared.returncode == 0, compared.stderr


def test_every_german_string_is_translated():
    from pathlib import Path

    from django.conf import settings

    catalogue = Path(settings.BASE_DIR, "locale/de/LC_MESSAGES/django.po").read_text()
    entries = catalogue.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') and "#~" not in e]
    assert untranslated == []
    assert "#, fuzzy" not in catalogue
    assert Path(settings.BASE_DIR, "locale/de/LC_MESSAGES/django.mo").exists()
