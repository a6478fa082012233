"""Fixtures every test module may use; the builders they call are in tests/factories.py."""

import os

# Nothing in the tests may reach a model hub; the models are built by the tiny_models fixture.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest

from articles.models import Article
from tests.factories import make_article, make_moderator, make_user


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    """Every test user has a password, and the production hasher's many rounds cost about half a
    second each on a CI machine; the tests hash with MD5, which no deployment ever uses."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (ours and allauth's) count in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


class _NeverDraws:
    def random(self) -> float:
        return 1.0


@pytest.fixture(autouse=True)
def _no_audit_sample(monkeypatch):
    """The audit sample draws at random; a test that wants one patches in a seeded generator."""
    from moderation.review import audit_sample

    monkeypatch.setattr(audit_sample, "_rng", _NeverDraws())


@pytest.fixture(autouse=True)
def wakeups(request, monkeypatch) -> list:
    """Messages to Celery are recorded instead of sent, except in tests that use a real broker.

    Each entry is (task name, args).
    """
    sent: list = []
    from moderation import dispatch

    dispatch.forget_broker_failure()
    if "real_broker" not in request.keywords:

        def record(task_name: str, *, args: tuple = (), kwargs: dict | None = None) -> bool:
            sent.append((task_name, args))
            return True

        monkeypatch.setattr(dispatch, "send", record)
    return sent


@pytest.fixture
def client():
    """Django's test client, reading the site in English; German has tests of its own."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


@pytest.fixture
def article(db) -> Article:
    return make_article()


@pytest.fixture
def reader(db):
    return make_user("alice")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, str]:
    """Tiny Detoxify and sentence-transformers models on disk, as settings name them."""
    from moderation.scoring.classifiers.modelkit import build_tiny_models

    return build_tiny_models(tmp_path_factory.mktemp("models"))


@pytest.fixture
def scorer(tiny_models, settings):
    """The real loading code on the tiny models, for this test only."""
    from moderation.scoring import classifiers

    for name, value in tiny_models.items():
        setattr(settings, name, value)
    classifiers.forget_scorer()
    yield classifiers.load_scorer()
    classifiers.forget_scorer()


@pytest.fixture
def moderator(db):
    return make_moderator("mod")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
