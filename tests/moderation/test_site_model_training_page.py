"""Training the site model from the browser: owners upload past decisions (checked as
import_decisions checks them), start one training at a time as a Celery task, read its
progress and validation, choose thresholds from the trade-off, see their what-if and activate."""

import random
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation import tasks
from moderation.admin import site_model_training
from moderation.models import LabelledExample, PolicyVersion, SiteModelVersion
from moderation.site_model import store, training_runs
from moderation.site_model.models import SiteModelTraining
from tests.factories import make_moderator, make_owner, synthetic_rows, write_csv
from tests.hostile import assert_no_leak, logged_in

TRAIN = reverse("admin:moderation_sitemodel_train")
UPLOAD = reverse("admin:moderation_sitemodel_upload")
START = reverse("admin:moderation_sitemodel_start")
PROGRESS = reverse("admin:moderation_sitemodel_progress")


@pytest.fixture
def owner(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    store.forget_loaded()
    yield logged_in(make_owner("eigentuemerin"))
    store.forget_loaded()


def csv_upload(tmp_path, rows: list[dict], name: str = "history.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def history(per_kind: int = 40) -> list[dict]:
    rows = synthetic_rows(per_kind=per_kind)
    random.Random(3).shuffle(rows)  # in the order decided: the newest are of both classes
    for index, row in enumerate(rows):
        row["article_id"] = f"a{index % 8}"
    return rows


def trained_version(owner, tmp_path, wakeups) -> SiteModelVersion:
    owner.post(UPLOAD, {"file": csv_upload(tmp_path, history())})
    owner.post(START)
    run = SiteModelTraining.objects.get()
    tasks.train_site_model_run(run.pk)
    return SiteModelVersion.objects.get()


def test_it_imports_an_uploaded_csv_of_past_decisions(owner, tmp_path):
    rows = history(per_kind=5)

    response = owner.post(UPLOAD, {"file": csv_upload(tmp_path, rows)}, follow=True)

    assert response.status_code == 200
    assert LabelledExample.objects.filter(source="import").count() == len(rows)
    assert f"{len(rows)} decisions were imported" in response.content.decode()


def test_a_faulty_line_is_named_and_nothing_is_imported(owner, tmp_path):
    rows = history(per_kind=5)
    rows[6]["label"] = "maybe"

    response = owner.post(UPLOAD, {"file": csv_upload(tmp_path, rows)})

    assert response.status_code == 400
    assert "Line 8: the label must be 0 or 1" in response.content.decode()
    assert not LabelledExample.objects.exists()


def test_a_file_over_the_limit_is_refused_with_its_size(owner, monkeypatch):
    monkeypatch.setattr(site_model_training, "MAX_UPLOAD_BYTES", 1024)
    big = SimpleUploadedFile("big.csv", b"text,label\n" + b"Hallo Welt,0\n" * 200)

    response = owner.post(UPLOAD, {"file": big})

    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert not LabelledExample.objects.exists()


@pytest.mark.parametrize(
    "content", [b"", b"\xff\xfe\x00garbage", b"text\nno label column\n", b"\x00" * 100]
)
def test_garbage_files_are_refused_with_a_message(owner, content):
    response = owner.post(UPLOAD, {"file": SimpleUploadedFile("x.csv", content)})

    assert response.status_code == 400
    assert_no_leak(response, admin=True)
    assert not LabelledExample.objects.exists()


def test_an_upload_without_a_file_is_refused(owner):
    assert owner.post(UPLOAD, {}).status_code == 400


def test_starting_a_training_queues_the_task_by_name(
    owner, wakeups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(START, follow=True)

    run = SiteModelTraining.objects.get()
    assert wakeups == [(training_runs.TRAIN_SITE_MODEL_RUN, (run.pk,))]
    assert run.status == "queued" and run.in_progress
    assert "waiting for a worker" in response.content.decode()


def test_a_second_training_is_refused_while_one_runs(owner, wakeups):
    owner.post(START)

    response = owner.post(START, follow=True)

    assert SiteModelTraining.objects.count() == 1
    assert "A training is already running" in response.content.decode()


def test_a_run_that_stopped_reporting_no_longer_blocks(owner, wakeups):
    owner.post(START)
    SiteModelTraining.objects.update(updated_at=timezone.now() - timedelta(hours=1))

    owner.post(START)

    stale, fresh = SiteModelTraining.objects.order_by("id")
    assert (stale.status, stale.error, stale.in_progress) == ("failed", "stale", None)
    assert fresh.in_progress


def test_an_unreachable_broker_fails_the_run_at_once(
    owner, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("moderation.dispatch.send", lambda *a, **k: False)

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(START)

    run = SiteModelTraining.objects.get()
    assert (run.status, run.error) == ("failed", "broker")
    assert "task queue cannot be reached" in owner.get(TRAIN).content.decode()


def test_the_task_stores_the_version_and_its_trade_off(owner, tmp_path, wakeups):
    version = trained_version(owner, tmp_path, wakeups)

    run = SiteModelTraining.objects.get()
    assert (run.status, run.version, run.in_progress) == ("done", version, None)
    assert len(version.metrics["tradeoff"]) == 99 and version.metrics["candidates"]
    page = owner.get(TRAIN).content.decode()
    assert reverse("admin:moderation_sitemodel_thresholds", args=[version.pk]) in page


def test_too_few_decisions_say_how_many_more_are_needed(owner, tmp_path, wakeups):
    owner.post(UPLOAD, {"file": csv_upload(tmp_path, history(per_kind=3))})
    page = owner.get(TRAIN).content.decode()
    assert "14 more that were not published and 14 more that were published" in page

    owner.post(START)
    tasks.train_site_model_run(SiteModelTraining.objects.get().pk)

    run = SiteModelTraining.objects.get()
    assert (run.status, run.needed) == ("failed", {"1": 14, "0": 14})
    assert "Needed: 14 more not published, 14 more published." in owner.get(TRAIN).content.decode()
    assert not SiteModelVersion.objects.exists()


def test_the_progress_is_reported_step_by_step(owner, tmp_path, wakeups, monkeypatch):
    seen: list[str] = []
    report = training_runs._reporter

    def recording(run_id):
        inner = report(run_id)

        def step(name, done, total):
            inner(name, done, total)
            seen.append(training_runs.step_text(SiteModelTraining.objects.get(pk=run_id)))

        return step

    monkeypatch.setattr(training_runs, "_reporter", recording)
    trained_version(owner, tmp_path, wakeups)

    assert "cross-validating candidate 2 of 3" in seen
    assert seen[-1] == "checking on the newest examples, held out"


def test_the_progress_endpoint_says_whether_a_run_is_in_progress(owner, wakeups):
    assert owner.get(PROGRESS).json() == {"in_progress": False, "step": ""}
    owner.post(START)
    assert owner.get(PROGRESS).json() == {"in_progress": True, "step": "waiting for a worker"}


@pytest.mark.django_db
@pytest.mark.parametrize("method, url", [("get", TRAIN), ("post", START), ("post", UPLOAD)])
def test_moderators_get_403_and_readers_the_log_in(method, url, wakeups):
    assert getattr(logged_in(make_moderator()), method)(url).status_code == 403
    assert getattr(Client(), method)(url).status_code == 302
    assert not SiteModelTraining.objects.exists()


def thresholds_url(version, **query) -> str:
    url = reverse("admin:moderation_sitemodel_thresholds", args=[version.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_thresholds_page_shows_validation_chart_and_the_default_target(
    owner, tmp_path, wakeups
):
    version = trained_version(owner, tmp_path, wakeups)

    page = owner.get(thresholds_url(version)).content.decode()

    choice = store.thresholds_for(version, review_recall=0.8)
    assert 'id="tradeoff-chart"' in page and "plain, C=4" in page
    assert f"Review at {choice.review.threshold:.2f}" in page
    assert ("Reject automatically at" in page) is (choice.reject is not None)


def test_an_unreachable_precision_target_says_no_threshold_reaches_it(owner, tmp_path, wakeups):
    version = trained_version(owner, tmp_path, wakeups)
    version.metrics["tradeoff"] = [dict(p, caught=0) for p in version.metrics["tradeoff"]]
    version.save()

    page = owner.get(thresholds_url(version, target="recall", recall=80, precision=95)).content

    assert "No threshold reaches a precision of 95.0 %" in page.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"target": "recall", "recall": "abc", "precision": 95},
        {"target": "share", "share": "0", "precision": 95},
        {"target": "share", "share": "150", "precision": 95},
        {"target": "recall", "recall": "NaN", "precision": 95},
        {"target": "recall", "recall": 80, "precision": "1e400"},
        {"target": "everything", "recall": 80, "precision": 95},
    ],
)
def test_hostile_targets_are_refused_with_400(owner, tmp_path, wakeups, query):
    version = trained_version(owner, tmp_path, wakeups)

    response = owner.get(thresholds_url(version, **{"share": 10, **query}))

    assert response.status_code == 400
    assert_no_leak(response, admin=True)


def test_target_what_if_and_activation_save_a_policy_with_the_threshold(owner, tmp_path, wakeups):
    version = trained_version(owner, tmp_path, wakeups)
    target = {"target": "recall", "recall": 80, "share": 10, "precision": 95}
    confirm = reverse("admin:moderation_sitemodel_confirm", args=[version.pk])

    page = owner.get(confirm, target).content.decode()
    assert 'id="whatif-totals"' in page and "review queue" in page
    response = owner.post(confirm, target, follow=True)

    choice = store.thresholds_for(version, review_recall=0.8)
    policy = PolicyVersion.objects.active()
    version.refresh_from_db()
    assert version.is_active
    assert policy.site_model_review_at == choice.review.threshold
    assert policy.site_model_reject_at is None  # the owner did not opt in
    assert "is active" in response.content.decode()


def test_the_confirmation_without_a_valid_target_sends_back(owner, tmp_path, wakeups):
    version = trained_version(owner, tmp_path, wakeups)
    confirm = reverse("admin:moderation_sitemodel_confirm", args=[version.pk])

    response = owner.post(confirm, {"target": "recall", "recall": "-5", "precision": 95})

    assert response.status_code == 303
    assert not PolicyVersion.objects.exists()


@pytest.mark.django_db
def test_moderators_cannot_choose_thresholds_or_activate():
    version = SiteModelVersion.objects.create(file_name="v", sha256="0" * 64, example_count=1)
    moderator = logged_in(make_moderator())

    assert moderator.get(thresholds_url(version)).status_code == 403
    confirm = reverse("admin:moderation_sitemodel_confirm", args=[version.pk])
    assert moderator.post(confirm, {"target": "recall", "recall": 80}).status_code == 403
    assert not PolicyVersion.objects.exists()


def test_the_admin_start_page_links_owners_to_the_training_page_and_not_moderators(owner):
    train = reverse("admin:moderation_sitemodel_train")

    owners_page = owner.get(reverse("admin:index")).content.decode()
    moderators_page = logged_in(make_moderator()).get(reverse("admin:index")).content.decode()

    assert f'href="{train}"' in owners_page
    assert f'href="{train}"' not in moderators_page
