"""Hostile input on the moderators' and owners' newer admin pages: the dashboard, calibration, the
audit share, the policy's preview, compare, restore and what-if, site model activation, appeal
decisions and the audit sample's confirm. Garbage gets a 4xx or a form error (never a 500), people
without the right get 403, and nothing is saved.
"""

import random

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from moderation import audit_sample, services
from moderation.models import (
    Appeal,
    AuditSample,
    PolicyVersion,
    ReviewItem,
    SiteModelVersion,
    WordListEntry,
)
from tests.conftest import make_article, make_moderator, make_queued, make_user
from tests.moderation.test_audit_sample import pending, score
from tests.moderation.test_policy_admin import form_data
from tests.moderation.test_policy_versions import assessed, with_words
from tests.test_hostile_inputs import assert_no_leak, logged_in

DASHBOARD = "/admin/moderation/dashboard/"
CALIBRATION = "/admin/moderation/dashboard/calibration/"
AUDIT_SHARE = "/admin/moderation/dashboard/audit-share/"
ADD = reverse("admin:moderation_policyversion_add")
COMPARE = reverse("admin:moderation_policyversion_compare")
GARBAGE_NUMBERS = ["", "abc", "-1", "0", "1.5", "1e3", "9" * 40, "%00", "%C2%B2", "%D9%A1", "NaN"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_owner():
    """Staff in the Site owners group: the add permission makes an owner."""
    user = make_user(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Site owners")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["add_policyversion", "view_policyversion"])
    )
    user.groups.add(group)
    return user


def refused_for_a_nul_byte(response) -> bool:
    """The site-wide guard answers any NUL byte before the view (tests/test_hostile_inputs.py)."""
    return response.status_code == 400 and b"NUL byte" in response.content


def versions() -> list:
    return list(PolicyVersion.objects.order_by("pk").values_list("pk", flat=True))


# --- Dashboard and calibration -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, CALIBRATION])
@pytest.mark.parametrize(
    "query",
    [f"?days={value}" for value in GARBAGE_NUMBERS]
    + [
        "?language=xx",
        "?language=%00",
        "?language=" + "d" * 5000,
        "?days=7&days=abc",
        "?days[]=7",
        "?days=30&language[]=de",
        "?language=de&language=<script>",
    ],
)
def test_garbage_in_the_dashboards_query_is_400_with_a_message_or_ignored(url, query):
    response = logged_in(make_owner()).get(url + query)

    assert response.status_code in {200, 400}
    assert_no_leak(response, admin=True)
    if response.status_code == 400 and not refused_for_a_nul_byte(response):
        assert "Choose" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [DASHBOARD, CALIBRATION])
def test_readers_get_403_on_the_dashboard(url):
    assert logged_in(make_user()).get(url).status_code == 403
    assert logged_in(make_user(is_staff=True)).get(url).status_code == 403


# --- The audit share -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "percent",
    ["", "abc", "-1", "101", "1e400", "inf", "-inf", "nan", "NaN", "1,5,5", "\x00", "9" * 5000],
)
def test_a_bad_audit_share_is_400_and_saves_nothing(percent):
    before = versions()

    response = logged_in(make_owner()).post(AUDIT_SHARE, {"percent": percent})

    assert response.status_code == 400
    assert_no_leak(response, admin=True)
    assert versions() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", [make_moderator, make_user, lambda: make_user(is_staff=True)])
def test_only_owners_change_the_audit_share(who):
    response = logged_in(who()).post(AUDIT_SHARE, {"percent": "5"})

    assert response.status_code == 403
    assert not PolicyVersion.objects.exists()


@pytest.mark.django_db
def test_the_audit_share_needs_post_and_a_csrf_token():
    owner = make_owner()
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert logged_in(owner).get(AUDIT_SHARE + "?percent=5").status_code == 405
    assert client.post(AUDIT_SHARE, {"percent": "5"}).status_code == 403
    assert not PolicyVersion.objects.exists()


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
    data = with_words(form_data(**changes))
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
    data = with_words(form_data(), ("en", "review", phrase))
    if preview:
        data["_preview"] = "1"

    response = logged_in(make_owner()).post(ADD, data)

    assert response.status_code in {200, 302} or refused_for_a_nul_byte(response)
    assert_no_leak(response, admin=True)
    stored = list(WordListEntry.objects.values_list("phrase", flat=True))
    assert stored in ([], [phrase])
    assert not (preview and stored)


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

    response = client.post(ADD, with_words(form_data()))

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


# --- Site model versions -------------------------------------------------------------------------


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


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_activating_an_unknown_site_model_is_404(pk):
    response = logged_in(make_owner()).post(f"/admin/moderation/sitemodelversion/{pk}/activate/")

    assert response.status_code == 404


# --- Appeal decisions and the audit sample's confirm ---------------------------------------------


def appealed() -> tuple[Comment, object]:
    first = make_moderator()
    author = make_user()
    comment = make_queued(make_article(language="en"), author)
    services.moderate(
        comment=comment,
        moderator=first,
        action="reject",
        expected_status="needs_review",
        reason="spam",
    )
    services.file_appeal(comment_id=comment.pk, author=author, text="Please look again.")
    return comment, first


def appeal_url(pk) -> str:
    return reverse("admin:moderation_decide_appeal", args=[pk])


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["", "GRANT", "grant ", "yes", "\x00", "x" * 5000])
def test_a_garbage_appeal_outcome_is_400_and_decides_nothing(outcome):
    comment, _first = appealed()

    response = logged_in(make_moderator()).post(appeal_url(comment.pk), {"outcome": outcome})

    assert response.status_code == 400
    assert_no_leak(response, admin=True)
    assert Appeal.objects.get().outcome == "filed"


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["grant", "uphold"])
def test_the_original_decider_cannot_decide_the_appeal_while_another_moderator_exists(outcome):
    comment, first = appealed()
    make_moderator()

    response = logged_in(first).post(appeal_url(comment.pk), {"outcome": outcome})

    assert response.status_code == 403
    assert Appeal.objects.get().outcome == "filed"


@pytest.mark.django_db
@pytest.mark.parametrize("second", ["grant", "uphold"])
def test_a_decided_appeal_cannot_be_decided_again(second):
    comment, _first = appealed()
    moderator = make_moderator()
    logged_in(moderator).post(appeal_url(comment.pk), {"outcome": "uphold"})

    response = logged_in(make_moderator()).post(appeal_url(comment.pk), {"outcome": second})

    assert 400 <= response.status_code < 500
    assert_no_leak(response, admin=True)
    comment.refresh_from_db()
    assert comment.status == "rejected"


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_an_appeal_decision_on_an_unknown_comment_is_4xx(pk):
    response = logged_in(make_moderator()).post(
        f"/admin/moderation/reviewitem/appeal/{pk}/", {"outcome": "grant"}
    )

    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_an_appeal_decision_by_a_reader_or_without_a_csrf_token_is_403():
    comment, _first = appealed()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_moderator())

    assert (
        logged_in(make_user()).post(appeal_url(comment.pk), {"outcome": "grant"}).status_code == 403
    )
    assert client.post(appeal_url(comment.pk), {"outcome": "grant"}).status_code == 403
    assert Appeal.objects.get().outcome == "filed"


@pytest.mark.django_db
@pytest.mark.parametrize("expected", ["approved", "needs_review", "pending", "", "x" * 500])
def test_confirming_an_audit_sample_with_a_stale_status_is_refused(expected, monkeypatch):
    monkeypatch.setattr(audit_sample, "_rng", random.Random(7))
    [comment] = pending(make_article())
    score([comment], audit_sample.Outcome.REJECT)
    item = ReviewItem.objects.get(comment=comment)

    response = logged_in(make_moderator()).post(
        f"/admin/moderation/reviewitem/decide/{comment.pk}/",
        {"action": "confirm", "expected_status": expected, "item": item.pk},
    )

    assert 400 <= response.status_code < 500
    assert_no_leak(response, admin=True)
    assert AuditSample.objects.get(comment=comment).verdict == ""


@pytest.mark.django_db
@pytest.mark.parametrize("item", ["²", "abc", "9" * 40, "-1"])
@pytest.mark.parametrize("url", ["decide", "review"])
def test_a_garbage_item_id_on_the_review_screen_is_no_error(url, item):
    comment = make_queued(make_article(language="en"))
    client = logged_in(make_moderator())
    if url == "review":
        response = client.get(f"/admin/moderation/reviewitem/review/?item={item}")
    else:
        response = client.post(
            f"/admin/moderation/reviewitem/decide/{comment.pk}/",
            {"action": "approve", "expected_status": "needs_review", "item": item, "next": item},
        )

    assert response.status_code in {200, 302, 400, 409}
    assert_no_leak(response, admin=True)


# --- The admin's lists ---------------------------------------------------------------------------

ADMIN_LISTS = [
    "/admin/moderation/reviewitem/",
    "/admin/moderation/statuschange/",
    "/admin/moderation/appeal/",
    "/admin/moderation/policyversion/",
    "/admin/moderation/sitemodelversion/",
    "/admin/moderation/labelledexample/",
]
LIST_QUERIES = [
    "?reason=no_such_reason",
    "?reason=audit_sample&reason=x",
    "?label=%C2%B2",
    "?label=" + "9" * 40,
    "?language=zz",
    "?source=x&action=y&outcome=z",
    "?to_status=x&from_status=y",
    "?is_active__exact=maybe",
    "?o=abc",
    "?o=99.-99",
    "?p=abc",
    "?p=" + "9" * 40,
    "?q=" + "%28%2A%5C" * 100,
    "?comment__id__exact=%C2%B2",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", LIST_QUERIES)
@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_garbage_in_an_admin_lists_query_is_no_error(url, query):
    response = logged_in(make_user(is_staff=True, is_superuser=True)).get(url + query)

    assert response.status_code in {200, 302, 400, 404}
    assert_no_leak(response, admin=True)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
@pytest.mark.parametrize("action", ["undo", "ban"])
def test_an_undo_or_ban_of_an_unknown_id_is_4xx(action, pk):
    response = logged_in(make_moderator()).post(
        f"/admin/moderation/reviewitem/{action}/{pk}/", {"ban_days": "1"}
    )

    assert 400 <= response.status_code < 500
    assert_no_leak(response, admin=True)
