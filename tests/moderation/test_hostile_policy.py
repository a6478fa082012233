"""Hostile input on the policy's admin pages: the add form and its preview (thresholds, the
per-language JSON, word lists), compare, restore and a saved version's what-if. Garbage gets a form
error or a 4xx (never a 500), people without the right get 403, and nothing is saved.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from moderation.models import PolicyVersion, WordListEntry
from tests.factories import (
    assessed,
    make_moderator,
    make_owner,
    make_user,
    policy_form_data,
    with_words,
)
from tests.hostile import GARBAGE_NUMBERS, assert_no_leak, logged_in, refused_for_a_nul_byte

ADD = reverse("admin:moderation_policyversion_add")
COMPARE = reverse("admin:moderation_policyversion_compare")


# --- The policy's add form and preview -----------------------------------------------------------

BAD_DRAFTS = [
    {"insult_review_at": "abc"},
    {"insult_review_at": "nan"},
    {"insult_review_at": "inf"},
    {"insult_reject_at": "1e400"},
    {"insult_review_at": "\x00"},
    {"relevance_review_below": "-5"},
    {"short_text_words": "9" * 30},
    {"new_commenter_reviews": "-1"},
    {"audit_sample_share": "2"},
    {"site_model_review_at": "x"},
    {"language_overrides": "{"},
    {"language_overrides": '"de"'},
    {"language_overrides": '{"de": 1}'},
    {"language_overrides": '{"de": {"insult_review_at": "x"}}'},
    {"language_overrides": '{"de": {"insult_review_at": 1e999}}'},
    {"language_overrides": '{"de": {"insult_review_at": NaN}}'},
    {"language_overrides": '{"de": {"no_such_field": 0.5}}'},
    {"language_overrides": '{"de": {"short_text_words": 99999999999999999999999}}'},
    {"language_overrides": "[" * 5000 + "]" * 5000},
    {"whatif_days": "9" * 40},
    {"whatif_days": "%C2%B2"},
    {"whatif_days": "²"},
    {"whatif_days": "-1"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "save"])
@pytest.mark.parametrize("changes", BAD_DRAFTS, ids=lambda c: repr(c)[:60])
def test_a_garbage_draft_gets_a_form_error_and_saves_nothing(changes, preview):
    data = with_words(policy_form_data(**changes))
    if preview:
        data["_preview"] = "1"

    response = logged_in(make_owner()).post(ADD, data)

    assert_no_leak(response, admin=True)
    if refused_for_a_nul_byte(response):
        assert not PolicyVersion.objects.exists()
        return
    if "whatif_days" in changes:  # an unknown period falls back to the default one
        assert response.status_code in {200, 302}
        return
    assert response.status_code in {200, 400}
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    assert not PolicyVersion.objects.exists()


WORDS = [
    "*",
    "* *",
    "(*",
    "\\",
    "[",
    "a{1000000}",
    "(?P<x>",
    "\\1",
    ".*" * 20,
    "x" * 41,
    "x" * 10_000,
    "\x00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "save"])
@pytest.mark.parametrize("phrase", WORDS, ids=lambda p: repr(p)[:20])
def test_a_word_list_entry_with_regex_characters_is_matched_literally_or_refused(phrase, preview):
    stored = assessed(0.1, language="en")
    stored.list_text = "text ( with \\ symbols [ " + "x" * 50
    stored.save()
    data = with_words(policy_form_data(), ("en", "review", phrase))
    if preview:
        data["_preview"] = "1"

    response = logged_in(make_owner()).post(ADD, data)

    assert response.status_code in {200, 302} or refused_for_a_nul_byte(response)
    assert_no_leak(response, admin=True)
    stored = list(WordListEntry.objects.values_list("phrase", flat=True))
    assert stored in ([], [phrase])
    assert not (preview and stored)


@pytest.mark.django_db
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "save"])
def test_an_entry_with_too_many_wildcards_gets_a_form_error_naming_the_limit(preview):
    data = with_words(policy_form_data(), ("", "review", "*a*b*c*d*e*f*"))
    if preview:
        data["_preview"] = "1"

    response = logged_in(make_owner()).post(ADD, data)

    assert response.status_code == 200
    assert "Use at most 5 wildcards (*) in one entry." in response.content.decode()
    assert not WordListEntry.objects.exists()
    assert not PolicyVersion.objects.exists()


@pytest.mark.django_db
def test_the_preview_of_a_pathological_entry_over_long_repetitive_comments_answers():
    for _ in range(3):
        stored = assessed(0.1, language="de")
        stored.list_text = "hur" * 3000
        stored.save()
    data = with_words(policy_form_data(), ("", "reject", "*h*u*r*e*"))
    data["_preview"] = "1"

    response = logged_in(make_owner()).post(ADD, data)

    assert response.status_code == 200
    assert response.context["whatif"] is not None


@pytest.mark.django_db
def test_the_add_forms_query_with_garbage_suggestions_is_no_error():
    query = "?insult_review_at=abc&language_overrides={&short_text_words=" + "9" * 40
    query += "&language_overrides=" + "[" * 5000
    response = logged_in(make_owner()).get(ADD + query)

    assert response.status_code == 200
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
def test_the_policy_form_without_a_csrf_token_is_403():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_owner())

    response = client.post(ADD, with_words(policy_form_data()))

    assert response.status_code == 403
    assert not PolicyVersion.objects.exists()


# --- Compare, restore, what-if -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["old", "new", "a", "b"])
@pytest.mark.parametrize(
    "value", GARBAGE_NUMBERS[1:] + ["999999", "9223372036854775808", "default"]
)
def test_compare_with_a_garbage_or_unknown_version_is_404_never_500(name, value):
    PolicyVersion.objects.create()

    response = logged_in(make_owner()).get(f"{COMPARE}?{name}={value}")

    assert response.status_code in {200, 404} or refused_for_a_nul_byte(response)
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
def test_compare_with_two_values_for_one_version_is_no_error():
    version = PolicyVersion.objects.create()

    response = logged_in(make_owner()).get(f"{COMPARE}?old={version.pk}&old=x&new[]=1")

    assert response.status_code in {200, 404}


@pytest.mark.django_db
def test_compare_and_the_what_if_are_403_for_staff_without_the_view_permission():
    PolicyVersion.objects.create()

    assert logged_in(make_user(is_staff=True)).get(COMPARE).status_code == 403
    whatif = reverse("admin:moderation_policyversion_whatif", args=[PolicyVersion.objects.get().pk])
    assert logged_in(make_moderator()).get(whatif).status_code == 403


@pytest.mark.django_db
def test_restore_is_post_only_for_owners_and_404_for_an_unknown_version():
    old = PolicyVersion.objects.create(insult_review_at=0.3)
    PolicyVersion.objects.create()
    url = reverse("admin:moderation_policyversion_restore", args=[old.pk])
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_policyversion"))

    assert logged_in(make_owner()).get(url).status_code == 405
    assert logged_in(viewer).post(url).status_code == 403
    assert logged_in(make_moderator()).post(url).status_code == 403
    unknown = reverse("admin:moderation_policyversion_restore", args=[999999])
    assert logged_in(make_owner()).post(unknown).status_code == 404
    huge = "/admin/moderation/policyversion/99999999999999999999999/restore/"
    assert logged_in(make_owner()).post(huge).status_code == 404
    assert PolicyVersion.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("days", GARBAGE_NUMBERS + ["all", "²"])
def test_the_saved_what_if_with_a_garbage_period_falls_back_to_the_default(days):
    version = PolicyVersion.objects.create()
    url = reverse("admin:moderation_policyversion_whatif", args=[version.pk])

    response = logged_in(make_owner()).get(url, {"whatif_days": days})

    assert response.status_code == 200
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_the_what_if_of_an_unknown_version_is_404(pk):
    response = logged_in(make_owner()).get(f"/admin/moderation/policyversion/{pk}/what-if/")

    assert response.status_code == 404
