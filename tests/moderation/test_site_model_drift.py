"""Watching the active site model after activation: its weekly AUC and recall against the
moderators' latest decisions, the alert when recall falls more than 10 points below validation
over at least 100 decisions, and where owners and moderators see it."""

from datetime import datetime, timedelta

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from sklearn.metrics import roc_auc_score

from moderation.models import Assessment, LabelledExample, PolicyVersion, SiteModelVersion
from moderation.site_model import drift
from moderation.site_model.classifier import MAIN_OUTPUT
from tests.factories import client_for, make_comment, make_moderator, make_owner

DASHBOARD = "/admin/moderation/dashboard/"
INDEX = "/admin/"
# A Wednesday noon, local time; its ISO week is 2025-W10 (Monday 3 March).
ACTIVATED = timezone.make_aware(datetime(2025, 3, 5, 12, 0))
NOW = ACTIVATED + timedelta(days=20)  # Tuesday of 2025-W13
# Validation: 80 of 100 violations at or above 0.5; 90 at or above 0.3.
TRADEOFF = [
    {"threshold": 0.3, "flagged": 150, "caught": 90},
    {"threshold": 0.5, "flagged": 110, "caught": 80},
    {"threshold": 0.7, "flagged": 60, "caught": 55},
]


def author():
    """One author without a password to hash: these tests make hundreds of comments."""
    return get_user_model().objects.get_or_create(username="author")[0]


def make_version(*, active: bool = True, activated_at: datetime = ACTIVATED) -> SiteModelVersion:
    return SiteModelVersion.objects.create(
        file_name="v.joblib",
        sha256="0" * 64,
        example_count=400,
        metrics={"auc": 0.86, "tradeoff": TRADEOFF, "violations": 100, "scored": 400},
        is_active=active,
        activated_at=activated_at if active else None,
    )


def just_now() -> datetime:
    return timezone.now() - timedelta(minutes=5)


def scored(article, version, score: float, *, score_key: str = MAIN_OUTPUT):
    comment = make_comment(article, author())
    Assessment.objects.create(
        comment=comment,
        decision="review",
        site_model={"scores": {score_key: score}, "terms": []},
        site_model_version=version,
    )
    return comment


def decide(comment, label: int, when: datetime, *, source: str = "decision") -> None:
    LabelledExample.objects.create(
        text=comment.body, label=label, source=source, comment=comment, decided_at=when
    )


def seed(article, version, *, caught: int, missed: int, approved: int) -> None:
    """Turned-down comments scored above the 0.5 threshold (caught) and below it (missed), and
    approved comments, all decided a minute after activation."""
    when = (version.activated_at or ACTIVATED) + timedelta(minutes=1)
    for score, label, n in [(0.9, 1, caught), (0.1, 1, missed), (0.2, 0, approved)]:
        for _ in range(n):
            decide(scored(article, version, score), label, when)


def test_the_weekly_figures_are_the_latest_decision_on_each_comment_the_version_scored(article):
    version = make_version()
    rng = np.random.default_rng(7)
    expected: dict[str, list[tuple[int, float]]] = {}
    for day in range(0, 20):
        when = ACTIVATED + timedelta(days=day, hours=1)
        week = f"2025-W{when.isocalendar()[1]:02d}"
        for _ in range(4):
            label = int(rng.integers(0, 2))
            score = round(float(rng.random() * 0.6 + 0.4 * label), 2)
            decide(scored(article, version, score), label, when)
            expected.setdefault(week, []).append((label, score))
    # Counted once, in the week of its latest decision, with that decision's label.
    twice = scored(article, version, 0.8)
    decide(twice, 0, ACTIVATED + timedelta(hours=2))
    decide(twice, 1, ACTIVATED + timedelta(days=14))
    expected["2025-W12"].append((1, 0.8))
    # Rescored by the same version: the latest assessment's score counts.
    rescored = scored(article, version, 0.1)
    Assessment.objects.create(
        comment=rescored,
        decision="review",
        site_model={"scores": {MAIN_OUTPUT: 0.95}},
        site_model_version=version,
    )
    decide(rescored, 1, ACTIVATED + timedelta(days=1))
    expected["2025-W10"].append((1, 0.95))
    # Not counted: imported rows, decisions before activation, another version's comments.
    decide(scored(article, version, 0.9), 1, ACTIVATED + timedelta(days=1), source="import")
    decide(scored(article, version, 0.9), 0, ACTIVATED - timedelta(days=1))
    decide(scored(article, make_version(active=False), 0.9), 0, ACTIVATED + timedelta(days=1))

    report = drift.watch(now=NOW)

    assert [week.label for week in report.weeks] == ["2025-W10", "2025-W11", "2025-W12", "2025-W13"]
    for week in report.weeks:
        labels, scores = map(np.array, zip(*expected[week.label], strict=True))
        assert week.figures.decisions == len(labels)
        assert week.figures.turned_down == int(labels.sum())
        assert week.figures.auc == pytest.approx(roc_auc_score(labels, scores), abs=1e-4)
        assert week.figures.recall == pytest.approx((scores[labels == 1] >= 0.5).mean())
    assert report.total.decisions == sum(len(rows) for rows in expected.values()) == 82
    assert report.threshold == 0.5
    assert (report.validation_auc, report.validation_recall) == (0.86, 0.8)


def test_the_validation_recall_is_the_trade_off_point_at_the_threshold_or_nearest_below(db):
    make_version()
    PolicyVersion.objects.create(site_model_review_at=0.45)

    report = drift.watch(now=NOW)

    assert (report.threshold, report.validation_threshold) == (0.45, 0.3)
    assert report.validation_recall == 0.9


def test_a_week_without_decisions_has_no_figures(db):
    make_version()

    report = drift.watch(now=NOW)

    assert len(report.weeks) == 4
    assert report.weeks[0].figures == drift.Figures(0, 0, None, None)
    assert not report.alert


def test_the_auc_counts_ties_half_as_training_does():
    labels = np.array([0, 0, 1, 1, 1, 0, 1])
    scores = np.array([0.1, 0.5, 0.5, 0.9, 0.2, 0.2, 0.5])

    assert drift.auc(labels, scores) == round(roc_auc_score(labels, scores), 4)
    assert drift.auc(np.array([1, 1]), np.array([0.2, 0.3])) is None


@pytest.mark.parametrize(
    ("caught", "missed", "approved", "alert"),
    [
        (69, 31, 0, True),  # 100 decisions, recall 69%: 11 points below 80%
        (34, 16, 50, True),  # 100 decisions, recall 68%
        (34, 16, 49, False),  # 99 decisions
        (70, 30, 0, False),  # exactly 10 points below: not more than 10
        (71, 29, 20, False),  # 9 points below
    ],
)
def test_the_alert_needs_100_decisions_and_more_than_10_points_below_validation(
    article, caught, missed, approved, alert
):
    seed(article, make_version(), caught=caught, missed=missed, approved=approved)

    report = drift.watch(now=NOW)

    assert report.total.decisions == caught + missed + approved
    assert report.alert is alert


def test_without_an_active_version_there_is_no_report_and_the_dashboard_says_so(article):
    seed(article, make_version(active=False), caught=10, missed=90, approved=10)

    assert drift.watch() is None
    page = client_for(make_owner()).get(DASHBOARD).content.decode()
    assert "No site model is active." in page
    assert "site-model-alert" not in page


def test_owners_and_moderators_see_the_weekly_figures_and_the_alert_on_the_dashboard(article):
    seed(article, make_version(activated_at=just_now()), caught=40, missed=60, approved=5)

    for user in [make_owner(), make_moderator()]:
        response = client_for(user).get(DASHBOARD)
        page = response.content.decode()
        assert response.context["drift"].alert
        assert 'id="site-model-alert"' in page
        assert "Consider training a new version" in page
        assert 'id="site-model-table"' in page and "40.0 %" in page and "80.0 %" in page
    owner_page = client_for(make_owner()).get(DASHBOARD).content.decode()
    assert "/admin/moderation/sitemodelversion/" in owner_page


def test_the_admin_start_page_warns_owners_only(article):
    seed(article, make_version(activated_at=just_now()), caught=40, missed=60, approved=5)

    owner_page = client_for(make_owner()).get(INDEX).content.decode()
    moderator_page = client_for(make_moderator()).get(INDEX).content.decode()

    assert 'id="site-model-alert"' in owner_page
    assert "/admin/moderation/sitemodelversion/" in owner_page
    assert 'id="site-model-alert"' not in moderator_page


def test_the_admin_start_page_is_quiet_while_recall_holds(article):
    seed(article, make_version(activated_at=just_now()), caught=80, missed=20, approved=5)

    page = client_for(make_owner()).get(INDEX).content.decode()

    assert "Moderation dashboard" in page
    assert 'id="site-model-alert"' not in page


def test_the_alert_reads_in_german(article):
    seed(article, make_version(activated_at=just_now()), caught=40, missed=60, approved=5)

    page = client_for(make_owner(), language="de").get(INDEX).content.decode()

    assert "Erwägen Sie, eine neue Version" in page


def test_the_report_reads_the_same_number_of_queries_whatever_the_number_of_comments(article):
    version = make_version(activated_at=timezone.now() - timedelta(days=30))
    owner = client_for(make_owner())
    counts = []
    for n in (3, 60):
        seed(article, version, caught=n, missed=n, approved=n)
        with CaptureQueriesContext(connection) as report_queries:
            drift.watch()
        with CaptureQueriesContext(connection) as page_queries:
            owner.get(DASHBOARD)
        counts.append((len(report_queries), len(page_queries)))

    assert counts[0] == counts[1]
    assert counts[0][0] == 4
