"""Small helpers that build test data, and the rule for tests that need a real service."""

import itertools
import os

# Nothing in the tests may reach a model hub; the models are built by the tiny_models fixture.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from articles.models import Article, Comment

_sequence = itertools.count(1)


def service_missing(name: str, reason: str) -> None:
    """Skip on a laptop without the service, but fail under CI, where it must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required under CI=true: {reason}")
    pytest.skip(f"{name} is not available: {reason}")


def make_user(username: str | None = None, *, verified: bool = True, banned: bool = False, **extra):
    n = next(_sequence)
    username = username or f"reader{n}"
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="a-long-test-password", **extra
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    if banned:
        from moderation.models import ReaderProfile

        ReaderProfile.objects.create(user=user, is_banned=True)
    return user


def make_article(**fields) -> Article:
    n = next(_sequence)
    defaults = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "lead": "A short lead about the city council and cycle lanes.",
        "body": "The council voted for new cycle lanes.\n\nShops worry about parking.",
        "author_name": "Jana Korte",
    }
    defaults.update(fields)
    return Article.objects.create(**defaults)


def make_comment(article: Article, author, *, parent: Comment | None = None, **fields) -> Comment:
    defaults = {
        "body": "I agree with the council's decision on cycle lanes.",
        "status": Comment.Status.APPROVED,
        "depth": parent.depth + 1 if parent else 1,
    }
    defaults.update(fields)
    return Comment.objects.create(article=article, author=author, parent=parent, **defaults)


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


def make_moderator(username: str | None = None):
    """A staff member in the Moderators group, with the group's permission to work the queue."""
    from django.contrib.auth.models import Group, Permission

    user = make_user(username, is_staff=True)
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(*Permission.objects.filter(codename__in=["moderate_comments"]))
    user.groups.add(group)
    return user


def make_queued(article, author=None, *, reasons=(), near=False, reported=0, **fields):
    """A comment in the review queue, as the policy or reader reports put it there."""
    from moderation import services
    from moderation.policy.rules import Decision, Outcome, Reason

    status = "approved" if reported else "needs_review"
    comment = make_comment(article, author or make_user(), status=status, **fields)
    decision = Decision(Outcome.REVIEW, [Reason(*r) for r in reasons], near_reject=near)
    services.enqueue_for_review(comment=comment, decision=decision, report_count=reported)
    if reasons:
        from moderation.models import Assessment

        Assessment.objects.create(
            comment=comment,
            toxicity={r[1]: r[2] for r in reasons if len(r) > 2 and r[1]},
            relevance=next((r[2] for r in reasons if r[0] == "off_topic" and len(r) > 2), 0.5),
            decision="review",
            reasons=[reason.as_dict() for reason in decision.reasons],
        )
    return comment


@pytest.fixture
def moderator(db):
    return make_moderator("mod")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
