"""Hostile input on site model activation: only owners activate, a GET never does, a broken
or unknown version is refused with a message that names the version, never the server's path.
"""

import pytest
from django.test import Client
from django.urls import reverse

from moderation.models import SiteModelVersion
from tests.factories import make_moderator, make_owner, make_user
from tests.hostile import assert_no_leak, logged_in


def site_model_version() -> SiteModelVersion:
    return SiteModelVersion.objects.create(file_name="none.skops", sha256="0" * 64, example_count=3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, status",
    [(make_moderator, 403), (lambda: make_user(is_staff=True), 403), (make_user, 302)],
    ids=["moderator", "staff", "reader"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_owners_see_or_activate_a_site_model(who, status, method):
    version = site_model_version()
    url = reverse("admin:moderation_sitemodel_activate", args=[version.pk])

    response = getattr(logged_in(who()), method)(url)

    assert response.status_code == status  # readers are sent to the admin's log-in
    version.refresh_from_db()
    assert version.is_active is False


@pytest.mark.django_db
def test_a_get_never_activates_and_a_broken_file_is_refused_with_a_message():
    version = site_model_version()
    url = reverse("admin:moderation_sitemodel_activate", args=[version.pk])
    owner = make_owner()

    assert logged_in(owner).get(url).status_code == 200
    version.refresh_from_db()
    assert version.is_active is False
    response = logged_in(owner).post(url, follow=True)
    assert response.status_code == 200
    assert_no_leak(response, admin=True)
    version.refresh_from_db()
    assert version.is_active is False


NOT_LOADED = {
    "en": "Site model version {id} could not be loaded: its file is missing or has changed.",
    "de": "Version {id} des Seitenmodells konnte nicht geladen werden: Die zugehörige Datei fehlt "
    "oder wurde verändert.",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("file", ["missing", "tampered"])
def test_it_names_the_version_not_the_server_path_when_activation_fails(
    file, language, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "agora-var-secret"
    version = site_model_version()
    if file == "tampered":
        folder = settings.VAR_DIR / "site_models"
        folder.mkdir(parents=True)
        (folder / version.file_name).write_bytes(b"not the file whose hash was recorded")
    client = Client(headers={"accept-language": language})
    client.force_login(make_owner())

    response = client.post(
        reverse("admin:moderation_sitemodel_activate", args=[version.pk]), follow=True
    )

    text = response.content.decode()
    assert NOT_LOADED[language].format(id=version.pk) in text
    assert "agora-var-secret" not in text
    assert "site_models/" not in text and str(tmp_path) not in text
    version.refresh_from_db()
    assert version.is_active is False


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_activating_an_unknown_site_model_is_404(pk):
    response = logged_in(make_owner()).post(f"/admin/moderation/sitemodelversion/{pk}/activate/")

    assert response.status_code == 404
