"""Site owners edit the policy in the admin; every change is kept as a new version."""

import re

import pytest
from django.urls import reverse

from moderation.models import DEFAULT_LABEL_THRESHOLDS, PolicyVersion
from tests.factories import make_user, policy_form_data


@pytest.fixture
def owner_client(client, db):
    client.force_login(make_user("owner", is_staff=True, is_superuser=True))
    return client


ADD = reverse("admin:moderation_policyversion_add")


def test_the_add_form_starts_from_the_active_policy(owner_client):
    PolicyVersion.objects.create(insult_review_at=0.33)

    page = owner_client.get(ADD).content.decode()

    assert 'name="insult_review_at" value="0.33"' in page


def test_the_word_list_inputs_are_labelled_for_screen_readers(owner_client):
    page = owner_client.get(ADD).content.decode()

    for name in ("language", "rule", "phrase"):
        tag = re.search(f'<[^>]*name="word_entries-0-{name}"[^>]*>', page).group()
        assert "aria-label=" in tag, name


def test_saving_keeps_every_version_with_who_and_when(owner_client):
    owner_client.post(ADD, policy_form_data(insult_review_at="0.4"))
    owner_client.post(ADD, policy_form_data(insult_review_at="0.3", note="Even stricter"))

    versions = list(PolicyVersion.objects.order_by("id"))
    assert [v.insult_review_at for v in versions] == [0.4, 0.3]
    assert all(v.created_by.username == "owner" and v.created_at for v in versions)
    assert PolicyVersion.objects.active() == versions[-1]


def test_a_review_threshold_above_the_reject_threshold_is_refused_with_a_message(owner_client):
    response = owner_client.post(
        ADD, policy_form_data(insult_review_at="0.95", insult_reject_at="0.9")
    )

    assert response.status_code == 200
    assert "must not be above the reject threshold" in response.content.decode()
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("value", ["1.5", "-0.1", "abc"])
def test_a_threshold_outside_zero_to_one_is_refused(owner_client, value):
    response = owner_client.post(ADD, policy_form_data(threat_review_at=value))

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_a_saved_version_cannot_be_changed_or_deleted(owner_client):
    version = PolicyVersion.objects.create()
    change = reverse("admin:moderation_policyversion_change", args=[version.pk])
    delete = reverse("admin:moderation_policyversion_delete", args=[version.pk])

    owner_client.post(change, policy_form_data(insult_review_at="0.1"))
    owner_client.post(delete, {"post": "yes"})

    version.refresh_from_db()
    assert version.insult_review_at == DEFAULT_LABEL_THRESHOLDS["insult"][0]


def test_a_reader_cannot_open_the_policy_admin(client, db):
    client.force_login(make_user())

    response = client.get(ADD)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_index_says_whether_the_models_load(owner_client):
    from moderation.models import ModelStatus

    assert "No worker has loaded the models yet" in owner_client.get("/admin/").content.decode()

    ModelStatus.objects.create(pk=1, ok=False, detail="Detoxify could not load")
    page = owner_client.get("/admin/").content.decode()
    assert "Detoxify could not load" in page
    assert "check_models" in page


def test_check_models_says_whether_the_models_load(scorer, db, capsys):
    from django.core.management import call_command

    call_command("check_models")

    assert scorer.toxicity.model_id in capsys.readouterr().out
