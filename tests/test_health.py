"""`/healthz` answers while the database does, with the worker's last heartbeat; the production
server takes its sizes from the environment."""

import runpy

from django.db import DatabaseError
from django.utils import timezone

from moderation.scoring import pipeline


def test_healthz_is_200_with_no_heartbeat_before_any_worker_ran(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "worker_heartbeat": None,
        "worker_heartbeat_age_seconds": None,
        "worker_models": "unknown",
        "worker_models_load_seconds": None,
    }


def test_the_sweep_records_the_workers_heartbeat(client, db):
    before = timezone.now()
    pipeline.sweep_pending()

    body = client.get("/healthz").json()

    assert body["worker_heartbeat"] >= before.isoformat()
    assert 0 <= body["worker_heartbeat_age_seconds"] <= 5


def test_the_heartbeat_does_not_pretend_the_models_loaded(admin_client, db):
    pipeline.sweep_pending()

    page = admin_client.get("/admin/", headers={"accept-language": "en"}).content.decode()

    assert "No worker has loaded the models yet" in page
    assert "did not load" not in page


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    from moderation import services

    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(services, "worker_heartbeat", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok"}


def test_healthz_answers_head_and_refuses_post(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_gunicorn_takes_workers_threads_and_port_from_the_environment(monkeypatch, settings):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("PORT", "8100")

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))

    assert (config["workers"], config["threads"], config["bind"]) == (3, 8, "0.0.0.0:8100")


def test_a_starting_worker_process_loads_the_models_in_the_background(monkeypatch):
    from celery.signals import worker_process_init

    from moderation.scoring import preload

    loaded = []
    monkeypatch.setattr(preload, "load_and_report", lambda: loaded.append(True))

    for _receiver, thread in worker_process_init.send(sender=None):
        thread.join(10)

    assert loaded == [True]


def test_loading_the_models_records_how_long_it_took_for_healthz(
    client, db, tiny_models, settings, caplog
):
    from moderation.scoring import classifiers, preload

    for name, value in tiny_models.items():
        setattr(settings, name, value)
    classifiers.forget_scorer()
    with caplog.at_level("INFO", logger="moderation.scoring.preload"):
        assert preload.load_and_report() is True
    classifiers.forget_scorer()

    health = client.get("/healthz").json()

    assert health["worker_models"] == "loaded"
    assert health["worker_models_load_seconds"] >= 0
    assert any("Moderation models loaded in" in r.getMessage() for r in caplog.records)


def test_healthz_says_when_the_worker_could_not_load_its_models(client, db, settings):
    from moderation.scoring import classifiers, preload

    settings.MODERATION_TOXICITY_CHECKPOINT = "/nonexistent/model.ckpt"
    settings.MODERATION_TOXICITY_CONFIG_DIR = "/nonexistent"
    classifiers.forget_scorer()

    assert preload.load_and_report() is False
    classifiers.forget_scorer()

    assert client.get("/healthz").json()["worker_models"] == "unavailable"
