"""Hostile input on the owners' dashboard, calibration and audit share: garbage gets a 400
with a message or is ignored (never a 500), people without the right get 403, nothing is saved.
"""

import pytest
from django.test import Client

from moderation.models import PolicyVersion
from tests.factories import make_moderator, make_owner, make_user
from tests.hostile import GARBAGE_NUMBERS, assert_no_leak, logged_in, refused_for_a_nul_byte

DASHBOARD = "/admin/moderation/dashboard/"
CALIBRATION = "/admin/moderation/dashboard/calibration/"
AUDIT_SHARE = "/admin/moderation/dashboard/audit-share/"


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
