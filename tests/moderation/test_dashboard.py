"""The owners' dashboard and calibration pages: who sees them, what they count, in how many
queries, and who may change the audit sample."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Comment
from moderation.models import Assessment, AuditSample, PolicyVersion, Report, ReviewItem
from moderation.policy import evidence
from tests.factories import make_comment, make_owner, make_queued, make_user

DASHBOARD = "/admin/moderation/dashboard/"
CALIBRATION = "/admin/moderation/dashboard/calibration/"
AUDIT_SHARE = "/admin/moderation/dashboard/audit-share/"


@pytest.fixture
def owner_client(client, db):
    client.force_login(make_owner("owner"))
    return client


def someone(name: str):
    """A user without a password to hash: these tests make hundreds of comments."""
    return get_user_model().objects.get_or_create(username=name)[0]


def assessed(
    article,
    decision: str,
    status: str,
    *,
    days_ago: int = 0,
    language: str = "de",
    scores: dict | None = None,
    reported: bool = False,
) -> Comment:
    comment = make_comment(article, someone("author"), status=status)
    assessment = Assessment.objects.create(
        comment=comment,
        decision=decision,
        language=language,
        toxicity=scores or {"insult": 0.5},
        relevance=0.5,
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    if reported:
        Report.objects.create(comment=comment, reporter=someone("reporter"), reason="spam")
    return comment


def some_history(article, days: int) -> None:
    for back in range(days):
        assessed(article, "publish", "approved", days_ago=back)
        assessed(article, "publish", "removed", days_ago=back, reported=True, language="en")
        assessed(article, "review", "approved", days_ago=back)
        assessed(article, "reject", "rejected", days_ago=back, language="fr")
        make_queued(article, someone("author"), reasons=[("toxicity_review", "insult", 0.6)])


def test_readers_and_staff_without_the_permission_get_403(client, db):
    client.force_login(make_user("staffer", is_staff=True))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(CALIBRATION).status_code == 403
    client.force_login(make_user("reader"))
    assert client.get(DASHBOARD).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_moderators_see_the_dashboard_read_only(moderator_client):
    page = moderator_client.get(DASHBOARD).content.decode()
    assert "Moderation dashboard" in page
    assert 'id="audit-share-form"' not in page
    assert moderator_client.post(AUDIT_SHARE, {"percent": "5"}).status_code == 403
    assert PolicyVersion.objects.count() == 0


def test_owners_change_the_audit_share_as_a_new_policy_version(owner_client):
    PolicyVersion.objects.create(insult_review_at=0.33)
    assert 'id="audit-share-form"' in owner_client.get(DASHBOARD).content.decode()

    response = owner_client.post(AUDIT_SHARE, {"percent": "5"})

    assert response.status_code == 302
    active = PolicyVersion.objects.active()
    assert active.audit_sample_share == 0.05
    assert active.insult_review_at == 0.33
    assert active.created_by.username == "owner"


@pytest.mark.parametrize("percent", ["150", "-1", "abc", ""])
def test_an_audit_share_out_of_range_is_refused_with_a_message(owner_client, percent):
    response = owner_client.post(AUDIT_SHARE, {"percent": percent})
    assert response.status_code == 400
    assert "between 0 and 100 percent" in response.content.decode()
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("query", ["?days=12", "?language=xx"])
def test_a_period_or_language_not_offered_is_refused_with_a_message(owner_client, query):
    response = owner_client.get(DASHBOARD + query)
    assert response.status_code == 400


def test_it_counts_each_outcome_per_day_and_language(article, db):
    some_history(article, 3)
    assessed(article, "review", "rejected", days_ago=1)
    assessed(article, "publish", "approved", days_ago=20)  # outside the last 7 days

    data = evidence.overview(days=7)

    assert sum(data.outcomes["published"]) == 3
    assert data.outcomes["removed_after_report"][-1] == 1
    assert data.outcomes["review_rejected"][-2] == 1
    assert data.approved_share[-2] == 0.5
    assert (data.published, data.published_then_removed) == (6, 3)
    assert sum(evidence.overview(days=7, language="en").outcomes["removed_after_report"]) == 3
    assert sum(evidence.overview(days=7, language="other").outcomes["rejected"]) == 3
    assert data.queue_size[-1] == 3


def test_agreement_counts_approvals_per_reason_label_and_language(article, moderator, db):
    for status in ["approved", "approved", "rejected"]:
        comment = make_queued(
            article, someone("author"), reasons=[("toxicity_review", "insult", 0.6)]
        )
        Comment.objects.filter(pk=comment.pk).update(status=status)
    ReviewItem.objects.update(closed_at=timezone.now())

    [row] = evidence.overview(days=7).agreement

    assert (row.code, row.label, row.language) == ("toxicity_review", "insult", "de")
    assert (row.approved, row.decided) == (2, 3)


def test_the_audit_sample_gives_an_error_rate_with_an_interval(article, db):
    for verdict in ["confirmed"] * 9 + ["overturned"]:
        AuditSample.objects.create(
            comment=make_comment(article, someone("a")), decision="publish", verdict=verdict
        )
    share = evidence.overview(days=7).audit_error("publish")
    assert (share.hits, share.n) == (1, 10)
    low, high = share.interval
    assert low < 0.1 < high


def test_the_dashboard_reads_in_the_same_number_of_queries_for_7_and_90_days(owner_client, article):
    some_history(article, 2)
    with CaptureQueriesContext(connection) as week:
        assert owner_client.get(DASHBOARD + "?days=7").status_code == 200
    some_history(article, 30)
    with CaptureQueriesContext(connection) as quarter:
        assert owner_client.get(DASHBOARD + "?days=90").status_code == 200
    assert len(quarter) == len(week)


def test_the_dashboard_needs_at_most_a_fixed_number_of_queries(
    owner_client, article, django_assert_max_num_queries
):
    some_history(article, 10)
    with django_assert_max_num_queries(12):
        owner_client.get(DASHBOARD + "?days=90&language=de")


def test_the_dashboard_draws_its_charts_from_our_own_static_files(owner_client):
    page = owner_client.get(DASHBOARD).content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in page
    assert 'data-chart="chart-outcomes"' in page and "aria-label=" in page
    assert "<table>" in page  # the figures behind each chart


def test_calibration_with_too_few_decisions_says_how_many_more_are_needed(owner_client, article):
    assessed(article, "review", "rejected", scores={"insult": 0.9})
    page = owner_client.get(CALIBRATION).content.decode()
    assert "1 decisions so far: 49 more are needed" in page
    assert 'id="use-suggestions"' not in page


def test_calibration_links_the_suggestions_to_a_draft_version(owner_client, article, settings):
    settings.MODERATION_CALIBRATION_MIN_DECISIONS = 10
    for _ in range(10):
        assessed(article, "review", "rejected", scores={"insult": 0.9})
        assessed(article, "review", "approved", scores={"insult": 0.2})

    page = owner_client.get(CALIBRATION).content.decode()

    assert 'id="use-suggestions"' in page
    assert "insult_reject_at=0.21" in page
    assert PolicyVersion.objects.count() == 0  # suggesting never saves


def test_the_suggestions_link_carries_each_languages_own_thresholds(
    owner_client, article, settings
):
    settings.MODERATION_CALIBRATION_MIN_DECISIONS = 10
    for _ in range(10):
        assessed(article, "review", "rejected", scores={"insult": 0.8})
        assessed(article, "review", "approved", scores={"insult": 0.55})
        assessed(article, "review", "rejected", scores={"insult": 0.7}, language="en")
        assessed(article, "review", "approved", scores={"insult": 0.6}, language="en")

    response = owner_client.get(CALIBRATION)

    query = parse_qs(urlsplit(response.context["use_url"]).query)
    assert query["insult_review_at"] == query["insult_reject_at"] == ["0.61"]
    assert json.loads(query["language_overrides"][0]) == {
        "de": {"insult_review_at": 0.56, "insult_reject_at": 0.56},
        "en": {"insult_review_at": 0.61, "insult_reject_at": 0.61},
    }


def test_the_policy_form_puts_suggested_language_thresholds_over_the_active_ones(owner_client):
    PolicyVersion.objects.create(
        language_overrides={"de": {"insult_review_at": 0.4, "threat_review_at": 0.2}}
    )
    suggested = json.dumps({"de": {"insult_review_at": 0.56}, "en": {"insult_review_at": 0.61}})

    response = owner_client.get(
        "/admin/moderation/policyversion/add/", {"language_overrides": suggested}
    )

    field = response.context["adminform"].form["language_overrides"]
    assert json.loads(field.value()) == {
        "de": {"insult_review_at": 0.56, "threat_review_at": 0.2},
        "en": {"insult_review_at": 0.61},
    }


def test_the_policy_form_keeps_the_active_language_thresholds_for_a_broken_suggestion(
    owner_client,
):
    PolicyVersion.objects.create(language_overrides={"de": {"insult_review_at": 0.4}})

    for broken in ("{not json", "[1, 2]"):
        response = owner_client.get(
            "/admin/moderation/policyversion/add/", {"language_overrides": broken}
        )

        field = response.context["adminform"].form["language_overrides"]
        assert json.loads(field.value()) == {"de": {"insult_review_at": 0.4}}


def test_the_policy_form_takes_its_initial_values_from_the_query_string(owner_client):
    page = owner_client.get(
        "/admin/moderation/policyversion/add/?insult_reject_at=0.77"
    ).content.decode()
    assert 'name="insult_reject_at" value="0.77"' in page


def test_the_admin_index_links_the_dashboard_for_moderators(moderator_client):
    assert DASHBOARD in moderator_client.get("/admin/").content.decode()


def test_the_queue_figures_follow_items_entering_and_leaving(article, db):
    now = timezone.now()
    first, second, third = (
        make_queued(article, someone("author"), reasons=[("new_commenter",)]) for _ in range(3)
    )
    # The first waited from three days ago until two days ago (24 hours); the second entered
    # two days ago and still waits; the third entered and left today, after two hours.
    ReviewItem.objects.filter(comment=first).update(
        entered_at=now - timedelta(days=3), closed_at=now - timedelta(days=2)
    )
    ReviewItem.objects.filter(comment=second).update(entered_at=now - timedelta(days=2))
    ReviewItem.objects.filter(comment=third).update(
        entered_at=now - timedelta(hours=2), closed_at=now - timedelta(seconds=1)
    )

    data = evidence.overview(days=7)

    assert data.queue_size[-1] == 1  # only the second waits now
    assert data.oldest_hours[-1] == pytest.approx(48, abs=0.2)
    assert 24 in data.median_decision_hours
    assert data.median_decision_hours[-1] == pytest.approx(2, abs=0.05)
    assert max(data.queue_size) <= 2


def test_moderators_read_the_suggestions_but_cannot_use_them(moderator_client, article, settings):
    settings.MODERATION_CALIBRATION_MIN_DECISIONS = 10
    for _ in range(10):
        assessed(article, "review", "rejected", scores={"insult": 0.9})
        assessed(article, "review", "approved", scores={"insult": 0.2})

    page = moderator_client.get(CALIBRATION).content.decode()

    assert "0.21" in page
    assert 'id="use-suggestions"' not in page
    add = "/admin/moderation/policyversion/add/?audit_sample_share=0.5"
    assert moderator_client.get(add).status_code == 403
    assert moderator_client.post(add, {"audit_sample_share": "0.5"}).status_code == 403
    assert not PolicyVersion.objects.exists()
