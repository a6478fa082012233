"""Site owners preview a draft policy, compare and restore versions; others may not."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from moderation.models import PolicyVersion, WordListEntry
from tests.factories import assessed, make_user, policy_form_data, with_words

ADD = reverse("admin:moderation_policyversion_add")
CHANGELIST = reverse("admin:moderation_policyversion_changelist")
COMPARE = reverse("admin:moderation_policyversion_compare")


@pytest.fixture
def owner_client(client, db):
    client.force_login(make_user("owner", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def viewer_client(client, db):
    """Staff who may look at the policy but not change it (no add permission)."""
    user = make_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_policyversion"))
    client.force_login(user)
    return client


def test_the_defaults_show_on_the_list_before_the_first_save(owner_client):
    page = owner_client.get(CHANGELIST).content.decode()

    assert 'id="default-policy"' in page
    assert "insult: review at" in page


def test_preview_shows_what_the_draft_changes_and_saves_nothing(owner_client):
    assessed(0.45)
    assessed(0.1)

    response = owner_client.post(
        ADD,
        with_words(
            policy_form_data(insult_review_at="0.4"),
        )
        | {"_preview": "1"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="whatif-report"' in page
    assert "1 comment would change outcome" in page
    assert not PolicyVersion.objects.exists()
    assert 'name="insult_review_at" value="0.4"' in page


def test_preview_with_no_assessments_in_the_period_says_so(owner_client):
    response = owner_client.post(
        ADD, with_words(policy_form_data()) | {"_preview": "1", "whatif_days": "7"}
    )

    page = response.content.decode()
    assert 'id="whatif-empty"' in page
    assert "No comments were assessed in the last 7 days" in page


def test_an_invalid_draft_gets_errors_naming_the_field_and_no_preview(owner_client):
    response = owner_client.post(
        ADD,
        with_words(policy_form_data(language_overrides='{"de": {"insult_review_at": 3}}'))
        | {"_preview": "1"},
    )

    page = response.content.decode()
    assert "errornote" in page
    assert "insult: review at must be a number from 0 to 1" in page
    assert 'id="whatif-report"' not in page
    assert not PolicyVersion.objects.exists()


def test_saving_shows_the_new_version_against_the_previous_one(owner_client):
    assessed(0.45)
    response = owner_client.post(
        ADD, with_words(policy_form_data(insult_review_at="0.4"), ("de", "reject", "idiot*"))
    )

    version = PolicyVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:moderation_policyversion_whatif", args=[version.pk]
    )
    assert list(version.word_entries.values_list("phrase", flat=True)) == ["idiot*"]
    page = owner_client.get(response["Location"]).content.decode()
    assert "1 comment would change outcome" in page
    assert "idiot*" in page  # the differences list the new entry


def test_compare_shows_only_the_differences(owner_client):
    old = PolicyVersion.objects.create(insult_review_at=0.4)
    new = PolicyVersion.objects.create(
        insult_review_at=0.3, language_overrides={"en": {"threat_review_at": 0.2}}
    )
    WordListEntry.objects.create(version=new, language="de", rule="review", phrase="dumm*")

    page = owner_client.get(COMPARE, {"old": old.pk, "new": new.pk}).content.decode()

    assert "insult: review at" in page
    assert "[en] threat: review at" in page
    assert "dumm*" in page
    assert "toxicity: review at" not in page.split('id="differences"')[1]


def selected(page: str, select_id: str) -> str:
    """The value of the option selected in the compare form's select `select_id`."""
    options = page.split(f'id="{select_id}"')[1].split("</select>")[0]
    return options.split(" selected")[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_compare_form_keeps_the_defaults_chosen_as_either_side(owner_client):
    old = PolicyVersion.objects.create(insult_review_at=0.4)
    PolicyVersion.objects.create(insult_review_at=0.3)

    page = owner_client.get(COMPARE, {"old": old.pk, "new": "default"}).content.decode()

    assert (selected(page, "id_old"), selected(page, "id_new")) == (str(old.pk), "default")


def test_the_version_list_offers_to_compare_the_newest_version_with_the_one_before(
    owner_client,
):
    PolicyVersion.objects.create(insult_review_at=0.5)
    before = PolicyVersion.objects.create(insult_review_at=0.4)
    newest = PolicyVersion.objects.create(insult_review_at=0.3)

    page = owner_client.get(CHANGELIST).content.decode()

    assert (selected(page, "id_old"), selected(page, "id_new")) == (str(before.pk), str(newest.pk))


def test_compare_of_an_unknown_version_is_a_404(owner_client):
    assert owner_client.get(COMPARE, {"old": "999", "new": "x"}).status_code == 404


def test_restore_makes_a_new_version_equal_to_the_old_one(owner_client):
    old = PolicyVersion.objects.create(
        insult_review_at=0.4, language_overrides={"de": {"insult_review_at": 0.3}}
    )
    WordListEntry.objects.create(version=old, language="de", rule="reject", phrase="idiot*")
    PolicyVersion.objects.create(insult_review_at=0.2)

    response = owner_client.post(reverse("admin:moderation_policyversion_restore", args=[old.pk]))

    restored = PolicyVersion.objects.active()
    assert response.status_code == 302
    assert restored.pk not in (old.pk,) and restored.insult_review_at == 0.4
    assert restored.language_overrides == old.language_overrides
    assert restored.word_entries_as_tuples() == old.word_entries_as_tuples()
    from moderation.policy.versions import differences

    assert differences(old, restored) == []


def test_restore_needs_a_post(owner_client):
    old = PolicyVersion.objects.create()

    assert (
        owner_client.get(
            reverse("admin:moderation_policyversion_restore", args=[old.pk])
        ).status_code
        == 405
    )


def test_someone_who_is_not_a_site_owner_may_not_save_preview_or_restore(viewer_client):
    old = PolicyVersion.objects.create()

    assert (
        viewer_client.post(
            reverse("admin:moderation_policyversion_restore", args=[old.pk])
        ).status_code
        == 403
    )
    assert viewer_client.post(ADD, with_words(policy_form_data())).status_code == 403
    assert (
        viewer_client.post(ADD, with_words(policy_form_data()) | {"_preview": "1"}).status_code
        == 403
    )
    assert PolicyVersion.objects.count() == 1
    assert viewer_client.get(COMPARE, {"old": "default", "new": old.pk}).status_code == 200


def test_query_parameters_fill_the_add_form_as_suggestions(owner_client):
    PolicyVersion.objects.create(insult_review_at=0.33)

    page = owner_client.get(ADD, {"insult_review_at": "0.41"}).content.decode()

    assert 'name="insult_review_at" value="0.41"' in page
    assert 'name="threat_review_at" value="0.3"' in page
    suggested = owner_client.get(ADD, {"language_overrides": '{"de": {"insult_review_at": 0.4}}'})
    assert "{&quot;de&quot;: {&quot;insult_review_at&quot;: 0.4}}" in suggested.content.decode()


def test_a_new_version_starts_with_the_active_versions_word_lists(owner_client):
    active = PolicyVersion.objects.create()
    WordListEntry.objects.create(version=active, language="de", rule="reject", phrase="idiot*")

    page = owner_client.get(ADD).content.decode()

    assert 'name="word_entries-0-phrase" value="idiot*"' in page


def test_a_form_posted_without_the_word_lists_keeps_the_active_ones(owner_client):
    active = PolicyVersion.objects.create()
    WordListEntry.objects.create(version=active, language="de", rule="reject", phrase="idiot*")

    owner_client.post(ADD, policy_form_data(insult_review_at="0.4"))

    assert PolicyVersion.objects.active().word_entries_as_tuples() == [("de", "reject", "idiot*")]


def test_a_saved_version_offers_restore_to_owners_only(client, db):
    version = PolicyVersion.objects.create()
    WordListEntry.objects.create(version=version, language="de", rule="reject", phrase="idiot*")
    change = reverse("admin:moderation_policyversion_change", args=[version.pk])
    viewer = make_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_policyversion"))

    client.force_login(make_user("owner", is_staff=True, is_superuser=True))
    owners_page = client.get(change).content.decode()
    client.force_login(viewer)
    viewers_page = client.get(change).content.decode()

    assert 'id="restore-form"' in owners_page and "idiot*" in owners_page
    assert 'id="restore-form"' not in viewers_page and "idiot*" in viewers_page


def test_an_empty_language_thresholds_field_saves_a_version_without_overrides(owner_client):
    owner_client.post(ADD, with_words(policy_form_data(language_overrides="")))

    assert not PolicyVersion.objects.get().language_overrides


def test_an_owner_with_only_the_add_permission_can_list_compare_and_restore(client, db):
    owner = make_user("plainowner", is_staff=True)
    owner.user_permissions.add(Permission.objects.get(codename="add_policyversion"))
    old = PolicyVersion.objects.create(insult_review_at=0.4)
    client.force_login(owner)

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(COMPARE, {"old": old.pk, "new": "default"}).status_code == 200
    restore = reverse("admin:moderation_policyversion_restore", args=[old.pk])
    assert client.post(restore).status_code == 302
    assert PolicyVersion.objects.active().insult_review_at == 0.4


def test_restore_without_the_csrf_token_is_refused(db):
    from django.test import Client

    old = PolicyVersion.objects.create()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("owner", is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:moderation_policyversion_restore", args=[old.pk]))

    assert response.status_code == 403
    assert PolicyVersion.objects.count() == 1
